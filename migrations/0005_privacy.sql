-- Privacy and data rights: the privacy notice, "delete my data", and Twilio media clean-up.

-- New reply kinds: the privacy notice on request, and the two replies of a deletion.
ALTER TABLE tipline_replies DROP CONSTRAINT IF EXISTS tipline_replies_kind_check;
ALTER TABLE tipline_replies ADD CONSTRAINT tipline_replies_kind_check CHECK (kind IN (
    'verdict', 'fallback', 'feedback_ack', 'help', 'unsupported',
    'privacy', 'deletion_confirm', 'deletion_done'));

-- New routes: the notice on request, a deletion request, and its confirmation.
ALTER TABLE tipline_groups DROP CONSTRAINT IF EXISTS tipline_groups_route_check;
ALTER TABLE tipline_groups ADD CONSTRAINT tipline_groups_route_check CHECK (route IN (
    'help', 'feedback', 'tip', 'privacy', 'delete_request', 'delete_confirm'));

-- The group whose reply carried the sender's first privacy notice: set once, so the notice goes
-- out with exactly one reply, and a retry of that reply carries it again.
ALTER TABLE tipline_conversations ADD COLUMN privacy_notice_sid TEXT;

-- A "delete my data" request, from asking to done. The sender is kept only until it is done:
-- a finished request holds no number, only the SIDs of the two messages.
CREATE TABLE tipline_deletion_requests (
    request_sid  TEXT PRIMARY KEY,
    sender       TEXT,
    -- pending: asked, awaiting "yes"; confirmed: erasing (resumed by a retry); done: erased.
    state        TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'done')),
    confirm_sid  TEXT UNIQUE,
    requested_at TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ,
    completed_at TIMESTAMPTZ
);
CREATE INDEX tipline_deletion_requests_sender ON tipline_deletion_requests (sender, requested_at DESC);

-- Twilio's copies of inbound media, to delete once ours is stored; the retention job retries
-- the ones whose delete failed.
CREATE TABLE tipline_twilio_media (
    media_url   TEXT PRIMARY KEY,
    message_sid TEXT NOT NULL,
    stored_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at  TIMESTAMPTZ,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT
);
CREATE INDEX tipline_twilio_media_pending ON tipline_twilio_media (stored_at) WHERE deleted_at IS NULL;
