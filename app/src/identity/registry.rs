//! The population registry that registrations are checked against (IPRS in Kenya).
//! Behind a trait so the real registry can replace the table shipped now.

use crate::db::Db;
use serde::{Deserialize, Serialize};
use sqlx::Row;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryPerson {
    pub id_number: String,
    pub first_name: String,
    pub surname: String,
    pub year_of_birth: i64,
    pub citizenship: Citizenship,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Citizenship {
    Citizen,
    ForeignResident,
}

impl Citizenship {
    pub fn as_str(self) -> &'static str {
        match self {
            Citizenship::Citizen => "citizen",
            Citizenship::ForeignResident => "foreign_resident",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "citizen" => Some(Citizenship::Citizen),
            "foreign_resident" => Some(Citizenship::ForeignResident),
            _ => None,
        }
    }
}

#[async_trait::async_trait]
pub trait PopulationRegistry: Send + Sync {
    async fn find(&self, id_number: &str) -> Result<Option<RegistryPerson>, sqlx::Error>;
}

/// The registry as a table (`registry_people`), filled from a CSV file.
pub struct TableRegistry {
    db: Db,
}

impl TableRegistry {
    pub fn new(db: Db) -> Self {
        TableRegistry { db }
    }
}

#[async_trait::async_trait]
impl PopulationRegistry for TableRegistry {
    async fn find(&self, id_number: &str) -> Result<Option<RegistryPerson>, sqlx::Error> {
        let row = sqlx::query("SELECT id_number, first_name, surname, year_of_birth, citizenship FROM registry_people WHERE id_number = $1")
            .bind(id_number)
            .fetch_optional(self.db.pool())
            .await?;
        Ok(row.and_then(|row| {
            Some(RegistryPerson {
                id_number: row.get("id_number"),
                first_name: row.get("first_name"),
                surname: row.get("surname"),
                year_of_birth: row.get("year_of_birth"),
                citizenship: Citizenship::parse(&row.get::<String, _>("citizenship"))?,
            })
        }))
    }
}

/// The people shipped with the repository (`app/data/registry_people.csv`).
pub const SEED_CSV: &str = include_str!("../../data/registry_people.csv");

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("line {line}: {reason}")]
    Line { line: usize, reason: String },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Parses `id_number,first_name,surname,year_of_birth,citizenship` lines (with a header).
pub fn parse_csv(text: &str) -> Result<Vec<RegistryPerson>, ImportError> {
    let mut people = Vec::new();
    for (index, line) in text.lines().enumerate().skip(1) {
        let line_no = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let bad = |reason: &str| ImportError::Line { line: line_no, reason: reason.to_string() };
        let [id_number, first_name, surname, year, citizenship] = fields[..] else {
            return Err(bad("expected 5 comma-separated fields"));
        };
        if id_number.is_empty() || first_name.is_empty() || surname.is_empty() {
            return Err(bad("id_number, first_name and surname are required"));
        }
        people.push(RegistryPerson {
            id_number: id_number.to_uppercase(),
            first_name: first_name.to_string(),
            surname: surname.to_string(),
            year_of_birth: year.parse().map_err(|_| bad("year_of_birth must be a number"))?,
            citizenship: Citizenship::parse(citizenship).ok_or_else(|| bad("citizenship must be citizen or foreign_resident"))?,
        });
    }
    Ok(people)
}

/// Adds the people not yet in the table (existing rows are left as they are), in one transaction.
pub async fn import(db: &Db, people: &[RegistryPerson]) -> Result<u64, ImportError> {
    let mut tx = db.begin_write().await?;
    let mut added = 0;
    for person in people {
        added += sqlx::query(
            "INSERT INTO registry_people (id_number, first_name, surname, year_of_birth, citizenship) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id_number) DO NOTHING",
        )
        .bind(&person.id_number)
        .bind(&person.first_name)
        .bind(&person.surname)
        .bind(person.year_of_birth)
        .bind(person.citizenship.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    }
    tx.commit().await?;
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_seed_has_the_documented_people_and_enough_others() {
        let people = parse_csv(SEED_CSV).expect("seed parses");
        assert!(people.len() >= 57, "7 named + at least 50 generated");
        let baraka = people.iter().find(|p| p.id_number == "67890123").unwrap();
        assert_eq!((baraka.first_name.as_str(), baraka.surname.as_str(), baraka.year_of_birth), ("Baraka", "Mutua", 1995));
        let grace = people.iter().find(|p| p.id_number == "FR900100").unwrap();
        assert_eq!(grace.citizenship, Citizenship::ForeignResident);
    }

    #[test]
    fn bad_lines_are_named() {
        let error = parse_csv("header\n1,A,B,1990,citizen\n2,A,B,old,citizen\n").unwrap_err();
        assert_eq!(error.to_string(), "line 3: year_of_birth must be a number");
    }
}
