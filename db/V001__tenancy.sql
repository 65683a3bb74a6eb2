-- Tenants, their API tokens and dashboard users, dashboard sessions, the login limit and the audit log.
-- Every tenant-owned table keys on tenant_id first.

CREATE TABLE tenants (
    id         uuid        PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX tenants_name_unique ON tenants (lower(name));

CREATE TABLE api_tokens (
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    id           uuid        NOT NULL,
    name         text        NOT NULL,
    role         text        NOT NULL CHECK (role IN ('ADMIN', 'OPERATOR', 'VIEWER')),
    token_hash   bytea       NOT NULL,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX api_tokens_hash_unique ON api_tokens (token_hash);
COMMENT ON COLUMN api_tokens.token_hash IS 'SHA-256 of the secret token; the token itself is never stored';
COMMENT ON COLUMN api_tokens.last_used_at IS 'updated at most once a minute per token';

CREATE TABLE users (
    tenant_id     uuid        NOT NULL REFERENCES tenants (id),
    id            uuid        NOT NULL,
    email         text        NOT NULL,
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('ADMIN', 'OPERATOR', 'VIEWER')),
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));
COMMENT ON COLUMN users.email IS 'unique across tenants: the sign-in form asks for an email only';
COMMENT ON COLUMN users.password_hash IS 'bcrypt hash (cost 12)';

-- The platform administrator token generated on first start when REPLICATOR_ADMIN_TOKEN is not set.
CREATE TABLE platform_admin_token (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    token_hash bytea       NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE sessions (
    id_hash       bytea       PRIMARY KEY,
    tenant_id     uuid        REFERENCES tenants (id),
    user_id       uuid,
    token_id      uuid,
    admin_hash    bytea,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, token_id) REFERENCES api_tokens (tenant_id, id) ON DELETE CASCADE,
    CHECK (num_nonnulls(user_id, token_id, admin_hash) = 1)
);
CREATE INDEX sessions_expiry ON sessions (expires_at);
COMMENT ON TABLE sessions IS 'dashboard sessions; a session dies with the user or token it was opened with';
COMMENT ON COLUMN sessions.id_hash IS 'SHA-256 of the session cookie value';
COMMENT ON COLUMN sessions.admin_hash IS 'for platform administrator sessions: hash of the admin token they were opened with, so changing the token ends them';

CREATE TABLE login_failures (
    subject   text        NOT NULL,
    failed_at timestamptz NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (subject, failed_at);
COMMENT ON TABLE login_failures IS 'recent failed sign-ins per email (email:...) and per client address (ip:...), for the brute-force limit';

CREATE TABLE audit_log (
    tenant_id  uuid        NOT NULL REFERENCES tenants (id),
    id         uuid        NOT NULL,
    at         timestamptz NOT NULL,
    actor      text        NOT NULL,
    action     text        NOT NULL,
    target     text        NOT NULL,
    source_ip  text        NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
COMMENT ON COLUMN audit_log.actor IS 'who acted: user:<email>, token:<name> (<id>) or platform-admin';
COMMENT ON COLUMN audit_log.target IS 'what was acted on, e.g. token:<id>';
