-- Account security: an authenticator app with backup codes, the default code channel,
-- contact changes confirmed by a code, a log of security events, and notifications that
-- are not about an application (security notices, payments, support replies).

ALTER TABLE accounts ADD COLUMN code_channel TEXT NOT NULL DEFAULT 'sms' CHECK (code_channel IN ('sms', 'email'));
ALTER TABLE accounts ADD COLUMN message_codes_allowed BIGINT NOT NULL DEFAULT 1;

-- The secret is sealed with the server's SECRETS_KEY; see the SQLite migration.
CREATE TABLE authenticators (
    account_id     BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    sealed_secret  TEXT NOT NULL,
    sealed_backup_codes TEXT,
    confirmed_at   BIGINT,
    last_used_step BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL
);

CREATE TABLE backup_codes (
    id         BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX backup_codes_by_account ON backup_codes (account_id);

CREATE TABLE security_events (
    id             BIGSERIAL PRIMARY KEY,
    account_id     BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    detail         TEXT,
    client_address TEXT,
    at             BIGINT NOT NULL
);
CREATE INDEX security_events_by_account ON security_events (account_id, id);

ALTER TABLE one_time_codes DROP CONSTRAINT one_time_codes_purpose_check;
ALTER TABLE one_time_codes ADD CONSTRAINT one_time_codes_purpose_check CHECK (purpose IN ('login', 'reset', 'contact'));

ALTER TABLE notifications ALTER COLUMN event_id DROP NOT NULL;
ALTER TABLE notifications ADD COLUMN kind TEXT;
ALTER TABLE notifications ADD COLUMN detail TEXT;
ALTER TABLE notifications ADD COLUMN link TEXT;
ALTER TABLE notifications ADD CONSTRAINT notifications_event_or_kind CHECK ((event_id IS NULL) <> (kind IS NULL));
