-- The embedded database of the local stack: the same records as the Postgres schema
-- (../0001_submissions.sql, ../0002_processing.sql) in SQLite's types. Times are RFC 3339 text,
-- except lease expiry, kept as epoch milliseconds so it compares as a number.
CREATE TABLE b2b_pilot_user_submissions (
    id                 TEXT PRIMARY KEY,
    phone_number       TEXT,
    image_url          TEXT,
    s3_key             TEXT,
    prediction_result  TEXT,
    confidence_score   REAL,
    scam_label         TEXT,
    processing_time_ms INTEGER,
    input_text         TEXT,
    created_at         TEXT,
    feedback_text      TEXT,
    feedback_timestamp TEXT,
    message_id         TEXT
);
CREATE UNIQUE INDEX idx_user_submissions_message_id
    ON b2b_pilot_user_submissions (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX idx_user_submissions_phone_created ON b2b_pilot_user_submissions (phone_number, created_at);

CREATE TABLE tipline_claims (
    message_sid         TEXT PRIMARY KEY,
    payload_hash        TEXT NOT NULL,
    sender              TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('processing', 'released', 'done', 'failed')),
    lease_expires_at_ms INTEGER NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 1,
    last_error          TEXT,
    submission_id       TEXT REFERENCES b2b_pilot_user_submissions (id),
    received_at         TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);

CREATE TABLE tipline_payload_conflicts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    message_sid  TEXT NOT NULL,
    payload_hash TEXT NOT NULL,
    seen_at      TEXT NOT NULL
);

CREATE TABLE tipline_rejected_messages (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    sqs_message_id TEXT NOT NULL,
    reason         TEXT NOT NULL,
    body_excerpt   TEXT NOT NULL,
    seen_at        TEXT NOT NULL
);

CREATE TABLE tipline_replies (
    message_sid TEXT NOT NULL REFERENCES tipline_claims (message_sid),
    kind        TEXT NOT NULL CHECK (kind IN ('verdict', 'fallback', 'feedback_ack', 'help', 'unsupported')),
    to_address  TEXT NOT NULL,
    body        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
    twilio_sid  TEXT,
    error       TEXT,
    created_at  TEXT NOT NULL,
    sent_at     TEXT,
    PRIMARY KEY (message_sid, kind)
);

CREATE TABLE tipline_conversations (
    sender             TEXT PRIMARY KEY,
    last_submission_id TEXT REFERENCES b2b_pilot_user_submissions (id),
    last_verdict_at    TEXT,
    last_inbound_at    TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
