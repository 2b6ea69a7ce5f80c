-- Transfers between two people (a vehicle's owner to a buyer). The other party is named
-- here when the owner submits; they confirm from their own account with a one-time code
-- of the purpose `transfer`, bound to this application and to them.
CREATE TABLE transfer_parties (
    application_id BIGINT PRIMARY KEY REFERENCES applications (id),
    account_id     BIGINT NOT NULL REFERENCES accounts (id),
    confirmed_at   BIGINT
);
CREATE INDEX transfer_parties_by_account ON transfer_parties (account_id);

ALTER TABLE one_time_codes DROP CONSTRAINT one_time_codes_purpose_check;
ALTER TABLE one_time_codes ADD CONSTRAINT one_time_codes_purpose_check CHECK (purpose IN ('login', 'reset', 'contact', 'transfer'));
