-- National scale (issue 25): what the pages need with ten million applications.
--
-- 1. `/performance` reads a summary instead of a quarter-year of applications. Every change
--    of an application that moves a figure (its status, submission, decision or service) is
--    written by a trigger, in the transaction that makes it, as a row of
--    `performance_changes`: +1 for what the application now counts as, -1 for what it
--    counted as before. The rows are only ever appended, so busy services never queue on one
--    counter row. Reading folds them into `performance_counts` (DELETE ... RETURNING, so two
--    processes folding at once each move different rows) and adds whatever is still unfolded.
--    A trigger, not the application code, so that every path that writes applications (the
--    moves, payments, registers, made-up history, an operator's UPDATE) is counted.
CREATE TABLE performance_counts (
    service_slug TEXT NOT NULL,
    -- 'received' (by day submitted), 'open' (now: day 0), or the decision 'completed' /
    -- 'rejected' / other (by day decided, `took` the rounded duration).
    measure      TEXT NOT NULL,
    -- Days since 1970 (UTC); the page reads the last 90 and day 0 (the open ones).
    day          BIGINT NOT NULL,
    took         BIGINT NOT NULL,
    n            BIGINT NOT NULL,
    PRIMARY KEY (day, measure, service_slug, took)
);

CREATE TABLE performance_changes (
    id           BIGSERIAL PRIMARY KEY,
    service_slug TEXT NOT NULL,
    measure      TEXT NOT NULL,
    day          BIGINT NOT NULL,
    took         BIGINT NOT NULL,
    n            BIGINT NOT NULL
);

-- Emptied by every fold: vacuumed often, so that reading it never walks thousands of dead rows.
ALTER TABLE performance_changes SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000);

-- What one application counts as: the same rules as `performance::store` used to count with
-- (open = submitted and not finished; a decision's duration rounded up as `service::rounded_up`).
CREATE FUNCTION performance_rows(a applications) RETURNS TABLE (service_slug TEXT, measure TEXT, day BIGINT, took BIGINT)
LANGUAGE sql IMMUTABLE AS $$
    SELECT a.service_slug, 'received', a.submitted_at / 86400, 0::BIGINT WHERE a.submitted_at IS NOT NULL
    UNION ALL
    SELECT a.service_slug, 'open', 0::BIGINT, 0::BIGINT
    WHERE a.status NOT IN ('draft', 'completed', 'rejected', 'withdrawn')
    UNION ALL
    SELECT a.service_slug, a.status, a.decided_at / 86400, CASE
        WHEN a.decided_at - a.submitted_at < 86400 THEN (CASE WHEN a.decided_at - a.submitted_at <= 0 THEN 1 ELSE (a.decided_at - a.submitted_at + 3599) / 3600 END) * 3600
        ELSE (a.decided_at - a.submitted_at + 8639) / 8640 * 8640 END
    WHERE a.decided_at IS NOT NULL AND a.submitted_at IS NOT NULL
$$;

CREATE FUNCTION performance_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.status = OLD.status AND NEW.service_slug = OLD.service_slug
       AND NEW.submitted_at IS NOT DISTINCT FROM OLD.submitted_at AND NEW.decided_at IS NOT DISTINCT FROM OLD.decided_at THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO performance_changes (service_slug, measure, day, took, n)
        SELECT r.service_slug, r.measure, r.day, r.took, -1 FROM performance_rows(OLD) r;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO performance_changes (service_slug, measure, day, took, n)
        SELECT r.service_slug, r.measure, r.day, r.took, 1 FROM performance_rows(NEW) r;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER performance_change AFTER INSERT OR UPDATE OR DELETE ON applications
    FOR EACH ROW EXECUTE FUNCTION performance_change();

-- The applications already there, counted once.
INSERT INTO performance_counts (service_slug, measure, day, took, n)
SELECT r.service_slug, r.measure, r.day, r.took, COUNT(*) FROM applications a, performance_rows(a) r
GROUP BY r.service_slug, r.measure, r.day, r.took;

-- 2. The officers' queue, oldest first, a page at a time from where the last one ended
--    (keyset: `(submitted_at, id) > (…)`), for an agency with millions of applications: the
--    index gives the order, so page 1,000 reads 50 rows like page 1.
CREATE INDEX applications_queue_by_age ON applications (agency, submitted_at, id) WHERE status <> 'draft';
CREATE INDEX applications_queue_by_service ON applications (agency, service_slug, submitted_at, id) WHERE status <> 'draft';

-- 3. Invoices: an application's latest (its page, its payment), and the open ones past their
--    expiry (the reconciler), without reading every invoice ever paid.
CREATE INDEX invoices_by_application ON invoices (application_id, id);
CREATE INDEX invoices_open_by_expiry ON invoices (expires_at) WHERE status IN ('unpaid', 'pending');
