-- Rate limits of every kind in one table (login per address and per identifier,
-- registration's contact step per address), and outbox rows that know whether their
-- body holds a secret (a one-time code), so it can be redacted once it is no longer needed.
CREATE TABLE rate_limit_hits (
    bucket       TEXT NOT NULL,
    key          TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL,
    PRIMARY KEY (bucket, key, window_start)
);
CREATE INDEX rate_limit_hits_by_window ON rate_limit_hits (window_start);

DROP TABLE login_attempts_by_ip;

ALTER TABLE outbox_messages ADD COLUMN holds_secret BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox_messages ADD COLUMN redacted_at BIGINT;
CREATE INDEX outbox_messages_by_age ON outbox_messages (created_at);
