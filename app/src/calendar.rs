//! Civil dates from Unix time and back, in UTC or East Africa Time, by Howard Hinnant's
//! algorithms: the few date sums Raia needs, without a date crate in the browser bundle.

/// Kenya's time zone, UTC+3 all year (no daylight saving).
pub const EAT_OFFSET_SECONDS: i64 = 3 * 3600;

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month 1-12, day 1-31) of a count of days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The UTC year of a Unix time.
/// `YYYY-MM-DD` (what `<input type="date">` sends; a browser without one lets people type
/// `1990-1-5`, also taken) to days since 1970, if it is a real date.
pub fn parse_date(text: &str) -> Option<i64> {
    // Digits only: `str::parse` would also take `+5`, and a day of nineteen digits
    // overflowed the day count.
    let number = |part: &str, digits: std::ops::RangeInclusive<usize>| -> Option<i64> {
        (digits.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse().ok()).flatten()
    };
    let mut parts = text.trim().split('-');
    let (year, month, day) = (number(parts.next()?, 4..=4)?, number(parts.next()?, 1..=2)?, number(parts.next()?, 1..=2)?);
    if parts.next().is_some() || !(1900..=2200).contains(&year) || !(1..=12).contains(&month) || day < 1 {
        return None;
    }
    let next_month = if month == 12 { days_from_civil(year + 1, 1, 1) } else { days_from_civil(year, month + 1, 1) };
    let days = days_from_civil(year, month, day);
    (days < next_month).then_some(days)
}

/// A day (days since 1970-01-01) as `YYYY-MM-DD`.
pub fn iso_date(days: i64) -> String {
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}

pub fn year_of(unix_seconds: i64) -> i64 {
    civil_from_days(unix_seconds.div_euclid(86_400)).0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_convert_both_ways() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        for days in [-1, 59, 365, 11_016, 20_779, 100_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(20_779), (2026, 11, 22));
        assert_eq!(year_of(1_795_000_000), 2026);
        assert_eq!(year_of(1_767_225_600), 2026); // 2026-01-01 00:00 UTC
        assert_eq!(year_of(1_767_225_599), 2025);
    }
}
