//! A calendar date `YYYY-MM-DD` (creation-date, last-updated, the `--today` of the command
//! line): the one reader of dates, with a real month and day.

/// A calendar date `YYYY-MM-DD`, or why not.
pub(crate) fn parse_date(s: &str) -> Result<(u32, u32, u32), String> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err("not in the form YYYY-MM-DD".into());
    }
    let y: u32 = s[0..4].parse().map_err(|_| "bad year")?;
    let m: u32 = s[5..7].parse().map_err(|_| "bad month")?;
    let d: u32 = s[8..10].parse().map_err(|_| "bad day")?;
    if !(1..=12).contains(&m) {
        return Err(format!("there is no month {m}"));
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if d == 0 || d > days {
        return Err(format!("month {m} has no day {d}"));
    }
    Ok((y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("2024-02-29"), Ok((2024, 2, 29)));
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("2025-30-01").unwrap_err().contains("month 30"));
        assert!(parse_date("yyyy-mm-dd").is_err());
        assert!(parse_date("2019-1-1").is_err());
        assert!(parse_date("2026-11-25").is_ok());
        assert!(parse_date("2026-13-01").is_err());
        assert!(parse_date("26-11-25").is_err());
    }
}
