-- Privacy and data rights, as ../0005_privacy.sql. SQLite cannot change a CHECK in place, so the
-- two tables whose CHECK grows are rebuilt. Foreign keys stay on (the migration runs in a
-- transaction, where they cannot be switched off), so a parent is only dropped once its child
-- table is rebuilt to reference the new copy; renaming the copy renames that reference with it.

CREATE TABLE tipline_replies_new (
    message_sid TEXT NOT NULL REFERENCES tipline_claims (message_sid),
    kind        TEXT NOT NULL CHECK (kind IN ('verdict', 'fallback', 'feedback_ack', 'help', 'unsupported',
                                              'privacy', 'deletion_confirm', 'deletion_done')),
    to_address  TEXT NOT NULL,
    body        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
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

CREATE TABLE tipline_groups_new (
    group_sid              TEXT PRIMARY KEY REFERENCES tipline_claims (message_sid),
    route                  TEXT CHECK (route IN ('help', 'feedback', 'tip', 'privacy', 'delete_request',
                                                 'delete_confirm')),
    feedback_submission_id TEXT REFERENCES b2b_pilot_user_submissions (id),
    created_at             TEXT NOT NULL
);
INSERT INTO tipline_groups_new SELECT group_sid, route, feedback_submission_id, created_at FROM tipline_groups;
CREATE TABLE tipline_group_members_new (
    message_sid TEXT PRIMARY KEY REFERENCES tipline_claims (message_sid),
    group_sid   TEXT NOT NULL REFERENCES tipline_groups_new (group_sid)
);
INSERT INTO tipline_group_members_new SELECT message_sid, group_sid FROM tipline_group_members;
DROP TABLE tipline_group_members;
DROP TABLE tipline_groups;
ALTER TABLE tipline_groups_new RENAME TO tipline_groups;
ALTER TABLE tipline_group_members_new RENAME TO tipline_group_members;
CREATE INDEX tipline_group_members_group ON tipline_group_members (group_sid);

ALTER TABLE tipline_conversations ADD COLUMN privacy_notice_sid TEXT;

CREATE TABLE tipline_deletion_requests (
    request_sid  TEXT PRIMARY KEY,
    sender       TEXT,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'done')),
    confirm_sid  TEXT UNIQUE,
    requested_at TEXT NOT NULL,
    confirmed_at TEXT,
    completed_at TEXT
);
CREATE INDEX tipline_deletion_requests_sender ON tipline_deletion_requests (sender, requested_at);

CREATE TABLE tipline_twilio_media (
    media_url   TEXT PRIMARY KEY,
    message_sid TEXT NOT NULL,
    stored_at   TEXT NOT NULL,
    deleted_at  TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT
);
