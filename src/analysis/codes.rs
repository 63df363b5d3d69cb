//! The stable diagnostic codes: one table gives each its name (as users write it in config and as
//! `docs/diagnostics.md` lists it), default severity, the upstream rule it mirrors, and a summary.
//!
//! Names are kebab-case and never change once shipped; add new ones at the end of their family.

use super::finding::Severity;

macro_rules! codes {
    ($( $variant:ident = $name:literal, $sev:ident, $rule:expr, $summary:literal; )*) => {
        /// A stable diagnostic code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $variant, )* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The kebab-case name used in output, config and docs.
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $name, )* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$sev, )* }
            }

            /// The upstream rule this code mirrors, if any: an R-number of docs/upstream-rules.md.
            pub fn upstream_rule(self) -> Option<&'static str> {
                match self { $( Code::$variant => $rule, )* }
            }

            pub fn summary(self) -> &'static str {
                match self { $( Code::$variant => $summary, )* }
            }

            pub fn parse(name: &str) -> Option<Code> {
                match name { $( $name => Some(Code::$variant), )* _ => None }
            }
        }
    };
}

codes! {
    // --- YAML and metadata (kep.yaml, legacy front matter, PRR files)
    YamlSyntax = "yaml-syntax", Error, Some("R1"), "The YAML does not parse.";
    UnknownField = "unknown-field", Error, Some("R2"), "A key that the KEP metadata does not have.";
    DuplicateKey = "duplicate-key", Error, Some("R3"), "A key given twice in one mapping.";
    WrongType = "wrong-type", Error, Some("R4"), "A value of the wrong type (string, list, map, bool).";
    MissingField = "missing-field", Error, Some("R5"), "A required field is missing or empty.";
    EmptyField = "empty-field", Warning, None, "A required list given as `[]`: upstream accepts it, surely a mistake.";
    InvalidStatus = "invalid-status", Error, Some("R17"), "The status is not one of the KEP statuses.";
    LegacyStatus = "legacy-status", Info, Some("R17"), "A status from the 2017-2018 workflow, kept as history.";
    InvalidStage = "invalid-stage", Error, Some("R18"), "The stage is not one of the KEP stages.";
    UnknownSig = "unknown-sig", Error, Some("R19"), "The group is not in sigs.yaml.";
    RetiredSig = "retired-sig", Error, Some("R19"), "The group is no longer in sigs.yaml (retired): kepctl rejects it.";
    ImplementedNotStable = "implemented-not-stable", Error, Some("R20"), "An implemented feature KEP must be at stage stable.";
    MissingMilestoneOrStage = "missing-milestone-or-stage", Error, Some("R7"), "Implementable/implemented KEPs need latest-milestone and stage.";
    InvalidMilestone = "invalid-milestone", Error, Some("R8"), "A milestone that is not a version like v1.30.";
    MilestoneStageMismatch = "milestone-stage-mismatch", Warning, None, "The milestone map does not agree with the stage or latest-milestone.";
    MilestoneOrder = "milestone-order", Warning, None, "Milestones out of order (alpha <= beta <= stable).";
    InvalidDate = "invalid-date", Warning, None, "A date that is not YYYY-MM-DD.";
    DateOrder = "date-order", Warning, None, "last-updated is before creation-date, or a date is in the future.";
    InvalidHandle = "invalid-handle", Warning, None, "Not a GitHub handle (@name).";
    DuplicateEntry = "duplicate-entry", Warning, None, "The same entry twice in a list.";
    TemplateLeftover = "template-leftover", Warning, None, "A value left as the template had it.";
    ReplacedWithoutSuccessor = "replaced-without-successor", Warning, None, "A replaced KEP should name its successor in superseded-by.";
    SigNodeApprovers = "sig-node-approvers", Error, Some("R16"), "sig-node KEP approvers must be sig-node approvers / tech leads.";
    InvalidContent = "invalid-content", Error, Some("R1"), "The file is not text: bytes that are not UTF-8, a NUL byte, or too large.";
    // --- production readiness (PRR)
    PrrMissing = "prr-missing", Error, Some("R9"), "The production readiness file this KEP needs does not exist.";
    PrrInvalid = "prr-invalid", Error, Some("R10"), "The PRR file is not valid.";
    PrrStageMissing = "prr-stage-missing", Error, Some("R11"), "The PRR file has no entry for the KEP's stage.";
    PrrApproverEmpty = "prr-approver-empty", Error, Some("R11"), "A PRR entry without an approver.";
    PrrApproverNotAllowed = "prr-approver-not-allowed", Error, Some("R11"), "The PRR approver is not in prod-readiness-approvers.";
    PrrNumberMismatch = "prr-number-mismatch", Warning, None, "The PRR file's kep-number disagrees with its name or KEP.";
    // --- layout and references across the tree
    ReadmeWithoutMetadata = "readme-without-metadata", Error, Some("R6"), "A KEP README.md with no kep.yaml beside it.";
    FolderSigMismatch = "folder-sig-mismatch", Warning, None, "owning-sig differs from the SIG folder.";
    FolderNumberMismatch = "folder-number-mismatch", Warning, None, "kep-number differs from the folder's number.";
    DuplicateKepNumber = "duplicate-kep-number", Warning, None, "Another KEP in the tree has the same kep-number.";
    UnresolvedReference = "unresolved-reference", Warning, None, "see-also / replaces / superseded-by names no KEP in the tree.";
    // --- README: template sections, TOC, prose
    TocStale = "toc-stale", Error, Some("R13"), "The table of contents differs from what mdtoc generates.";
    TocMissing = "toc-missing", Warning, Some("R13"), "No <!-- toc --> ... <!-- /toc --> block.";
    RenderMismatch = "render-mismatch", Warning, None, "mdtoc (CI) and GitHub disagree on whether a line is a heading.";
    MissingSection = "missing-section", Info, Some("R15"), "A template section is missing.";
    SectionOrder = "section-order", Hint, None, "A template section is out of the template's order.";
    EmptySection = "empty-section", Info, None, "A section with no content.";
    TemplateGuidance = "template-guidance", Hint, None, "The template's guidance comment or placeholder text is still there.";
    TitleMismatch = "title-mismatch", Warning, None, "The README's H1 does not match kep.yaml's title.";
    MissingTitle = "missing-title", Warning, None, "The README has no `# KEP-NNNN: Title` heading.";
    ReleaseChecklistMissing = "release-checklist-missing", Info, None, "No Release Signoff Checklist.";
    UnresolvedBlock = "unresolved-block", Warning, None, "An <<[UNRESOLVED]>> block left in an implementable KEP.";
    BrokenLink = "broken-link", Warning, None, "A link or image that points at nothing, or that GitHub does not render as a link.";
    Misspelling = "misspelling", Info, Some("R14"), "A common misspelling.";
    // --- editorial (the KEP editor's eye). Counts on the accepted tree (591 kep.yaml, 592
    // READMEs, 132 legacy KEPs): heading-case 101 headings in 64 READMEs (58 of them the 2020 PRR
    // template's sentence case), so opt-in; title-style 51 titles in 49 files, so on, as hint.
    HeadingCase = "heading-case", Hint, None, "A template heading written in another letter case.";
    TitleStyle = "title-style", Hint, None, "A title that does not read like a title.";
    // --- the repository's own config file
    ConfigInvalid = "config-invalid", Warning, None, "An unknown key or a bad value in .kep-lsp.toml.";
}

impl Code {
    /// Codes that are off unless enabled (`enable` setting, `check --enable`): see
    /// `analysis::Options`.
    pub fn is_opt_in(self) -> bool {
        matches!(self, Code::Misspelling | Code::HeadingCase)
    }
}
