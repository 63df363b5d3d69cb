//! `promote`: a KEP moved to its next stage as text edits (kep.yaml, the PRR file), with what
//! the new stage still lacks, like `kepctl promote`.

use super::*;

/// What `promote` needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promote {
    /// Repo-relative path of the kep.yaml.
    pub path: String,
    pub text: String,
    /// The new stage (`alpha`, `beta`, `stable`, `deprecated`, ...).
    pub stage: String,
    /// The release (`v1.36`); the release after the newest in the workspace when `None`.
    pub milestone: Option<String>,
    /// `YYYY-MM-DD`, for last-updated.
    pub today: String,
}

/// The PRR file change of a promotion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrrChange {
    /// The file did not exist: its full content.
    Create(String),
    /// Edits to the existing file.
    Edit(Vec<TextEdit>),
    /// The file already has an entry for the stage.
    Unchanged,
}

/// Something the promoted KEP still lacks, in the file it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lack {
    pub path: String,
    pub finding: Finding,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promotion {
    pub kep_yaml_edits: Vec<TextEdit>,
    pub prr_path: String,
    pub prr: PrrChange,
    pub lacks: Vec<Lack>,
}

/// Promote a KEP to `req.stage` at `req.milestone`.
pub fn promote(req: &Promote, ctx: &Context<'_>) -> Result<Promotion, ScaffoldError> {
    let stage = req.stage.trim();
    if !STAGES.iter().any(|s| s.0 == stage) {
        return Err(ScaffoldError::NoStage(stage.to_string()));
    }
    if analysis::classify(&req.path, &req.text) != analysis::DocumentKind::KepYaml {
        return Err(ScaffoldError::NotAKep(req.path.clone()));
    }
    let text = req.text.as_str();
    let y = yaml::read(text, 0..text.len());
    let release = target_release(req, &y, ctx)?;
    let cur = promoted_kep_yaml(text, stage, &release, &req.today);
    let kep_yaml_edits = vec![diff_edit(text, &cur)];

    let y = yaml::read(&cur, 0..cur.len());
    let sig = y.scalar("owning-sig").unwrap_or("").to_string();
    let number = y.scalar("kep-number").unwrap_or("").to_string();
    let prr_path = format!("keps/prod-readiness/{sig}/{number}.yaml");
    let existing = ctx.workspace.file_text(&prr_path);
    let (prr, prr_text) = prr_change(existing.as_deref(), stage, &number);

    let lacks = what_it_lacks(req, ctx, stage, &cur, &prr_path, &prr_text);
    Ok(Promotion {
        kep_yaml_edits,
        prr_path,
        prr,
        lacks,
    })
}

/// The release the KEP is promoted in: `req.milestone` (`v` added when missing), else the release
/// after the newest among the other KEPs, but not below the KEP's own latest-milestone
/// (`v1.XX` when nothing is known). Errors: a milestone that is not a version.
fn target_release(req: &Promote, y: &YamlText<'_>, ctx: &Context<'_>) -> Result<String, ScaffoldError> {
    Ok(match &req.milestone {
        Some(m) => {
            let m = yaml::unquote(m).trim();
            if parse_milestone(m).is_none() {
                return Err(ScaffoldError::BadMilestone(m.to_string()));
            }
            if m.starts_with('v') {
                m.to_string()
            } else {
                format!("v{m}")
            }
        }
        None => {
            // The release after the newest among the other KEPs (the one being worked on), but
            // not below the KEP's own latest-milestone.
            let others: Vec<KepEntry> = ctx
                .workspace
                .keps()
                .iter()
                .filter(|k| k.metadata_path != req.path)
                .cloned()
                .collect();
            let next = WorkspaceFacts::from_parts(others.into(), &[])
                .newest_milestone
                .map(|(ma, mi)| (ma, mi + 1));
            match next.max(y.scalar("latest-milestone").and_then(parse_milestone)) {
                Some((ma, mi)) => format!("v{ma}.{mi}"),
                None => "v1.XX".into(),
            }
        }
    })
}

/// kep.yaml's text once promoted to `stage` in `release`: stage, latest-milestone,
/// milestone.<stage>, last-updated = `today`, and status implementable when it was provisional
/// or absent.
fn promoted_kep_yaml(text: &str, stage: &str, release: &str, today: &str) -> String {
    // One edit at a time, each on the text the previous ones produced, then expressed as one
    // edit of the changed span so that the caller gets edits against the original text.
    let mut cur = text.to_string();
    type Step<'s> = Box<dyn Fn(&YamlText) -> TextEdit + 's>;
    let steps: Vec<Step> = vec![
        Box::new(|y: &YamlText| y.set_scalar("stage", stage)),
        Box::new(|y: &YamlText| {
            let v = quote_like(release, y.raw_scalar("latest-milestone").or(Some("\"")));
            y.set_scalar("latest-milestone", &v)
        }),
        Box::new(|y: &YamlText| {
            let like = y
                .sub_entries("milestone")
                .first()
                .map(|e| y.text[e.value.clone()].to_string())
                .unwrap_or_else(|| "\"".into());
            y.set_sub_scalar("milestone", stage, &quote_like(release, Some(&like)))
        }),
        Box::new(|y: &YamlText| {
            let like = y
                .raw_scalar("last-updated")
                .or_else(|| y.raw_scalar("creation-date"));
            y.set_scalar("last-updated", &quote_like(today, like))
        }),
    ];
    for step in &steps {
        let y = yaml::read(&cur, 0..cur.len());
        let e = step(&y);
        cur = apply_edits(&cur, &[e]);
    }
    // A promoted KEP is being implemented.
    let status_edit = {
        let y = yaml::read(&cur, 0..cur.len());
        matches!(y.scalar("status"), Some("provisional") | None)
            .then(|| y.set_scalar("status", "implementable"))
    };
    if let Some(e) = status_edit {
        cur = apply_edits(&cur, &[e]);
    }
    cur
}

/// The PRR file's change for `stage` (an `approver` entry added, or the embedded template
/// for a new file) and the file's text after it.
fn prr_change(existing: Option<&str>, stage: &str, number: &str) -> (PrrChange, String) {
    match existing {
        Some(t) => {
            let p = yaml::read(t, 0..t.len());
            if p.entry(stage).is_some() {
                (PrrChange::Unchanged, t.to_string())
            } else {
                let sep = if t.is_empty() || t.ends_with('\n') {
                    ""
                } else {
                    "\n"
                };
                let e = TextEdit::insert(t.len(), format!("{sep}{stage}:\n  approver: \"\"\n"));
                let new = apply_edits(t, std::slice::from_ref(&e));
                (PrrChange::Edit(vec![e]), new)
            }
        }
        None => {
            let content = EMBEDDED_TEMPLATE_PRR_YAML
                .replacen("kep-number: 0000", &format!("kep-number: {number}"), 1)
                .replacen("alpha:\n", &format!("{stage}:\n"), 1);
            (PrrChange::Create(content.clone()), content)
        }
    }
}

/// What the promoted KEP still lacks for `stage`: the rules' errors and warnings on the
/// promoted kep.yaml (`cur`) and PRR file, the stage's sections, and a PRR approver.
fn what_it_lacks(
    req: &Promote,
    ctx: &Context<'_>,
    stage: &str,
    cur: &str,
    prr_path: &str,
    prr_text: &str,
) -> Vec<Lack> {
    let overlay = Overlay {
        base: ctx.workspace,
        files: BTreeMap::from([
            (prr_path.to_string(), Arc::<str>::from(prr_text)),
            (req.path.clone(), Arc::from(cur)),
        ]),
    };
    let octx = Context {
        knowledge: ctx.knowledge,
        workspace: &overlay,
        today: ctx.today,
        upcoming_minor: ctx.upcoming_minor,
    };
    let mut lacks = Vec::new();
    for (p, t) in [(req.path.as_str(), cur), (prr_path, prr_text)] {
        for f in analysis::analyze(p, t, &octx).findings {
            if f.severity <= Severity::Warning {
                lacks.push(Lack {
                    path: p.to_string(),
                    finding: f,
                });
            }
        }
    }
    lacks.extend(stage_lacks(&req.path, cur, stage, ctx));
    // The stage's PRR entry needs a named approver (R11); a new entry starts empty.
    let p = yaml::read(prr_text, 0..prr_text.len());
    let approver = p
        .sub_entries(stage)
        .into_iter()
        .find(|e| e.key == "approver")
        .map(|e| yaml::unquote(&prr_text[e.value.clone()]).to_string());
    let reported = lacks.iter().any(|l| l.finding.code == Code::PrrApproverEmpty);
    if approver.as_deref().is_none_or(str::is_empty) && !reported {
        let at = p.entry(stage).map(|e| e.key_range.clone()).unwrap_or(0..0);
        lacks.push(Lack {
            path: prr_path.to_string(),
            finding: Finding::new(
                Code::PrrApproverEmpty,
                at,
                format!("Name the PRR approver for {stage}: a member of prod-readiness-approvers (R11)."),
            ),
        });
    }
    lacks
}

/// One edit turning `old` into `new` (the changed middle).
pub(super) fn diff_edit(old: &str, new: &str) -> TextEdit {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map(|((i, _), _)| i)
        .unwrap_or(old.len().min(new.len()));
    let mut suffix = 0;
    let (ob, nb) = (old.as_bytes(), new.as_bytes());
    while suffix < ob.len() - prefix
        && suffix < nb.len() - prefix
        && ob[ob.len() - 1 - suffix] == nb[nb.len() - 1 - suffix]
    {
        suffix += 1;
    }
    let mut end = old.len() - suffix;
    let mut nend = new.len() - suffix;
    while !old.is_char_boundary(end) || !new.is_char_boundary(nend) {
        end += 1;
        nend += 1;
    }
    TextEdit::new(prefix..end, &new[prefix..nend])
}

/// The README sections and kep.yaml answers a stage needs (the PRR questionnaire from alpha,
/// more of it from beta, upgrade and skew strategies for stable).
pub(super) fn stage_lacks(path: &str, kep_yaml: &str, stage: &str, ctx: &Context<'_>) -> Vec<Lack> {
    let mut out = Vec::new();
    let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    let readme_path = format!("{dir}/README.md");
    let rank = STAGES.iter().position(|s| s.0 == stage).unwrap_or(0).min(2);
    let mut sections = vec![
        "Design Details",
        "Test Plan",
        "Graduation Criteria",
        "Production Readiness Review Questionnaire",
        "Feature Enablement and Rollback",
    ];
    if rank >= 1 {
        sections.extend([
            "Rollout, Upgrade and Rollback Planning",
            "Monitoring Requirements",
            "Dependencies",
            "Scalability",
            "Troubleshooting",
        ]);
    }
    if rank >= 2 {
        sections.extend(["Upgrade / Downgrade Strategy", "Version Skew Strategy"]);
    }
    if let Some(readme) = ctx.workspace.file_text(&readme_path) {
        let present: Vec<String> = headings::headings(&readme)
            .iter()
            .map(|h| normalize(&h.text))
            .collect();
        for s in sections {
            if !present.contains(&normalize(s)) {
                out.push(Lack {
                    path: readme_path.clone(),
                    finding: Finding::new(
                        Code::MissingSection,
                        0..0,
                        format!("Stage {stage} needs the section `{s}`."),
                    ),
                });
            }
        }
    }
    let y = yaml::read(kep_yaml, 0..kep_yaml.len());
    let empty = |k: &str| {
        y.entry(k).is_none_or(|e| {
            e.children.is_empty() && matches!(yaml::unquote(&kep_yaml[e.value.clone()]), "" | "[]")
        })
    };
    let at = |k: &str| y.entry(k).map(|e| e.key_range.clone()).unwrap_or(0..0);
    if rank <= 2 && STAGES.iter().take(3).any(|s| s.0 == stage) {
        if empty("feature-gates") {
            out.push(Lack {
                path: path.to_string(),
                finding: Finding::new(
                    Code::MissingField,
                    at("feature-gates"),
                    "The PRR asks for the feature gates from alpha on.",
                )
                .with_severity(Severity::Info),
            });
        }
        if y.entry("disable-supported").is_none() {
            out.push(Lack {
                path: path.to_string(),
                finding: Finding::new(
                    Code::MissingField,
                    0..0,
                    "The PRR asks for disable-supported from alpha on.",
                )
                .with_severity(Severity::Info),
            });
        }
        if rank >= 1 && empty("metrics") {
            out.push(Lack {
                path: path.to_string(),
                finding: Finding::new(
                    Code::MissingField,
                    at("metrics"),
                    "The PRR asks for metrics from beta on.",
                )
                .with_severity(Severity::Info),
            });
        }
    }
    out
}

/// A workspace with some files replaced (the promoted kep.yaml and PRR file).
pub(super) struct Overlay<'a> {
    base: &'a dyn WorkspaceView,
    files: BTreeMap<String, Arc<str>>,
}

impl WorkspaceView for Overlay<'_> {
    fn has_root(&self) -> bool {
        self.base.has_root()
    }
    fn file_text(&self, path: &str) -> Option<Arc<str>> {
        self.files
            .get(path)
            .cloned()
            .or_else(|| self.base.file_text(path))
    }
    fn exists(&self, path: &str) -> bool {
        self.files.contains_key(path) || self.base.exists(path)
    }
    fn keps(&self) -> std::sync::Arc<[KepEntry]> {
        self.base.keps()
    }
    // The base's list, as `keps` is: the files this view changes are not re-read into entries.
    fn kep_list(&self, own: Option<&crate::analysis::OwnKep<'_>>) -> crate::analysis::Keps {
        self.base.kep_list(own)
    }
}
