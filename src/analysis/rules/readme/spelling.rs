//! `misspelling` (R14): upstream's hack/verify-spelling.sh runs client9/misspell, a list of
//! common English misspellings. We use the typos-dict list (crate-ci/typos, well kept and larger)
//! on prose only: Markdown text outside code blocks, code spans, URLs and identifiers.
//!
//! typos-dict was made for source code, so on words misspell would accept it can be stricter;
//! the rule is therefore `info` and separate from `check_readme` (see the corpus counts in the
//! report) for the caller to enable.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::analysis::{Code, Finding, Fix, TextEdit};
use crate::syntax::outline::markdown_options;

/// Misspelled prose words of a Markdown text, each with its correction(s).
pub fn check_misspellings(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut code_depth = 0usize;
    // pulldown splits text at `_`, `*`, `:`...; words and URLs are read from the merged run.
    let mut run: Option<Range<usize>> = None;
    for (event, range) in Parser::new_ext(text, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code_depth += 1,
            Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
            Event::Text(_) if code_depth == 0 => match run.as_mut() {
                Some(r) if r.end == range.start => r.end = range.end,
                _ => {
                    if let Some(r) = run.replace(range) {
                        scan(text, r, &mut out);
                    }
                }
            },
            _ => {}
        }
    }
    if let Some(r) = run {
        scan(text, r, &mut out);
    }
    out
}

/// Check the words of one text span of the source.
fn scan(text: &str, range: Range<usize>, out: &mut Vec<Finding>) {
    let Some(src) = text.get(range.clone()) else {
        return;
    };
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Skip URLs and paths-like tokens whole: from here to the next whitespace.
        let rest = &bytes[i..];
        if rest.starts_with(b"http://") || rest.starts_with(b"https://") || rest.starts_with(b"www.") {
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            continue;
        }
        if !bytes[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let word = &src[start..i];
        let glued = |b: Option<&u8>| {
            b.is_some_and(|&c| {
                c.is_ascii_digit()
                    || matches!(
                        c,
                        b'_' | b'/' | b'.' | b'-' | b'@' | b'#' | b'$' | b'\\' | b'=' | b'<' | b'>'
                    )
                    || !c.is_ascii()
            })
        };
        // Identifiers, paths, flags, file names, handles: not prose.
        let before = start.checked_sub(1).and_then(|p| bytes.get(p));
        let after_is_dot_word =
            bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric());
        if glued(before)
            || (glued(bytes.get(i)) && !matches!(bytes.get(i), Some(b'.' | b'-')))
            || after_is_dot_word
        {
            continue;
        }
        if bytes.get(i) == Some(&b'-') && bytes.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        if word.len() < 4 || is_identifier_like(word) {
            continue;
        }
        let Some(corrections) = typos_dict::WORD.find(&unicase::UniCase::new(word)) else {
            continue;
        };
        if corrections.is_empty() {
            continue;
        }
        let at = range.start + start..range.start + i;
        let fixed: Vec<String> = corrections.iter().map(|c| match_case(word, c)).collect();
        let mut f = Finding::new(
            Code::Misspelling,
            at.clone(),
            format!(
                "\"{word}\" is a common misspelling of \"{}\".",
                fixed.join("\", \"")
            ),
        );
        for c in fixed {
            f = f.with_fix(Fix::new(
                format!("Replace with \"{c}\""),
                vec![TextEdit::new(at.clone(), c)],
            ));
        }
        out.push(f);
    }
}

/// camelCase, PascalCase with inner capitals, ALLCAPS: names, not English words.
fn is_identifier_like(word: &str) -> bool {
    let upper = word.bytes().filter(|b| b.is_ascii_uppercase()).count();
    upper > 1 || word.bytes().skip(1).any(|b| b.is_ascii_uppercase())
}

/// Give the correction the word's capitalization (`Recieve` -> `Receive`).
fn match_case(word: &str, correction: &str) -> String {
    if word.starts_with(|c: char| c.is_ascii_uppercase()) {
        let mut c = correction.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    } else {
        correction.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::apply_edits;

    #[test]
    fn prose_only() {
        let text = "We recieve events.\n\n```\nrecieve\n```\n\n`recieve` and https://x/recieve \
                    and recieve_fn and pkg/recieve and fooRecieve.\n\nRecieve it.\n";
        let f = check_misspellings(text);
        let hits: Vec<&str> = f.iter().map(|f| &text[f.range.clone()]).collect();
        assert_eq!(hits, vec!["recieve", "Recieve"]);
        assert_eq!(
            f[0].message,
            "\"recieve\" is a common misspelling of \"receive\"."
        );
        let fixed = apply_edits(
            text,
            &[f[0].fixes[0].edits[0].clone(), f[1].fixes[0].edits[0].clone()],
        );
        assert!(fixed.starts_with("We receive events.") && fixed.contains("\n\nReceive it.\n"));
        assert!(check_misspellings(&fixed).is_empty());
        // Non-ASCII around words (typographic apostrophes, emoji) must not trip the scanner.
        let odd = "providers’ recieve 😀recieve ü\u{301}recieve’s";
        let hits: Vec<&str> = check_misspellings(odd)
            .iter()
            .map(|f| &odd[f.range.clone()])
            .collect();
        assert_eq!(hits, vec!["recieve"]);
    }
}
