//! The KEP README template: its sections in order (level, title, whether optional, the guidance
//! comment under each), how lenient matching finds them in a real README, and where a missing
//! one would be inserted. The `missing-section` fix and the "insert section" code action use it.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::syntax::outline::{self, Outline};

/// From which point of a KEP's life a section is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Requirement {
    /// Needed even for a provisional KEP (Summary, Motivation, Goals, Non-Goals, Proposal).
    Provisional,
    /// Needed once the KEP is implementable (design, test plan, graduation...).
    Implementable,
    /// The PRR questionnaire's sections: needed once upstream requires a PRR (implementable or
    /// implemented, latest-milestone v1.21 or later) and the KEP's stage reaches the section's
    /// `prr_target`.
    ProductionReadiness,
    /// One question of the questionnaire (a `######` heading): due as `ProductionReadiness`, and
    /// reported one by one, as hack/verify-toc-vs-template.sh lists them.
    ProductionReadinessQuestion,
    /// Never reported missing: optional sections, the per-question headings, examples.
    Never,
}

/// From which stage the template asks for a part of the PRR questionnaire, as its guidance says
/// ("This section must be completed when targeting alpha/beta to a release", "For beta, this
/// section is required").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PrrTarget {
    Alpha,
    Beta,
}

impl PrrTarget {
    /// The target a KEP's `stage` reaches: `alpha` the alpha parts, every later stage (and
    /// the removal stages, whose PRR follows a feature's whole life) all of them. `None` (no
    /// stage, or one outside the list) reaches only the alpha parts.
    pub fn of_stage(stage: Option<&str>) -> PrrTarget {
        match stage
            .map(|s| s.trim().trim_matches('"').to_ascii_lowercase())
            .as_deref()
        {
            Some("beta" | "stable" | "deprecated" | "disabled" | "removed") => PrrTarget::Beta,
            _ => PrrTarget::Alpha,
        }
    }

    /// What the guidance comment under a PRR heading says, if anything.
    fn from_guidance(guidance: &str) -> Option<PrrTarget> {
        let g = collapse_ws(guidance).to_lowercase();
        if g.contains("targeting alpha") {
            Some(PrrTarget::Alpha)
        } else if g.contains("targeting beta") || g.contains("for beta, this section is required") {
            Some(PrrTarget::Beta)
        } else {
            None
        }
    }
}

/// One heading of the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSection {
    /// Position in the template (0 = first section after the title).
    pub index: usize,
    pub level: u8,
    /// The heading text as the template has it (`User Stories (Optional)`).
    pub title: String,
    /// `title` normalized for lenient matching (`userstoriesoptional`), computed once.
    pub norm: String,
    /// The title contains `(Optional)`.
    pub optional: bool,
    /// The parent section's index, if any.
    pub parent: Option<usize>,
    /// The guidance HTML comment right under the heading (`<!-- ... -->`), if any.
    pub guidance: Option<String>,
    /// The section's own content (up to its first subsection), trimmed.
    pub body: String,
    pub requirement: Requirement,
    /// For the PRR questionnaire's sections and questions: the stage from which the template
    /// asks for it (its own guidance, else its parent's; the questionnaire itself: alpha).
    pub prr_target: Option<PrrTarget>,
}

/// The parsed template.
#[derive(Debug, Clone, Default)]
pub struct Template {
    pub sections: Vec<TemplateSection>,
    /// Every HTML comment of the template with its whitespace collapsed (for spotting guidance
    /// left in a README).
    guidance: HashSet<String>,
    /// The opening words of each of those comments: older templates had longer versions of the
    /// same guidance, which start the same way.
    guidance_openings: Vec<String>,
}

/// Other spellings real KEPs use for a template section's own title (singular or plural, an
/// `and` more or less, an older template's wording of the same title), already normalized (see
/// `normalize`), or the same subject in other words ("Abstract", "Detailed Design"). Never
/// another subject: a "Background" is not the Motivation, "Objectives" not the Motivation,
/// "Use Cases" not the User Stories, "Implementation Details" not the Design Details (reading
/// them so hid a missing section behind a heading about something else).
const ALIASES: &[(&str, &[&str])] = &[
    ("releasesignoffchecklist", &["releasesignoff", "releasechecklist"]),
    ("summary", &["abstract"]),
    ("nongoals", &["nongoal"]),
    ("goals", &["goal"]),
    ("userstories", &["userstory"]),
    // The 2019-2020 template's title of the section.
    (
        "notesconstraintscaveats",
        &["implementationdetailsnotesconstraints"],
    ),
    (
        "risksandmitigations",
        &["risksmitigations", "riskandmitigation", "risksandmitigation"],
    ),
    ("designdetails", &["detaileddesign", "design"]),
    ("testplan", &["testingplan"]),
    ("graduationcriteria", &["graduationcriterias"]),
    ("upgradedowngradestrategy", &["upgradeanddowngradestrategy"]),
    (
        "productionreadinessreviewquestionnaire",
        &["productionreadinessreview", "productionreadiness"],
    ),
    ("drawbacks", &["drawback"]),
    ("alternatives", &["alternative", "alternativeapproaches"]),
];

/// Lower-case alphanumerics only, `(Optional)` dropped: "Upgrade / Downgrade Strategy" and
/// "upgrade/downgrade strategy" both become `upgradedowngradestrategy`.
pub fn normalize(title: &str) -> String {
    if title.is_ascii() {
        // Every heading of a README is normalized on each analysis; for ASCII, lower-casing is
        // byte for byte, so only a title holding `(` needs the removal's substring search.
        if memchr::memchr(b'(', title.as_bytes()).is_none() {
            // The usual title: its lower-cased alphanumerics, one sized string.
            let mut out = String::with_capacity(title.len());
            out.extend(
                title
                    .bytes()
                    .filter(u8::is_ascii_alphanumeric)
                    .map(|b| b.to_ascii_lowercase() as char),
            );
            return out;
        }
        let mut lower = String::from_utf8_lossy(&title.as_bytes().to_ascii_lowercase())
            .replace("(optional)", "")
            .into_bytes();
        lower.retain(u8::is_ascii_alphanumeric);
        // Only ASCII alphanumerics are left.
        return String::from_utf8(lower).unwrap_or_default();
    }
    let lower = title.to_lowercase().replace("(optional)", "");
    lower.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Collapse whitespace runs so that re-wrapped or re-indented comments still compare equal.
pub(crate) fn collapse_ws(s: &str) -> String {
    collapse_ws_upto(s, usize::MAX).0
}

/// `collapse_ws(s)`, or its first words once they reach `limit` bytes (a prefix of it):
/// `(text, whether it is the whole)`.
fn collapse_ws_upto(s: &str, limit: usize) -> (String, bool) {
    // `split_whitespace` joined with spaces, in one pass over the bytes into one sized string:
    // every comment of every README is collapsed (`is_guidance`), and the iterator's char
    // decoding, its vector of words and the join were 4 % of `check`'s instructions. ASCII
    // bytes are tested as `char::is_whitespace` tests them (`\t`..=`\r` and space); other
    // characters are decoded.
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len().min(limit.saturating_add(64)));
    let mut word: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let (space, len) = match bytes[i] {
            b @ 0..0x80 => (matches!(b, b'\t'..=b'\r' | b' '), 1),
            _ => s[i..]
                .chars()
                .next()
                .map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8())),
        };
        if space {
            if let Some(start) = word.take() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&s[start..i]);
                if out.len() >= limit {
                    // Whole only when nothing but whitespace follows.
                    let rest = &s[i..];
                    return (out, rest.trim_start().is_empty());
                }
            }
        } else if word.is_none() {
            word = Some(i);
        }
        i += len;
    }
    if let Some(start) = word {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[start..]);
    }
    (out, true)
}

fn requirement(title_norm: &str, level: u8, optional: bool, under_prr: bool) -> Requirement {
    if optional {
        return Requirement::Never;
    }
    if under_prr {
        return if level > 3 {
            Requirement::ProductionReadinessQuestion
        } else {
            Requirement::ProductionReadiness
        };
    }
    if level > 3 {
        return Requirement::Never;
    }
    match title_norm {
        "summary" | "motivation" | "goals" | "nongoals" | "proposal" => Requirement::Provisional,
        "designdetails" | "testplan" | "graduationcriteria" => Requirement::Implementable,
        // The rest (Risks and Mitigations, Upgrade / Downgrade and Version Skew Strategy,
        // Implementation History, Drawbacks, Alternatives) is often and knowingly left out:
        // requiring it flagged 560 sections in the real tree. The Release Signoff Checklist
        // has its own rule (release-checklist-missing).
        _ => Requirement::Never,
    }
}

impl Template {
    pub(crate) fn from_markdown(text: &str) -> Template {
        let o = outline::outline(text);
        let mut sections: Vec<TemplateSection> = Vec::new();
        // Heading index in the outline of the template section `i`.
        let mut heading_of: Vec<usize> = Vec::new();
        let mut prr_level: Option<u8> = None;
        for (hi, h) in o.headings.iter().enumerate() {
            if h.level == 1 {
                continue;
            }
            let norm = normalize(&h.text);
            match prr_level {
                Some(l) if h.level <= l => prr_level = None,
                _ => {}
            }
            if norm == "productionreadinessreviewquestionnaire" {
                prr_level = Some(h.level);
            }
            let under_prr = prr_level.is_some();
            let parent = (0..sections.len()).rev().find(|&i| sections[i].level < h.level);
            let own_end = o.headings.get(hi + 1).map_or(h.section.end, |n| n.line.start);
            let own = text.get(h.line.end..own_end).unwrap_or("");
            let guidance = o
                .comments
                .iter()
                .find(|c| c.start >= h.line.end && c.end <= own_end)
                .filter(|c| text[h.line.end..c.start].trim().is_empty())
                .map(|c| text[c.clone()].to_string());
            let optional = h.text.contains("(Optional)");
            let prr_target = under_prr.then(|| {
                guidance
                    .as_deref()
                    .and_then(PrrTarget::from_guidance)
                    .or_else(|| parent.and_then(|p| sections[p].prr_target))
                    .unwrap_or(PrrTarget::Alpha)
            });
            sections.push(TemplateSection {
                index: sections.len(),
                level: h.level,
                title: h.text.clone(),
                norm: norm.clone(),
                optional,
                parent,
                guidance,
                body: own.trim().to_string(),
                requirement: requirement(&norm, h.level, optional, under_prr),
                prr_target,
            });
            heading_of.push(hi);
        }
        let guidance: HashSet<String> = o
            .comments
            .iter()
            .filter_map(|c| text.get(c.clone()))
            .filter(|c| c.len() > 40 && !c.contains("toc -->"))
            .map(collapse_ws)
            .collect();
        let guidance_openings = guidance.iter().filter_map(|g| opening(g)).collect();
        Template {
            sections,
            guidance,
            guidance_openings,
        }
    }

    /// Whether an HTML comment of a README is one of the template's: word for word, or opening
    /// with the same 60 characters (an older template's version of it).
    pub(crate) fn is_guidance(&self, comment: &str) -> bool {
        // Only the collapsed comment's first characters are needed when it is long: equal to
        // a guidance comment means the same opening, and every long guidance comment's
        // opening is in `guidance_openings`. So a long comment is guidance exactly when its
        // opening is there. "Long": past `<!--`, a space and 61 characters of up to 4 bytes,
        // which `opening` always finds (more than 60 characters).
        const ENOUGH: usize = 4 + 1 + 61 * 4;
        let (c, whole) = collapse_ws_upto(comment, ENOUGH);
        if !whole {
            return opening(&c).is_some_and(|o| self.guidance_openings.contains(&o));
        }
        self.guidance.contains(&c) || opening(&c).is_some_and(|o| self.guidance_openings.contains(&o))
    }

    pub(crate) fn find(&self, title: &str) -> Option<&TemplateSection> {
        let n = normalize(title);
        self.sections.iter().find(|s| s.norm == n)
    }

    /// For each template section, the index of the README heading that stands for it (matched
    /// leniently: case, punctuation, `(Optional)`, known older names, and a heading that starts
    /// with the section's name, like "Alternatives Considered"). Only headings below the H1
    /// count; each heading stands for at most one section, and a match inside the section's
    /// parent is preferred.
    pub fn locate(&self, outline: &Outline) -> Vec<Option<usize>> {
        // The headings below the H1 grouped by normalized title, each group in document order.
        // Each section is then compared with the few titles that can match it, found by
        // lookups (its own title, its aliases, the titles it begins, the joined ones), not
        // with every title: comparing each of ~60 sections with each distinct title was 9 % of
        // `check`'s instructions over the tree. A group is its first heading plus a chain of
        // "next heading with the same title" links: no allocation per group, titles read in
        // document order.
        let norms: Vec<String> = outline.headings.iter().map(|h| normalize(&h.text)).collect();
        let mut next_same: Vec<Option<usize>> = vec![None; norms.len()];
        let mut firsts: Vec<usize> = Vec::new();
        // Title -> (its group's first heading, its last heading so far).
        let mut groups: HashMap<&str, (usize, usize)> = HashMap::with_capacity(norms.len());
        for (i, h) in outline.headings.iter().enumerate() {
            if h.level == 1 {
                continue;
            }
            match groups.entry(norms[i].as_str()) {
                std::collections::hash_map::Entry::Occupied(mut e) => {
                    next_same[e.get().1] = Some(i);
                    e.get_mut().1 = i;
                }
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert((i, i));
                    firsts.push(i);
                }
            }
        }
        // The distinct titles in byte order: those beginning with a section's title are one run.
        let mut sorted: Vec<(&str, usize)> = firsts.iter().map(|&g| (norms[g].as_str(), g)).collect();
        sorted.sort_unstable();
        // A heading joining titles ("Goals and Non-Goals", "Risks & Mitigations / Drawbacks")
        // stands for each of them: its parts, normalized, per group.
        // By heading index (a vector, not a map: it is read for every section and title).
        let mut parts: Vec<Option<Vec<String>>> = vec![None; outline.headings.len()];
        for &g in &firsts {
            parts[g] = joined_parts(&outline.headings[g].text);
        }
        // Each part of a joined title with its group, in byte order (looked up like titles).
        let mut joined: Vec<(&str, usize)> = firsts
            .iter()
            .filter_map(|&g| parts[g].as_ref().map(|p| (p, g)))
            .flat_map(|(p, g)| p.iter().map(move |p| (p.as_str(), g)))
            .collect();
        joined.sort_unstable();
        // The groups of `list` (sorted) whose key is `key`.
        fn keyed<'a>(list: &'a [(&str, usize)], key: &'a str) -> impl Iterator<Item = usize> + 'a {
            let from = list.partition_point(|(n, _)| *n < key);
            list[from..]
                .iter()
                .take_while(move |(n, _)| *n == key)
                .map(|&(_, g)| g)
        }
        let groups_of = Groups {
            outline,
            norms: &norms,
            next_same: &next_same,
            parts: &parts,
        };
        self.assign(&groups_of, |want, aliases, candidates| {
            // Every group `Groups::stand_in` can take: a superset (it decides), in ascending
            // order like `firsts`' own (the result does not depend on it: each kind keeps its
            // lowest heading).
            candidates.extend(groups.get(want).map(|&(g, _)| g));
            candidates.extend(aliases.iter().filter_map(|a| groups.get(a).map(|&(g, _)| g)));
            if want.len() >= 4 {
                let from = sorted.partition_point(|(n, _)| *n < want);
                candidates.extend(
                    sorted[from..]
                        .iter()
                        .take_while(|(n, _)| n.starts_with(want))
                        .map(|&(_, g)| g),
                );
            }
            candidates.extend(keyed(&joined, want));
            for a in aliases {
                candidates.extend(keyed(&joined, a));
            }
            candidates.sort_unstable();
            candidates.dedup();
        })
    }

    /// `locate`'s assignment, given how to name the heading groups that may stand for a
    /// section: `candidates(want, aliases, out)` pushes onto `out` (empty) the first heading of
    /// every group that can match the normalized title `want` or one of its `aliases` (more is
    /// harmless: `Groups::stand_in` decides). Sections are taken in template order; each
    /// heading stands for at most one section.
    fn assign(
        &self,
        groups: &Groups<'_>,
        mut candidates: impl FnMut(&str, &[&str], &mut Vec<usize>),
    ) -> Vec<Option<usize>> {
        let headings = &groups.outline.headings;
        let mut used = vec![false; headings.len()];
        let mut found: Vec<Option<usize>> = vec![None; self.sections.len()];
        let mut named: Vec<usize> = Vec::new();
        for s in &self.sections {
            let want = s.norm.as_str();
            let aliases: &[&str] = ALIASES.iter().find(|(k, _)| *k == want).map_or(&[], |(_, a)| a);
            let within: Range<usize> = match s.parent.and_then(|p| found[p]) {
                Some(hi) => headings[hi].section.clone(),
                None => 0..usize::MAX,
            };
            named.clear();
            candidates(want, aliases, &mut named);
            if let Some(i) = groups.stand_in(want, aliases, &within, &named, &used) {
                used[i] = true;
                found[s.index] = Some(i);
            }
        }
        found
    }

    /// Where to insert section `index` into a README: `(byte offset, heading level)`. After the
    /// last present section that precedes it in template order: right after that heading's own
    /// text when it is the missing section's parent, else after its whole section (climbing to
    /// the ancestor at the missing section's level).
    #[cfg(test)]
    pub(crate) fn insertion_point(&self, text: &str, outline: &Outline, index: usize) -> (usize, u8) {
        let found = self.locate(outline);
        self.insertion_point_with(text, outline, &found, index)
    }

    pub(crate) fn insertion_point_with(
        &self,
        text: &str,
        outline: &Outline,
        found: &[Option<usize>],
        index: usize,
    ) -> (usize, u8) {
        let Some(section) = self.sections.get(index) else {
            return (text.len(), 2);
        };
        let before = (0..index)
            .rev()
            .find_map(|i| found.get(i).copied().flatten().map(|h| (i, h)));
        let Some((ti, hi)) = before else {
            // Nothing earlier is present: after the TOC block, else after the H1, else the top.
            let after = outline
                .toc
                .as_ref()
                .and_then(|t| t.end)
                .map(|e| e + outline::TOC_END.len())
                .or_else(|| outline.h1().map(|h| h.line.end));
            let at = after.map_or(0, |a| line_end(text, a));
            return (at, section.level);
        };
        let present = &outline.headings[hi];
        let is_ancestor = self.is_ancestor(ti, index);
        if !is_ancestor && let Some(next) = self.next_placed_before(outline, found, index, hi) {
            return (outline.headings[next].line.start, section.level);
        }
        if is_ancestor {
            let level = present.level + (section.level - self.sections[ti].level);
            let own_end = outline
                .headings
                .get(hi + 1)
                .map_or(present.section.end, |n| n.line.start);
            return (own_end.min(present.section.end), level.min(6));
        }
        // A template sibling: at the README's level for it (questions written as `####`
        // get a `####`), after its own subsections only (a `######` question written under a
        // `####` one is not the `####` one's content).
        if self.sections[ti].parent == section.parent {
            let end = outline.headings[hi + 1..]
                .iter()
                .enumerate()
                .take_while(|(_, h)| h.line.start < present.section.end)
                .find(|(k, _)| {
                    found
                        .iter()
                        .position(|f| *f == Some(hi + 1 + k))
                        .is_some_and(|tj| !self.is_ancestor(ti, tj))
                })
                .map_or(present.section.end, |(_, h)| h.line.start);
            return (end, present.level);
        }
        // Climb to the ancestor (or self) whose level is the missing section's.
        let mut at = hi;
        while let Some(p) = outline.parent_of(at) {
            if outline.headings[p].level < section.level {
                break;
            }
            at = p;
        }
        (outline.headings[at].section.end, section.level)
    }

    /// Whether template section `a` is an ancestor of section `b`.
    pub(crate) fn is_ancestor(&self, a: usize, b: usize) -> bool {
        let mut p = self.sections.get(b).and_then(|s| s.parent);
        while let Some(x) = p {
            if x == a {
                return true;
            }
            p = self.sections[x].parent;
        }
        false
    }

    /// When the present section that precedes section `index` in template order (README heading
    /// `prev`) sits below the next present one in the README (a checklist moved to the end), the
    /// missing section goes right before that next one instead: the README heading of the first
    /// present section after `index` in template order, when it is a sibling of the missing
    /// one in the template (not the next part of the document: a PRR questionnaire moved to the
    /// end still takes its own parts), comes before `prev`, and is not deeper than the missing
    /// section (so inserting there keeps the nesting).
    pub(crate) fn next_placed_before(
        &self,
        outline: &Outline,
        found: &[Option<usize>],
        index: usize,
        prev: usize,
    ) -> Option<usize> {
        let section = self.sections.get(index)?;
        let (ti, next) = (index + 1..found.len()).find_map(|i| found[i].map(|h| (i, h)))?;
        let h = outline.headings.get(next)?;
        let sibling = self.sections[ti].parent == section.parent;
        (sibling && next < prev && h.level <= section.level).then_some(next)
    }

    /// The sections below `index` that an insertion of it brings along: its descendants that are
    /// required at some stage (not optional, not `Requirement::Never`: the skeleton a reviewer
    /// expects, not every heading of the template) and not in the README (`found`), in template
    /// order. A descendant left out leaves out its own descendants.
    pub(crate) fn missing_descendants(&self, found: &[Option<usize>], index: usize) -> Vec<usize> {
        let Some(s) = self.sections.get(index) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut skip_below: Option<u8> = None;
        for d in &self.sections[index + 1..] {
            if d.level <= s.level {
                break;
            }
            if skip_below.is_some_and(|l| d.level > l) {
                continue;
            }
            skip_below = None;
            if d.optional
                || d.requirement == Requirement::Never
                || found.get(d.index).copied().flatten().is_some()
            {
                skip_below = Some(d.level);
                continue;
            }
            out.push(d.index);
        }
        out
    }

    /// The text a "insert section" action adds: the heading and the template's guidance comment
    /// (or, for the Release Signoff Checklist, the checklist itself).
    pub(crate) fn section_snippet(&self, section: &TemplateSection, level: u8) -> String {
        let title = section.title.replace(" (Optional)", "");
        let mut s = format!("{} {}\n\n", "#".repeat(level.clamp(1, 6) as usize), title);
        let content = if section.norm == "releasesignoffchecklist" {
            Some(section.body.as_str())
        } else {
            section.guidance.as_deref()
        };
        if let Some(c) = content.filter(|c| !c.is_empty()) {
            s.push_str(c);
            s.push_str("\n\n");
        }
        s
    }

    /// The edit inserting section `index` (with its `missing_descendants`) into `text`, with
    /// blank lines around it: `(byte offset, text to insert)`.
    pub(crate) fn insertion_edit(
        &self,
        text: &str,
        outline: &Outline,
        found: &[Option<usize>],
        index: usize,
    ) -> Option<(usize, String)> {
        let section = self.sections.get(index)?;
        let (at, level) = self.insertion_point_with(text, outline, found, index);
        let at = at.min(text.len());
        let prefix = &text[..at];
        let mut new = String::new();
        if !prefix.is_empty() && !prefix.ends_with("\n\n") {
            new.push_str(if prefix.ends_with('\n') { "\n" } else { "\n\n" });
        }
        new.push_str(&self.section_snippet(section, level));
        // Its missing subsections come with it ("## Motivation" brings "### Goals" and
        // "### Non-Goals"), at the same depth below it as in the template.
        for d in self.missing_descendants(found, index) {
            let sub = &self.sections[d];
            let depth = level.saturating_add(sub.level - section.level);
            new.push_str(&self.section_snippet(sub, depth.min(6)));
        }
        Some((at, new))
    }
}

/// The titles a heading joins with "and", "&", "/", "+" or ",", normalized, when it joins
/// at least two ("Goals and Non-Goals" gives `goals`, `nongoals`).
fn joined_parts(title: &str) -> Option<Vec<String>> {
    // Most titles join nothing: without a separator there is one part. No non-ASCII letter
    // lower-cases to `a`, `n`, `d` or a space, so " and " is looked for in ASCII case only.
    let bytes = title.as_bytes();
    if memchr::memchr3(b'&', b'/', b'+', bytes).is_none()
        && memchr::memchr(b',', bytes).is_none()
        && !bytes.windows(5).any(|w| w.eq_ignore_ascii_case(b" and "))
    {
        return None;
    }
    let lower = title.to_lowercase();
    let parts: Vec<String> = lower
        .split(" and ")
        .flat_map(|p| p.split(['&', '/', '+', ',']))
        .map(normalize)
        .filter(|p| !p.is_empty())
        .collect();
    (parts.len() >= 2).then_some(parts)
}

/// The first 60 characters of a collapsed comment's text (after `<!--`), when it is that long.
fn opening(collapsed: &str) -> Option<String> {
    let inner = collapsed.strip_prefix("<!--")?.trim_start();
    (inner.chars().count() > 60).then(|| inner.chars().take(60).collect())
}

/// The offset just past the newline ending the line that contains `at`.
fn line_end(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// The headings below a README's H1, grouped by normalized title: what `Template::locate`
/// matches sections against.
struct Groups<'a> {
    outline: &'a Outline,
    /// Each heading's normalized title, by heading index.
    norms: &'a [String],
    /// The next heading with the same normalized title, by heading index.
    next_same: &'a [Option<usize>],
    /// A joined title's parts ("Goals and Non-Goals"), normalized, by a group's first heading.
    parts: &'a [Option<Vec<String>>],
}

impl Groups<'_> {
    /// The heading that stands for the section titled `want` (normalized, with its `aliases`),
    /// among the groups whose first headings are `groups`, not taking a heading already `used`
    /// (a joined title may serve several sections), or `None`.
    fn stand_in(
        &self,
        want: &str,
        aliases: &[&str],
        within: &Range<usize>,
        groups: &[usize],
        used: &[bool],
    ) -> Option<usize> {
        let (norms, next_same, parts) = (self.norms, self.next_same, self.parts);
        // The first heading of each kind, in order of preference: an exact match inside the
        // parent (a "Goals" under Motivation, not another one), a lenient one inside it,
        // then the same anywhere (a "## Risks and Mitigations" promoted out of Proposal).
        let mut first: [Option<usize>; 4] = [None; 4];
        for &group in groups {
            let n = &norms[group];
            let is_exact = *n == want;
            let named = aliases.contains(&n.as_str()) || (want.len() >= 4 && n.starts_with(want));
            // "Goals and Non-Goals" stands for both, even once taken.
            let combined = parts[group]
                .as_ref()
                .is_some_and(|p| p.iter().any(|p| p == want || aliases.contains(&p.as_str())));
            if !(is_exact || named || combined) {
                continue;
            }
            let mut member = Some(group);
            while let Some(i) = member {
                member = next_same[i];
                let inside = within.contains(&self.outline.headings[i].line.start);
                let exact = is_exact && !used[i];
                let lenient = (named && !used[i]) || combined;
                for (kind, hit) in [exact && inside, lenient && inside, exact, lenient]
                    .into_iter()
                    .enumerate()
                {
                    if hit && first[kind].is_none_or(|f| i < f) {
                        first[kind] = Some(i);
                    }
                }
            }
        }
        first.into_iter().flatten().next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_titles_normalize_as_the_unicode_path_does() {
        let unicode = |t: &str| -> String {
            let lower = t.to_lowercase().replace("(optional)", "");
            lower.chars().filter(|c| c.is_alphanumeric()).collect()
        };
        for t in [
            "Upgrade / Downgrade Strategy",
            "Infrastructure Needed (Optional)",
            "(OPTIONAL) x(optional(optional))",
            "Goals and Non-Goals",
            "",
            "((optional",
            "Käldström (Optional)",
        ] {
            assert_eq!(normalize(t), unicode(t), "{t}");
        }
        for t in ["Goals", "Design Details", "Käldström", "Sandbox", "Android"] {
            assert_eq!(joined_parts(t), None, "{t}");
        }
        assert_eq!(
            joined_parts("Goals AND Non-Goals"),
            Some(vec!["goals".to_string(), "nongoals".to_string()])
        );
        assert_eq!(
            joined_parts("Risks & Mitigations / Drawbacks").map(|p| p.len()),
            Some(3)
        );
    }
    use crate::knowledge::EMBEDDED_TEMPLATE_README;

    #[test]
    fn collapse_ws_is_split_whitespace_joined() {
        let old = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        for s in [
            "",
            " ",
            "a",
            "  a  b\t\tc\n",
            "<!--\nList the specific goals\r\n  of the KEP.\x0b\x0cx -->",
            "\u{a0}é\u{2003}字\u{3000} \u{85}z\u{200b}",
            "a\u{1680}",
            "\u{2028}\u{2029}b  ",
        ] {
            assert_eq!(collapse_ws(s), old(s), "{s:?}");
        }
        for c in [
            '\t', '\n', '\x0b', '\x0c', '\r', ' ', '\u{a0}', '\u{2009}', 'a', 'é', '\u{feff}',
        ] {
            for d in ['x', ' ', '\u{3000}', '\u{85}'] {
                let s: String = [d, c, c, d, c].iter().collect();
                assert_eq!(collapse_ws(&s), old(&s), "{s:?}");
            }
        }
        // A prefix stops after the word that reaches the limit.
        let s = "<!--  one\ttwo   three  -->  ";
        for limit in 0..40 {
            let (c, whole) = collapse_ws_upto(s, limit);
            assert!(old(s).starts_with(&c), "{limit}");
            assert_eq!(whole, c == old(s), "{limit}");
        }
    }

    /// A README comment is guidance as it was when the whole comment was collapsed: every
    /// comment of the template, cut, padded, re-wrapped, and others.
    #[test]
    fn is_guidance_reads_a_long_comments_opening_only() {
        let t = Template::from_markdown(EMBEDDED_TEMPLATE_README);
        let whole = |c: &str| {
            let c = collapse_ws(c);
            t.guidance.contains(&c) || opening(&c).is_some_and(|o| t.guidance_openings.contains(&o))
        };
        let mut comments: Vec<String> = vec!["<!-- x -->".into(), "<!--".into(), String::new()];
        for g in &t.guidance {
            comments.push(g.clone());
            comments.push(g.replace(' ', "\n  "));
            comments.push(format!("{g} more"));
            comments.push(g.chars().take(70).collect());
            comments.push(g.chars().take(64).collect());
            comments.push(g.replacen("<!--", "<!--x", 1));
            comments.push(g.chars().rev().collect());
        }
        for c in &comments {
            assert_eq!(t.is_guidance(c), whole(c), "{c:?}");
        }
        assert!(comments.iter().filter(|c| t.is_guidance(c)).count() > t.guidance.len());
    }

    #[test]
    fn embedded_template_sections() {
        let t = Template::from_markdown(EMBEDDED_TEMPLATE_README);
        let first: Vec<(u8, &str)> = t
            .sections
            .iter()
            .take(4)
            .map(|s| (s.level, s.title.as_str()))
            .collect();
        assert_eq!(
            first,
            vec![
                (2, "Release Signoff Checklist"),
                (2, "Summary"),
                (2, "Motivation"),
                (3, "Goals")
            ]
        );
        let stories = t.find("User Stories").unwrap();
        assert!(stories.optional);
        assert_eq!(stories.requirement, Requirement::Never);
        assert_eq!(t.sections[stories.parent.unwrap()].title, "Proposal");
        let goals = t.find("goals").unwrap();
        assert!(
            goals
                .guidance
                .as_deref()
                .unwrap()
                .starts_with("<!--\nList the specific goals")
        );
        assert_eq!(goals.requirement, Requirement::Provisional);
        assert_eq!(
            t.find("Test Plan").unwrap().requirement,
            Requirement::Implementable
        );
        assert_eq!(
            t.find("Scalability").unwrap().requirement,
            Requirement::ProductionReadiness
        );
        assert_eq!(
            t.find("Graduation Criteria").unwrap().requirement,
            Requirement::Implementable
        );
        assert_eq!(
            t.find("Implementation History").unwrap().requirement,
            Requirement::Never
        );
        assert_eq!(
            t.sections.last().unwrap().title,
            "Infrastructure Needed (Optional)"
        );
        assert!(t.is_guidance(goals.guidance.as_deref().unwrap()));
    }

    #[test]
    fn a_heading_of_another_subject_stands_for_no_section() {
        let t = Template::from_markdown(EMBEDDED_TEMPLATE_README);
        let text = "# KEP-1: X\n\n## Summary\n\n## Proposal\n\n### Background\n\n### User Stories\n";
        let found = t.locate(&outline::outline(text));
        for name in ["Motivation", "Goals", "Non-Goals"] {
            assert_eq!(found[t.find(name).unwrap().index], None, "{name}");
        }
        let motivation = t.find("Motivation").unwrap().index;
        let with: Vec<&str> = t
            .missing_descendants(&found, motivation)
            .into_iter()
            .map(|d| t.sections[d].title.as_str())
            .collect();
        assert_eq!(with, ["Goals", "Non-Goals"]);
        // A joined title stands for each part; "Non-Goals" alone is not "Goals".
        let text = "# KEP-1: X\n\n## Motivation\n\n### Goals and Non-Goals\n\n## Proposal\n";
        let o = outline::outline(text);
        let found = t.locate(&o);
        assert_eq!(found[t.find("Goals").unwrap().index], Some(2));
        assert_eq!(found[t.find("Non-Goals").unwrap().index], Some(2));
        let text = "# KEP-1: X\n\n## Motivation\n\n### Non-Goals\n";
        let found = t.locate(&outline::outline(text));
        assert_eq!(found[t.find("Goals").unwrap().index], None);
    }

    /// `locate` as it was: every section compared with every distinct title (the groups built
    /// here on their own, the choice among them `Groups::stand_in`'s).
    fn locate_by_scan(t: &Template, outline: &Outline) -> Vec<Option<usize>> {
        let norms: Vec<String> = outline.headings.iter().map(|h| normalize(&h.text)).collect();
        let mut next_same: Vec<Option<usize>> = vec![None; norms.len()];
        let mut firsts: Vec<usize> = Vec::new();
        let mut last_of: HashMap<&str, usize> = HashMap::new();
        for (i, h) in outline.headings.iter().enumerate() {
            if h.level == 1 {
                continue;
            }
            match last_of.insert(norms[i].as_str(), i) {
                Some(prev) => next_same[prev] = Some(i),
                None => firsts.push(i),
            }
        }
        let parts: Vec<Option<Vec<String>>> = (0..outline.headings.len())
            .map(|g| joined_parts(&outline.headings[g].text))
            .collect();
        // Every group is a candidate of every section: the lookups `locate` does instead must
        // name every group this test would take.
        let groups = Groups {
            outline,
            norms: &norms,
            next_same: &next_same,
            parts: &parts,
        };
        t.assign(&groups, |_, _, candidates| candidates.extend(&firsts))
    }

    /// The lookups find what comparing every section with every title found: crafted
    /// READMEs (aliases, prefixes, joined titles, repeats, nesting) and every README of the
    /// corpus when it is beside the repository.
    #[test]
    fn locate_finds_what_the_full_comparison_finds() {
        let t = Template::from_markdown(EMBEDDED_TEMPLATE_README);
        let mut texts: Vec<String> = [
            "# KEP-1: X\n\n## Summary\n\n## Motivation\n\n### Goals and Non-Goals\n\n### Goals\n\n## Proposal\n",
            "# X\n## Alternatives Considered\n## Alternative\n## Alternatives\n### Drawback\n## Risks & Mitigations / Drawbacks\n",
            "# X\n## Design\n### Test Plan\n## Detailed Design\n### Testing Plan\n## Design Details\n### Test Plan\n",
            "# X\n## Goals\n## Goals\n# Y\n## Motivation\n### Goals\n### Non-Goals\n### Non Goals\n## Summary\n## Summary\n",
            "## Summary\n# T\n## Production Readiness\n### Scalability\n## Production Readiness Review Questionnaire\n### Scalability\n",
            "# T\n## \n## ???\n## (Optional)\n## Graduation Criterias\n## Upgrade and Downgrade Strategy\n## Upgrade / Downgrade Strategy\n",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        texts.extend(crate::test_corpus::kep_texts(|p| {
            p.extension().is_some_and(|x| x == "md")
        }));
        for text in &texts {
            let o = outline::outline(text);
            assert_eq!(
                t.locate(&o),
                locate_by_scan(&t, &o),
                "{}",
                &text[..text.len().min(200)]
            );
        }
    }

    #[test]
    fn prr_parts_are_due_from_the_stage_their_guidance_names() {
        let t = Template::from_markdown(EMBEDDED_TEMPLATE_README);
        let target = |name: &str| t.find(name).unwrap().prr_target;
        assert_eq!(
            target("Production Readiness Review Questionnaire"),
            Some(PrrTarget::Alpha)
        );
        assert_eq!(target("Feature Enablement and Rollback"), Some(PrrTarget::Alpha));
        for beta in [
            "Rollout, Upgrade and Rollback Planning",
            "Monitoring Requirements",
            "Dependencies",
            "Scalability",
            "Troubleshooting",
        ] {
            assert_eq!(target(beta), Some(PrrTarget::Beta), "{beta}");
        }
        let q = t.find("What are other known failure modes?").unwrap();
        assert_eq!(
            (q.requirement, q.prr_target),
            (Requirement::ProductionReadinessQuestion, Some(PrrTarget::Beta))
        );
        assert_eq!(target("Summary"), None);
        assert_eq!(PrrTarget::of_stage(Some("\"beta\"")), PrrTarget::Beta);
        assert_eq!(PrrTarget::of_stage(None), PrrTarget::Alpha);
    }

    #[test]
    fn insertion_points() {
        let t = Template::from_markdown(EMBEDDED_TEMPLATE_README);
        let text = "# KEP-1: X\n\n<!-- toc -->\n<!-- /toc -->\n\n## Summary\n\ns\n\n## Motivation\n\nm\n\n### Non-Goals\n\nn\n\n### Extra\n\n## Proposal\n\np\n";
        let o = outline::outline(text);
        let goals = t.find("Goals").unwrap().index;
        let (at, level) = t.insertion_point(text, &o, goals);
        assert_eq!((level, &text[at..at + 13]), (3, "### Non-Goals"));
        let checklist = t.find("Release Signoff Checklist").unwrap().index;
        let (at, level) = t.insertion_point(text, &o, checklist);
        assert_eq!((level, &text[at..at + 11]), (2, "\n## Summary"));
        let design = t.find("Design Details").unwrap().index;
        let (at, _) = t.insertion_point(text, &o, design);
        assert_eq!(at, text.len());
        let risks = t.find("Risks and Mitigations").unwrap().index;
        let (at, level) = t.insertion_point(text, &o, risks);
        assert_eq!((level, at), (3, text.len()));
    }
}
