//! Invoices awaiting payment, made the way a citizen makes them: a good-conduct application
//! (paid on submission, KES 1,050) filled in, declared and submitted through the app's
//! `Applications`, which opens its invoice. The answers are those of the payment tests
//! (`server/tests/support/payment_world.rs`).

use crate::args::Args;
use crate::people::{self, Group};
use crate::world::{self, World};
use crate::BenchResult;
use raia_app::identity::accounts::Account;
use raia_app::payments::invoices;
use raia_app::services::service::FormTarget;
use raia_app::services::store;
use std::collections::HashMap;
use std::sync::Arc;

const SERVICE: &str = "good-conduct";
const ANSWERS: [(&str, &str); 3] = [("purpose", "employment"), ("county_of_residence", "Nairobi"), ("fingerprint_centre", "huduma-gpo")];

/// An open invoice, as the callbacks need it and a file line holds it.
pub struct OpenInvoice {
    pub number: String,
    pub total_cents: i64,
    pub reference: String,
}

impl OpenInvoice {
    pub fn line(&self) -> String {
        format!("{}\t{}\t{}", self.number, self.total_cents, self.reference)
    }

    pub fn read_file(path: &str) -> BenchResult<Vec<OpenInvoice>> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        let mut found = Vec::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let fields: Vec<&str> = line.split('\t').collect();
            let [number, cents, reference] = fields[..] else { return Err(format!("{path}: `{line}` is not invoice<TAB>cents<TAB>reference")) };
            let total_cents = cents.parse().map_err(|_| format!("{path}: `{cents}` is not cents"))?;
            found.push(OpenInvoice { number: number.into(), total_cents, reference: reference.into() });
        }
        if found.is_empty() {
            return Err(format!("{path}: no invoices"));
        }
        Ok(found)
    }
}

/// Submits one application for `citizen` and returns its open invoice.
pub async fn awaiting_payment(world: &World, citizen: &Account) -> BenchResult<OpenInvoice> {
    let apps = &world.applications;
    let draft = FormTarget::Draft { service: SERVICE.into() };
    let answers: HashMap<String, String> = ANSWERS.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    apps.save_step(citizen, &draft, 0, &answers).await.map_err(|e| format!("{SERVICE} form: {e:?}"))?;
    apps.accept_declaration(citizen, &draft, true).await.map_err(|e| format!("{SERVICE} declaration: {e:?}"))?;
    let reference = apps.submit(citizen, &draft).await.map_err(|e| format!("{SERVICE} submit: {e:?}"))?;
    let row = store::find_by_reference(world.db.pool(), &reference).await.map_err(|e| e.to_string())?.ok_or("submitted application not found")?;
    let invoice = invoices::latest_for_application(world.db.pool(), row.id).await.map_err(|e| e.to_string())?;
    let invoice = invoice.ok_or_else(|| format!("{reference} has no invoice: is {SERVICE} still paid on submission?"))?;
    Ok(OpenInvoice { number: invoice.number, total_cents: invoice.total_cents, reference })
}

/// `seed-invoices`: `count` open invoices, `per-citizen` to a payer, printed one a line.
pub async fn command(args: &Args) -> BenchResult<()> {
    args.only(&["database-url", "count", "per-citizen"])?;
    let world = Arc::new(world::open(&args.required("database-url")?).await?);
    let count = args.number("count", 2000usize)?;
    let per_citizen = args.number("per-citizen", 20usize)?.max(1);
    let payers = people::ensure(&world, Group::Payers, count.div_ceil(per_citizen)).await?;

    // A few payers at once: enough to keep the database busy, few enough for SQLite's one writer.
    let lanes = 4.min(payers.len()).max(1);
    let mut tasks = Vec::new();
    for lane in 0..lanes {
        let world = world.clone();
        let mine: Vec<(usize, Account)> = payers.iter().cloned().enumerate().filter(|(i, _)| i % lanes == lane).collect();
        tasks.push(tokio::spawn(async move {
            let mut made = Vec::new();
            for (index, payer) in mine {
                let wanted = per_citizen.min(count.saturating_sub(index * per_citizen));
                for _ in 0..wanted {
                    made.push(awaiting_payment(&world, &payer).await?);
                }
            }
            Ok::<_, String>(made)
        }));
    }
    let mut total = 0;
    for task in tasks {
        for invoice in task.await.map_err(|e| e.to_string())?? {
            println!("{}", invoice.line());
            total += 1;
        }
    }
    eprintln!("{total} invoices awaiting payment");
    world.db.close().await;
    Ok(())
}
