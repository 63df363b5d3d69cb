//! Headings of a Markdown text with byte ranges and section extents, for the README outline,
//! folding, hover and section completion.
//!
//! A hand-rolled line scan rather than a pulldown-cmark pass because completion runs on every
//! keystroke on READMEs of 150 KB: the scan reads ATX headings (`## Title`), skipping fenced code,
//! HTML comments (the template's guidance) and a legacy KEP's front matter. A setext heading
//! (`Title` over `===` or `---`) needs paragraph rules to tell from a thematic break, so when the
//! scan meets a line that may underline one it hands the text to the exact CommonMark outline
//! (`syntax::outline`) instead; KEP READMEs rarely have such lines, so the fast path is the
//! usual one.

use std::ops::Range;

use crate::syntax::front_matter;
use crate::syntax::outline;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: usize,
    /// The heading text without `#`s and surrounding spaces (closing `#`s dropped).
    pub text: String,
    /// The heading line without its line break.
    pub line: Range<usize>,
    /// The text part of the line.
    pub text_range: Range<usize>,
    /// From the heading to the start of the next heading of the same or a higher level (or the
    /// end of the text), trailing blank lines excluded.
    pub section: Range<usize>,
}

/// The headings of `text`, in order.
pub fn headings(text: &str) -> Vec<Heading> {
    let body = body_start(text);
    match scan_atx(text, body) {
        Some(out) => close_sections(text, out),
        None => close_sections(text, exact(text, body)),
    }
}

/// Where the Markdown starts: after a legacy KEP's front matter (whose YAML comments would
/// otherwise read as `#` headings), else 0.
fn body_start(text: &str) -> usize {
    let Some(block) = front_matter::closed_block(text) else {
        return 0;
    };
    match text[block.end..].find('\n') {
        Some(i) => block.end + i + 1,
        None => text.len(),
    }
}

/// The ATX headings from `from` on, or `None` when a line may be a setext underline (a run of
/// `=` or `-` right under a text line), which only the CommonMark parser can settle.
fn scan_atx(text: &str, from: usize) -> Option<Vec<Heading>> {
    let mut out: Vec<Heading> = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut in_comment = false;
    let mut after_text = false;
    let mut pos = from;
    while pos <= text.len() {
        let rest = &text[pos..];
        // memchr: a `str::find` per line was most of a scan (one hover or completion reads
        // every line of a 150 KB README).
        let len = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
        let mut line = &rest[..len];
        if let Some(stripped) = line.strip_suffix('\r') {
            line = stripped;
        }
        let start = pos;
        pos += len + 1;
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if let Some((ch, n)) = fence {
            let run = trimmed.bytes().take_while(|&b| b == ch).count();
            if indent < 4 && run >= n && trimmed[run..].trim().is_empty() {
                fence = None;
            }
            continue;
        }
        if in_comment {
            if memchr::memmem::find(line.as_bytes(), b"-->").is_some() {
                in_comment = false;
            }
            continue;
        }
        let was_after_text = std::mem::replace(&mut after_text, false);
        // Any indent: inside a list item an underline sits deeper than 3 spaces.
        if was_after_text && is_underline(trimmed) {
            return None;
        }
        if indent < 4 {
            let first = trimmed.bytes().next();
            if first == Some(b'`') || first == Some(b'~') {
                let ch = first.unwrap_or(b'`');
                let run = trimmed.bytes().take_while(|&b| b == ch).count();
                // A backtick fence's info string has no backtick (else it is inline code).
                if run >= 3 && !(ch == b'`' && trimmed[run..].contains('`')) {
                    fence = Some((ch, run));
                    continue;
                }
            }
            if let Some(after) = trimmed.strip_prefix("<!--") {
                in_comment = !after.contains("-->");
                continue;
            }
            let level = trimmed.bytes().take_while(|&b| b == b'#').count();
            let after = &trimmed[level..];
            if (1..=6).contains(&level) && (after.is_empty() || after.starts_with([' ', '\t'])) {
                let mut body = after.trim();
                // A closing sequence of `#`s preceded by a space is not part of the text.
                let no_hashes = body.trim_end_matches('#');
                if no_hashes.is_empty() || no_hashes.ends_with([' ', '\t']) {
                    body = no_hashes.trim_end();
                }
                let text_start = if body.is_empty() {
                    start + line.len()
                } else {
                    start + indent + level + (after.len() - after.trim_start().len())
                };
                out.push(Heading {
                    level,
                    text: body.to_string(),
                    line: start..start + line.len(),
                    text_range: text_start..text_start + body.len(),
                    section: start..text.len(),
                });
                continue;
            }
        }
        // A `#` under list markers, `>` or deep indent may be a heading in a container, which
        // only the parser can settle.
        let inner = strip_containers(trimmed.trim_start());
        if inner.starts_with('#') && (indent >= 4 || inner.len() != trimmed.len()) {
            return None;
        }
        after_text = !trimmed.trim().is_empty();
    }
    Some(out)
}

/// The line without leading block-quote markers and list-item markers (`> `, `- `, `1. `).
fn strip_containers(mut s: &str) -> &str {
    loop {
        let t = s.trim_start();
        if let Some(rest) = t.strip_prefix('>') {
            s = rest;
            continue;
        }
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        let marker = match t.as_bytes().get(digits) {
            Some(b'.' | b')') if (1..=9).contains(&digits) => digits + 1,
            Some(b'-' | b'*' | b'+') if digits == 0 => 1,
            _ => return t,
        };
        match t.as_bytes().get(marker) {
            Some(b' ' | b'\t') => s = &t[marker..],
            _ => return t,
        }
    }
}

/// `===` or `---` (any length, trailing spaces allowed): what may underline a setext heading.
fn is_underline(trimmed: &str) -> bool {
    let t = trimmed.trim_end();
    !t.is_empty() && (t.bytes().all(|b| b == b'=') || t.bytes().all(|b| b == b'-'))
}

/// Every heading, ATX and setext, as the CommonMark outline finds them (the front matter
/// blanked out byte for byte, so offsets stay those of `text`).
fn exact(text: &str, body: usize) -> Vec<Heading> {
    let outline = if body == 0 {
        outline::outline(text)
    } else {
        let blanked: String = text[..body]
            .bytes()
            .map(|b| if b == b'\n' { '\n' } else { ' ' })
            .chain(text[body..].chars())
            .collect();
        outline::outline(&blanked)
    };
    outline
        .headings
        .into_iter()
        .map(|h| Heading {
            level: usize::from(h.level),
            // A setext heading's text may span lines: one line in an outline.
            text: text
                .get(h.text_range.clone())
                .unwrap_or_default()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            line: h.line,
            text_range: h.text_range,
            section: h.section,
        })
        .collect()
}

/// Close each section at the next heading of the same or a higher level, trailing blank lines
/// excluded.
fn close_sections(text: &str, mut out: Vec<Heading>) -> Vec<Heading> {
    for i in 0..out.len() {
        let level = out[i].level;
        let end = out[i + 1..]
            .iter()
            .find(|h| h.level <= level)
            .map(|h| h.line.start)
            .unwrap_or(text.len());
        let start = out[i].section.start;
        let trimmed_end = start + text[start..end].trim_end().len();
        out[i].section = start..trimmed_end.max(out[i].line.end);
    }
    out
}

/// A heading text reduced for lenient comparison (lower case, letters and digits only).
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_skip_code_and_comments() {
        let text = "# KEP-1: T\n<!--\n# not\n-->\n## Summary ##\ntext\n```\n## code\n```\n### Goals\n\n## Motivation\n";
        let hs = headings(text);
        let names: Vec<(usize, &str)> = hs.iter().map(|h| (h.level, h.text.as_str())).collect();
        assert_eq!(
            names,
            [(1, "KEP-1: T"), (2, "Summary"), (3, "Goals"), (2, "Motivation")]
        );
        assert_eq!(
            &text[hs[1].section.clone()],
            "## Summary ##\ntext\n```\n## code\n```\n### Goals"
        );
        assert_eq!(&text[hs[1].text_range.clone()], "Summary");
        assert_eq!(hs[0].section.end, text.trim_end().len());
    }

    #[test]
    fn setext_headings_and_thematic_breaks() {
        let text = "# KEP-9: T\n\nSummary\n=======\n\ntext\n\n---\n\nGoals and\nNon-Goals\n---------\n- a\n\n## Proposal\n";
        let hs = headings(text);
        let names: Vec<(usize, &str)> = hs.iter().map(|h| (h.level, h.text.as_str())).collect();
        assert_eq!(
            names,
            [
                (1, "KEP-9: T"),
                (1, "Summary"),
                (2, "Goals and Non-Goals"),
                (2, "Proposal")
            ]
        );
        assert_eq!(&text[hs[1].text_range.clone()], "Summary");
        assert_eq!(
            &text[hs[2].section.clone()],
            "Goals and\nNon-Goals\n---------\n- a"
        );
        // A `---` under a blank line is a thematic break: the fast path answers alone.
        assert_eq!(scan_atx(text, 0), None);
        assert!(scan_atx("## A\n\n---\n\ntext\n", 0).is_some());
        assert!(scan_atx("## A\n---\n", 0).is_some());
    }

    #[test]
    fn front_matter_comments_are_not_headings() {
        let text = "---\ntitle: T\n# a YAML comment\nstatus: provisional\n---\n\n# T\n\n## Summary\n";
        let names: Vec<String> = headings(text).into_iter().map(|h| h.text).collect();
        assert_eq!(names, ["T", "Summary"]);
        // With an underline candidate below the front matter, the exact path agrees.
        let text = format!("{text}\nMotivation\n----------\n");
        let hs = headings(&text);
        let names: Vec<(usize, &str)> = hs.iter().map(|h| (h.level, h.text.as_str())).collect();
        assert_eq!(names, [(1, "T"), (2, "Summary"), (2, "Motivation")]);
        assert_eq!(&text[hs[2].section.clone()], "Motivation\n----------");
    }

    /// The fast scan and the CommonMark outline agree on every real README (reads
    /// ../shared/enhancements; skipped with a note when it is absent).
    #[test]
    fn fast_scan_agrees_with_commonmark_on_real_readmes() {
        let files = crate::test_corpus::kep_files(|p| p.extension().is_some_and(|x| x == "md"));
        if files.is_empty() {
            return;
        }
        let (mut fast, mut total) = (0, 0);
        for (path, text) in files {
            total += 1;
            let body = body_start(&text);
            let Some(scanned) = scan_atx(&text, body) else {
                continue;
            };
            fast += 1;
            // Compared by line: the outline starts an indented heading at its `#`.
            let line_of = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
            let key = |hs: Vec<Heading>| -> Vec<(usize, usize, usize)> {
                close_sections(&text, hs)
                    .into_iter()
                    .map(|h| (h.level, line_of(h.line.start), h.section.end))
                    .collect()
            };
            assert_eq!(key(scanned), key(exact(&text, body)), "{}", path.display());
        }
        eprintln!("{fast} of {total} Markdown files take the fast path");
        assert!(fast * 10 > total * 9, "{fast} of {total}");
    }

    #[test]
    fn odd_input() {
        for t in ["", "#", "#\n", "####### x", "# é😀 #", "```\n# x"] {
            for h in headings(t) {
                assert!(t.is_char_boundary(h.text_range.start) && h.section.end <= t.len());
            }
        }
        assert_eq!(headings("#")[0].text, "");
    }
}
