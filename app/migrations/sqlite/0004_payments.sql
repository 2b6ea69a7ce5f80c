-- Invoices (what an application owes), payment attempts by M-Pesa, card or paybill, and
-- receipts. Unique constraints make "paid twice" impossible: one unpaid or pending invoice
-- per application, one payment per idempotency key, per CheckoutRequestID and per M-Pesa
-- receipt number, one receipt per payment.
CREATE TABLE invoices (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    number                 TEXT NOT NULL UNIQUE,
    application_id         INTEGER NOT NULL REFERENCES applications (id),
    service_fee_cents      INTEGER NOT NULL,
    convenience_fee_cents  INTEGER NOT NULL,
    total_cents            INTEGER NOT NULL,
    status                 TEXT NOT NULL CHECK (status IN ('unpaid', 'pending', 'paid', 'expired', 'cancelled')),
    expires_at             INTEGER NOT NULL,
    created_at             INTEGER NOT NULL,
    paid_at                INTEGER
);
CREATE UNIQUE INDEX invoices_one_open ON invoices (application_id) WHERE status IN ('unpaid', 'pending');

CREATE TABLE payments (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    invoice_id           INTEGER NOT NULL REFERENCES invoices (id),
    method               TEXT NOT NULL CHECK (method IN ('mpesa', 'card', 'paybill')),
    status               TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'expired')),
    idempotency_key      TEXT UNIQUE,
    checkout_request_id  TEXT UNIQUE,
    merchant_request_id  TEXT,
    mpesa_receipt        TEXT UNIQUE,
    phone                TEXT,
    card_brand           TEXT,
    card_last4           TEXT,
    amount_cents         INTEGER NOT NULL,
    result_code          INTEGER,
    result_desc          TEXT,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    -- The reconciliation worker's lease: a process checks a payment only after this time.
    next_check_at        INTEGER NOT NULL
);
CREATE INDEX payments_pending ON payments (status, next_check_at);
CREATE INDEX payments_by_invoice ON payments (invoice_id);

CREATE TABLE receipts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    number       TEXT NOT NULL UNIQUE,
    payment_id   INTEGER NOT NULL UNIQUE REFERENCES payments (id),
    invoice_id   INTEGER NOT NULL UNIQUE REFERENCES invoices (id),
    verify_code  TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL
);
