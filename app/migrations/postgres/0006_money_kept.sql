-- Money that reached us but could not settle an invoice: a paybill payment for no invoice
-- or for one already paid, cancelled or expired, a wrong amount, an M-Pesa success for an
-- attempt we had given up on after its invoice was paid. It is kept with everything we
-- know until an admin refunds or applies it. The M-Pesa receipt number is unique across
-- this table, as it is across payments: the same confirmation twice is one row.
CREATE TABLE payments_needing_attention (
    id             BIGSERIAL PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('unmatched', 'refund_due')),
    method         TEXT NOT NULL CHECK (method IN ('mpesa', 'paybill', 'card')),
    mpesa_receipt  TEXT UNIQUE,
    amount_cents   BIGINT NOT NULL,
    phone          TEXT,
    payer_name     TEXT,
    account_number TEXT,
    invoice_id     BIGINT REFERENCES invoices (id),
    payment_id     BIGINT REFERENCES payments (id),
    account_id     BIGINT REFERENCES accounts (id),
    reason         TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    resolved_at    BIGINT
);
CREATE INDEX payments_needing_attention_open ON payments_needing_attention (resolved_at, created_at);

-- The card gateway's id for a charge.
ALTER TABLE payments ADD COLUMN gateway_charge_id TEXT;
