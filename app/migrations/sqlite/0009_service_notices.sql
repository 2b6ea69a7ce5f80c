-- Service status: notices that admins post (information, planned maintenance, an outage,
-- service restored), shown as a banner on every page while current and listed at /status.
CREATE TABLE service_notices (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL CHECK (kind IN ('information', 'maintenance', 'outage', 'restored')),
    title_en   TEXT NOT NULL,
    title_sw   TEXT NOT NULL,
    body_en    TEXT NOT NULL,
    body_sw    TEXT NOT NULL,
    starts_at  INTEGER NOT NULL,
    ends_at    INTEGER,
    created_by INTEGER REFERENCES accounts (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX service_notices_by_start ON service_notices (starts_at);
