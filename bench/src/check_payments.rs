//! Exactly once, checked in the database after the callbacks: every invoice paid, by exactly
//! one succeeded payment with exactly one receipt, its application moved to Paid, and no
//! money kept aside (a duplicate mistaken for a second payment would land there as a refund).

use crate::args::Args;
use crate::invoices::OpenInvoice;
use crate::world;
use crate::BenchResult;
use serde_json::json;
use sqlx::Row;
use std::collections::HashSet;

/// What the database holds for one invoice.
struct Found {
    number: String,
    status: String,
    payments: i64,
    succeeded: i64,
    receipts: i64,
    kept: i64,
    application_status: String,
}

impl Found {
    /// Why this invoice is not paid exactly once, if it is not.
    fn problem(&self) -> Option<String> {
        let exactly_once = self.status == "paid"
            && self.payments == 1
            && self.succeeded == 1
            && self.receipts == 1
            && self.kept == 0
            && self.application_status == "paid";
        (!exactly_once).then(|| {
            format!(
                "{}: invoice {}, {} payments ({} succeeded), {} receipts, {} kept aside, application {}",
                self.number, self.status, self.payments, self.succeeded, self.receipts, self.kept, self.application_status
            )
        })
    }
}

const PER_INVOICE: &str = "SELECT i.number, i.status, \
       (SELECT COUNT(*) FROM payments p WHERE p.invoice_id = i.id) AS payments, \
       (SELECT COUNT(*) FROM payments p WHERE p.invoice_id = i.id AND p.status = 'succeeded') AS succeeded, \
       (SELECT COUNT(*) FROM receipts r WHERE r.invoice_id = i.id) AS receipts, \
       (SELECT COUNT(*) FROM payments_needing_attention a WHERE a.invoice_id = i.id) AS kept, \
       a.status AS application_status \
     FROM invoices i JOIN applications a ON a.id = i.application_id";

pub async fn command(args: &Args) -> BenchResult<()> {
    args.only(&["database-url", "invoices"])?;
    let url = args.required("database-url")?;
    let ours = OpenInvoice::read_file(&args.required("invoices")?)?;
    let wanted: HashSet<&str> = ours.iter().map(|i| i.number.as_str()).collect();
    let world = world::open(&url).await?;
    let pool = world.db.pool();

    let rows = sqlx::query(PER_INVOICE).fetch_all(pool).await.map_err(|e| e.to_string())?;
    let found: Vec<Found> = rows
        .iter()
        .map(|row| Found {
            number: row.get("number"),
            status: row.get("status"),
            payments: row.get("payments"),
            succeeded: row.get("succeeded"),
            receipts: row.get("receipts"),
            kept: row.get("kept"),
            application_status: row.get("application_status"),
        })
        .filter(|f| wanted.contains(f.number.as_str()))
        .collect();
    // Anything kept aside counts, whichever invoice it names (the bench's database pays nothing else).
    let kept_anywhere: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM payments_needing_attention").fetch_one(pool).await.map_err(|e| e.to_string())?;

    let mut problems: Vec<String> = found.iter().filter_map(Found::problem).collect();
    let missing = wanted.len() - found.len();
    if missing > 0 {
        problems.push(format!("{missing} invoices of the file are not in this database"));
    }
    if kept_anywhere > 0 {
        problems.push(format!("{kept_anywhere} payments kept aside for an admin (payments_needing_attention)"));
    }
    let sum = |f: fn(&Found) -> i64| found.iter().map(f).sum::<i64>();
    let result = json!({
        "invoices": wanted.len(),
        "paid": found.iter().filter(|f| f.status == "paid").count(),
        "payments": sum(|f| f.payments),
        "receipts": sum(|f| f.receipts),
        "applications_paid": found.iter().filter(|f| f.application_status == "paid").count(),
        "kept_aside": kept_anywhere,
        "exactly_once": problems.is_empty(),
        "problem_count": problems.len(),
        "problems": problems.iter().take(10).collect::<Vec<_>>(),
    });
    println!("{result}");
    world.db.close().await;
    Ok(())
}
