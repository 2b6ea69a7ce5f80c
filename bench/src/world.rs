//! The app's services over one database, built with the server's own configuration and
//! `startup` functions, so whatever the bench writes is what the portal would write.

use crate::args::Args;
use crate::BenchResult;
use raia_app::db::{Backend, Db};
use raia_app::identity::service::Identity;
use raia_app::services::service::Applications;
use raia_server::{startup, Config};

pub struct World {
    pub config: Config,
    pub db: Db,
    pub identity: Identity,
    pub applications: Applications,
}

/// The server's configuration from this process's environment (as `raia-server` reads it),
/// with the database named on the command line.
pub fn config(database_url: Option<&str>) -> BenchResult<Config> {
    Config::from_lookup(|name| match (name, database_url) {
        ("DATABASE_URL", Some(url)) => Some(url.to_string()),
        _ => std::env::var(name).ok().filter(|value| !value.trim().is_empty()),
    })
    .map_err(|error| error.to_string())
}

/// Connects (creating and migrating the database when it is new) and builds the services.
/// The server's start-up seeding (registry, demo accounts) is left to the server: the bench
/// makes its own people.
pub async fn open(database_url: &str) -> BenchResult<World> {
    let config = config(Some(database_url))?;
    // A few connections: seeding runs several citizens at once.
    let db = Db::connect(database_url, 8).await.map_err(|e| format!("{database_url}: {e}"))?;
    db.migrate().await.map_err(|e| format!("migrations: {e}"))?;
    let identity = startup::identity(&config, &db);
    let catalogue = startup::catalogue(&config)?;
    let applications = startup::applications(&config, &db, &identity, catalogue);
    Ok(World { config, db, identity, applications })
}

/// `fresh-database`: drops and re-creates a PostgreSQL database (so each run starts empty),
/// then applies the migrations. Only for PostgreSQL; a SQLite run simply uses a new file.
pub async fn fresh_database_command(args: &Args) -> BenchResult<()> {
    args.only(&["database-url"])?;
    let url = args.required("database-url")?;
    if Backend::of_url(&url).map_err(|e| e.to_string())? != Backend::Postgres {
        return Err("fresh-database is for postgres:// URLs (a SQLite run uses a new file)".into());
    }
    recreate_postgres(&url).await?;
    let world = open(&url).await?;
    world.db.close().await;
    eprintln!("{}: created and migrated", split_database_name(&url)?.1);
    Ok(())
}

/// Drops the PostgreSQL database `url` names, if it exists, and creates it empty.
pub async fn recreate_postgres(url: &str) -> BenchResult<()> {
    let (server, name) = split_database_name(url)?;
    let admin = Db::connect(&format!("{server}/postgres"), 1).await.map_err(|e| format!("{server}/postgres: {e}"))?;
    for statement in [format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"), format!("CREATE DATABASE {name}")] {
        sqlx::query(&statement).execute(admin.pool()).await.map_err(|e| format!("{statement}: {e}"))?;
    }
    admin.close().await;
    Ok(())
}

/// Drops the PostgreSQL database `url` names.
pub async fn drop_postgres(url: &str) -> BenchResult<()> {
    let (server, name) = split_database_name(url)?;
    let admin = Db::connect(&format!("{server}/postgres"), 1).await.map_err(|e| format!("{server}/postgres: {e}"))?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(admin.pool()).await.map_err(|e| e.to_string())?;
    admin.close().await;
    Ok(())
}

/// `postgres://host/name?options` as the server part and the database's name.
fn split_database_name(url: &str) -> BenchResult<(&str, &str)> {
    let (server, name) = url.rsplit_once('/').ok_or("the URL names no database")?;
    let name = name.split('?').next().unwrap_or_default();
    // The name goes into SQL as an identifier: letters, digits and underscores only.
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
        return Err(format!("database name `{name}`: use lower-case letters, digits and _"));
    }
    Ok((server, name))
}
