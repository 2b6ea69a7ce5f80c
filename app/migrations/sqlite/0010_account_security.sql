-- Account security: an authenticator app with backup codes, the default code channel,
-- contact changes confirmed by a code, a log of security events, and notifications that
-- are not about an application (security notices, payments, support replies).

-- Where login codes go unless the citizen chooses otherwise, and whether SMS and email
-- codes stay allowed once an authenticator app is on.
ALTER TABLE accounts ADD COLUMN code_channel TEXT NOT NULL DEFAULT 'sms' CHECK (code_channel IN ('sms', 'email'));
ALTER TABLE accounts ADD COLUMN message_codes_allowed INTEGER NOT NULL DEFAULT 1;

-- One authenticator per account. The secret is sealed with the server's SECRETS_KEY; it is
-- switched on (`confirmed_at`) only once a first code from the app was right. A time step
-- once accepted is never accepted again (`last_used_step`).
CREATE TABLE authenticators (
    account_id     INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    sealed_secret  TEXT NOT NULL,
    sealed_backup_codes TEXT,
    confirmed_at   INTEGER,
    last_used_step INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL
);

-- Ten single-use backup codes per authenticator, stored as SHA-256 (they are random and long).
CREATE TABLE backup_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used_at    INTEGER
);
CREATE INDEX backup_codes_by_account ON backup_codes (account_id);

-- What a citizen sees at /account/activity.
CREATE TABLE security_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    detail         TEXT,
    client_address TEXT,
    at             INTEGER NOT NULL
);
CREATE INDEX security_events_by_account ON security_events (account_id, id);

-- Codes for a contact change are a purpose of their own.
CREATE TABLE one_time_codes_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    flow_id      TEXT NOT NULL,
    purpose      TEXT NOT NULL CHECK (purpose IN ('login', 'reset', 'contact')),
    channel      TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    code_hash    TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    used_at      INTEGER,
    voided       INTEGER NOT NULL DEFAULT 0
);
INSERT INTO one_time_codes_new SELECT id, account_id, flow_id, purpose, channel, code_hash, created_at, expires_at, attempts, used_at, voided FROM one_time_codes;
DROP TABLE one_time_codes;
ALTER TABLE one_time_codes_new RENAME TO one_time_codes;
CREATE INDEX one_time_codes_by_flow ON one_time_codes (flow_id);
CREATE INDEX one_time_codes_by_account ON one_time_codes (account_id, created_at);

-- A notification either reports an application's event or is an account notice of a kind
-- (password changed, payment received, support reply…) with a detail and a link.
CREATE TABLE notifications_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    event_id   INTEGER REFERENCES application_events (id) ON DELETE CASCADE,
    kind       TEXT,
    detail     TEXT,
    link       TEXT,
    created_at INTEGER NOT NULL,
    read_at    INTEGER,
    CHECK ((event_id IS NULL) <> (kind IS NULL))
);
INSERT INTO notifications_new (id, account_id, event_id, created_at, read_at) SELECT id, account_id, event_id, created_at, read_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_by_account ON notifications (account_id, id);
