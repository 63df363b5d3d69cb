//! A KEP milestone (`v1.30`) as upstream's Go code reads it: semver's `ParseTolerant`.

/// (major, minor, patch).
pub(crate) type Version = (u64, u64, u64);

/// A version as semver's `ParseTolerant` reads it (`v1.30`, `1.30`, `1.30.0`, `v1`): (major,
/// minor, patch), or `None` when it does not parse.
pub(crate) fn parse_milestone(s: &str) -> Option<Version> {
    let s = s.trim();
    let s = s.strip_prefix('v').unwrap_or(s);
    let parts: Vec<&str> = s.splitn(3, '.').collect();
    if parts.len() < 3 && parts.last().is_some_and(|p| p.contains(['+', '-'])) {
        return None;
    }
    let num = |p: &str| -> Option<u64> {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    let major = num(parts.first()?)?;
    let minor = match parts.get(1) {
        Some(p) => num(p)?,
        None => 0,
    };
    let patch = match parts.get(2) {
        Some(p) => {
            // A pre-release or build suffix is allowed on a full version.
            let core = p.split(['-', '+']).next().unwrap_or("");
            let rest = &p[core.len()..];
            if rest == "-" || rest == "+" {
                return None;
            }
            num(core)?
        }
        None => 0,
    };
    Some((major, minor, patch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milestones_parse_like_semver_parse_tolerant() {
        assert_eq!(parse_milestone("v1.30"), Some((1, 30, 0)));
        assert_eq!(parse_milestone("1.24"), Some((1, 24, 0)));
        assert_eq!(parse_milestone(" v1 "), Some((1, 0, 0)));
        assert_eq!(parse_milestone("v1.30.2-rc.1"), Some((1, 30, 2)));
        assert_eq!(parse_milestone("v1.3x"), None);
        assert_eq!(parse_milestone("v1.30-beta"), None);
        assert_eq!(parse_milestone(""), None);
        assert_eq!(parse_milestone("TBD"), None);
    }
}
