//! Production readiness review (PRR): the PRR file itself (keps/prod-readiness/sig-X/NNNN.yaml:
//! strict keys, `kep-number`, `{approver}` entries; R10, R11) and the kep.yaml side (R9: the file
//! exists when PRR is required; R11: it has an approved entry for the KEP's stage).
//!
//! As upstream (pkg/kepval/approval.go `ValidatePRR`), PRR is required for implementable and
//! implemented KEPs whose latest-milestone is v1.21 or later, and only the approver of the KEP's
//! current stage must be in the `prod-readiness-approvers` alias; the approvers of past stages
//! may have moved on (warnings at most). Members of `prod-readiness-approvers-emeritus` are
//! accepted too: real KEPs that CI accepts name them for their current stage.

use std::ops::Range;

use crate::analysis::{Code, Context, Finding, KepMetadata, Severity};
use crate::knowledge::schema::{self, PRR_STAGE_KEYS};
use crate::model::milestone::parse_milestone;
use crate::syntax::yaml::{self, Node, NodeKind};

/// The PRR file a KEP needs: `keps/prod-readiness/<owning-sig>/<kep-number>.yaml`.
pub(crate) fn prr_path(owning_sig: &str, kep_number: &str) -> String {
    // As upstream joins them: the decoded strings as they are (a space or newline in either
    // names a file that does not exist).
    format!("keps/prod-readiness/{owning_sig}/{kep_number}.yaml")
}

/// Whether upstream requires a PRR for this KEP; `None` when it cannot decide (missing or
/// unparsable stage/milestone: reported by the metadata rules, R7/R8).
pub(crate) fn prr_required(meta: &KepMetadata) -> Option<bool> {
    let status = meta.status.as_ref().map(|s| s.value.as_str()).unwrap_or("");
    if status != "implementable" && status != "implemented" {
        return Some(false);
    }
    let latest = parse_milestone(&meta.latest_milestone.as_ref()?.value)?;
    meta.stage.as_ref().filter(|s| !s.value.is_empty())?;
    Some(latest >= (1, 21, 0))
}

/// One stage entry of a PRR file.
#[derive(Debug, Clone)]
struct Entry<'a> {
    stage: &'a str,
    key_span: Range<usize>,
    /// The approver without `@` and its span (the value, or the key when absent).
    approver: Option<(String, Range<usize>)>,
    /// The entry is a `{approver}` map (else its shape is reported as a wrong type).
    is_map: bool,
}

/// What a PRR file holds (lenient: wrong shapes are left out).
struct PrrFile<'a> {
    kep_number: Option<(String, Range<usize>)>,
    entries: Vec<Entry<'a>>,
}

fn read_prr(root: &Node) -> PrrFile<'_> {
    let mut out = PrrFile {
        kep_number: None,
        entries: Vec::new(),
    };
    for (k, v) in root.as_mapping().unwrap_or(&[]) {
        match k.as_str() {
            Some("kep-number") => {
                if let Some(s) = v.as_scalar().filter(|s| !s.is_null()) {
                    out.kep_number
                        .get_or_insert((s.value.trim().to_string(), v.span.clone()));
                }
            }
            Some(stage) if PRR_STAGE_KEYS.contains(&stage) => {
                let approver = v.get("approver").map(|a| {
                    let value = a
                        .as_str()
                        .unwrap_or("")
                        .trim()
                        .trim_start_matches('@')
                        .to_string();
                    (value, a.span.clone())
                });
                if !v.is_null() {
                    out.entries.push(Entry {
                        stage,
                        key_span: k.span.clone(),
                        approver,
                        is_map: v.as_mapping().is_some(),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether `who` may approve PRR: a current approver, or an emeritus one (real KEPs that CI
/// accepts name them). An empty alias list (no knowledge) accepts everyone.
fn may_approve(ctx: &Context<'_>, who: &str) -> bool {
    let allowed = &ctx.knowledge.prr_approvers;
    allowed.is_empty()
        || is_in(allowed, who)
        || is_in(ctx.knowledge.alias("prod-readiness-approvers-emeritus"), who)
}

fn is_in(list: &[String], who: &str) -> bool {
    list.iter().any(|a| a.eq_ignore_ascii_case(who))
}

/// Check a PRR file.
pub(crate) fn check_prr_file(path: &str, text: &str, ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(line_too_long(text));
    let doc = parse_prr(text);
    for e in &doc.errors {
        out.push(Finding::new(
            Code::YamlSyntax,
            e.range.clone(),
            format!("yaml: line {}: {}", e.line, e.message),
        ));
    }
    let Some(root) = doc.root.as_ref() else {
        if doc.errors.is_empty() {
            out.push(Finding::new(
                Code::PrrInvalid,
                0..text.find('\n').unwrap_or(text.len()),
                "validating PRR: the file is empty: add `kep-number:` and a stage entry with `approver:`",
            ));
        }
        return out;
    };
    let Some(pairs) = root.as_mapping() else {
        out.push(Finding::new(
            Code::PrrInvalid,
            root.span.clone(),
            "validating PRR: a PRR file is a mapping: `kep-number: N` and `alpha: {approver: \"@x\"}`",
        ));
        return out;
    };
    structure(&mut out, pairs, text);
    let prr = read_prr(root);
    let file_number = path
        .rsplit('/')
        .next()
        .and_then(|f| f.strip_suffix(".yaml"))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    let sig = path.rsplit('/').nth(1).unwrap_or("");
    number_matches_file(&mut out, &prr, pairs, file_number);
    // The KEP this file approves, to know its stage and whether PRR is required.
    let kep = file_number.and_then(|n| find_kep(ctx, sig, n));
    let required = kep.as_deref().and_then(prr_required).unwrap_or(false);
    let current = kep
        .as_ref()
        .filter(|_| required)
        .and_then(|m| m.stage.as_ref())
        .map(|s| s.value.trim().to_string());
    if prr.entries.is_empty() {
        let range = prr.kep_number.as_ref().map(|(_, s)| s.clone()).unwrap_or(0..0);
        out.push(
            Finding::new(
                Code::PrrInvalid,
                range,
                "none of the PRR milestones are populated: add e.g. `alpha:` with `approver: \"@name\"`",
            )
            .with_severity(if required {
                Severity::Error
            } else {
                Severity::Warning
            }),
        );
    }
    approvers(&mut out, &prr, current.as_deref(), ctx);
    if let Some(stage) = &current
        && !prr.entries.iter().any(|e| e.stage == stage)
    {
        let range = prr.kep_number.as_ref().map(|(_, s)| s.clone()).unwrap_or(0..0);
        out.push(Finding::new(
            Code::PrrStageMissing,
            range,
            format!("the selected PRR milestone stage is not populated: the KEP is at {stage}: add `{stage}:` with `approver:`"),
        ));
    }
    out
}

/// PRRHandler.Parse reads the file with a bufio.Scanner too: a line of 64 KiB fails it. The
/// finding on the first such line.
fn line_too_long(text: &str) -> Option<Finding> {
    let mut start = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let content = line.trim_end_matches('\n');
        if content.len() >= crate::model::kep_yaml::MAX_LINE_BYTES {
            let end = (start + 80..=start + content.len())
                .find(|e| text.is_char_boundary(*e))
                .unwrap_or(start + content.len());
            return Some(Finding::new(
                Code::YamlSyntax,
                start..end,
                format!(
                    "reading file: bufio.Scanner: token too long: line {} has {} bytes; upstream reads lines shorter than {} bytes",
                    i + 1,
                    content.len(),
                    crate::model::kep_yaml::MAX_LINE_BYTES
                ),
            ));
        }
        start += line.len();
    }
    None
}

/// `kep-number` is present and (with a fix) the number in the file's name `file_number`.
fn number_matches_file(
    out: &mut Vec<Finding>,
    prr: &PrrFile<'_>,
    pairs: &[(Node, Node)],
    file_number: Option<&str>,
) {
    match &prr.kep_number {
        None => out.push(Finding::new(
            Code::PrrInvalid,
            pairs.first().map(|(k, _)| k.span.clone()).unwrap_or(0..0),
            format!(
                "validating PRR: kep-number is required: add `kep-number: {}`",
                file_number.unwrap_or("NNNN")
            ),
        )),
        Some((n, span)) => {
            if let Some(f) = file_number
                && n.trim_start_matches('0') != f.trim_start_matches('0')
            {
                out.push(
                    Finding::new(
                        Code::PrrNumberMismatch,
                        span.clone(),
                        format!("kep-number {n} differs from the file name {f}.yaml: one of them is wrong"),
                    )
                    .with_fix(crate::analysis::Fix::new(
                        format!("Change kep-number to {f}"),
                        vec![crate::analysis::TextEdit::new(span.clone(), f)],
                    )),
                );
            }
        }
    }
}

/// Each stage entry names an approver who may approve PRRs (R11): an error for the KEP's
/// `current` stage, a warning for the others.
fn approvers(out: &mut Vec<Finding>, prr: &PrrFile<'_>, current: Option<&str>, ctx: &Context<'_>) {
    let allowed = ctx.knowledge.prr_approvers.clone();
    for e in &prr.entries {
        let is_current = current == Some(e.stage);
        let sev = if is_current {
            Severity::Error
        } else {
            Severity::Warning
        };
        match &e.approver {
            None if !e.is_map => {}
            None => out.push(
                Finding::new(
                    Code::PrrApproverEmpty,
                    e.key_span.clone(),
                    format!(
                        "PRR approver cannot be empty: add `approver: \"@name\"` under `{}`",
                        e.stage
                    ),
                )
                .with_severity(sev),
            ),
            Some((a, span)) if a.is_empty() => out.push(
                Finding::new(
                    Code::PrrApproverEmpty,
                    if span.is_empty() {
                        e.key_span.clone()
                    } else {
                        span.clone()
                    },
                    format!(
                        "PRR approver cannot be empty: name the PRR approver of {}",
                        e.stage
                    ),
                )
                .with_severity(sev),
            ),
            Some((a, span)) => {
                if may_approve(ctx, a) {
                    continue;
                }
                out.push(
                    Finding::new(
                        Code::PrrApproverNotAllowed,
                        span.clone(),
                        format!(
                            "this contributor ({a}) is not a PRR approver ({})",
                            allowed.join(", ")
                        ),
                    )
                    .with_severity(sev),
                );
            }
        }
    }
}

/// R10 strictness: only `kep-number` and the stage keys; each stage a `{approver}` map.
fn structure(out: &mut Vec<Finding>, pairs: &[(Node, Node)], text: &str) {
    let known = || std::iter::once("kep-number").chain(PRR_STAGE_KEYS.iter().copied());
    for (i, (k, v)) in pairs.iter().enumerate() {
        let Some(key) = k.as_str() else { continue };
        if pairs[..i].iter().any(|(p, _)| p.as_str() == Some(key)) {
            let line = text
                .get(..k.span.start)
                .map(|t| t.matches('\n').count() + 1)
                .unwrap_or(1);
            out.push(Finding::new(
                Code::DuplicateKey,
                k.span.clone(),
                format!("mapping key \"{key}\" given twice (line {line}): keep one"),
            ));
        }
        if key == "kep-number" {
            if matches!(v.kind, NodeKind::Sequence(_) | NodeKind::Mapping(_)) {
                out.push(Finding::new(
                    Code::WrongType,
                    v.span.clone(),
                    "cannot unmarshal into string: kep-number is a number",
                ));
            }
            continue;
        }
        if !PRR_STAGE_KEYS.contains(&key) {
            let mut f = Finding::new(
                Code::UnknownField,
                k.span.clone(),
                format!("validating PRR: field {key} not found in type api.PRRApproval"),
            );
            if let Some(s) = schema::did_you_mean(key, known()) {
                f.message.push_str(&format!(": did you mean `{s}`?"));
                f = f.with_fix(crate::analysis::Fix::new(
                    format!("Rename to `{s}`"),
                    vec![crate::analysis::TextEdit::new(k.span.clone(), s)],
                ));
            }
            out.push(f);
            continue;
        }
        if v.is_null() {
            continue;
        }
        let Some(sub) = v.as_mapping() else {
            out.push(Finding::new(
                Code::WrongType,
                v.span.clone(),
                format!(
                    "cannot unmarshal {} into api.PRRMilestone: write `approver: \"@name\"` under `{key}:`",
                    v.yaml_tag()
                ),
            ));
            continue;
        };
        for (sk, sv) in sub {
            match sk.as_str() {
                Some("approver") if sv.as_scalar().is_none() => {
                    out.push(Finding::new(
                        Code::WrongType,
                        sv.span.clone(),
                        "cannot unmarshal into string: approver is one handle",
                    ));
                }
                Some("approver") => {}
                Some(other) => {
                    let mut f = Finding::new(
                        Code::UnknownField,
                        sk.span.clone(),
                        format!("validating PRR: field {other} not found in type api.PRRMilestone"),
                    );
                    if schema::did_you_mean(other, ["approver"]).is_some() {
                        f.message.push_str(": did you mean `approver`?");
                        f = f.with_fix(crate::analysis::Fix::new(
                            "Rename to `approver`",
                            vec![crate::analysis::TextEdit::new(sk.span.clone(), "approver")],
                        ));
                    }
                    out.push(f);
                }
                None => {}
            }
        }
    }
}

/// A PRR file as yaml.v3 reads it (no `---` split here: `PRRHandler.Parse` reads every line;
/// yaml.v3's tab rules apply, see `yaml::go_tabs`).
fn parse_prr(text: &str) -> yaml::YamlDoc {
    let (masked, first_error) = yaml::mask_go_tabs(text, text.to_owned());
    yaml::parse_masked(text, &masked, first_error)
}

/// What upstream's `PRRHandler.Parse` (strict yaml.v3 decode into `api.PRRApproval`, then the
/// struct's `required` tags) rejects in a PRR file, in its words, empty when it accepts it; with
/// the parse it made for them (`None` when upstream reads no YAML: a line too long), so that the
/// kep.yaml side does not parse the PRR file a second time.
fn decode(text: &str) -> (Vec<String>, Option<yaml::YamlDoc>) {
    if let Some(line) = text
        .split('\n')
        .position(|l| l.len() >= crate::model::kep_yaml::MAX_LINE_BYTES)
    {
        let problem = format!("reading file: bufio.Scanner: token too long (line {})", line + 1);
        return (vec![problem], None);
    }
    let doc = parse_prr(text);
    let problems = doc_problems(text, &doc);
    (problems, Some(doc))
}

/// What upstream's decode rejects in a parsed PRR file (see `decode`).
fn doc_problems(text: &str, doc: &yaml::YamlDoc) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(e) = doc.errors.first() {
        out.push(format!(
            "unmarshalling YAML: yaml: line {}: {}",
            e.line, e.message
        ));
        return out;
    }
    let Some(root) = doc.root.as_ref() else {
        out.push("unmarshalling YAML: EOF".into());
        return out;
    };
    let required = |what: &str| {
        let field = what.rsplit('.').next().unwrap_or(what);
        format!(
            "validating PRR: running validation: Key: 'PRRApproval.{what}' Error:Field validation for '{field}' failed on the 'required' tag"
        )
    };
    if root.is_null() {
        out.push(required("Number"));
        return out;
    }
    let Some(pairs) = root.as_mapping() else {
        out.push(format!(
            "unmarshalling YAML: yaml: unmarshal errors: cannot unmarshal {} into api.PRRApproval",
            root.yaml_tag()
        ));
        return out;
    };
    let mut shape = Vec::new();
    structure(&mut shape, pairs, text);
    out.extend(
        shape
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| format!("unmarshalling YAML: {}", f.message)),
    );
    if !out.is_empty() {
        return out;
    }
    let number_empty = root
        .get("kep-number")
        .and_then(|v| v.as_scalar())
        .is_none_or(|s| s.is_null() || s.value.is_empty());
    if number_empty {
        out.push(required("Number"));
    }
    for (k, v) in pairs {
        let Some(stage) = k.as_str().filter(|s| PRR_STAGE_KEYS.contains(s)) else {
            continue;
        };
        if v.as_mapping().is_none() {
            continue;
        }
        let empty = v
            .get("approver")
            .and_then(|a| a.as_scalar())
            .is_none_or(|s| s.is_null() || s.value.is_empty());
        if empty {
            let mut go = stage.to_string();
            go[..1].make_ascii_uppercase();
            out.push(required(&format!("{go}.Approver")));
        }
    }
    out
}

/// The kep.yaml of KEP `number` owned by `sig`, from the workspace index.
fn find_kep(ctx: &Context<'_>, sig: &str, number: &str) -> Option<std::sync::Arc<KepMetadata>> {
    if !ctx.workspace.has_root() {
        return None;
    }
    let n = number.trim_start_matches('0');
    let keps = ctx.workspace.kep_list(None);
    // `numbered` is the entries whose trimmed number without leading zeros is `n`, in list order.
    let entry = keps
        .numbered(n)
        .into_iter()
        .filter(|k| k.metadata_path.ends_with("kep.yaml"))
        .min_by_key(|k| k.owning_sig != sig)?;
    ctx.workspace.kep_metadata(&entry.metadata_path)
}

/// The kep.yaml side: R9 (the PRR file exists) and R11 (it approves the KEP's stage).
pub(crate) fn check_kep_prr(_path: &str, _text: &str, meta: &KepMetadata, ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    if !ctx.workspace.has_root() || meta.legacy || prr_required(meta) != Some(true) {
        return out;
    }
    let (Some(sig), Some(num), Some(stage)) = (&meta.owning_sig, &meta.kep_number, &meta.stage) else {
        return out;
    };
    let stage_value = stage.value.as_str();
    let status = meta.status.as_ref().map(|s| s.value.as_str()).unwrap_or("");
    let file = prr_path(&sig.value, &num.value);
    let Some(prr_text) = ctx.workspace.file_text(&file) else {
        out.push(Finding::new(
            Code::PrrMissing,
            meta.status.as_ref().map(|s| s.span.clone()).unwrap_or(num.span.clone()),
            format!(
                "open {file}: no such file or directory: an {status} KEP from v1.21 needs a production readiness approval there (with `{stage_value}: {{approver: \"@name\"}}`)"
            ),
        ));
        return out;
    };
    let (problems, doc) = decode(&prr_text);
    if let Some(first) = problems.first() {
        // Upstream reports the PRR file's problems on the kep.yaml that needs it.
        let code = if first.contains(".Approver' Error:") {
            Code::PrrApproverEmpty
        } else {
            Code::PrrInvalid
        };
        out.push(Finding::new(
            code,
            stage.span.clone(),
            format!("parsing PRR approval file: {first}: fix {file}"),
        ));
        return out;
    }
    let Some(root) = doc.as_ref().and_then(|doc| doc.root.as_ref()) else {
        return out;
    };
    let prr = read_prr(root);
    let Some(entry) = prr.entries.iter().find(|e| e.stage == stage_value) else {
        let msg = if prr.entries.is_empty() {
            format!(
                "none of the PRR milestones are populated in {file}: add `{stage_value}:` with `approver:`"
            )
        } else {
            format!("the selected PRR milestone stage is not populated: {file} has no `{stage_value}:` entry")
        };
        out.push(Finding::new(Code::PrrStageMissing, stage.span.clone(), msg));
        return out;
    };
    let approver = entry.approver.as_ref().map(|(a, _)| a.as_str()).unwrap_or("");
    if approver.is_empty() {
        out.push(Finding::new(
            Code::PrrApproverEmpty,
            stage.span.clone(),
            format!("PRR approver cannot be empty: {file} names no approver for {stage_value}"),
        ));
        return out;
    }
    let allowed = ctx.knowledge.prr_approvers.clone();
    if !may_approve(ctx, approver) {
        out.push(Finding::new(
            Code::PrrApproverNotAllowed,
            stage.span.clone(),
            format!(
                "this contributor ({approver}) is not a PRR approver ({}): see {file}",
                allowed.join(", ")
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::NoWorkspace;
    use crate::knowledge::Knowledge;

    #[test]
    fn prr_files_follow_yaml_v3_tabs() {
        let k = Knowledge::embedded();
        let ctx = Context {
            knowledge: &k,
            workspace: &NoWorkspace,
            today: None,
            upcoming_minor: None,
        };
        let ok = "kep-number: 42\nalpha:\n  approver:\t\"@wojtek-t\"\n";
        assert!(decode(ok).0.is_empty(), "{:?}", decode(ok).0);
        let findings = check_prr_file("keps/prod-readiness/sig-node/42.yaml", ok, &ctx);
        assert!(
            findings.iter().all(|f| f.severity != Severity::Error),
            "{findings:?}"
        );
        let bad = "kep-number: 42\nalpha:\n\tapprover: \"@wojtek-t\"\n";
        assert_eq!(
            decode(bad).0,
            ["unmarshalling YAML: yaml: line 3: found character that cannot start any token"]
        );
    }
}
