-- Transfers between two people (a vehicle's owner to a buyer). The other party is named
-- here when the owner submits; they confirm from their own account with a one-time code
-- of the purpose `transfer`, bound to this application and to them.
CREATE TABLE transfer_parties (
    application_id INTEGER PRIMARY KEY REFERENCES applications (id),
    account_id     INTEGER NOT NULL REFERENCES accounts (id),
    confirmed_at   INTEGER
);
CREATE INDEX transfer_parties_by_account ON transfer_parties (account_id);

CREATE TABLE one_time_codes_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    flow_id      TEXT NOT NULL,
    purpose      TEXT NOT NULL CHECK (purpose IN ('login', 'reset', 'contact', 'transfer')),
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
