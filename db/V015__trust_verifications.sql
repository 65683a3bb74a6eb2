-- The last verification of each bucket through a trust, so that its outcome outlives the page that asked for it.
CREATE TABLE trust_verifications (
    tenant_id   uuid        NOT NULL,
    trust_id    uuid        NOT NULL,
    bucket      text        NOT NULL,
    verified_at timestamptz NOT NULL,
    ok          boolean     NOT NULL,
    account_id  text,
    checks      jsonb       NOT NULL,
    PRIMARY KEY (tenant_id, trust_id, bucket),
    FOREIGN KEY (tenant_id, trust_id) REFERENCES trusts (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX trust_verifications_newest ON trust_verifications (tenant_id, trust_id, verified_at DESC);
COMMENT ON TABLE trust_verifications IS 'the newest verification per trust and bucket (POST .../trusts/{id}/verify); the most recent buckets only';
COMMENT ON COLUMN trust_verifications.checks IS 'the report''s checks as the API shows them: [{name, ok, state, detail}]';
