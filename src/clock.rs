//! Today's date (UTC) as `YYYY-MM-DD` for the core's future-date checks, from the system clock:
//! the one clock reader, shared by both edges (`cli`, `lsp`); the core takes the date as input.
//! Hand-rolled (Howard Hinnant's days-to-civil) rather than a date crate: it is the only date
//! arithmetic the binary needs.

use std::time::{SystemTime, UNIX_EPOCH};

pub(crate) fn today_utc() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_from_days((secs / 86_400) as i64)
}

/// `days` since 1970-01-01 to `YYYY-MM-DD`.
pub(crate) fn civil_from_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_to_dates() {
        assert_eq!(civil_from_days(0), "1970-01-01");
        assert_eq!(civil_from_days(11_016), "2000-02-29");
        assert_eq!(civil_from_days(20_454), "2026-01-01");
    }
}
