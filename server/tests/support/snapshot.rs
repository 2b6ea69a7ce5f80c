//! Every row of every table, as text: taken before and after an attack, two snapshots that
//! differ name the tables an attacker managed to change.

use super::TestServer;
use std::collections::BTreeMap;

/// Each table's rows, one line per row, sorted, so that two snapshots compare as values.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot(BTreeMap<String, String>);

impl Snapshot {
    pub async fn take(server: &TestServer) -> Snapshot {
        let pool = server.state.db.pool();
        let postgres = server.test_db.url.starts_with("postgres");
        let tables_sql = if postgres {
            "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '\\_sqlx%' ORDER BY 1"
        } else {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_sqlx%' ESCAPE '\\' ORDER BY 1"
        };
        let tables: Vec<String> = sqlx::query_scalar(tables_sql).fetch_all(pool).await.expect("tables listed");
        let mut rows = BTreeMap::new();
        for table in tables {
            let sql = if postgres {
                format!("SELECT COALESCE(string_agg(CAST(t AS TEXT), E'\\n' ORDER BY CAST(t AS TEXT)), '') FROM {table} t")
            } else {
                let columns: Vec<String> = sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')")).fetch_all(pool).await.expect("columns listed");
                let row = columns.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join(" || '|' || ");
                format!("SELECT COALESCE(group_concat(r, char(10)), '') FROM (SELECT {row} AS r FROM \"{table}\" ORDER BY r)")
            };
            let text: String = sqlx::query_scalar(&sql).fetch_one(pool).await.unwrap_or_else(|e| panic!("{table} read: {e}"));
            rows.insert(table, text);
        }
        Snapshot(rows)
    }

    /// The tables whose rows differ from `earlier`'s, leaving out those named in `ignoring`.
    pub fn changed_since(&self, earlier: &Snapshot, ignoring: &[&str]) -> Vec<String> {
        self.0
            .iter()
            .filter(|(table, _)| !ignoring.contains(&table.as_str()))
            .filter(|(table, rows)| earlier.0.get(*table) != Some(*rows))
            .map(|(table, rows)| format!("{table}:\n  before: {:?}\n  after:  {:?}", earlier.0.get(table).map(|r| truncate(r)).unwrap_or_default(), truncate(rows)))
            .collect()
    }
}

fn truncate(text: &str) -> &str {
    match text.char_indices().nth(2000) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}
