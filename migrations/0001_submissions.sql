-- The submission record, named and shaped as in the system tipline replaces, so tipline can
-- take over that database: every statement is a no-op where the table already exists.
CREATE TABLE IF NOT EXISTS b2b_pilot_user_submissions (
    id                 UUID PRIMARY KEY,
    phone_number       VARCHAR(20),
    image_url          TEXT,
    s3_key             TEXT,
    prediction_result  JSONB,
    confidence_score   DOUBLE PRECISION,
    scam_label         VARCHAR(50),
    processing_time_ms INTEGER,
    input_text         TEXT,
    created_at         TIMESTAMP DEFAULT now(),
    feedback_text      TEXT,
    feedback_timestamp TIMESTAMP
);

-- Older databases lack message_id; NULLs stay allowed for their rows.
ALTER TABLE b2b_pilot_user_submissions ADD COLUMN IF NOT EXISTS message_id VARCHAR(255);
CREATE UNIQUE INDEX IF NOT EXISTS idx_user_submissions_message_id
    ON b2b_pilot_user_submissions (message_id) WHERE message_id IS NOT NULL;

-- WhatsApp addresses (`whatsapp:+…`, business-scoped user ids) do not fit in 20 characters.
ALTER TABLE b2b_pilot_user_submissions ALTER COLUMN phone_number TYPE VARCHAR(255);
CREATE INDEX IF NOT EXISTS idx_user_submissions_phone_created
    ON b2b_pilot_user_submissions (phone_number, created_at DESC);
