//! The Kubernetes release calendar: which minor release is in development ("upcoming") on a
//! date. sig-node's tech-lead rule (R16) needs it: upstream's test asks GitHub for the newest
//! `releases/release-1.NN` folder of kubernetes/sig-release; offline, this table stands in.
//!
//! Rows are the published schedules (kubernetes/sig-release `releases/release-1.NN/README.md`,
//! copied in ../shared/release-calendar.md); a row marked `estimated` follows the rhythm of three
//! releases a year (cycles start about mid-January, mid-May and mid-September) until its schedule
//! is published. The table needs a new row each cycle: the test `table_covers_today` fails,
//! saying so, once today runs past the last row.

/// One release of the calendar. Dates are `YYYY-MM-DD` (UTC day).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReleaseRow {
    /// The minor version: 37 for v1.37.
    pub minor: u64,
    /// The first day of the release cycle.
    pub cycle_start: &'static str,
    /// The release day; the release is upcoming up to and including it.
    pub released: &'static str,
    /// Dates guessed from the rhythm, not yet published.
    pub estimated: bool,
}

const fn row(minor: u64, cycle_start: &'static str, released: &'static str, estimated: bool) -> ReleaseRow {
    ReleaseRow {
        minor,
        cycle_start,
        released,
        estimated,
    }
}

/// Oldest first.
pub(crate) const CALENDAR: &[ReleaseRow] = &[
    row(31, "2024-05-13", "2024-08-13", false),
    row(32, "2024-09-09", "2024-12-11", false),
    row(33, "2025-01-13", "2025-04-23", false),
    row(34, "2025-05-19", "2025-08-27", false),
    row(35, "2025-09-15", "2025-12-17", false),
    row(36, "2026-01-12", "2026-04-22", false),
    row(37, "2026-05-18", "2026-08-26", false),
    // Not yet published when this row was written: by the rhythm, mid-September to mid-December.
    row(38, "2026-09-14", "2026-12-16", true),
    // Likewise: mid-January to late April, as v1.33 and v1.36 ran.
    row(39, "2027-01-11", "2027-04-21", true),
];

/// The release in development on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UpcomingRelease {
    /// The minor version: 37 for v1.37.
    pub minor: u64,
    /// Whether the calendar only guessed it: a row marked estimated, or a date past the last row
    /// (then one more release per four months after the last row's release day).
    pub estimated: bool,
}

impl UpcomingRelease {
    /// `v1.37`.
    pub(crate) fn name(self) -> String {
        format!("v1.{}", self.minor)
    }
}

/// The release upcoming on `date` (`YYYY-MM-DD`): the first release of the calendar whose
/// release day is `date` or later (between a release and the next cycle's start the next release
/// is upcoming, as the release team counts it). `None` when `date` is not a date.
pub(crate) fn upcoming_release(date: &str) -> Option<UpcomingRelease> {
    let (year, month) = year_month(date)?;
    if let Some(r) = CALENDAR.iter().find(|r| r.released >= date) {
        return Some(UpcomingRelease {
            minor: r.minor,
            estimated: r.estimated,
        });
    }
    // Past the table: count on from the last row, one release per four months.
    let last = CALENDAR.last()?;
    let (last_year, last_month) = year_month(last.released)?;
    let months = (year * 12 + month).saturating_sub(last_year * 12 + last_month);
    Some(UpcomingRelease {
        minor: last.minor + 1 + months / 4,
        estimated: true,
    })
}

/// The year and month of a `YYYY-MM-DD` date.
fn year_month(date: &str) -> Option<(u64, u64)> {
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u64> {
        let part = date.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month))
}

/// `v1.37`, `1.37`, `v1.37.0` (surrounding spaces and quotes allowed): the minor version 37, as
/// upstream's `parseMilestoneMinor` reads a milestone. `None` for anything else.
pub(crate) fn parse_release(s: &str) -> Option<u64> {
    let s = s.trim().trim_matches('"').trim();
    let s = s.strip_prefix('v').unwrap_or(s);
    let mut parts = s.splitn(3, '.');
    let (major, minor) = (parts.next()?, parts.next()?);
    if major != "1" || minor.is_empty() || !minor.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(patch) = parts.next()
        && (patch.is_empty() || !patch.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    minor.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(date: &str) -> (u64, bool) {
        let r = upcoming_release(date).unwrap();
        (r.minor, r.estimated)
    }

    #[test]
    fn release_in_development_by_date() {
        // Inside a cycle.
        assert_eq!(on("2026-07-01"), (37, false));
        // The release day itself still belongs to that release.
        assert_eq!(on("2026-08-26"), (37, false));
        // The gap between a release and the next cycle: the next release is upcoming.
        assert_eq!(on("2026-08-27"), (38, true));
        assert_eq!(on("2026-04-23"), (37, false));
        assert_eq!(on("2026-01-01"), (36, false));
        // Before the table: its first row.
        assert_eq!(on("2020-01-01"), (31, false));
        // Between v1.38's release and v1.39's (estimated) cycle.
        assert_eq!(on("2026-12-17"), (39, true));
        // Past the table: estimated, one more per four months.
        assert_eq!(on("2027-04-30"), (40, true));
        assert_eq!(upcoming_release("2026-13-01"), None);
        assert_eq!(upcoming_release("soon"), None);
        assert_eq!(upcoming_release("2026-07-01").unwrap().name(), "v1.37");
    }

    #[test]
    fn rows_follow_each_other() {
        for pair in CALENDAR.windows(2) {
            assert_eq!(pair[1].minor, pair[0].minor + 1);
            assert!(pair[0].released < pair[1].cycle_start, "{pair:?}");
        }
        for r in CALENDAR {
            assert!(r.cycle_start < r.released, "{r:?}");
            assert!(year_month(r.cycle_start).is_some() && year_month(r.released).is_some());
        }
    }

    /// Fails once today is past the last row's release day: the calendar then only guesses.
    #[test]
    fn table_covers_today() {
        let today = crate::clock::today_utc();
        let last = CALENDAR.last().unwrap();
        assert!(
            today.as_str() <= last.released,
            "today ({today}) is past the last row of the release calendar (v1.{} released {}): add a row \
             for the next release to src/knowledge/release_calendar.rs (its schedule is in kubernetes/sig-release \
             releases/release-1.{}/README.md), and mark rows estimated until the schedule is published",
            last.minor,
            last.released,
            last.minor + 1
        );
    }

    #[test]
    fn release_names() {
        assert_eq!(parse_release("v1.37"), Some(37));
        assert_eq!(parse_release(" \"1.38\" "), Some(38));
        assert_eq!(parse_release("v1.37.2"), Some(37));
        assert_eq!(parse_release("v2.1"), None);
        assert_eq!(parse_release("v1."), None);
        assert_eq!(parse_release("v1.x"), None);
        assert_eq!(parse_release("37"), None);
    }
}
