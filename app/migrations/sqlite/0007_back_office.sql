-- The back office: finding the applications an officer holds (to release them when the
-- account is disabled), and whether any document still points at a stored file (before
-- deleting a replaced one).
CREATE INDEX applications_claimed_by ON applications (claimed_by, status);
CREATE INDEX application_documents_by_file ON application_documents (sha256);
