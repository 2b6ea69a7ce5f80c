-- Staff accounts (officers of one agency, admins), applications with their status
-- history, uploaded documents, reference counters and in-app notifications.
ALTER TABLE accounts ADD COLUMN agency TEXT;
ALTER TABLE accounts ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;

CREATE TABLE applications (
    id                      BIGSERIAL PRIMARY KEY,
    reference               TEXT UNIQUE,
    account_id              BIGINT NOT NULL REFERENCES accounts (id),
    service_slug            TEXT NOT NULL,
    agency                  TEXT NOT NULL,
    status                  TEXT NOT NULL,
    -- Bumped by every change: a move made from a stale page finds another version and fails.
    version                 BIGINT NOT NULL DEFAULT 1,
    answers                 TEXT NOT NULL DEFAULT '{}',
    amount_due_cents        BIGINT NOT NULL DEFAULT 0,
    declaration_accepted_at BIGINT,
    claimed_by              BIGINT REFERENCES accounts (id),
    collection_centre       TEXT,
    officer_note            TEXT,
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL,
    submitted_at            BIGINT
);
-- One draft per citizen and service: "Apply" again resumes it.
CREATE UNIQUE INDEX applications_one_draft ON applications (account_id, service_slug) WHERE status = 'draft';
CREATE INDEX applications_by_account ON applications (account_id, updated_at);
CREATE INDEX applications_queue ON applications (agency, status, submitted_at);

CREATE TABLE application_events (
    id             BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    at             BIGINT NOT NULL,
    actor          TEXT NOT NULL CHECK (actor IN ('citizen', 'officer', 'system')),
    actor_name     TEXT,
    action         TEXT NOT NULL,
    from_status    TEXT NOT NULL,
    to_status      TEXT NOT NULL,
    note           TEXT
);
CREATE INDEX application_events_by_application ON application_events (application_id, id);

CREATE TABLE application_documents (
    id             BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    field          TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size_bytes     BIGINT NOT NULL,
    file_name      TEXT NOT NULL,
    uploaded_at    BIGINT NOT NULL,
    UNIQUE (application_id, field)
);

CREATE TABLE reference_counters (
    prefix     TEXT NOT NULL,
    year       BIGINT NOT NULL,
    last_value BIGINT NOT NULL,
    PRIMARY KEY (prefix, year)
);

-- What the citizen sees in the portal: one row per status change they should know of.
CREATE TABLE notifications (
    id         BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    event_id   BIGINT NOT NULL REFERENCES application_events (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    read_at    BIGINT
);
CREATE INDEX notifications_by_account ON notifications (account_id, id);
