//! `raia-server create-staff` / `disable-staff` / `enable-staff`: staff accounts from a
//! shell, for the first admin (later ones are made in the portal at `/admin`).
//!
//! `raia-server create-staff --role admin --id-number 30000000 --first-name Rehema
//!  --surname Achieng --email admin@example.go.ke --phone 0700000100 [--agency ntsa]`
//! The password is read from `RAIA_STAFF_PASSWORD` when set; otherwise the new staff
//! member chooses one with "Forgot your password?".

use crate::config::Config;
use crate::startup;
use raia_app::db::Db;
use raia_app::identity::staff::{self, NewStaff};

type CommandResult = Result<(), Box<dyn std::error::Error>>;

fn option(args: &[String], name: &str) -> String {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned().unwrap_or_default()
}

pub async fn create(config: &Config, args: &[String]) -> CommandResult {
    let new = NewStaff {
        id_number: option(args, "--id-number"),
        first_name: option(args, "--first-name"),
        surname: option(args, "--surname"),
        email: option(args, "--email"),
        phone: option(args, "--phone"),
        role: option(args, "--role"),
        agency: option(args, "--agency"),
    };
    let catalogue = startup::catalogue(config)?;
    let agencies: Vec<String> = catalogue.agencies.iter().map(|a| a.slug.clone()).collect();
    let db = Db::connect(&config.database_url, 2).await?;
    db.migrate().await?;
    let identity = startup::identity(config, &db);
    let password = std::env::var("RAIA_STAFF_PASSWORD").ok().filter(|p| !p.is_empty());
    let result = staff::create_from_shell(&identity, &agencies, &new, password.as_deref()).await;
    db.close().await;
    match result {
        Ok(id) => {
            println!("staff account {id} created ({} {}, {})", new.first_name, new.surname, new.role);
            Ok(())
        }
        Err(raia_app::errors::AppError::Invalid(problems)) => {
            let list: Vec<String> = problems.iter().map(|p| format!("--{}: {:?}", p.field.replace('_', "-"), p.problem)).collect();
            Err(format!("not created: {}", list.join(", ")).into())
        }
        Err(other) => Err(format!("not created: {other}").into()),
    }
}

/// Disabling also hands the officer's applications under review back to the queue.
pub async fn set_disabled(config: &Config, args: &[String], disabled: bool) -> CommandResult {
    let id_number = args.first().cloned().unwrap_or_default();
    let catalogue = startup::catalogue(config)?;
    let db = Db::connect(&config.database_url, 2).await?;
    db.migrate().await?;
    let identity = startup::identity(config, &db);
    let applications = startup::applications(config, &db, &identity, catalogue);
    let result = match staff::find_by_id_number(&identity, &id_number).await {
        Ok(Some(account)) => raia_app::backoffice::staff_access::set_disabled_unchecked(&identity, &applications, account.id, disabled).await.map_err(|e| e.to_string()),
        Ok(None) => Err(format!("no staff account has ID number `{id_number}`")),
        Err(e) => Err(e.to_string()),
    };
    db.close().await;
    result?;
    println!("staff account {id_number} {}", if disabled { "disabled" } else { "enabled" });
    Ok(())
}
