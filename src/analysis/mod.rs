//! The pure analysis core: text in, findings out. No LSP, tokio or file-system types here.
//!
//! `analyze` classifies a file (kep.yaml, KEP README, legacy front-matter KEP, PRR file,
//! template) and runs the rule families that apply. Everything else in the crate (the `check`
//! command, the server, the tests) calls this one entry point.

pub(crate) mod codes;
pub(crate) mod config_file;
pub(crate) mod context;
pub(crate) mod document;
pub(crate) mod finding;
pub(crate) mod kep_entry;
#[cfg(test)]
pub(crate) mod mem_workspace;
pub mod readiness;
pub(crate) mod recent;
pub mod rules;

pub use crate::model::kep::{KepMetadata, Spanned};
pub use codes::Code;
pub use context::{Context, KepEntry, Keps, NoWorkspace, OwnKep, Person, Role, WorkspaceView};
pub use document::{DocumentKind, classify};
pub use finding::{Finding, Fix, Severity, TextEdit, apply_edits};
pub use kep_entry::entry_from_text;

/// The result of analysing one file.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub kind: Option<DocumentKind>,
    /// Sorted by range start, then code.
    pub findings: Vec<Finding>,
    /// The metadata, for kep.yaml and legacy KEPs.
    pub metadata: Option<KepMetadata>,
}

/// Rules that are off unless asked for (they are noisy on real KEPs, or slow on large ones).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// `misspelling` (R14): common misspellings in README prose.
    pub misspellings: bool,
    /// `heading-case`: template headings in another letter case.
    pub heading_case: bool,
    /// The caller shows the findings and offers none of their fixes (published diagnostics,
    /// `kep-lsp check`, hover): kep.yaml fixes are then dropped instead of proved safe, a proof that
    /// re-analyses the file once per fix (`rules::metadata::gate_fixes`). Callers that offer
    /// fixes (code actions) leave it off.
    pub findings_only: bool,
    /// README analyses re-read the outline of the same path's last text around the edit
    /// instead of parsing the whole text (`rules::readme`, `syntax::outline_reuse`; the
    /// findings are the same): the server, which analyses a README on every keystroke, turns
    /// it on; `check` and the benches, which read each text once, leave it off.
    pub reuse_outline: bool,
}

impl Options {
    /// The options that turn on the given opt-in codes (other codes are on anyway).
    pub fn enabling(codes: &[Code]) -> Options {
        Options {
            misspellings: codes.contains(&Code::Misspelling),
            heading_case: codes.contains(&Code::HeadingCase),
            findings_only: false,
            reuse_outline: false,
        }
    }
}

/// Analyse `text`, the content of the file at `path` (repo-relative when the root is known),
/// with the default rules.
pub fn analyze(path: &str, text: &str, ctx: &Context<'_>) -> Analysis {
    analyze_with(path, text, ctx, &Options::default())
}

/// `analyze`, with opt-in rules turned on by `options`.
pub fn analyze_with(path: &str, text: &str, ctx: &Context<'_>, options: &Options) -> Analysis {
    if config_file::is_config_file(path) {
        let mut findings = config_file::parse(text).1;
        sanitize(text, &mut findings);
        return Analysis {
            kind: Some(DocumentKind::Other),
            findings,
            metadata: None,
        };
    }
    let kind = match &ctx.profile().template_dir {
        // The repository's own template folder, whatever its name: its placeholders are the point.
        Some(dir)
            if path
                .strip_prefix(dir.as_str())
                .is_some_and(|r| r.starts_with('/')) =>
        {
            DocumentKind::Template
        }
        _ => classify(path, text),
    };
    let (metadata, mut findings) = match kind {
        DocumentKind::KepYaml => {
            let (meta, mut findings) = rules::metadata::check_kep_yaml(path, text, ctx);
            rules::metadata::gate_fixes(path, text, ctx, options.findings_only, &mut findings);
            (meta, findings)
        }
        DocumentKind::LegacyKep => {
            let (meta, mut findings) = rules::metadata::check_legacy_front_matter(path, text, ctx);
            findings.extend(rules::readme::check_readme_with(
                path,
                text,
                ctx,
                meta.as_ref(),
                true,
                &Options {
                    heading_case: false,
                    ..*options
                },
            ));
            (meta, findings)
        }
        DocumentKind::KepReadme => {
            let mut findings = rules::readme::check_readme_with(path, text, ctx, None, false, options);
            findings.extend(rules::layout::check_readme_has_metadata(path, text, ctx));
            (None, findings)
        }
        DocumentKind::PrrYaml => (None, rules::prr::check_prr_file(path, text, ctx)),
        DocumentKind::Template => (None, rules::template_files::check_template_file(path, text)),
        // Any Markdown file under keps/: mdtoc's TOC rules; and a README.md there, in a folder not
        // named like a KEP's, is still one for upstream (it needs a kep.yaml beside it).
        DocumentKind::KepMarkdown => {
            let mut findings = rules::readme::check_toc_only(path, text, ctx);
            findings.extend(rules::layout::check_readme_has_metadata(path, text, ctx));
            (None, findings)
        }
        DocumentKind::Other => (
            None,
            rules::layout::check_readme_has_metadata(path, text, ctx)
                .into_iter()
                .collect(),
        ),
    };
    if options.misspellings && matches!(kind, DocumentKind::KepReadme | DocumentKind::LegacyKep) {
        findings.extend(rules::readme::check_misspellings(text));
    }
    if matches!(kind, DocumentKind::KepYaml | DocumentKind::LegacyKep) {
        let title = metadata.as_ref().and_then(|m| m.title.as_ref());
        findings.extend(rules::title_style::check_metadata_title(text, title));
    }
    sanitize(text, &mut findings);
    Analysis {
        kind: Some(kind),
        findings,
        metadata,
    }
}

/// Keep the core's promise whatever a rule did: ranges inside the text, on char boundaries,
/// sorted and without exact duplicates.
fn sanitize(text: &str, findings: &mut Vec<Finding>) {
    let floor = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    for f in findings.iter_mut() {
        let start = floor(f.range.start);
        let end = floor(f.range.end.max(start));
        f.range = start..end;
        for fix in &mut f.fixes {
            for e in &mut fix.edits {
                let s = floor(e.range.start);
                e.range = s..floor(e.range.end.max(s));
            }
        }
    }
    findings.sort_by_key(|f| (f.range.start, f.range.end, f.code));
    findings.dedup_by(|a, b| a.code == b.code && a.range == b.range && a.message == b.message);
}
