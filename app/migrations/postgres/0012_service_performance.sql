-- The public service performance page (/performance): when an application reached its
-- decision (completed or rejected), set by the same statement that moves its status, and
-- indexes that keep the page's counts to the rows of the last 90 days and the open queue.
ALTER TABLE applications ADD COLUMN decided_at BIGINT;

-- Decisions made before this column existed: the time of the move, from the history.
UPDATE applications SET decided_at = (
    SELECT MAX(e.at) FROM application_events e
    WHERE e.application_id = applications.id AND e.to_status = applications.status
)
WHERE status IN ('completed', 'rejected');
UPDATE applications SET decided_at = updated_at WHERE status IN ('completed', 'rejected') AND decided_at IS NULL;

-- Each holds every column its query reads, so the counts read only the index: the last 90
-- days' decisions and submissions, and the open queue by agency and status (the officers'
-- queue index, now with the service too). No index leads with status: SQLite, without
-- statistics, would take it for the decisions' counts and read every row.
CREATE INDEX applications_decided ON applications (decided_at, status, service_slug, submitted_at);
CREATE INDEX applications_received ON applications (submitted_at, service_slug);
DROP INDEX applications_queue;
CREATE INDEX applications_queue ON applications (agency, status, submitted_at, service_slug);
