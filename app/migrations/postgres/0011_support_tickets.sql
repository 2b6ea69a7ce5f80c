-- Support: a citizen's request for help (a ticket, `TKT-2026-000123`, numbered from
-- reference_counters like applications), the conversation on it, and an optional
-- screenshot stored by content hash beside application documents. A ticket linked to an
-- application carries that application's agency, so its officers can answer it.
CREATE TABLE support_tickets (
    id             BIGSERIAL PRIMARY KEY,
    reference      TEXT NOT NULL UNIQUE,
    account_id     BIGINT NOT NULL REFERENCES accounts (id),
    topic          TEXT NOT NULL CHECK (topic IN ('login', 'payments', 'application', 'account', 'other')),
    application_id BIGINT REFERENCES applications (id),
    agency         TEXT,
    -- Whose turn it is: staff (new, or the citizen wrote last), the citizen (staff answered), nobody (resolved).
    status         TEXT NOT NULL CHECK (status IN ('awaiting_staff', 'awaiting_citizen', 'resolved')),
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    resolved_at    BIGINT,
    CHECK ((application_id IS NULL) = (agency IS NULL))
);
CREATE INDEX support_tickets_by_account ON support_tickets (account_id, updated_at);
CREATE INDEX support_tickets_by_status ON support_tickets (status, updated_at);
CREATE INDEX support_tickets_by_agency ON support_tickets (agency, status, updated_at);

CREATE TABLE support_messages (
    id          BIGSERIAL PRIMARY KEY,
    ticket_id   BIGINT NOT NULL REFERENCES support_tickets (id) ON DELETE CASCADE,
    author_id   BIGINT NOT NULL REFERENCES accounts (id),
    -- The name shown with the message, as it was when written.
    author_name TEXT NOT NULL,
    from_staff  BIGINT NOT NULL CHECK (from_staff IN (0, 1)),
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX support_messages_by_ticket ON support_messages (ticket_id, id);

CREATE TABLE support_attachments (
    id           BIGSERIAL PRIMARY KEY,
    message_id   BIGINT NOT NULL UNIQUE REFERENCES support_messages (id) ON DELETE CASCADE,
    sha256       TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size_bytes   BIGINT NOT NULL,
    file_name    TEXT NOT NULL,
    uploaded_at  BIGINT NOT NULL
);
