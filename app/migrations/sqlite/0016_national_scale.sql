-- National scale (issue 25); see the PostgreSQL migration of the same number for why.
-- SQLite has no functions to share between triggers: each writes the rows itself, with the
-- same rules (open = submitted and not finished; a decision's duration rounded up as
-- `performance::service::rounded_up`).
CREATE TABLE performance_counts (
    service_slug TEXT NOT NULL,
    measure      TEXT NOT NULL,
    day          INTEGER NOT NULL,
    took         INTEGER NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (day, measure, service_slug, took)
);

CREATE TABLE performance_changes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    service_slug TEXT NOT NULL,
    measure      TEXT NOT NULL,
    day          INTEGER NOT NULL,
    took         INTEGER NOT NULL,
    n            INTEGER NOT NULL
);

CREATE TRIGGER performance_change_insert AFTER INSERT ON applications BEGIN
    INSERT INTO performance_changes (service_slug, measure, day, took, n)
    SELECT NEW.service_slug, 'received', NEW.submitted_at / 86400, 0, 1 WHERE NEW.submitted_at IS NOT NULL
    UNION ALL
    SELECT NEW.service_slug, 'open', 0, 0, 1 WHERE NEW.status NOT IN ('draft', 'completed', 'rejected', 'withdrawn')
    UNION ALL
    SELECT NEW.service_slug, NEW.status, NEW.decided_at / 86400, CASE
        WHEN NEW.decided_at - NEW.submitted_at < 86400 THEN (CASE WHEN NEW.decided_at - NEW.submitted_at <= 0 THEN 1 ELSE (NEW.decided_at - NEW.submitted_at + 3599) / 3600 END) * 3600
        ELSE (NEW.decided_at - NEW.submitted_at + 8639) / 8640 * 8640 END, 1
    WHERE NEW.decided_at IS NOT NULL AND NEW.submitted_at IS NOT NULL;
END;

CREATE TRIGGER performance_change_update AFTER UPDATE ON applications
WHEN NEW.status IS NOT OLD.status OR NEW.service_slug IS NOT OLD.service_slug
  OR NEW.submitted_at IS NOT OLD.submitted_at OR NEW.decided_at IS NOT OLD.decided_at BEGIN
    INSERT INTO performance_changes (service_slug, measure, day, took, n)
    SELECT OLD.service_slug, 'received', OLD.submitted_at / 86400, 0, -1 WHERE OLD.submitted_at IS NOT NULL
    UNION ALL
    SELECT OLD.service_slug, 'open', 0, 0, -1 WHERE OLD.status NOT IN ('draft', 'completed', 'rejected', 'withdrawn')
    UNION ALL
    SELECT OLD.service_slug, OLD.status, OLD.decided_at / 86400, CASE
        WHEN OLD.decided_at - OLD.submitted_at < 86400 THEN (CASE WHEN OLD.decided_at - OLD.submitted_at <= 0 THEN 1 ELSE (OLD.decided_at - OLD.submitted_at + 3599) / 3600 END) * 3600
        ELSE (OLD.decided_at - OLD.submitted_at + 8639) / 8640 * 8640 END, -1
    WHERE OLD.decided_at IS NOT NULL AND OLD.submitted_at IS NOT NULL;
    INSERT INTO performance_changes (service_slug, measure, day, took, n)
    SELECT NEW.service_slug, 'received', NEW.submitted_at / 86400, 0, 1 WHERE NEW.submitted_at IS NOT NULL
    UNION ALL
    SELECT NEW.service_slug, 'open', 0, 0, 1 WHERE NEW.status NOT IN ('draft', 'completed', 'rejected', 'withdrawn')
    UNION ALL
    SELECT NEW.service_slug, NEW.status, NEW.decided_at / 86400, CASE
        WHEN NEW.decided_at - NEW.submitted_at < 86400 THEN (CASE WHEN NEW.decided_at - NEW.submitted_at <= 0 THEN 1 ELSE (NEW.decided_at - NEW.submitted_at + 3599) / 3600 END) * 3600
        ELSE (NEW.decided_at - NEW.submitted_at + 8639) / 8640 * 8640 END, 1
    WHERE NEW.decided_at IS NOT NULL AND NEW.submitted_at IS NOT NULL;
END;

CREATE TRIGGER performance_change_delete AFTER DELETE ON applications BEGIN
    INSERT INTO performance_changes (service_slug, measure, day, took, n)
    SELECT OLD.service_slug, 'received', OLD.submitted_at / 86400, 0, -1 WHERE OLD.submitted_at IS NOT NULL
    UNION ALL
    SELECT OLD.service_slug, 'open', 0, 0, -1 WHERE OLD.status NOT IN ('draft', 'completed', 'rejected', 'withdrawn')
    UNION ALL
    SELECT OLD.service_slug, OLD.status, OLD.decided_at / 86400, CASE
        WHEN OLD.decided_at - OLD.submitted_at < 86400 THEN (CASE WHEN OLD.decided_at - OLD.submitted_at <= 0 THEN 1 ELSE (OLD.decided_at - OLD.submitted_at + 3599) / 3600 END) * 3600
        ELSE (OLD.decided_at - OLD.submitted_at + 8639) / 8640 * 8640 END, -1
    WHERE OLD.decided_at IS NOT NULL AND OLD.submitted_at IS NOT NULL;
END;

-- The applications already there, counted once.
INSERT INTO performance_changes (service_slug, measure, day, took, n)
SELECT service_slug, 'received', submitted_at / 86400, 0, 1 FROM applications WHERE submitted_at IS NOT NULL
UNION ALL
SELECT service_slug, 'open', 0, 0, 1 FROM applications WHERE status NOT IN ('draft', 'completed', 'rejected', 'withdrawn')
UNION ALL
SELECT service_slug, status, decided_at / 86400, CASE
    WHEN decided_at - submitted_at < 86400 THEN (CASE WHEN decided_at - submitted_at <= 0 THEN 1 ELSE (decided_at - submitted_at + 3599) / 3600 END) * 3600
    ELSE (decided_at - submitted_at + 8639) / 8640 * 8640 END, 1
FROM applications WHERE decided_at IS NOT NULL AND submitted_at IS NOT NULL;

-- The officers' queue a page at a time, oldest first (keyset), and invoices by application
-- and the open ones by expiry: as on PostgreSQL.
CREATE INDEX applications_queue_by_age ON applications (agency, submitted_at, id) WHERE status <> 'draft';
CREATE INDEX applications_queue_by_service ON applications (agency, service_slug, submitted_at, id) WHERE status <> 'draft';
CREATE INDEX invoices_by_application ON invoices (application_id, id);
CREATE INDEX invoices_open_by_expiry ON invoices (expires_at) WHERE status IN ('unpaid', 'pending');
