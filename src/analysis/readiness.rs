//! Freeze readiness (issue 17, part 1): the release team's PRR-freeze and enhancements-freeze
//! criteria (kubernetes/sig-release `releases/release_phases.md`, in our words in
//! `../shared/release-calendar.md`), evaluated for one KEP and one release.
//!
//! Pure: the KEP's files come in as text, the verdicts go out with where to fix each one
//! (repo-relative path and 1-based line). The README section criteria reuse the template rules
//! (`missing-section`) through `analysis::analyze`, so readiness and `check` never disagree.

use std::ops::Range;
use std::sync::Arc;

use crate::analysis::{Code, Context, KepMetadata, WorkspaceView, analyze};
use crate::knowledge::release_calendar::parse_release;
use crate::model::kep_yaml::parse_metadata;
use crate::syntax::outline::{Heading, Outline, outline};
use crate::syntax::yaml;

/// One KEP's files, as text; paths are repo-relative.
#[derive(Debug, Clone)]
pub(crate) struct KepFiles<'a> {
    pub metadata_path: &'a str,
    pub metadata: &'a str,
    /// `None`: the README is absent.
    pub readme_path: &'a str,
    pub readme: Option<&'a str>,
    /// Where the PRR file is expected (`keps/prod-readiness/<sig>/<number>.yaml`).
    pub prr_path: &'a str,
    /// `None`: the PRR file is absent.
    pub prr: Option<&'a str>,
}

/// One freeze criterion's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Criterion {
    /// Stable short name (`status`, `stage`, ..., `unresolved`): the column name in the outputs.
    pub id: &'static str,
    pub met: bool,
    /// Where to fix it (repo-relative path).
    pub file: String,
    /// 1-based line in `file`.
    pub line: usize,
    /// What was found, or what is missing (one line).
    pub detail: String,
}

/// The criteria ids, in evaluation order (9 of them).
pub(crate) const CRITERIA: [&str; 9] = [
    "status",
    "stage",
    "latest-milestone",
    "stage-milestone",
    "prr-approver",
    "prr-questionnaire",
    "sections",
    "test-plan+graduation",
    "unresolved",
];

/// 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

/// `v1.37` for minor 37.
pub(crate) fn release_name(minor: u64) -> String {
    format!("v1.{minor}")
}

/// Evaluate the nine freeze criteria of `files` for release `v1.<minor>`. `ctx` gives the
/// template and the workspace (the README's stage-aware `missing-section` rule reads them).
pub(crate) fn evaluate(files: &KepFiles<'_>, minor: u64, ctx: &Context<'_>) -> Vec<Criterion> {
    let meta = parse_metadata(files.metadata);
    let mut out = Vec::with_capacity(CRITERIA.len());
    let stage = metadata_criteria(files, &meta, minor, &mut out);
    out.push(stage_milestone(&meta, stage.as_deref(), minor, files));
    out.push(prr_approver(files, stage.as_deref()));
    let readme = files.readme.map(|text| (text, outline(text)));
    let Some((text, ol)) = &readme else {
        for id in &CRITERIA[5..] {
            out.push(in_readme(files, id, false, None, "README.md is missing".into()));
        }
        return out;
    };
    let r = ReadmeView { files, text, ol };
    out.push(r.prr_questionnaire());
    out.push(r.required_sections(&meta, minor, ctx));
    out.push(r.test_plan_and_graduation());
    out.push(r.unresolved());
    out
}

/// A criterion checked in the metadata file, at 1-based `line`.
fn in_meta(files: &KepFiles<'_>, id: &'static str, met: bool, line: usize, detail: String) -> Criterion {
    Criterion {
        id,
        met,
        file: files.metadata_path.to_string(),
        line,
        detail,
    }
}

/// A criterion checked in the README, at the line of byte `offset` (line 1 when `None`).
fn in_readme(
    files: &KepFiles<'_>,
    id: &'static str,
    met: bool,
    offset: Option<usize>,
    detail: String,
) -> Criterion {
    let line = match (files.readme, offset) {
        (Some(t), Some(o)) => line_of(t, o),
        _ => 1,
    };
    Criterion {
        id,
        met,
        file: files.readme_path.to_string(),
        line,
        detail,
    }
}

/// 1-based line of `span` in the metadata file (line 1 when the field is absent).
fn meta_line(files: &KepFiles<'_>, span: Option<&Range<usize>>) -> usize {
    span.map_or(1, |s| line_of(files.metadata, s.start))
}

/// `status`, `stage` and `latest-milestone`, pushed to `out`; returns the stage when set.
fn metadata_criteria(
    files: &KepFiles<'_>,
    meta: &KepMetadata,
    minor: u64,
    out: &mut Vec<Criterion>,
) -> Option<String> {
    let release = release_name(minor);
    let status = meta.status.as_ref();
    let status_value = status.map_or("", |s| s.value.trim());
    out.push(in_meta(
        files,
        "status",
        status_value == "implementable",
        meta_line(files, status.map(|s| &s.span)),
        if status_value.is_empty() {
            "status is not set: set `status: implementable`".into()
        } else {
            format!("status: {status_value}")
        },
    ));

    let stage = meta
        .stage
        .as_ref()
        .map(|s| s.value.trim().to_string())
        .filter(|s| !s.is_empty());
    out.push(in_meta(
        files,
        "stage",
        stage.is_some(),
        meta_line(files, meta.stage.as_ref().map(|s| &s.span)),
        match &stage {
            Some(s) => format!("stage: {s}"),
            None => "stage is not set: set `stage: alpha|beta|stable`".into(),
        },
    ));

    let latest = meta.latest_milestone.as_ref();
    let latest_minor = latest.and_then(|l| parse_release(&l.value));
    out.push(in_meta(
        files,
        "latest-milestone",
        latest_minor == Some(minor),
        meta_line(files, latest.map(|l| &l.span)),
        match latest {
            Some(l) => format!("latest-milestone: {} (want {release})", l.value.trim()),
            None => format!("latest-milestone is not set: set `latest-milestone: \"{release}\"`"),
        },
    ));
    stage
}

/// A present README with its outline: the README criteria.
struct ReadmeView<'a> {
    files: &'a KepFiles<'a>,
    text: &'a str,
    ol: &'a Outline,
}

impl ReadmeView<'_> {
    fn criterion(&self, id: &'static str, met: bool, offset: Option<usize>, detail: String) -> Criterion {
        in_readme(self.files, id, met, offset, detail)
    }

    /// PRR questionnaire: the section must exist and hold an answer of its own.
    fn prr_questionnaire(&self) -> Criterion {
        match find_section(self.ol, "production readiness review questionnaire") {
            None => self.criterion(
                "prr-questionnaire",
                false,
                None,
                "no `## Production Readiness Review Questionnaire` section".into(),
            ),
            Some(h) => {
                let filled = has_own_text(self.text, self.ol, h.section.clone());
                self.criterion(
                    "prr-questionnaire",
                    filled,
                    Some(h.line.start),
                    if filled {
                        "answered".into()
                    } else {
                        "the questionnaire has no answers (only headings or the template's guidance)".into()
                    },
                )
            }
        }
    }

    /// Required sections: the template rule `missing-section`, called, not copied, on the KEP as
    /// the freeze wants it (implementable, targeting the release), so that a provisional KEP is
    /// told every section it will need rather than only the provisional ones.
    fn required_sections(&self, meta: &KepMetadata, minor: u64, ctx: &Context<'_>) -> Criterion {
        let release = release_name(minor);
        let targeted = Targeted {
            base: ctx.workspace,
            path: self.files.metadata_path,
            text: as_targeted(self.files.metadata, meta, &release).into(),
        };
        let targeted_ctx = Context {
            workspace: &targeted,
            ..*ctx
        };
        let missing: Vec<_> = analyze(self.files.readme_path, self.text, &targeted_ctx)
            .findings
            .into_iter()
            .filter(|f| f.code == Code::MissingSection)
            .collect();
        match missing.first() {
            None => self.criterion(
                "sections",
                true,
                None,
                "every section the template requires is present".into(),
            ),
            Some(first) => self.criterion(
                "sections",
                false,
                Some(first.range.start),
                format!(
                    "{} required section(s) missing: {}",
                    missing.len(),
                    missing
                        .iter()
                        .map(|f| section_title(&f.message))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            ),
        }
    }

    /// Test Plan and Graduation Criteria: present and filled in.
    fn test_plan_and_graduation(&self) -> Criterion {
        let mut problems = Vec::new();
        let mut first_line = None;
        for (norm, title) in [
            ("test plan", "Test Plan"),
            ("graduation criteria", "Graduation Criteria"),
        ] {
            match find_section(self.ol, norm) {
                None => problems.push(format!("no `{title}` section")),
                Some(h) if !has_own_text(self.text, self.ol, h.section.clone()) => {
                    first_line.get_or_insert(h.line.start);
                    problems.push(format!("`{title}` is empty or only the template's guidance"));
                }
                Some(_) => {}
            }
        }
        self.criterion(
            "test-plan+graduation",
            problems.is_empty(),
            first_line,
            if problems.is_empty() {
                "filled in".into()
            } else {
                problems.join("; ")
            },
        )
    }

    /// No `<<[UNRESOLVED]>>` block left outside code and comments.
    fn unresolved(&self) -> Criterion {
        let unresolved: Vec<usize> = self
            .text
            .match_indices("<<[UNRESOLVED")
            .map(|(i, _)| i)
            .filter(|&i| !self.ol.in_code(i) && !self.ol.in_comment(i))
            .collect();
        self.criterion(
            "unresolved",
            unresolved.is_empty(),
            unresolved.first().copied(),
            if unresolved.is_empty() {
                "no UNRESOLVED block".into()
            } else {
                format!("{} `<<[UNRESOLVED]>>` block(s) left", unresolved.len())
            },
        )
    }
}

/// kep.yaml's text with `status: implementable` and `latest-milestone` = `release` (each replaced
/// in place, or appended when absent).
fn as_targeted(text: &str, meta: &KepMetadata, release: &str) -> String {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut append = String::new();
    match &meta.status {
        Some(s) => edits.push((s.span.clone(), "implementable".into())),
        None => append.push_str("status: implementable\n"),
    }
    match &meta.latest_milestone {
        Some(l) => edits.push((l.span.clone(), format!("\"{release}\""))),
        None => append.push_str(&format!("latest-milestone: \"{release}\"\n")),
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0.start));
    let mut out = text.to_string();
    for (r, t) in edits {
        if r.start <= r.end
            && r.end <= out.len()
            && out.is_char_boundary(r.start)
            && out.is_char_boundary(r.end)
        {
            out.replace_range(r, &t);
        }
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&append);
    out
}

/// The workspace with one kep.yaml's text replaced (see `as_targeted`).
struct Targeted<'a> {
    base: &'a dyn WorkspaceView,
    path: &'a str,
    text: Arc<str>,
}

impl WorkspaceView for Targeted<'_> {
    fn has_root(&self) -> bool {
        self.base.has_root()
    }
    fn file_text(&self, path: &str) -> Option<Arc<str>> {
        if path == self.path {
            Some(self.text.clone())
        } else {
            self.base.file_text(path)
        }
    }
    fn exists(&self, path: &str) -> bool {
        path == self.path || self.base.exists(path)
    }
    fn keps(&self) -> Arc<[crate::analysis::KepEntry]> {
        self.base.keps()
    }
    // The base's list, as `keps` is: the files this view changes are not re-read into entries.
    fn kep_list(&self, own: Option<&crate::analysis::OwnKep<'_>>) -> crate::analysis::Keps {
        self.base.kep_list(own)
    }
}

/// `milestone.<stage>` = the release, unless the KEP stays at a stage it reached before
/// (then `milestone.<stage>` is an earlier release and nothing graduates).
fn stage_milestone(meta: &KepMetadata, stage: Option<&str>, minor: u64, files: &KepFiles<'_>) -> Criterion {
    let at = |span: Option<&Range<usize>>| meta_line(files, span);
    let release = release_name(minor);
    let (met, line, detail) = match stage {
        None => (
            false,
            1,
            "no stage, so no `milestone.<stage>` to check".to_string(),
        ),
        Some(stage) => match meta.milestone.get(stage) {
            None => (
                false,
                at(None),
                format!("`milestone.{stage}` is not set: set it to \"{release}\""),
            ),
            Some(m) => match parse_release(&m.value) {
                Some(n) if n == minor => (true, at(Some(&m.span)), format!("milestone.{stage}: {release}")),
                Some(n) if n < minor => (
                    true,
                    at(Some(&m.span)),
                    format!("stays {stage} (reached in {})", m.value.trim()),
                ),
                _ => (
                    false,
                    at(Some(&m.span)),
                    format!("milestone.{stage}: {} (want {release})", m.value.trim()),
                ),
            },
        },
    };
    in_meta(files, "stage-milestone", met, line, detail)
}

fn prr_approver(files: &KepFiles<'_>, stage: Option<&str>) -> Criterion {
    let crit = |met, line, detail: String| Criterion {
        id: "prr-approver",
        met,
        file: files.prr_path.to_string(),
        line,
        detail,
    };
    let Some(text) = files.prr else {
        return crit(false, 1, format!("no PRR file {}", files.prr_path));
    };
    let Some(stage) = stage else {
        return crit(false, 1, "no stage, so no PRR approver to look for".into());
    };
    let doc = yaml::parse(text);
    let entry = doc.root.as_ref().and_then(|r| r.get(stage));
    let approver = entry
        .and_then(|e| e.get("approver"))
        .map(|a| (a.as_str().unwrap_or("").trim().to_string(), a.span.clone()));
    match approver {
        Some((who, span)) if !who.trim_start_matches('@').is_empty() => crit(
            true,
            line_of(text, span.start),
            format!("{stage} approver: {who}"),
        ),
        Some((_, span)) => crit(
            false,
            line_of(text, span.start),
            format!("`{stage}.approver` is empty"),
        ),
        None => crit(false, 1, format!("no `{stage}: approver:` entry in the PRR file")),
    }
}

/// The section title a `missing-section` message names (its first `"..."`), else the message.
fn section_title(message: &str) -> &str {
    message
        .split('"')
        .nth(1)
        .filter(|t| !t.is_empty())
        .unwrap_or(message)
}

/// The first heading whose flattened text, lower-cased, is `norm`.
fn find_section<'o>(ol: &'o Outline, norm: &str) -> Option<&'o Heading> {
    ol.headings
        .iter()
        .find(|h| h.text.trim().eq_ignore_ascii_case(norm))
}

/// Whether `section` holds text of its own: something other than headings, HTML comments (the
/// template's guidance) and whitespace.
fn has_own_text(text: &str, ol: &Outline, section: Range<usize>) -> bool {
    let mut i = section.start;
    let end = section.end.min(text.len());
    while i < end {
        if let Some(c) = ol.comments.iter().find(|c| c.start <= i && i < c.end) {
            i = c.end;
            continue;
        }
        if let Some(h) = ol.headings.iter().find(|h| h.line.start <= i && i < h.line.end) {
            i = h.line.end;
            continue;
        }
        let Some(ch) = text[i..].chars().next() else {
            break;
        };
        if !ch.is_whitespace() {
            return true;
        }
        i += ch.len_utf8();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::NoWorkspace;
    use crate::knowledge::Knowledge;

    const META: &str = "title: Foo\nkep-number: 1\nowning-sig: sig-node\nstatus: implementable\nstage: beta\nlatest-milestone: \"v1.37\"\nmilestone:\n  alpha: \"v1.36\"\n  beta: \"v1.37\"\n";
    const PRR: &str = "kep-number: 1\nalpha:\n  approver: \"@a\"\nbeta:\n  approver: \"@b\"\n";

    fn run(meta: &str, readme: Option<&str>, prr: Option<&str>) -> Vec<Criterion> {
        let k = Knowledge::embedded();
        let ctx = Context {
            knowledge: &k,
            workspace: &NoWorkspace,
            today: None,
            upcoming_minor: Some(37),
        };
        let files = KepFiles {
            metadata_path: "keps/sig-node/1-foo/kep.yaml",
            metadata: meta,
            readme_path: "keps/sig-node/1-foo/README.md",
            readme,
            prr_path: "keps/prod-readiness/sig-node/1.yaml",
            prr,
        };
        evaluate(&files, 37, &ctx)
    }

    fn verdict(c: &[Criterion], id: &str) -> (bool, usize) {
        let c = c.iter().find(|c| c.id == id).unwrap();
        (c.met, c.line)
    }

    #[test]
    fn metadata_criteria() {
        let c = run(META, None, Some(PRR));
        assert_eq!(c.len(), 9);
        assert_eq!(verdict(&c, "status"), (true, 4));
        assert_eq!(verdict(&c, "stage"), (true, 5));
        assert_eq!(verdict(&c, "latest-milestone"), (true, 6));
        assert_eq!(verdict(&c, "stage-milestone"), (true, 9));
        assert_eq!(verdict(&c, "prr-approver"), (true, 5));
        let c = run(
            &META
                .replace("implementable", "provisional")
                .replace("beta: \"v1.37\"", "beta: \"v1.38\""),
            None,
            None,
        );
        assert_eq!(verdict(&c, "status"), (false, 4));
        assert_eq!(verdict(&c, "stage-milestone"), (false, 9));
        assert_eq!(verdict(&c, "prr-approver"), (false, 1));
        assert!(
            c[5..]
                .iter()
                .all(|c| !c.met && c.detail == "README.md is missing")
        );
    }

    #[test]
    fn readme_criteria() {
        let readme = "# KEP-1: Foo\n\n## Proposal\n\nText.\n\n### Test Plan\n\n<!-- guidance -->\n\n### Graduation Criteria\n\nAlpha: done.\n\n<<[UNRESOLVED x]>>\nopen\n<<[/UNRESOLVED]>>\n\n## Production Readiness Review Questionnaire\n\n### Feature Enablement\n\n###### How?\n\nA gate.\n";
        let c = run(META, Some(readme), Some(PRR));
        assert_eq!(verdict(&c, "test-plan+graduation"), (false, 7));
        assert_eq!(verdict(&c, "unresolved"), (false, 15));
        assert_eq!(verdict(&c, "prr-questionnaire"), (true, 19));
        let sections = c.iter().find(|c| c.id == "sections").unwrap();
        assert!(!sections.met);
        // Judged as the freeze wants the KEP (implementable): the same list for a provisional one.
        let provisional = run(
            &META.replace("implementable", "provisional"),
            Some(readme),
            Some(PRR),
        );
        let p = provisional.iter().find(|c| c.id == "sections").unwrap();
        assert_eq!(p.detail, sections.detail);
        assert!(p.detail.contains("Design Details"), "{}", p.detail);
        let empty_prr = readme.replace("A gate.\n", "<!-- answer -->\n");
        assert_eq!(
            verdict(&run(META, Some(&empty_prr), Some(PRR)), "prr-questionnaire"),
            (false, 19)
        );
    }
}
