-- Uploaded files in the database every Raia process shares (they were kept in a folder on
-- whichever host received them). One row per content, named by its SHA-256, as
-- application_documents.sha256 and support_attachments.sha256 name it.
CREATE TABLE stored_files (
    sha256     TEXT PRIMARY KEY,
    bytes      BYTEA NOT NULL,
    size_bytes BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
-- PNG, JPEG and PDF are compressed already: store them out of line without trying again.
ALTER TABLE stored_files ALTER COLUMN bytes SET STORAGE EXTERNAL;
CREATE INDEX support_attachments_by_file ON support_attachments (sha256);
