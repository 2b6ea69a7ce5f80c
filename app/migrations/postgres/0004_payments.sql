-- Invoices (what an application owes), payment attempts by M-Pesa, card or paybill, and
-- receipts. Unique constraints make "paid twice" impossible: one unpaid or pending invoice
-- per application, one payment per idempotency key, per CheckoutRequestID and per M-Pesa
-- receipt number, one receipt per payment.
CREATE TABLE invoices (
    id                     BIGSERIAL PRIMARY KEY,
    number                 TEXT NOT NULL UNIQUE,
    application_id         BIGINT NOT NULL REFERENCES applications (id),
    service_fee_cents      BIGINT NOT NULL,
    convenience_fee_cents  BIGINT NOT NULL,
    total_cents            BIGINT NOT NULL,
    status                 TEXT NOT NULL CHECK (status IN ('unpaid', 'pending', 'paid', 'expired', 'cancelled')),
    expires_at             BIGINT NOT NULL,
    created_at             BIGINT NOT NULL,
    paid_at                BIGINT
);
CREATE UNIQUE INDEX invoices_one_open ON invoices (application_id) WHERE status IN ('unpaid', 'pending');

CREATE TABLE payments (
    id                   BIGSERIAL PRIMARY KEY,
    invoice_id           BIGINT NOT NULL REFERENCES invoices (id),
    method               TEXT NOT NULL CHECK (method IN ('mpesa', 'card', 'paybill')),
    status               TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'expired')),
    idempotency_key      TEXT UNIQUE,
    checkout_request_id  TEXT UNIQUE,
    merchant_request_id  TEXT,
    mpesa_receipt        TEXT UNIQUE,
    phone                TEXT,
    card_brand           TEXT,
    card_last4           TEXT,
    amount_cents         BIGINT NOT NULL,
    result_code          BIGINT,
    result_desc          TEXT,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL,
    -- The reconciliation worker's lease: a process checks a payment only after this time.
    next_check_at        BIGINT NOT NULL
);
CREATE INDEX payments_pending ON payments (status, next_check_at);
CREATE INDEX payments_by_invoice ON payments (invoice_id);

CREATE TABLE receipts (
    id           BIGSERIAL PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,
    payment_id   BIGINT NOT NULL UNIQUE REFERENCES payments (id),
    invoice_id   BIGINT NOT NULL UNIQUE REFERENCES invoices (id),
    verify_code  TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL
);
