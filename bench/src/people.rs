//! Bench citizens: for each, a person in the population registry and an account, made with
//! the app's registry import and account insert. Each group has its own range of ID numbers
//! and phones (8100xxxx, +2547810xxxxx, …), far from the shipped registry and the demo
//! accounts, and making a group again adds only who is missing.
//!
//! They share one password hash, made by the app's hasher with today's parameters: one hash
//! instead of hundreds keeps seeding instant, and a login checks it at exactly the cost of
//! any citizen's own.

use crate::args::Args;
use crate::world::{self, World};
use crate::BenchResult;
use raia_app::identity::accounts::{self, Account, NewAccount, ROLE_CITIZEN};
use raia_app::identity::contact::{IdNumber, Identifier};
use raia_app::identity::registry::{self, Citizenship, RegistryPerson};

/// Strong by the app's own rules (no names, no ID, long), though the bench never asks.
pub const PASSWORD: &str = "quiet bench morning over the rift valley";

/// A group of bench citizens: its two-digit prefix keeps its ID numbers and phones apart.
#[derive(Clone, Copy)]
pub enum Group {
    /// Log in during the login rush.
    Logins = 81,
    /// Own the applications whose invoices the callbacks pay.
    Payers = 82,
    /// Own the dashboard, application and pay pages that are weighed and audited.
    PageVisitor = 83,
    /// Log in, apply and pay during the soak, one journey each.
    Soak = 84,
}

fn id_number(group: Group, index: usize) -> String {
    format!("{:02}{index:06}", group as u8)
}

/// Makes the group's first `count` citizens (those missing) and returns all `count` accounts.
pub async fn ensure(world: &World, group: Group, count: usize) -> BenchResult<Vec<Account>> {
    let prefix = group as u8;
    let people: Vec<RegistryPerson> = (1..=count)
        .map(|index| RegistryPerson {
            id_number: id_number(group, index),
            first_name: "Bench".into(),
            surname: format!("Citizen{prefix}x{index}"),
            year_of_birth: 1990,
            citizenship: Citizenship::Citizen,
        })
        .collect();
    registry::import(&world.db, &people).await.map_err(|e| format!("registry import: {e}"))?;

    let mut missing = Vec::new();
    for (index, person) in (1..).zip(&people) {
        if !accounts::id_number_taken(world.db.pool(), &person.id_number).await.map_err(|e| e.to_string())? {
            missing.push((index, person));
        }
    }
    if !missing.is_empty() {
        let hash = world.identity.hasher.hash(PASSWORD).await.map_err(|_| "argon2 failed")?;
        let now = world.identity.clock.now();
        let mut tx = world.db.begin_write().await.map_err(|e| e.to_string())?;
        for (index, person) in missing {
            let account = NewAccount {
                id_number: &person.id_number,
                account_type: person.citizenship.as_str(),
                first_name: &person.first_name,
                surname: &person.surname,
                email: &format!("bench.{}@bench.raia.example", person.id_number),
                phone: &format!("+2547{prefix:02}{index:06}"),
                password_hash: &hash,
                role: ROLE_CITIZEN,
                language: raia_app::i18n::Locale::en,
            };
            accounts::insert(&mut tx, &account, now).await.map_err(|e| format!("account {}: {e}", person.id_number))?;
        }
        tx.commit().await.map_err(|e| e.to_string())?;
    }

    let mut found = Vec::with_capacity(count);
    for person in &people {
        let id = IdNumber::parse(&person.id_number).ok_or("bench ID numbers parse")?;
        let account = accounts::find_by_identifier(world.db.pool(), &Identifier::IdNumber(id)).await.map_err(|e| e.to_string())?;
        found.push(account.ok_or_else(|| format!("account {} vanished", person.id_number))?);
    }
    Ok(found)
}

/// `seed-logins`: citizens for the login rush, one `identifier<TAB>password` line each.
pub async fn seed_logins_command(args: &Args) -> BenchResult<()> {
    args.only(&["database-url", "count"])?;
    let world = world::open(&args.required("database-url")?).await?;
    let count = args.number("count", 400usize)?;
    let accounts = ensure(&world, Group::Logins, count).await?;
    for account in &accounts {
        println!("{}\t{PASSWORD}", account.id_number);
    }
    eprintln!("{} login citizens ready", accounts.len());
    world.db.close().await;
    Ok(())
}
