-- Messages are delivered by a worker from the outbox they were written to, in the same
-- transaction as the change they report. Each row carries its own delivery state, so any
-- server process can take it (by lease) and a restart loses nothing. Rows written before
-- this migration were only ever stored: they count as sent to the outbox.
ALTER TABLE outbox_messages ADD COLUMN account_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL;
ALTER TABLE outbox_messages ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE outbox_messages ADD COLUMN status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed'));
ALTER TABLE outbox_messages ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox_messages ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox_messages ADD COLUMN lease_until INTEGER;
ALTER TABLE outbox_messages ADD COLUMN sent_at INTEGER;
ALTER TABLE outbox_messages ADD COLUMN provider TEXT;
ALTER TABLE outbox_messages ADD COLUMN provider_reference TEXT;
ALTER TABLE outbox_messages ADD COLUMN last_error TEXT;
UPDATE outbox_messages SET status = 'sent', sent_at = created_at, provider = 'outbox';
CREATE INDEX outbox_messages_due ON outbox_messages (status, next_attempt_at);

-- The language messages go out in: the one the citizen registered in, until they change it.
ALTER TABLE accounts ADD COLUMN preferred_language TEXT NOT NULL DEFAULT 'en' CHECK (preferred_language IN ('en', 'sw'));

-- What a citizen needs to recognise their sessions at /account/sessions: the browser and
-- the address it logged in from.
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
ALTER TABLE sessions ADD COLUMN client_address TEXT;
