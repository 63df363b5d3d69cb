//! The hover text for the findings under the cursor: each code with its one-line summary (the
//! `docs/diagnostics.md` heading's first sentence, from `Code::summary`), so the explanation is
//! at hand in clients that show a diagnostic's code but not its documentation, and a link only
//! where a documentation address is configured (`docsUrl`), never a made-up one.

use std::ops::Range;

use crate::analysis::Finding;

/// Markdown naming each distinct code of the `findings` whose byte range holds `offset` (a byte
/// offset; an empty range holds its own start), in the findings' order, and the byte range they
/// cover together. `None` when no finding is there. `link(code)` gives the documentation address
/// of a code, when one is configured.
pub(crate) fn findings_hover(
    findings: &[Finding],
    offset: usize,
    link: impl Fn(&str) -> Option<String>,
) -> Option<(String, Range<usize>)> {
    let here: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.range.contains(&offset) || f.range.start == offset)
        .collect();
    let start = here.iter().map(|f| f.range.start).min()?;
    let end = here.iter().map(|f| f.range.end).max()?;
    let mut codes = Vec::new();
    for f in &here {
        if !codes.contains(&f.code) {
            codes.push(f.code);
        }
    }
    let lines: Vec<String> = codes
        .iter()
        .map(|code| {
            let name = code.as_str();
            let more = link(name).map_or_else(
                || format!(" (`kep-lsp rule {name}`)"),
                |url| format!(" ([more]({url}))"),
            );
            format!("**`{name}`**: {}{more}", code.summary())
        })
        .collect();
    Some((lines.join("\n\n"), start..end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Code;

    #[test]
    fn names_each_code_under_the_cursor_once_with_its_summary() {
        let findings = vec![
            Finding::new(Code::InvalidStatus, 8..19, "invalid status"),
            Finding::new(Code::InvalidStatus, 10..12, "again"),
            Finding::new(Code::TocStale, 30..40, "elsewhere"),
        ];
        let (md, range) = findings_hover(&findings, 10, |_| None).unwrap();
        assert_eq!(
            md,
            format!(
                "**`invalid-status`**: {} (`kep-lsp rule invalid-status`)",
                Code::InvalidStatus.summary()
            )
        );
        assert_eq!(range, 8..19);
        assert_eq!(findings_hover(&findings, 25, |_| None), None);
        let (md, _) = findings_hover(&findings, 30, |c| Some(format!("https://d.example/#{c}"))).unwrap();
        assert!(md.ends_with(" ([more](https://d.example/#toc-stale))"), "{md}");
    }
}
