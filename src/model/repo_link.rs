//! Where a relative link in a KEP file points inside the repository, as GitHub resolves it: the
//! one reading shared by the broken-link rule (`analysis::rules::readme::links`) and the
//! editor's link features (go to definition, references, rename).

/// Resolve `link` (a path, no `#anchor`, already percent-decoded) against `dir`, the linking
/// file's folder (repo-relative, `/`-separated, no trailing `/`). A link starting with `/` is
/// relative to the repository root (GitHub's rule); `.` and empty segments are dropped, `..`
/// climbs. `None` when the link climbs above the root (it points into another repository's tree).
pub(crate) fn resolve(dir: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = if link.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// `%20` and friends decoded, as GitHub compares link paths and anchors. An invalid sequence
/// (`%2` at the end, `%zz`) stays as written; when the decoded bytes are not UTF-8 the text is
/// returned unchanged.
pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolution() {
        assert_eq!(
            resolve("keps/sig-a/1-x", "img.png").as_deref(),
            Some("keps/sig-a/1-x/img.png")
        );
        assert_eq!(
            resolve("keps/sig-a/1-x", "../2-y/README.md").as_deref(),
            Some("keps/sig-a/2-y/README.md")
        );
        assert_eq!(
            resolve("keps/sig-a/1-x", "/keps/sig-b").as_deref(),
            Some("keps/sig-b")
        );
        assert_eq!(resolve("keps/sig-a/1-x", "../../../../x"), None);
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b%2"), "a b%2");
        assert_eq!(percent_decode("%zz%C3%A9"), "%zzé");
        assert_eq!(percent_decode("%FF"), "%FF");
    }
}
