-- "Who looked at my data" (issue 26, Kenya Data Protection Act 2019): every time a member of
-- staff opens a citizen's application, uploaded document or support request, a row here says
-- when, who (their role and agency, kept with their account for an audit), what and why.
-- The citizen sees the role, the agency and the reason at /account/data.
CREATE TABLE data_access (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Whose data was opened.
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    viewer_id   INTEGER NOT NULL REFERENCES accounts (id),
    viewer_role TEXT NOT NULL,
    agency      TEXT,
    -- 'application', 'document' or 'support_ticket'; `record` is its reference or number.
    record_kind TEXT NOT NULL,
    record      TEXT NOT NULL,
    -- Required when the record was outside the viewer's own work (see services::officer_queue).
    reason      TEXT,
    at          INTEGER NOT NULL
);
CREATE INDEX data_access_by_account ON data_access (account_id, id);
CREATE INDEX data_access_by_viewer ON data_access (viewer_id, record_kind, record);
