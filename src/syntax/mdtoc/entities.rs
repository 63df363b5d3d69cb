//! Go's `html.UnescapeString`, which gomarkdown's renderer applies to link text and link
//! destinations, for the character references KEP text uses. Hand-rolled rather than a
//! crate: Go's rules (numeric references without `;`, the Windows-1252 remap of `&#128;`..
//! `&#159;`, legacy names without `;` matched by longest prefix) are what must be followed,
//! and only a handful of names ever occur; unknown names stay as written, as in Go.

/// Named references: (name, text, legacy form valid without `;`).
const NAMED: &[(&str, &str, bool)] = &[
    ("amp", "&", true),
    ("AMP", "&", true),
    ("lt", "<", true),
    ("LT", "<", true),
    ("gt", ">", true),
    ("GT", ">", true),
    ("quot", "\"", true),
    ("QUOT", "\"", true),
    ("apos", "'", false),
    ("nbsp", "\u{a0}", true),
    ("copy", "\u{a9}", true),
    ("COPY", "\u{a9}", true),
    ("reg", "\u{ae}", true),
    ("REG", "\u{ae}", true),
    ("trade", "\u{2122}", false),
    ("mdash", "\u{2014}", false),
    ("ndash", "\u{2013}", false),
    ("hellip", "\u{2026}", false),
    ("lsquo", "\u{2018}", false),
    ("rsquo", "\u{2019}", false),
    ("ldquo", "\u{201c}", false),
    ("rdquo", "\u{201d}", false),
    ("times", "\u{d7}", true),
    ("deg", "\u{b0}", true),
    ("middot", "\u{b7}", true),
    ("laquo", "\u{ab}", true),
    ("raquo", "\u{bb}", true),
    ("euro", "\u{20ac}", false),
    ("rarr", "\u{2192}", false),
    ("larr", "\u{2190}", false),
];

/// Windows-1252 characters that Go substitutes for `&#128;`..`&#159;`.
const CP1252: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{2C6}',
    '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}', '\u{90}', '\u{2018}',
    '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{2DC}', '\u{2122}', '\u{161}',
    '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
];

/// Replace the character references of `s`.
pub(super) fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match reference(after) {
            Some((text, used)) => {
                out.push_str(&text);
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The reference at the start of `s` (after `&`): its text and the bytes it used.
fn reference(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    if b.first() == Some(&b'#') {
        let (hex, start) = match b.get(1) {
            Some(b'x' | b'X') => (true, 2),
            _ => (false, 1),
        };
        let digits = b[start..]
            .iter()
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return None;
        }
        let mut end = start + digits;
        let text = &s[start..end];
        if b.get(end) == Some(&b';') {
            end += 1;
        }
        let cp = u32::from_str_radix(text, if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
        let c = match cp {
            0x80..=0x9F => CP1252[(cp - 0x80) as usize],
            0 | 0xD800..=0xDFFF => '\u{FFFD}',
            _ => char::from_u32(cp).unwrap_or('\u{FFFD}'),
        };
        return Some((c.to_string(), end));
    }
    let name_len = b.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
    let name = &s[..name_len];
    if b.get(name_len) == Some(&b';')
        && let Some((_, text, _)) = NAMED.iter().find(|(n, _, _)| *n == name)
    {
        return Some((text.to_string(), name_len + 1));
    }
    // Legacy names need no `;`: the longest one that prefixes the name.
    NAMED
        .iter()
        .filter(|(n, _, legacy)| *legacy && name.starts_with(n))
        .max_by_key(|(n, _, _)| n.len())
        .map(|(n, text, _)| (text.to_string(), n.len()))
}

#[cfg(test)]
mod tests {
    use super::unescape;

    #[test]
    fn references() {
        assert_eq!(
            unescape("a &amp; b &lt;c&gt; &#65;&#x42; &copy2026 &bogus; &"),
            "a & b <c> AB ©2026 &bogus; &"
        );
        assert_eq!(unescape("&#150;&#0;"), "\u{2013}\u{FFFD}");
    }
}
