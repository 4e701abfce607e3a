-- Opt-out, per-sender limits and the block list, as ../0006_channel.sql. SQLite cannot change a
-- CHECK constraint, so the reply log is rebuilt with the new kinds and the `not_sent` status.
-- Times the limits compare are epoch milliseconds.
CREATE TABLE tipline_replies_new (
    message_sid TEXT NOT NULL REFERENCES tipline_claims (message_sid),
    kind        TEXT NOT NULL CHECK (kind IN (
        'verdict', 'fallback', 'feedback_ack', 'help', 'unsupported',
        'privacy', 'deletion_confirm', 'deletion_done', 'opt_out', 'opt_in', 'limit')),
    to_address  TEXT NOT NULL,
    body        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed', 'not_sent')),
    twilio_sid  TEXT,
    error       TEXT,
    created_at  TEXT NOT NULL,
    sent_at     TEXT,
    PRIMARY KEY (message_sid, kind)
);
INSERT INTO tipline_replies_new SELECT message_sid, kind, to_address, body, status, twilio_sid, error, created_at, sent_at
  FROM tipline_replies;
DROP TABLE tipline_replies;
ALTER TABLE tipline_replies_new RENAME TO tipline_replies;

CREATE TABLE tipline_opt_outs (
    sender       TEXT PRIMARY KEY,
    group_sid    TEXT NOT NULL,
    source       TEXT NOT NULL,
    opted_out_at TEXT NOT NULL
);

CREATE TABLE tipline_tip_log (
    group_sid TEXT PRIMARY KEY,
    sender    TEXT NOT NULL,
    at_ms     INTEGER NOT NULL
);
CREATE INDEX tipline_tip_log_sender_at ON tipline_tip_log (sender, at_ms);

CREATE TABLE tipline_limit_notices (
    sender    TEXT PRIMARY KEY,
    group_sid TEXT NOT NULL,
    until_ms  INTEGER NOT NULL
);

CREATE TABLE tipline_blocked_senders (
    sender     TEXT PRIMARY KEY,
    blocked_at TEXT NOT NULL
);
