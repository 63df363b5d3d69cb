//! What to offer in a slot: field names, milestone keys, and the values of each field (statuses,
//! stages, SIGs, handles, KEP references, milestones, dates), as `Candidate`s not yet rendered.

use super::*;

impl YamlDoc<'_> {
    pub(super) fn field_items(
        &self,
        replace: Range<usize>,
        on_key_line: bool,
        facts: &WorkspaceFacts,
        ctx: &Context<'_>,
    ) -> Vec<CompletionItem> {
        let present: Vec<&str> = self
            .y
            .top
            .iter()
            .filter(|e| e.key_range != replace)
            .map(|e| e.key.as_str())
            .collect();
        let (number, sig) = path_facts(self.path);
        let milestone = next_milestone(facts, self);
        let mut out = Vec::new();
        for (i, f) in schema_view::fields().iter().enumerate() {
            if present.contains(&f.name) {
                continue;
            }
            let (new_text, snippet) = if on_key_line {
                (f.name.to_string(), false)
            } else {
                (
                    field_snippet(
                        f.name,
                        f.ty,
                        number.as_deref(),
                        sig.as_deref(),
                        &milestone,
                        ctx,
                        facts,
                    ),
                    true,
                )
            };
            let req = if f.required { ", required" } else { "" };
            out.push(CompletionItem {
                label: f.name.to_string(),
                kind: CompletionKind::Field,
                detail: Some(format!("{}{req}", describe(f.ty))),
                documentation: Some(field_doc_markdown(f.name)),
                edit: TextEdit::new(replace.clone(), new_text),
                snippet,
                sort_text: format!("{}{i:02}", if f.required { 0 } else { 1 }),
                filter_text: f.name.to_string(),
            });
        }
        out.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
        out
    }

    pub(super) fn milestone_key_items(
        &self,
        replace: Range<usize>,
        on_key_line: bool,
        facts: &WorkspaceFacts,
    ) -> Vec<CompletionItem> {
        let present: Vec<String> = self
            .y
            .entry("milestone")
            .map(|e| {
                let typed_on = self.y.line_at(replace.start);
                self.y
                    .children_of(e)
                    .into_iter()
                    // Not the line being typed on.
                    .filter(|sub| Some(sub.line) != typed_on)
                    .map(|sub| sub.key)
                    .collect()
            })
            .unwrap_or_default();
        let ms = next_milestone(facts, self);
        milestone_keys()
            .enumerate()
            .filter(|(_, k)| !present.iter().any(|p| p == *k) || on_key_line)
            .map(|(i, k)| CompletionItem {
                label: k.to_string(),
                kind: CompletionKind::Field,
                detail: Some("milestone".into()),
                documentation: milestone_doc(k).map(str::to_string),
                edit: TextEdit::new(
                    replace.clone(),
                    if on_key_line {
                        k.to_string()
                    } else {
                        format!("{k}: \"${{1:{}}}\"", snippet_escape(&ms))
                    },
                ),
                snippet: !on_key_line,
                sort_text: format!("{i:02}"),
                filter_text: k.to_string(),
            })
            .collect()
    }

    pub(super) fn value_items(
        &self,
        slot: &Slot,
        ctx: &Context<'_>,
        facts: &WorkspaceFacts,
    ) -> Vec<CompletionItem> {
        let Slot::Value { field, parent, .. } = slot else {
            return Vec::new();
        };
        let mut cands: Vec<Candidate> = Vec::new();
        let in_milestone = parent.as_deref() == Some("milestone");
        let f = if in_milestone { "milestone" } else { field.as_str() };
        match f {
            "status" => {
                for (s, _) in STATUSES {
                    cands.push(Candidate::new(s, CompletionKind::Value, &status_doc(s)));
                }
            }
            "stage" => {
                for (s, doc) in STAGES {
                    cands.push(Candidate::new(s, CompletionKind::Value, doc));
                }
            }
            "owning-sig" | "participating-sigs" => {
                let taken = self.taken(field);
                for g in groups::groups(ctx) {
                    if taken.contains(&g.dir) {
                        continue;
                    }
                    let mut c = Candidate::new(&g.dir, CompletionKind::Sig, &g.mission);
                    c.detail = Some(format!("{} {}", g.name, g.kind.as_str()));
                    cands.push(c);
                }
            }
            "latest-milestone" | "milestone" => {
                for m in milestone_candidates(facts, self) {
                    cands.push(Candidate::new(&m, CompletionKind::Milestone, ""));
                }
                let q = self.quotes(&["latest-milestone"], true);
                cands.iter_mut().for_each(|c| c.quote = q);
            }
            "creation-date" | "last-updated" => {
                if let Some(today) = ctx.today {
                    let mut c = Candidate::new(today, CompletionKind::Date, "Today.");
                    c.quote = self.quotes(&["creation-date", "last-updated"], false);
                    cands.push(c);
                }
            }
            "components" => {
                let taken = self.sibling_items();
                for (name, doc) in COMPONENTS {
                    if !taken.iter().any(|t| t == name) {
                        cands.push(Candidate::new(name, CompletionKind::Value, doc));
                    }
                }
            }
            "disable-supported" => {
                cands.push(Candidate::new("true", CompletionKind::Bool, ""));
                cands.push(Candidate::new("false", CompletionKind::Bool, ""));
            }
            "kep-number" => {
                let (number, _) = path_facts(self.path);
                let n = number.unwrap_or_else(|| facts.next_kep_number.max(1).to_string());
                cands.push(Candidate::new(
                    &n,
                    CompletionKind::Value,
                    "The folder's number (or the next free one).",
                ));
            }
            "authors" | "reviewers" | "approvers" | "editor" => {
                cands = self.handle_candidates(field, facts);
            }
            "see-also" | "replaces" | "superseded-by" => {
                let q = self.quotes(&["see-also", "replaces", "superseded-by"], true);
                let taken = self.taken(field);
                let own_dir = self.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
                for k in facts.keps.iter() {
                    let reference = format!("/{}", k.dir);
                    if own_dir.ends_with(&k.dir) || taken.contains(&reference) || taken.contains(&k.dir) {
                        continue;
                    }
                    let mut c = Candidate::new(&reference, CompletionKind::KepRef, "");
                    c.label = format!("KEP-{}: {}", k.number, k.title);
                    c.detail = Some(format!("{} · {} · {}", k.owning_sig, k.status, k.stage));
                    c.doc = format!("`{}`", k.dir);
                    c.filter_extra = format!(" {} {}", k.number, k.title);
                    c.quote = q;
                    cands.push(c);
                }
            }
            _ => {}
        }
        self.render(slot, cands)
    }

    /// The other items of the list the cursor's line belongs to (unquoted), at any depth: the
    /// contiguous `- ` lines of the same indent around the cursor.
    pub(super) fn sibling_items(&self) -> Vec<String> {
        let Some(here) = self.y.line_at(self.cursor) else {
            return Vec::new();
        };
        self.y
            .sibling_items(here)
            .into_iter()
            .map(|r| yaml::unquote(&self.y.text[r]).to_string())
            .collect()
    }

    /// The values already in a list field (unquoted), so completion does not offer them twice.
    pub(super) fn taken(&self, field: &str) -> Vec<String> {
        self.values(field)
            .into_iter()
            .map(|r| yaml::unquote(&self.y.text[r]).trim_end_matches('/').to_string())
            .collect()
    }

    pub(super) fn handle_candidates(&self, field: &str, facts: &WorkspaceFacts) -> Vec<Candidate> {
        let taken: Vec<String> = self
            .taken(field)
            .iter()
            .filter_map(|t| clean_handle(t))
            .map(|h| h.to_ascii_lowercase())
            .collect();
        let (_, folder_sig) = path_facts(self.path);
        let sig = self.y.scalar("owning-sig").map(str::to_string).or(folder_sig);
        let mut ranked: Vec<(usize, usize, &str)> = facts
            .handles
            .iter()
            .filter(|h| !taken.contains(&h.handle.to_ascii_lowercase()))
            .map(|h| {
                let in_sig = sig.as_ref().and_then(|s| h.by_sig.get(s)).copied().unwrap_or(0);
                (in_sig, h.kep_count, h.handle.as_str())
            })
            .collect();
        ranked.sort_by(|a, b| (b.0, b.1).cmp(&(a.0, a.1)).then(a.2.cmp(b.2)));
        let at = if self.at_prefix() { "@" } else { "" };
        ranked
            .into_iter()
            .map(|(in_sig, total, h)| {
                let mut c = Candidate::new(&format!("{at}{h}"), CompletionKind::Handle, "");
                c.label = format!("@{h}");
                c.detail = Some(match &sig {
                    Some(s) if in_sig > 0 => format!("{in_sig} {s} KEPs, {total} in all"),
                    _ => format!("{total} KEPs"),
                });
                c.quote = true;
                c
            })
            .collect()
    }

    pub(super) fn prr_completions(&self, offset: usize, ctx: &Context<'_>) -> Vec<CompletionItem> {
        let slot = self.slot(offset);
        let present: Vec<&str> = self.y.top.iter().map(|e| e.key.as_str()).collect();
        match slot {
            Some(Slot::Key {
                parent: None,
                on_key_line,
                replace,
            }) => {
                let mut keys: Vec<(&str, String)> = Vec::new();
                let (number, _) = path_facts(&format!("{}x", self.path.trim_end_matches(".yaml")));
                let stem = self
                    .path
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .trim_end_matches(".yaml");
                let n = number.unwrap_or_else(|| stem.to_string());
                keys.push(("kep-number", format!("kep-number: {}", snippet_escape(&n))));
                for s in schema_view::prr_stage_keys() {
                    keys.push((s, format!("{s}:\n  approver: \"@$1\"")));
                }
                keys.into_iter()
                    .enumerate()
                    .filter(|(_, (k, _))| on_key_line || !present.contains(k))
                    .map(|(i, (k, snip))| CompletionItem {
                        label: k.to_string(),
                        kind: CompletionKind::Field,
                        detail: Some(
                            if k == "kep-number" {
                                "required"
                            } else {
                                "PRR stage"
                            }
                            .into(),
                        ),
                        documentation: None,
                        edit: TextEdit::new(replace.clone(), if on_key_line { k.to_string() } else { snip }),
                        snippet: !on_key_line,
                        sort_text: format!("{i:02}"),
                        filter_text: k.to_string(),
                    })
                    .collect()
            }
            Some(Slot::Key {
                parent: Some(_),
                on_key_line,
                replace,
            }) => vec![CompletionItem {
                label: "approver".into(),
                kind: CompletionKind::Field,
                detail: Some("PRR approver".into()),
                documentation: Some("A member of `prod-readiness-approvers` (OWNERS_ALIASES).".into()),
                edit: TextEdit::new(
                    replace,
                    if on_key_line {
                        "approver"
                    } else {
                        "approver: \"@$1\""
                    },
                ),
                snippet: !on_key_line,
                sort_text: "00".into(),
                filter_text: "approver".into(),
            }],
            Some(ref s @ Slot::Value { ref field, .. }) if field == "approver" => {
                let cands = ctx
                    .knowledge
                    .prr_approvers
                    .iter()
                    .map(|h| {
                        let mut c = Candidate::new(&format!("@{h}"), CompletionKind::Handle, "");
                        c.detail = Some("prod-readiness-approvers".into());
                        c.quote = true;
                        c
                    })
                    .collect();
                self.render(s, cands)
            }
            _ => Vec::new(),
        }
    }
}

/// A value to offer before it is rendered in the slot's style.
pub(super) struct Candidate {
    pub(super) label: String,
    pub(super) value: String,
    pub(super) kind: CompletionKind,
    pub(super) detail: Option<String>,
    pub(super) doc: String,
    pub(super) filter_extra: String,
    /// Quote it when the cursor is not already inside quotes.
    pub(super) quote: bool,
}

impl Candidate {
    fn new(value: &str, kind: CompletionKind, doc: &str) -> Candidate {
        Candidate {
            label: value.to_string(),
            value: value.to_string(),
            kind,
            detail: None,
            doc: doc.to_string(),
            filter_extra: String::new(),
            quote: false,
        }
    }
}

/// The milestone to propose for new entries: the newest in the workspace or this file.
pub(super) fn next_milestone(facts: &WorkspaceFacts, doc: &YamlDoc<'_>) -> String {
    match newest(facts, doc) {
        Some((ma, mi)) => format!("v{ma}.{mi}"),
        None => "v1.XX".into(),
    }
}

pub(super) fn newest(facts: &WorkspaceFacts, doc: &YamlDoc<'_>) -> Option<(u64, u64)> {
    let mut n = facts.newest_milestone;
    for k in ["latest-milestone"] {
        for r in doc.values(k) {
            n = n.max(crate::ide::facts::parse_milestone(&doc.y.text[r]));
        }
    }
    n
}

/// `vX.Y` around the newest release: the newest first, then the next, then older ones.
pub(super) fn milestone_candidates(facts: &WorkspaceFacts, doc: &YamlDoc<'_>) -> Vec<String> {
    let Some((ma, mi)) = newest(facts, doc) else {
        return Vec::new();
    };
    let mut out = vec![
        format!("v{ma}.{mi}"),
        format!("v{ma}.{}", mi + 1),
        format!("v{ma}.{}", mi + 2),
    ];
    for d in 1..=3 {
        if let Some(m) = mi.checked_sub(d) {
            out.push(format!("v{ma}.{m}"));
        }
    }
    out
}
