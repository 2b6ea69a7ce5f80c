//! The rules that turn counts into published figures, as plain Rust:
//!
//! - **Suppression.** A count of 1 to 4 applications is published as "fewer than 5", and so
//!   is any figure computed over fewer than 5 (a median, a percentile, a share): with so few,
//!   a neighbour or a journalist could tell whose application it was. A count of 0 names
//!   nobody and is shown. An agency's total is hidden too when, taken away from the shown
//!   figures of its services, it would give back hidden ones (1 to 4 in all).
//! - **Durations** are shown rounded up: whole hours under a day ("within 1 hour"), tenths of
//!   a day from a day on. The database counts them at that precision (`rounded_up`), grouped
//!   rather than sorted, which keeps a quarter-year of a busy portal quick to count; nothing
//!   is lost, since rounding up keeps the order (the percentile of rounded durations is the
//!   rounded percentile) and a promise of whole days is kept exactly when the rounded
//!   duration keeps it.
//! - **Percentiles** are nearest-rank: the p-th percentile of n sorted durations is the one at
//!   position ceil(p × n / 100), counting from 1. The median (p = 50) of an even number is
//!   thus the lower of the two middle ones, and always a duration that really happened.
//! - **Shares** are whole percent, halves rounded up.

use crate::performance::views::{AgencyFigures, Figure, PerformancePage, ServiceFigures, Volumes};
use crate::services::catalogue::Catalogue;
use std::collections::HashMap;

/// The fewest applications a published figure may come from.
pub const SMALLEST_PUBLISHED: i64 = 5;
pub const DAY_SECONDS: i64 = 86_400;
pub const HOUR_SECONDS: i64 = 3_600;
pub const TENTH_DAY_SECONDS: i64 = 8_640;

/// One service's counts as the store reads them, before anything is hidden.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub received_30: i64,
    pub received_90: i64,
    pub completed_30: i64,
    pub completed_90: i64,
    pub rejected_90: i64,
    pub in_progress: i64,
    /// Completed in the last 90 days: the applications the timings are computed over.
    pub timed: i64,
    /// Of those, completed within the catalogue's promise.
    pub within_promise: i64,
    pub median_seconds: i64,
    pub p90_seconds: i64,
}

/// A count as published.
pub fn count(applications: i64) -> Figure {
    if (1..SMALLEST_PUBLISHED).contains(&applications) {
        Figure::FewerThanFive
    } else {
        Figure::Value(applications.max(0))
    }
}

/// A figure computed over `applications`, published only when they are 5 or more.
pub fn computed_over(applications: i64, value: i64) -> Figure {
    if applications < SMALLEST_PUBLISHED {
        Figure::FewerThanFive
    } else {
        Figure::Value(value)
    }
}

/// The total of several counts, hidden when it is itself 1 to 4, or when the hidden counts
/// among its parts add up to 1 to 4 (the total minus the shown parts would give them back).
pub fn total(parts: &[i64]) -> Figure {
    let hidden: i64 = parts.iter().filter(|n| count(**n) == Figure::FewerThanFive).sum();
    if (1..SMALLEST_PUBLISHED).contains(&hidden) {
        Figure::FewerThanFive
    } else {
        count(parts.iter().sum())
    }
}

/// `part` of `whole` in whole percent, halves up; 0 when there is no whole.
pub fn percent(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        return 0;
    }
    (part * 200 + whole) / (whole * 2)
}

/// The position (from 1) of the `percentile`-th of `n` sorted values, nearest rank.
pub fn nearest_rank(n: i64, percentile: i64) -> i64 {
    ((n * percentile + 99) / 100).max(1)
}

/// The `percentile`-th of sorted values, nearest rank; `None` for no values.
pub fn percentile(sorted: &[i64], percentile: i64) -> Option<i64> {
    let position = nearest_rank(sorted.len() as i64, percentile);
    sorted.get(usize::try_from(position - 1).ok()?).copied()
}

/// A duration rounded up to the precision the page shows: whole hours under a day (at least
/// one), tenths of a day from a day on. `store` computes the same in SQL.
pub fn rounded_up(seconds: i64) -> i64 {
    if seconds < DAY_SECONDS {
        ((seconds.max(0) + HOUR_SECONDS - 1) / HOUR_SECONDS).max(1) * HOUR_SECONDS
    } else {
        (seconds + TENTH_DAY_SECONDS - 1) / TENTH_DAY_SECONDS * TENTH_DAY_SECONDS
    }
}

/// A duration as people read it, rounded up (see `rounded_up`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    Hours(i64),
    /// Tenths of a day: 25 is 2.5 days.
    DayTenths(i64),
}

pub fn span(seconds: i64) -> Span {
    let rounded = rounded_up(seconds);
    if rounded < DAY_SECONDS {
        Span::Hours(rounded / HOUR_SECONDS)
    } else {
        Span::DayTenths(rounded / TENTH_DAY_SECONDS)
    }
}

/// One service's timings, from how many of its completed applications took each rounded
/// duration (`(rounded seconds, applications)`, shortest first, as `store` reads them).
pub fn timings(histogram: &[(i64, i64)], promise_seconds: i64) -> Counts {
    let timed: i64 = histogram.iter().map(|(_, n)| n).sum();
    let within_promise = histogram.iter().filter(|(took, _)| *took <= promise_seconds).map(|(_, n)| n).sum();
    // Nearest rank: the duration at which the running count reaches the percentile's position.
    let at = |percentile: i64| {
        let position = nearest_rank(timed, percentile);
        let mut seen = 0;
        histogram.iter().find(|(_, n)| {
            seen += n;
            seen >= position
        })
        .map_or(0, |(took, _)| *took)
    };
    Counts { timed, within_promise, median_seconds: at(50), p90_seconds: at(90), ..Counts::default() }
}

/// The volumes of some services' counts (one service's, or an agency's), each published
/// through `publish`: `count` for one, `total` for several.
fn volumes(counts: &[Counts], publish: fn(&[i64]) -> Figure) -> Volumes {
    let each = |field: fn(&Counts) -> i64| publish(&counts.iter().map(field).collect::<Vec<_>>());
    Volumes {
        received_30: each(|c| c.received_30),
        received_90: each(|c| c.received_90),
        completed_30: each(|c| c.completed_30),
        completed_90: each(|c| c.completed_90),
        rejected_90: each(|c| c.rejected_90),
        in_progress: each(|c| c.in_progress),
    }
}

fn service_figures(service: &crate::services::catalogue::Service, counts: Counts) -> ServiceFigures {
    ServiceFigures {
        slug: service.slug.clone(),
        name: service.name.clone(),
        processing_days: service.processing_days,
        volumes: volumes(&[counts], |one| count(one[0])),
        median_seconds: computed_over(counts.timed, counts.median_seconds),
        p90_seconds: computed_over(counts.timed, counts.p90_seconds),
        within_promise_percent: computed_over(counts.timed, percent(counts.within_promise, counts.timed)),
    }
}

/// The page: every agency of the catalogue that has services, each service in catalogue
/// order with its figures (a service nobody applied for has zeros).
pub fn page(catalogue: &Catalogue, counts: &HashMap<String, Counts>, counted_at: i64) -> PerformancePage {
    let agencies = catalogue
        .agencies
        .iter()
        .filter_map(|agency| {
            let services: Vec<(&crate::services::catalogue::Service, Counts)> =
                catalogue.services.iter().filter(|s| s.agency == agency.slug).map(|s| (s, counts.get(&s.slug).copied().unwrap_or_default())).collect();
            if services.is_empty() {
                return None;
            }
            let all: Vec<Counts> = services.iter().map(|(_, c)| *c).collect();
            let timed: Vec<i64> = all.iter().map(|c| c.timed).collect();
            let within: i64 = all.iter().map(|c| c.within_promise).sum();
            // Like a total: not when it would tell about services whose own share is hidden.
            let within_promise_percent = match total(&timed) {
                Figure::Value(timed) => computed_over(timed, percent(within, timed)),
                Figure::FewerThanFive => Figure::FewerThanFive,
            };
            Some(AgencyFigures {
                slug: agency.slug.clone(),
                short_name: agency.short_name.clone(),
                name: agency.name.clone(),
                volumes: volumes(&all, total),
                within_promise_percent,
                services: services.into_iter().map(|(service, counts)| service_figures(service, counts)).collect(),
            })
        })
        .collect();
    PerformancePage { agencies, counted_at, degraded: false }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Figure::{FewerThanFive, Value};

    #[test]
    fn four_applications_are_hidden_and_five_are_shown() {
        assert_eq!(count(4), FewerThanFive);
        assert_eq!(count(5), Value(5));
        assert_eq!(count(1), FewerThanFive);
        // Nobody to single out.
        assert_eq!(count(0), Value(0));
        assert_eq!(computed_over(4, 86_400), FewerThanFive);
        assert_eq!(computed_over(5, 86_400), Value(86_400));
        assert_eq!(computed_over(0, 0), FewerThanFive, "no median of nothing");
    }

    #[test]
    fn a_total_never_gives_back_a_hidden_figure() {
        assert_eq!(total(&[10, 20]), Value(30));
        // 13 - 10 would be the hidden 3.
        assert_eq!(total(&[10, 3]), FewerThanFive);
        // Two hidden ones adding up to 5 or more: only their sum shows, which is not small.
        assert_eq!(total(&[10, 3, 4]), Value(17));
        // Two hidden ones adding up to 4 would give back "4 between them".
        assert_eq!(total(&[10, 2, 2]), FewerThanFive);
        assert_eq!(total(&[2, 2]), FewerThanFive);
        assert_eq!(total(&[3, 3]), Value(6));
        assert_eq!(total(&[0, 0]), Value(0));
        assert_eq!(total(&[]), Value(0));
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        // Even count: the median is the lower middle one (position ceil(4 × 0.5) = 2).
        assert_eq!(percentile(&[1, 2, 3, 4], 50), Some(2));
        assert_eq!(percentile(&[1, 2, 3, 4, 5], 50), Some(3));
        assert_eq!(percentile(&[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90), Some(90));
        assert_eq!(percentile(&[10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110], 90), Some(100));
        assert_eq!(percentile(&[7], 50), Some(7));
        assert_eq!(percentile(&[7], 90), Some(7));
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(nearest_rank(5, 90), 5);
        assert_eq!(nearest_rank(100, 90), 90);
        assert_eq!(nearest_rank(101, 90), 91);
    }

    #[test]
    fn shares_are_whole_percent_halves_up() {
        assert_eq!(percent(1, 8), 13); // 12.5
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(5, 5), 100);
        assert_eq!(percent(0, 5), 0);
        assert_eq!(percent(1, 0), 0);
    }

    #[test]
    fn durations_read_as_hours_then_days() {
        assert_eq!(span(0), Span::Hours(1), "within the hour");
        assert_eq!(span(3600), Span::Hours(1));
        assert_eq!(span(3601), Span::Hours(2));
        assert_eq!(span(DAY_SECONDS - 3601), Span::Hours(23));
        // 23 hours and a bit round up to 24 hours: a day.
        assert_eq!(span(DAY_SECONDS - 1), Span::DayTenths(10));
        assert_eq!(span(DAY_SECONDS), Span::DayTenths(10));
        assert_eq!(span(DAY_SECONDS * 5 / 2), Span::DayTenths(25));
        assert_eq!(span(DAY_SECONDS * 5 / 2 + 1), Span::DayTenths(26));
        assert_eq!(span(DAY_SECONDS * 14 + 3600), Span::DayTenths(141));
    }

    #[test]
    fn rounding_up_keeps_the_order_and_a_promise_of_whole_days() {
        let mut previous = 0;
        for seconds in (-10..20 * DAY_SECONDS).step_by(997) {
            let rounded = rounded_up(seconds);
            assert!(rounded >= seconds && rounded >= previous, "{seconds}");
            for days in [1, 3, 14] {
                assert_eq!(rounded <= days * DAY_SECONDS, seconds <= days * DAY_SECONDS, "{seconds} against {days} days");
            }
            previous = rounded;
        }
    }

    #[test]
    fn timings_come_from_the_counted_durations_by_nearest_rank() {
        let day = DAY_SECONDS;
        // 1, 2, 2, 3, 3, 3, 10 days: 7 in all, the median is the 4th, the 90th percentile the 7th.
        let histogram = [(day, 1), (2 * day, 2), (3 * day, 3), (10 * day, 1)];
        let found = timings(&histogram, 3 * day);
        assert_eq!((found.timed, found.within_promise, found.median_seconds, found.p90_seconds), (7, 6, 3 * day, 10 * day));
        let expanded: Vec<i64> = histogram.iter().flat_map(|(took, n)| std::iter::repeat_n(*took, *n as usize)).collect();
        assert_eq!(Some(found.median_seconds), percentile(&expanded, 50));
        assert_eq!(timings(&[], day), Counts::default());
    }

    #[test]
    fn the_page_lists_every_agency_and_hides_small_figures() {
        let catalogue = crate::services::catalogue_file::parse(crate::services::catalogue_file::BUILT_IN).unwrap();
        let mut counts = HashMap::new();
        counts.insert("passport".to_string(), Counts { received_30: 12, received_90: 40, completed_30: 9, completed_90: 30, rejected_90: 2, in_progress: 7, timed: 30, within_promise: 27, median_seconds: 9 * DAY_SECONDS, p90_seconds: 15 * DAY_SECONDS });
        counts.insert("driving-licence-renewal".to_string(), Counts { received_90: 4, completed_90: 4, timed: 4, within_promise: 4, median_seconds: 3600, p90_seconds: 7200, ..Default::default() });
        counts.insert("vehicle-search".to_string(), Counts { received_90: 20, completed_90: 20, timed: 20, within_promise: 19, ..Default::default() });
        let page = page(&catalogue, &counts, 1);
        assert_eq!(page.agencies.len(), catalogue.agencies.len());
        let immigration = &page.agencies[0];
        let passport = &immigration.services[0];
        assert_eq!((passport.slug.as_str(), passport.processing_days), ("passport", 14));
        assert_eq!(passport.volumes.received_90, Value(40));
        assert_eq!(passport.volumes.rejected_90, FewerThanFive);
        assert_eq!(passport.median_seconds, Value(9 * DAY_SECONDS));
        assert_eq!(passport.within_promise_percent, Value(90));
        // Immigration's only other figure is its passport's: the total hides nothing new...
        assert_eq!(immigration.volumes.received_90, Value(40));
        // ...except where the passport's own figure is hidden.
        assert_eq!(immigration.volumes.rejected_90, FewerThanFive);

        let ntsa = page.agencies.iter().find(|a| a.slug == "ntsa").unwrap();
        let licence = ntsa.services.iter().find(|s| s.slug == "driving-licence-renewal").unwrap();
        assert_eq!((licence.volumes.received_90, licence.median_seconds, licence.within_promise_percent), (FewerThanFive, FewerThanFive, FewerThanFive));
        // 24 = 20 shown + 4 hidden: the total would give the 4 back.
        assert_eq!(ntsa.volumes.received_90, FewerThanFive);
        assert_eq!(ntsa.within_promise_percent, FewerThanFive);
        // A service nobody applied for: zeros, and no timings.
        let fines = ntsa.services.iter().find(|s| s.slug == "ntsa-fines").unwrap();
        assert_eq!((fines.volumes.received_30, fines.volumes.in_progress, fines.median_seconds), (Value(0), Value(0), FewerThanFive));
    }
}
