-- The channel as a production bot runs it: opt-out, per-sender limits, the operator's block list.

-- New reply kinds (the opt-out confirmation, the opt-in confirmation, the limit notice) and a
-- reply deliberately not sent (opted out, past a limit), which keeps its reason in `error`.
ALTER TABLE tipline_replies DROP CONSTRAINT tipline_replies_kind_check;
ALTER TABLE tipline_replies ADD CONSTRAINT tipline_replies_kind_check CHECK (kind IN (
    'verdict', 'fallback', 'feedback_ack', 'help', 'unsupported',
        'privacy', 'deletion_confirm', 'deletion_done', 'opt_out', 'opt_in', 'limit'));
ALTER TABLE tipline_replies DROP CONSTRAINT tipline_replies_status_check;
ALTER TABLE tipline_replies ADD CONSTRAINT tipline_replies_status_check CHECK (status IN (
    'sending', 'sent', 'failed', 'not_sent'));

-- Senders who asked to stop. The group that opted them out is the one that confirms it, so a
-- retry confirms again (exactly once, through the reply log) and a second STOP stays silent.
CREATE TABLE tipline_opt_outs (
    sender       TEXT PRIMARY KEY,
    group_sid    TEXT NOT NULL,
    -- keyword: typed STOP or an equivalent; twilio: OptOutType or error 21610 from Twilio.
    source       TEXT NOT NULL,
    opted_out_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every group checked as a tip, per sender: what the hourly and daily limits count.
CREATE TABLE tipline_tip_log (
    group_sid TEXT PRIMARY KEY,
    sender    TEXT NOT NULL,
    at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX tipline_tip_log_sender_at ON tipline_tip_log (sender, at);

-- The last "you've reached the limit" notice per sender: no other until `until`, when the
-- window that was full frees up.
CREATE TABLE tipline_limit_notices (
    sender    TEXT PRIMARY KEY,
    group_sid TEXT NOT NULL,
    until     TIMESTAMPTZ NOT NULL
);

-- The operator's block list (`tipline block`): nothing from these senders is analysed or answered.
CREATE TABLE tipline_blocked_senders (
    sender     TEXT PRIMARY KEY,
    blocked_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
