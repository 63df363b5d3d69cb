//! Every authoring feature on arbitrary text and at every offset: no panic, and every range
//! inside the text on char boundaries. Plus the completion latency on the largest real README.

use crate::common::ide as ide_support;

use std::time::Instant;

use ide_support::{ctx, knowledge};
use kep_lsp::analysis::{Context, TextEdit};
use kep_lsp::ide::WorkspaceFacts;
use kep_lsp::ide::code_actions::code_actions;
use kep_lsp::ide::completion::completions;
use kep_lsp::ide::folding::folding_ranges;
use kep_lsp::ide::hover::hover_with;
use kep_lsp::ide::links::{definition, document_links};
use kep_lsp::ide::symbols::{Symbol, document_symbols};
use proptest::prelude::*;

fn ok_range(text: &str, r: &std::ops::Range<usize>) -> bool {
    r.start <= r.end && r.end <= text.len() && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
}

fn check_symbols(text: &str, syms: &[Symbol]) {
    for s in syms {
        assert!(ok_range(text, &s.range) && ok_range(text, &s.selection_range));
        check_symbols(text, &s.children);
    }
}

fn check_edits(text: &str, edits: &[TextEdit]) {
    for e in edits {
        assert!(ok_range(text, &e.range), "{e:?}");
    }
}

fn run_all(
    path: &str,
    text: &str,
    c: &Context<'_>,
    facts: &WorkspaceFacts,
    offsets: impl Iterator<Item = usize>,
) {
    for r in folding_ranges(path, text) {
        assert!(ok_range(text, &r));
    }
    check_symbols(text, &document_symbols(path, text));
    for l in document_links(path, text, c) {
        assert!(ok_range(text, &l.range));
    }
    for at in offsets {
        if !text.is_char_boundary(at) {
            continue;
        }
        for item in completions(path, text, at, c, facts) {
            assert!(ok_range(text, &item.edit.range), "{path} at {at}: {item:?}");
        }
        if let Some(h) = hover_with(path, text, at, c, facts) {
            assert!(ok_range(text, &h.range));
        }
        let _ = definition(path, text, at, c);
        for a in code_actions(path, text, at..at, c, &[]) {
            check_edits(text, &a.edits);
        }
    }
}

const PATHS: &[&str] = &[
    "keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml",
    "keps/sig-node/2625-cpumanager-policies-thread-placement/README.md",
    "keps/sig-network/20190118-pod-dns-config.md",
    "keps/prod-readiness/sig-node/2625.yaml",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
    #[test]
    fn arbitrary_text_never_breaks_a_feature(
        text in "(---\n)?([ a-z:\"'#@\\-\\[\\]\n\t|>é😀]{0,12}(\n|: |- |## )){0,12}",
        p in 0usize..4,
    ) {
        let ws = ide_support::fixture();
        let k = knowledge();
        let facts = WorkspaceFacts::from_view(&ws);
        run_all(PATHS[p], &text, &ctx(&k, &ws), &facts, 0..=text.len());
    }
}

#[test]
fn every_offset_of_real_files() {
    let ws = ide_support::fixture();
    let k = knowledge();
    let facts = WorkspaceFacts::from_view(&ws);
    for (path, text) in &ws.files {
        if !(path.ends_with(".yaml") || path.ends_with(".md")) || text.len() > 40_000 {
            continue;
        }
        run_all(
            path,
            &text[..],
            &ctx(&k, &ws),
            &facts,
            (0..=text.len()).step_by(53),
        );
    }
}

/// Completion latency on the largest real README (5823, 150 KB) and kep.yaml, at every heading
/// line and on empty lines: prints p50/p99. The 2 ms target is for release builds
/// (`cargo test --release --test it robustness::ide:: -- --nocapture`); the bound asserted here is
/// loose enough for a debug build on a shared machine.
#[test]
fn completion_answers_everywhere_on_the_largest_readme() {
    let ws = ide_support::fixture();
    let k = knowledge();
    let facts = WorkspaceFacts::from_view(&ws);
    let c = ctx(&k, &ws);
    for path in [
        "keps/sig-node/5823-pod-level-checkpoint-restore/README.md",
        "keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml",
    ] {
        let text = ws.text(path);
        let mut offsets: Vec<usize> = text.match_indices("\n#").map(|(i, _)| i + 3).collect();
        offsets.extend(text.match_indices("\n\n").map(|(i, _)| i + 1).take(200));
        offsets.extend(text.match_indices(": ").map(|(i, _)| i + 2).take(200));
        offsets.retain(|&o| o <= text.len());
        // Each position is timed 5 times and its fastest run kept: the machine is shared, and a
        // preempted run measures the scheduler, not the code. Raw p99 is printed too.
        let mut best = Vec::new();
        let mut raw = Vec::new();
        let mut items = 0;
        for &o in offsets.iter().take(1000) {
            let mut b = f64::MAX;
            for _ in 0..5 {
                let t = Instant::now();
                items += completions(path, text, o, &c, &facts).len();
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                raw.push(ms);
                b = b.min(ms);
            }
            best.push(b);
        }
        let pct = |v: &mut Vec<f64>, p: usize| {
            v.sort_by(f64::total_cmp);
            v[(v.len() * p / 100).min(v.len() - 1)]
        };
        let (p50, p99, raw99) = (pct(&mut best, 50), pct(&mut best, 99), pct(&mut raw, 99));
        println!(
            "completion on {path} ({} bytes, {} positions): p50 {p50:.3} ms, p99 {p99:.3} ms (raw p99 {raw99:.3} ms), {items} items",
            text.len(),
            best.len()
        );
        assert!(items > 0);
        // Speed is measured by the committed benchmarks (scripts/bench), not asserted here: a
        // timed assertion on a shared 2-core machine only measures the neighbours.
    }
}
