-- Uploaded files in the database every Raia process shares (they were kept in a folder on
-- whichever host received them). One row per content, named by its SHA-256, as
-- application_documents.sha256 and support_attachments.sha256 name it.
CREATE TABLE stored_files (
    sha256     TEXT PRIMARY KEY,
    bytes      BLOB NOT NULL,
    size_bytes INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX support_attachments_by_file ON support_attachments (sha256);
