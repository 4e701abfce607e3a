-- The table tipline takes over may hold image_url and s3_key as JSONB (the system it replaces
-- allowed TEXT or JSONB); tipline writes text, and a text parameter does not fit a JSONB column.
-- Each such column becomes TEXT in place: a JSON string becomes its text, JSON null becomes NULL,
-- and any other JSON value keeps its text form. A TEXT column is left as it is.
DO $$
DECLARE
    col TEXT;
BEGIN
    FOREACH col IN ARRAY ARRAY['image_url', 's3_key'] LOOP
        IF EXISTS (
            SELECT 1 FROM information_schema.columns
             WHERE table_schema = current_schema()
               AND table_name = 'b2b_pilot_user_submissions'
               AND column_name = col
               AND data_type = 'jsonb'
        ) THEN
            EXECUTE format(
                'ALTER TABLE b2b_pilot_user_submissions ALTER COLUMN %1$I TYPE TEXT USING
                    CASE WHEN jsonb_typeof(%1$I) IN (''string'', ''null'') THEN %1$I #>> ''{}''
                         ELSE %1$I::text END',
                col
            );
        END IF;
    END LOOP;
END
$$;
