-- Reply groups, as ../0004_reply_groups.sql: every member of a group points at its key.
CREATE TABLE tipline_groups (
    group_sid              TEXT PRIMARY KEY REFERENCES tipline_claims (message_sid),
    route                  TEXT CHECK (route IN ('help', 'feedback', 'tip')),
    feedback_submission_id TEXT REFERENCES b2b_pilot_user_submissions (id),
    created_at             TEXT NOT NULL
);

CREATE TABLE tipline_group_members (
    message_sid TEXT PRIMARY KEY REFERENCES tipline_claims (message_sid),
    group_sid   TEXT NOT NULL REFERENCES tipline_groups (group_sid)
);
CREATE INDEX tipline_group_members_group ON tipline_group_members (group_sid);

CREATE TABLE tipline_replayable (
    message_sid TEXT PRIMARY KEY REFERENCES tipline_claims (message_sid),
    envelope    TEXT NOT NULL,
    kept_at     TEXT NOT NULL
);
