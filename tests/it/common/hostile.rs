//! Hostile Markdown shaped to find quadratic paths in the README analysis: thousands of headings,
//! list items, links, table rows, HTML comments and TOC entries, one 5 MB line, lists and
//! blockquotes 10 000 deep. Shared by tests/it/robustness/hostile_readmes.rs (the findings stay sane) and
//! benches/check.rs (how long they take), which includes this file with `#[path]`.
#![allow(dead_code)]

/// How many repetitions the "many X" inputs use.
pub const MANY: usize = 20_000;
/// How deep the nested inputs go.
pub const DEEP: usize = 10_000;

/// A README that starts like a real KEP (title, TOC markers, a template section) so every README
/// rule runs, followed by `body`.
fn readme(body: &str) -> String {
    let mut s = String::with_capacity(body.len() + 256);
    s.push_str("# KEP-1234: Hostile\n\n<!-- toc -->\n- [Summary](#summary)\n<!-- /toc -->\n\n## Summary\n\n");
    s.push_str(body);
    s
}

/// (name, README text) of every hostile case, in a fixed order.
pub fn cases() -> Vec<(&'static str, String)> {
    vec![
        ("headings", readme(&"## x\n".repeat(MANY))),
        (
            "distinct_headings",
            readme(
                &(0..MANY)
                    .map(|i| format!("### Heading {i}\n"))
                    .collect::<String>(),
            ),
        ),
        (
            "template_headings",
            readme(&"## Motivation\n### Goals\n### Non-Goals\n## Proposal\n".repeat(MANY / 4)),
        ),
        ("list_items", readme(&"- item teh\n".repeat(MANY))),
        (
            "links",
            readme(
                &(0..MANY)
                    .map(|i| format!("[l{i}](./missing-{i}.md) [u](https://example.com/{i})\n"))
                    .collect::<String>(),
            ),
        ),
        (
            "table_rows",
            readme(&format!(
                "| a | b |\n|---|---|\n{}",
                "| x | [y](#nowhere) |\n".repeat(MANY)
            )),
        ),
        (
            "comments",
            readme(&"<!--\nA comment that is not the template's guidance.\n-->\ntext\n".repeat(MANY)),
        ),
        ("toc_entries", {
            let toc: String = (0..MANY)
                .map(|i| format!("- [Heading {i}](#heading-{i})\n"))
                .collect();
            let body: String = (0..MANY).map(|i| format!("### Heading {i}\ntext\n")).collect();
            format!("# KEP-1234: Hostile\n\n<!-- toc -->\n{toc}<!-- /toc -->\n\n## Summary\n\n{body}")
        }),
        ("one_5mb_line", readme(&"word teh ".repeat((5 << 20) / 9))),
        // 10 000 levels on one line each (nesting by indentation would make the text quadratic).
        ("nested_lists", readme(&format!("{}x\n", "- ".repeat(DEEP)))),
        ("nested_quotes", readme(&format!("{} x\n", ">".repeat(DEEP)))),
        (
            "nested_quote_lists",
            readme(&format!("{}x\n", "> - ".repeat(DEEP))),
        ),
        // Nesting by indentation, as deep as stays linear-sized enough (1000 levels, 1 MB).
        (
            "indented_lists",
            readme(
                &(0..DEEP / 10)
                    .map(|i| format!("{}- x\n", "  ".repeat(i)))
                    .collect::<String>(),
            ),
        ),
    ]
}
