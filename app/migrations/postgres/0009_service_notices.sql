-- Service status: notices that admins post (information, planned maintenance, an outage,
-- service restored), shown as a banner on every page while current and listed at /status.
CREATE TABLE service_notices (
    id         BIGSERIAL PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('information', 'maintenance', 'outage', 'restored')),
    title_en   TEXT NOT NULL,
    title_sw   TEXT NOT NULL,
    body_en    TEXT NOT NULL,
    body_sw    TEXT NOT NULL,
    starts_at  BIGINT NOT NULL,
    ends_at    BIGINT,
    created_by BIGINT REFERENCES accounts (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX service_notices_by_start ON service_notices (starts_at);
