-- Messages answered together (one sender's text and screenshots in one batch) are one group:
-- its replies and its submission are keyed on the group, and every member points at it, so a
-- redelivery in another order, or of one member alone, finds the answer already given.
CREATE TABLE tipline_groups (
    group_sid              TEXT PRIMARY KEY REFERENCES tipline_claims (message_sid),
    -- The path taken the first time (help, feedback, tip): a retry takes the same one.
    route                  TEXT CHECK (route IN ('help', 'feedback', 'tip')),
    feedback_submission_id UUID REFERENCES b2b_pilot_user_submissions (id),
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE tipline_group_members (
    message_sid TEXT PRIMARY KEY REFERENCES tipline_claims (message_sid),
    group_sid   TEXT NOT NULL REFERENCES tipline_groups (group_sid)
);
CREATE INDEX tipline_group_members_group ON tipline_group_members (group_sid);

-- The queued envelope of a message that failed permanently: acknowledged, so not in the DLQ,
-- and kept here so on-call's `tipline replay` can send it through again once the cause is fixed.
CREATE TABLE tipline_replayable (
    message_sid TEXT PRIMARY KEY REFERENCES tipline_claims (message_sid),
    envelope    TEXT NOT NULL,
    kept_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
