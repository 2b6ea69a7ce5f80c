//! A logged-in citizen for the pages behind login: an account, one application awaiting
//! payment (so the dashboard, the application page and its pay page show what a citizen
//! about to pay sees), and a session at the `Authenticated` stage, made with the app's own
//! session store, as the last login step makes it. Printed in shell syntax for `run.sh`.

use crate::args::Args;
use crate::invoices;
use crate::people::{self, Group};
use crate::world;
use crate::BenchResult;
use raia_app::identity::sessions::{self, Flow, Stage};
use raia_app::request::SessionCookie;

pub async fn command(args: &Args) -> BenchResult<()> {
    args.only(&["database-url"])?;
    let world = world::open(&args.required("database-url")?).await?;
    let citizen = people::ensure(&world, Group::PageVisitor, 1).await?.remove(0);
    let awaiting = world.applications.my_applications(&citizen).await.map_err(|e| format!("{e:?}"))?;
    let reference = match awaiting.into_iter().find(|a| a.status == raia_app::services::status::Status::AwaitingPayment).and_then(|a| a.reference) {
        Some(reference) => reference,
        None => invoices::awaiting_payment(&world, &citizen).await?.reference,
    };
    let now = world.identity.clock.now();
    let mut tx = world.db.begin_write().await.map_err(|e| e.to_string())?;
    let (token, _) =
        sessions::create(&mut tx, now, Some(citizen.id), Stage::Authenticated, &Flow::default(), None).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    // The cookie's name depends on COOKIE_SECURE, read as the server reads it.
    let cookie = SessionCookie::new(world.config.cookie_secure);
    println!("COOKIE='{}={token}'", cookie.name);
    println!("REFERENCE='{reference}'");
    world.db.close().await;
    Ok(())
}
