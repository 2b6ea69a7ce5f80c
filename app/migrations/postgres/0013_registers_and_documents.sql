-- Agencies' registers, embedded (the default; an agency's own API can replace each):
-- NTSA vehicles, driving licences and instant fines, KRA PINs, BRS business names. Filled
-- from CSV extracts (`raia-server import-register KIND FILE.csv`; the demo extracts in
-- development). Keys are kept as the agency writes them (`KDA 123A`, `NTSA0012345`).
CREATE TABLE register_vehicles (
    registration_number TEXT PRIMARY KEY,
    make                TEXT NOT NULL,
    model               TEXT NOT NULL,
    year                BIGINT NOT NULL,
    colour              TEXT NOT NULL,
    chassis_number      TEXT NOT NULL,
    logbook_number      TEXT NOT NULL,
    owner_id_number     TEXT NOT NULL,
    owner_name          TEXT NOT NULL,
    insurance_status    TEXT NOT NULL CHECK (insurance_status IN ('valid', 'expired', 'none')),
    insurance_expiry    TEXT,
    -- Caveats and encumbrances, one per line; empty when none.
    caveats             TEXT NOT NULL DEFAULT '',
    -- The transfer that last changed the owner: asking again with it changes nothing.
    last_transfer       TEXT
);
CREATE INDEX register_vehicles_by_owner ON register_vehicles (owner_id_number);

CREATE TABLE register_fines (
    notice_number  TEXT PRIMARY KEY,
    offence_en     TEXT NOT NULL,
    offence_sw     TEXT NOT NULL,
    amount_cents   BIGINT NOT NULL CHECK (amount_cents > 0),
    vehicle        TEXT NOT NULL,
    offence_date   TEXT NOT NULL,
    -- Who paid it (Raia's invoice number, or the station's receipt), once.
    paid_reference TEXT,
    paid_at        BIGINT
);

CREATE TABLE register_driving_licences (
    licence_number TEXT PRIMARY KEY,
    id_number      TEXT NOT NULL,
    classes        TEXT NOT NULL,
    expires_on     TEXT NOT NULL
);

CREATE TABLE register_kra_pins (
    pin       TEXT PRIMARY KEY,
    id_number TEXT NOT NULL,
    status    TEXT NOT NULL CHECK (status IN ('active', 'dormant'))
);
CREATE INDEX register_kra_pins_by_id ON register_kra_pins (id_number);

CREATE TABLE register_business_names (
    number           TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    -- `similar_name_key` of the name: near-identical names meet here.
    similar_key      TEXT NOT NULL,
    owner_id_numbers TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('registered', 'deregistered'))
);
CREATE INDEX register_business_names_by_key ON register_business_names (similar_key);

-- Every call to a register, embedded or remote: who asked, why, and how it went.
CREATE TABLE register_calls (
    id          BIGSERIAL PRIMARY KEY,
    agency      TEXT NOT NULL,
    operation   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    account_id  BIGINT,
    purpose     TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    duration_ms BIGINT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX register_calls_by_time ON register_calls (at);

-- Changes Raia owes a register, written in the transaction that makes them due (a fine's
-- payment settles): a worker delivers each, with retries, until the register has it. One
-- order per subject and kind: a notice is paid through Raia once, whatever else happens.
CREATE TABLE register_orders (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('pay_fine', 'change_owner')),
    subject      TEXT NOT NULL,
    application_id BIGINT NOT NULL REFERENCES applications (id),
    body         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('due', 'done', 'refused')),
    attempts     BIGINT NOT NULL DEFAULT 0,
    next_at      BIGINT NOT NULL,
    outcome      TEXT,
    created_at   BIGINT NOT NULL,
    done_at      BIGINT,
    UNIQUE (kind, subject)
);
CREATE INDEX register_orders_due ON register_orders (status, next_at);

-- Documents Raia issues (certificates, search results, licence confirmations). The PDF is
-- drawn again from this row whenever it is downloaded; `signed` is the QR code's payload
-- (a JWS signed with the document key `key_id`), verifiable offline.
CREATE TABLE issued_documents (
    id             BIGSERIAL PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL,
    application_id BIGINT NOT NULL UNIQUE REFERENCES applications (id),
    application_reference TEXT NOT NULL,
    account_id     BIGINT NOT NULL REFERENCES accounts (id),
    agency         TEXT NOT NULL,
    -- Names as the catalogue gave them when issued: the drawing never changes after.
    agency_name_en TEXT NOT NULL,
    agency_name_sw TEXT NOT NULL,
    title_en       TEXT NOT NULL,
    title_sw       TEXT NOT NULL,
    bilingual      BIGINT NOT NULL CHECK (bilingual IN (0, 1)),
    holder_name    TEXT NOT NULL,
    -- What the document states, as JSON (a vehicle's record for a search result).
    facts          TEXT NOT NULL,
    issued_on      TEXT NOT NULL,
    expires_on     TEXT,
    key_id         TEXT NOT NULL,
    signed         TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('valid', 'suspended', 'revoked')),
    status_reason  TEXT,
    status_by      BIGINT REFERENCES accounts (id),
    status_at      BIGINT,
    issued_at      BIGINT NOT NULL
);
CREATE INDEX issued_documents_by_account ON issued_documents (account_id, issued_at);

-- What the register worker answers: paid applications of the services a register answers.
CREATE INDEX applications_paid_by_service ON applications (status, service_slug, updated_at);
