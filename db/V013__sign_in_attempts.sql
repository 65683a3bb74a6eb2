-- Sign-in attempts are written before the password is checked, so that concurrent attempts count against the limit.
ALTER TABLE login_failures ADD COLUMN attempt_id uuid;
COMMENT ON TABLE login_failures IS 'failed and still running sign-ins per email (email:...) and per client address (ip:...), for the brute-force limit';
COMMENT ON COLUMN login_failures.attempt_id IS 'the sign-in attempt that wrote the row: written before its password is checked, deleted again when the sign-in succeeds; NULL for rows written before V013';
