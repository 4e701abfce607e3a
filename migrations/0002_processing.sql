-- What exactly-once processing needs, in tipline's own tables.

-- One row per inbound MessageSid: the idempotency claim and its lease.
CREATE TABLE tipline_claims (
    message_sid      TEXT PRIMARY KEY,
    payload_hash     TEXT NOT NULL,
    sender           TEXT NOT NULL,
    -- processing: leased to one worker; released: failed retryably, free for the next receive;
    -- done: finished (never worked again); failed: failed permanently, recorded and acknowledged.
    status           TEXT NOT NULL CHECK (status IN ('processing', 'released', 'done', 'failed')),
    lease_expires_at TIMESTAMPTZ NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 1,
    last_error       TEXT,
    submission_id    UUID REFERENCES b2b_pilot_user_submissions (id),
    received_at      TIMESTAMPTZ NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX tipline_claims_status ON tipline_claims (status, updated_at);

-- A second payload under a SID already claimed: refused, and kept here for investigation.
CREATE TABLE tipline_payload_conflicts (
    id           BIGSERIAL PRIMARY KEY,
    message_sid  TEXT NOT NULL,
    payload_hash TEXT NOT NULL,
    seen_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Queue messages that could not even be read (no SID): recorded, then acknowledged.
CREATE TABLE tipline_rejected_messages (
    id             BIGSERIAL PRIMARY KEY,
    sqs_message_id TEXT NOT NULL,
    reason         TEXT NOT NULL,
    body_excerpt   TEXT NOT NULL,
    seen_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every reply, recorded before it is sent and updated after, so a retry never sends it twice.
CREATE TABLE tipline_replies (
    message_sid   TEXT NOT NULL REFERENCES tipline_claims (message_sid),
    kind          TEXT NOT NULL CHECK (kind IN ('verdict', 'fallback', 'feedback_ack', 'help', 'unsupported')),
    to_address    TEXT NOT NULL,
    body          TEXT NOT NULL,
    -- sending: handed to Twilio, answer not yet recorded (a crash here is ambiguous, so no resend);
    -- sent: Twilio accepted it; failed: Twilio refused it, safe to try again.
    status        TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
    twilio_sid    TEXT,
    error         TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at       TIMESTAMPTZ,
    PRIMARY KEY (message_sid, kind)
);

-- Per-sender conversation state: what the last verdict was, for feedback and help.
CREATE TABLE tipline_conversations (
    sender             TEXT PRIMARY KEY,
    last_submission_id UUID REFERENCES b2b_pilot_user_submissions (id),
    last_verdict_at    TIMESTAMPTZ,
    last_inbound_at    TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
