//! Service notices: checked, stored, and chosen for the banner and `/status`.

use crate::db::Db;
use crate::errors::{AppError, FieldProblem, Problem};
use crate::services::catalogue::Text;
pub use crate::status::views::Notice;
use sqlx::Row;

pub const KINDS: [&str; 4] = ["information", "maintenance", "outage", "restored"];
const TITLE_MAX: usize = 120;
const BODY_MAX: usize = 1_000;

/// What an admin typed.
pub struct NewNotice<'a> {
    pub kind: &'a str,
    pub title_en: &'a str,
    pub title_sw: &'a str,
    pub body_en: &'a str,
    pub body_sw: &'a str,
    /// `2026-11-23T18:00` as a `datetime-local` field sends it, in East Africa Time.
    pub starts: &'a str,
    pub ends: &'a str,
}

/// `YYYY-MM-DDTHH:MM` in East Africa Time, as Unix seconds.
pub fn parse_local_time(text: &str) -> Option<i64> {
    let (date, time) = text.trim().split_once('T').or_else(|| text.trim().split_once(' '))?;
    // Short runs of digits only: a sign, or a year of nineteen digits, overflowed the sums below.
    let number = |part: &str, most: usize| (1..=most).contains(&part.len()).then_some(part).filter(|p| p.bytes().all(|b| b.is_ascii_digit()))?.parse::<i64>().ok();
    let mut date_parts = date.split('-').map(|p| number(p, 4));
    let (year, month, day) = (date_parts.next()??, date_parts.next()??, date_parts.next()??);
    let mut time_parts = time.split(':').map(|p| number(p, 2));
    let (hour, minute) = (time_parts.next()??, time_parts.next()??);
    // A browser may add seconds (`18:00:00`); nothing else may follow.
    let seconds = time_parts.next();
    if date_parts.next().is_some() || seconds.is_some_and(|s| s.is_none()) || time_parts.next().is_some() {
        return None;
    }
    if !(1..=12).contains(&month) || !(0..=23).contains(&hour) || !(0..=59).contains(&minute) {
        return None;
    }
    let days = crate::calendar::days_from_civil(year, month, day);
    // A day that does not exist (31 April) comes back as another date.
    if crate::calendar::civil_from_days(days) != (year, month, day) {
        return None;
    }
    Some(days * 86_400 + hour * 3_600 + minute * 60 - crate::calendar::EAT_OFFSET_SECONDS)
}

/// Checks a notice; every problem is named beside its field.
pub fn check(new: &NewNotice<'_>) -> Result<(i64, Option<i64>), AppError> {
    let mut problems = Vec::new();
    if !KINDS.contains(&new.kind) {
        problems.push(FieldProblem::new("kind", Problem::InvalidChoice));
    }
    for (field, text, max) in [("title_en", new.title_en, TITLE_MAX), ("title_sw", new.title_sw, TITLE_MAX), ("body_en", new.body_en, BODY_MAX), ("body_sw", new.body_sw, BODY_MAX)] {
        if text.trim().is_empty() {
            problems.push(FieldProblem::new(field, Problem::Required));
        } else if text.chars().count() > max {
            problems.push(FieldProblem::new(field, Problem::TextTooLong { max: max as i64 }));
        }
    }
    let starts = parse_local_time(new.starts);
    if starts.is_none() {
        problems.push(FieldProblem::new("starts", if new.starts.trim().is_empty() { Problem::Required } else { Problem::InvalidDate }));
    }
    let ends = match new.ends.trim() {
        "" => None,
        text => match parse_local_time(text) {
            Some(end) if starts.is_some_and(|start| end <= start) => {
                problems.push(FieldProblem::new("ends", Problem::EndsBeforeStart));
                None
            }
            Some(end) => Some(end),
            None => {
                problems.push(FieldProblem::new("ends", Problem::InvalidDate));
                None
            }
        },
    };
    match (problems.is_empty(), starts) {
        (true, Some(starts)) => Ok((starts, ends)),
        _ => Err(AppError::Invalid(problems)),
    }
}

pub async fn insert(db: &Db, new: &NewNotice<'_>, admin_id: i64, now: i64) -> Result<i64, AppError> {
    let (starts, ends) = check(new)?;
    let mut tx = db.begin_write().await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO service_notices (kind, title_en, title_sw, body_en, body_sw, starts_at, ends_at, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(new.kind)
    .bind(new.title_en.trim())
    .bind(new.title_sw.trim())
    .bind(new.body_en.trim())
    .bind(new.body_sw.trim())
    .bind(starts)
    .bind(ends)
    .bind(admin_id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

fn from_row(row: &sqlx::any::AnyRow) -> Notice {
    Notice {
        id: row.get("id"),
        kind: row.get("kind"),
        title: Text { en: row.get("title_en"), sw: row.get("title_sw") },
        body: Text { en: row.get("body_en"), sw: row.get("body_sw") },
        starts_at: row.get("starts_at"),
        ends_at: row.get("ends_at"),
    }
}

const COLUMNS: &str = "id, kind, title_en, title_sw, body_en, body_sw, starts_at, ends_at";

/// Notices in force now, newest first.
pub async fn current(db: &Db, now: i64) -> Result<Vec<Notice>, sqlx::Error> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM service_notices WHERE starts_at <= $1 AND (ends_at IS NULL OR ends_at > $1) ORDER BY starts_at DESC, id DESC LIMIT 5"))
        .bind(now)
        .fetch_all(db.pool())
        .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// Every notice, latest start first (`/status`: current, planned and past).
pub async fn latest(db: &Db, limit: i64) -> Result<Vec<Notice>, sqlx::Error> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM service_notices ORDER BY starts_at DESC, id DESC LIMIT $1")).bind(limit).fetch_all(db.pool()).await?;
    Ok(rows.iter().map(from_row).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice<'a>(starts: &'a str, ends: &'a str) -> NewNotice<'a> {
        NewNotice { kind: "outage", title_en: "M-Pesa payments are down", title_sw: "Malipo ya M-Pesa hayafanyi kazi", body_en: "Pay later.", body_sw: "Lipa baadaye.", starts, ends }
    }

    #[test]
    fn times_are_east_africa_time_and_must_be_real() {
        assert_eq!(parse_local_time("2026-11-23T18:00"), Some(1_795_446_000));
        assert_eq!(parse_local_time("2026-04-31T10:00"), None);
        assert_eq!(parse_local_time("tomorrow"), None);
    }

    #[test]
    fn a_notice_needs_both_languages_and_an_end_after_its_start() {
        assert!(check(&notice("2026-11-23T18:00", "")).is_ok());
        let Err(AppError::Invalid(problems)) = check(&NewNotice { title_sw: "", ..notice("2026-11-23T18:00", "2026-11-23T17:00") }) else { panic!() };
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["title_sw", "ends"]);
        assert_eq!(problems[1].problem, Problem::EndsBeforeStart);
    }
}
