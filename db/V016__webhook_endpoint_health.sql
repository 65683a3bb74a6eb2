-- How a webhook's endpoint answered its latest delivery attempt, so that an endpoint that is down shows as failing.
ALTER TABLE webhooks
    ADD COLUMN last_attempt_at      timestamptz,
    ADD COLUMN last_attempt_ok      boolean,
    ADD COLUMN last_response_status integer,
    ADD COLUMN last_error           text,
    ADD COLUMN failing_since        timestamptz;
COMMENT ON COLUMN webhooks.last_attempt_at IS 'when the latest delivery attempt to the URL ended; NULL: none since the URL was set';
COMMENT ON COLUMN webhooks.failing_since IS 'the first failed attempt since the last delivered one; NULL while deliveries succeed';
