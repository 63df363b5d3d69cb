//! `kep-lsp rule CODE`: a diagnostic code's documentation, as `ruff rule` prints a rule's.
//!
//! The text is the code's section of `docs/diagnostics.md`, embedded in the binary at build time,
//! so it is the page of the version that runs and needs no network; `kep-lsp rule --all` lists
//! every code from the code table (`analysis::codes`) with its default severity and summary.

use std::fmt::Write as _;

use clap::Args;

use crate::analysis::Code;

/// docs/diagnostics.md as built into this binary.
const DIAGNOSTICS_MD: &str = include_str!("../../docs/diagnostics.md");

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["code", "all"])))]
pub struct RuleArgs {
    /// The diagnostic code, as printed in brackets by `check` (e.g. `unknown-sig`).
    pub code: Option<String>,
    /// List every code with its default severity, upstream rule and summary.
    #[arg(long, conflicts_with = "code")]
    pub all: bool,
}

/// Prints what `args` asks for on stdout. Exit code: 0, or 2 for an unknown code (the message,
/// with a did-you-mean when a code is close, goes to stderr).
pub fn run_rule(args: &RuleArgs) -> i32 {
    if args.all {
        out!("{}", render_all());
        return 0;
    }
    let name = args.code.as_deref().unwrap_or_default();
    match Code::parse(name.trim()) {
        Some(code) => {
            out!("{}", render_rule(code));
            0
        }
        None => {
            eprintln!("error: {}", unknown_code_message(name));
            2
        }
    }
}

/// One code's page: a header line from the code table, its summary, then its section of
/// docs/diagnostics.md (Markdown, as written there). Ends with a newline.
pub(crate) fn render_rule(code: Code) -> String {
    let mut out = format!("{} ({}", code.as_str(), code.default_severity().as_str());
    match code.upstream_rule() {
        Some(r) => out.push_str(&format!(", upstream {r}")),
        None => out.push_str(", not checked upstream"),
    }
    if code.is_opt_in() {
        out.push_str(", off unless enabled");
    }
    out.push_str(")\n\n");
    out.push_str(code.summary());
    out.push('\n');
    if let Some(section) = doc_section(DIAGNOSTICS_MD, code.as_str()) {
        out.push('\n');
        out.push_str(section);
        out.push('\n');
    }
    out
}

/// Every code, one a line: name, default severity, upstream rule (`-` when none), summary.
pub(crate) fn render_all() -> String {
    let width = Code::ALL.iter().map(|c| c.as_str().len()).max().unwrap_or(0);
    let mut out = String::new();
    for code in Code::ALL {
        let opt_in = if code.is_opt_in() { " (opt-in)" } else { "" };
        let _ = writeln!(
            out,
            "{:width$}  {:7}  {:3}  {}{opt_in}",
            code.as_str(),
            code.default_severity().as_str(),
            code.upstream_rule().unwrap_or("-"),
            code.summary(),
        );
    }
    out
}

fn unknown_code_message(name: &str) -> String {
    let near = Code::ALL
        .iter()
        .map(|c| (strsim::levenshtein(name, c.as_str()), c.as_str()))
        .min()
        .filter(|(d, _)| *d <= 3)
        .map(|(_, c)| format!(": did you mean `{c}`?"))
        .unwrap_or_default();
    format!("unknown diagnostic code `{name}`{near} (`kep-lsp rule --all` lists them)")
}

/// The body of the section headed ``## `code` `` in `doc`: from the line after the heading up to
/// the next heading of level 1 or 2, trimmed. Headings inside fenced code blocks (the page's
/// example READMEs have `# KEP-...` and `## Summary` lines) do not end a section. `None` when the
/// page has no such heading.
pub(crate) fn doc_section<'a>(doc: &'a str, code: &str) -> Option<&'a str> {
    let heading = format!("## `{code}`");
    let mut fence: Option<&str> = None;
    let mut start: Option<usize> = None;
    let mut offset = 0;
    for line in doc.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) && t.trim_start_matches(['`', '~']).trim().is_empty() {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            let marker = &t[..t.len() - t.trim_start_matches(['`', '~']).len()];
            fence = Some(marker);
            continue;
        }
        let is_heading = line.starts_with("# ") || line.starts_with("## ");
        match start {
            None if line.trim_end() == heading => start = Some(offset),
            Some(s) if is_heading => return Some(doc[s..here].trim()),
            _ => {}
        }
    }
    start.map(|s| doc[s..].trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_section_and_it_ends_at_the_next_code() {
        for code in Code::ALL {
            let section = doc_section(DIAGNOSTICS_MD, code.as_str())
                .unwrap_or_else(|| panic!("no section for {}", code.as_str()));
            assert!(
                section.starts_with("**Severity**"),
                "{}: {section:.80}",
                code.as_str()
            );
            assert!(
                !section.contains("\n## `"),
                "{} runs into the next code",
                code.as_str()
            );
        }
    }

    #[test]
    fn a_heading_inside_a_fence_does_not_end_the_section() {
        let doc = "## `a`\n\ntext\n\n```md\n## Summary\n# KEP\n```\n\nafter\n\n## `b`\n\nb text\n";
        assert_eq!(
            doc_section(doc, "a"),
            Some("text\n\n```md\n## Summary\n# KEP\n```\n\nafter")
        );
        assert_eq!(doc_section(doc, "b"), Some("b text"));
        assert_eq!(doc_section(doc, "c"), None);
    }

    #[test]
    fn rule_page_has_the_table_header_then_the_docs() {
        let page = render_rule(Code::UnknownSig);
        let mut lines = page.lines();
        assert_eq!(lines.next(), Some("unknown-sig (error, upstream R19)"));
        assert_eq!(lines.next(), Some(""));
        assert_eq!(lines.next(), Some("The group is not in sigs.yaml."));
        assert_eq!(lines.next(), Some(""));
        assert!(lines.next().is_some_and(|l| l.starts_with("**Severity**")));
        assert!(!page.contains("## `retired-sig`"));
    }

    #[test]
    fn all_lists_every_code_once() {
        let all = render_all();
        assert_eq!(all.lines().count(), Code::ALL.len());
        assert!(
            all.lines()
                .any(|l| l.starts_with("misspelling ") && l.ends_with("(opt-in)"))
        );
    }

    #[test]
    fn unknown_code_suggests_the_closest() {
        assert_eq!(
            unknown_code_message("unknwon-sig"),
            "unknown diagnostic code `unknwon-sig`: did you mean `unknown-sig`? (`kep-lsp rule --all` lists them)"
        );
        assert!(!unknown_code_message("zzzzzzzzzzzz").contains("did you mean"));
    }
}
