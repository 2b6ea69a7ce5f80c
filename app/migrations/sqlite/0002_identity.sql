-- Citizens' (and later officers') accounts, server-side sessions, one-time codes,
-- per-IP login counters and the outbox of messages sent. All counters live here, so
-- they hold across several server processes.
CREATE TABLE accounts (
    id                       INTEGER PRIMARY KEY AUTOINCREMENT,
    id_number                TEXT NOT NULL UNIQUE,
    account_type             TEXT NOT NULL CHECK (account_type IN ('citizen', 'foreign_resident')),
    first_name               TEXT NOT NULL,
    surname                  TEXT NOT NULL,
    email                    TEXT NOT NULL UNIQUE,
    phone                    TEXT NOT NULL UNIQUE,
    phone_verified           INTEGER NOT NULL DEFAULT 0,
    password_hash            TEXT NOT NULL,
    role                     TEXT NOT NULL DEFAULT 'citizen',
    failed_password_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until             INTEGER,
    created_at               INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY NOT NULL,
    account_id   INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    stage        TEXT NOT NULL,
    flow         TEXT,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE one_time_codes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    flow_id      TEXT NOT NULL,
    purpose      TEXT NOT NULL CHECK (purpose IN ('login', 'reset')),
    channel      TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    code_hash    TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    used_at      INTEGER,
    voided       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX one_time_codes_by_flow ON one_time_codes (flow_id);
CREATE INDEX one_time_codes_by_account ON one_time_codes (account_id, created_at);

CREATE TABLE login_attempts_by_ip (
    ip           TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    attempts     INTEGER NOT NULL,
    PRIMARY KEY (ip, window_start)
);

CREATE TABLE outbox_messages (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    channel    TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    recipient  TEXT NOT NULL,
    subject    TEXT,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
