-- Closing an account (issue 26, Data Protection Act 2019): the row stays, with the ID number
-- and name that kept records (submitted applications, receipts, issued documents) name, and
-- loses its contacts and password. Registering again with the ID number opens it again.
ALTER TABLE accounts ADD COLUMN closed_at INTEGER;
