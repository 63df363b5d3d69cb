//! `new_kep`: a new KEP's README and kep.yaml from the templates, like `kepctl create`.

use super::*;

/// What `new_kep` needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewKep {
    /// The owning SIG (`sig-node`).
    pub sig: String,
    pub title: String,
    /// The tracking issue number; the next free kep-number when `None`.
    pub number: Option<u64>,
    /// GitHub handles, with or without `@`.
    pub authors: Vec<String>,
    /// `YYYY-MM-DD`.
    pub today: String,
}

/// `My Title: with (stuff)` -> `my-title-with-stuff`.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut s = out.trim_end_matches('-').to_string();
    if s.len() > 60 {
        s.truncate(60);
        s = s.trim_end_matches('-').to_string();
    }
    s
}

/// The files of a new KEP as (repo-relative path, content).
pub fn new_kep(req: &NewKep, ctx: &Context<'_>) -> Result<Vec<(String, String)>, ScaffoldError> {
    let title = req.title.trim();
    if title.is_empty() {
        return Err(ScaffoldError::EmptyTitle);
    }
    let sig = req.sig.trim();
    if groups::group(ctx, sig).is_none() {
        let best = groups::groups(ctx)
            .map(|g| (strsim::jaro_winkler(sig, &g.dir), &g.dir))
            .filter(|(s, _)| *s > 0.85)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, d)| d.clone());
        return Err(ScaffoldError::UnknownSig(sig.to_string(), best));
    }
    let facts = WorkspaceFacts::from_parts(ctx.workspace.keps(), &[]);
    let number = req.number.unwrap_or(facts.next_kep_number.max(1));
    let dir = format!("keps/{sig}/{number}-{}", slug(title));
    if ctx.workspace.exists(&dir) {
        return Err(ScaffoldError::Exists(dir));
    }
    let readme = EMBEDDED_TEMPLATE_README.replacen(
        "# KEP-NNNN: Your short, descriptive title",
        &format!("# KEP-{number}: {title}"),
        1,
    );
    let milestone = match facts.newest_milestone {
        Some((ma, mi)) => format!("v{ma}.{}", mi + 1),
        None => "v1.XX".into(),
    };
    let kep_yaml = kep_yaml(req, title, number, &milestone);
    Ok(vec![
        (format!("{dir}/README.md"), readme),
        (format!("{dir}/kep.yaml"), kep_yaml),
    ])
}

/// The template's comment lines right above `key` (with their line breaks).
pub(super) fn template_comment(key: &str) -> String {
    let t = EMBEDDED_TEMPLATE_KEP_YAML;
    let y = yaml::read(t, 0..t.len());
    y.entry(key)
        .map(|e| t[y.comments_above(e)].to_string())
        .unwrap_or_default()
}

pub(super) fn kep_yaml(req: &NewKep, title: &str, number: u64, milestone: &str) -> String {
    let authors: Vec<String> = req
        .authors
        .iter()
        .filter_map(|a| clean_handle(a))
        .map(|a| format!("  - \"@{a}\"\n"))
        .collect();
    let authors = if authors.is_empty() {
        "  - TBD\n".to_string()
    } else {
        authors.concat()
    };
    let title = if title.contains(": ") || title.starts_with(|c: char| "\"'@`[{&*!|>%#-?".contains(c)) {
        format!("\"{}\"", title.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        title.to_string()
    };
    let mut s = String::new();
    s.push_str(&format!(
        "title: {title}\nkep-number: {number}\nauthors:\n{authors}"
    ));
    s.push_str(&format!(
        "owning-sig: {}\nparticipating-sigs: []\nstatus: provisional\n",
        req.sig.trim()
    ));
    s.push_str(&format!(
        "creation-date: {}\nlast-updated: {}\n",
        req.today, req.today
    ));
    s.push_str("reviewers:\n  - TBD\napprovers:\n  - TBD\n\nsee-also: []\nreplaces: []\n\n");
    s.push_str(&template_comment("stage"));
    s.push_str("stage: alpha\n\n");
    s.push_str(&template_comment("latest-milestone"));
    s.push_str(&format!("latest-milestone: \"{milestone}\"\n\n"));
    s.push_str(&template_comment("milestone"));
    s.push_str(&format!("milestone:\n  alpha: \"{milestone}\"\n\n"));
    s.push_str(&template_comment("feature-gates"));
    s.push_str("feature-gates: []\n\n");
    s.push_str(&template_comment("metrics"));
    s.push_str("metrics: []\n");
    s
}
