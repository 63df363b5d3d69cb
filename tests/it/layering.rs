//! The floors of src/ (docs: src/lib.rs): each top-level folder imports only folders of a lower
//! floor, so no reader reaches up and no two folders import each other. Reads every `crate::`
//! path in src/ as text (comments and `#[cfg(test)] mod` blocks dropped, `super::` resolved against the file's module path) and
//! fails on an upward or sideways import, naming the file.
//!
//! `cargo test --test it layering -- --nocapture` prints the import graph (folder -> folders).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The floor of each top-level module of src/: a module may import only lower floors.
const FLOORS: &[(&str, u8)] = &[
    // Unit tests' support (compiled for tests only): every floor's tests may read the corpus.
    ("test_corpus", 0),
    ("clock", 1),
    ("syntax", 1),
    ("knowledge", 2),
    ("model", 3),
    ("analysis", 4),
    ("ide", 5),
    ("workspace", 5),
    ("cli", 6),
    ("lsp", 6),
];

fn floor(module: &str) -> Option<u8> {
    FLOORS.iter().find(|(m, _)| *m == module).map(|(_, f)| *f)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module path of a file below src/: `analysis/rules/mod.rs` is `[analysis, rules]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" && stem != "main" {
        parts.push(stem.to_string());
    }
    parts
}

/// `text` without `//` comments (doc comments included) and without string literals' contents,
/// so only code paths are read. Block comments are not used in src/.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_string = false;
        let mut prev = ' ';
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if in_string {
                if c == '"' && prev != '\\' {
                    in_string = false;
                }
                prev = if prev == '\\' && c == '\\' { ' ' } else { c };
                continue;
            }
            if c == '/' && chars.peek() == Some(&'/') {
                break;
            }
            if c == '"' && prev != '\'' {
                in_string = true;
            }
            out.push(c);
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// `code` without its `#[cfg(test)] mod NAME { ... }` blocks: the floors bind the program, while a
/// unit test may build its fixture with a higher floor's parts (a workspace index of the corpus).
fn without_test_modules(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let item = after.trim_start();
        let Some(open) = item.starts_with("mod ").then(|| item.find('{')).flatten() else {
            // `#[cfg(test)]` on something else (an import, a function): kept.
            out.push_str("#[cfg(test)]");
            rest = after;
            continue;
        };
        let mut depth = 0usize;
        let mut end = item.len();
        for (i, c) in item[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &item[end..];
    }
    out.push_str(rest);
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The top-level modules a file's paths name: `crate::x`, `crate::{x, y}`, and `super::` chains
/// that climb to the crate root.
fn imported_tops(code: &str, module: &[String]) -> BTreeSet<String> {
    let mut tops = BTreeSet::new();
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let at_word = i == 0 || !is_ident(bytes[i - 1]) && bytes[i - 1] != ':';
        if !at_word || !(bytes[i] == 'c' || bytes[i] == 's') {
            i += 1;
            continue;
        }
        let rest: String = bytes[i..bytes.len().min(i + 400)].iter().collect();
        let (depth, after) = if let Some(after) = rest.strip_prefix("crate::") {
            (module.len(), after)
        } else if rest.starts_with("super::") {
            let mut after = rest.as_str();
            let mut supers = 0;
            while let Some(a) = after.strip_prefix("super::") {
                supers += 1;
                after = a;
            }
            (supers, after)
        } else {
            i += 1;
            continue;
        };
        // The path climbs `depth` modules up from `module`; only a climb to the root leaves it.
        if depth >= module.len() {
            if let Some(group) = after.strip_prefix('{') {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                for item in group.split(',') {
                    let name: String = item.trim().chars().take_while(|c| is_ident(*c)).collect();
                    if !name.is_empty() {
                        tops.insert(name);
                    }
                }
            } else {
                let name: String = after.chars().take_while(|c| is_ident(*c)).collect();
                if !name.is_empty() {
                    tops.insert(name);
                }
            }
        }
        i += 1;
    }
    tops
}

/// folder -> (imported folder -> files that import it), over src/.
fn import_graph() -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let module = module_path(rel);
        let Some(top) = module.first() else { continue };
        let text = std::fs::read_to_string(&file).unwrap();
        for imported in imported_tops(&without_test_modules(&code_only(&text)), &module) {
            if imported != *top && floor(&imported).is_some() {
                graph
                    .entry(top.clone())
                    .or_default()
                    .entry(imported)
                    .or_default()
                    .insert(rel.display().to_string());
            }
        }
    }
    graph
}

#[test]
fn every_folder_has_a_floor() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if ["lib", "main"].contains(&name.as_str()) {
            continue;
        }
        assert!(
            floor(&name).is_some(),
            "src/{name} has no floor in tests/layering.rs FLOORS: give it one"
        );
    }
}

#[test]
fn no_folder_imports_upward_or_sideways() {
    let graph = import_graph();
    let mut wrong = Vec::new();
    for (from, tos) in &graph {
        println!("{from} -> {}", tos.keys().cloned().collect::<Vec<_>>().join(", "));
        for (to, files) in tos {
            let (f, t) = (floor(from).unwrap(), floor(to).unwrap());
            if t >= f {
                let files: Vec<_> = files.iter().cloned().collect();
                wrong.push(format!(
                    "{from} (floor {f}) imports {to} (floor {t}) in {}",
                    files.join(", ")
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that reach up or sideways:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn test_modules_are_not_read() {
    let code = "use crate::syntax::x;\n#[cfg(test)]\nmod tests {\n    fn f() { crate::lsp::y(); }\n}\n#[cfg(test)]\nuse crate::cli::z;\n";
    let module = ["ide".to_string(), "hover".to_string()];
    let tops: Vec<String> = imported_tops(&without_test_modules(code), &module)
        .into_iter()
        .collect();
    assert_eq!(tops, ["cli", "syntax"]);
}

#[test]
fn the_path_reader_sees_grouped_and_super_paths() {
    let module = ["ide".to_string(), "hover".to_string()];
    let code = code_only(
        "use crate::{analysis::Finding, syntax};\nuse super::super::knowledge::schema;\n\
         use super::facts; // crate::lsp\nlet s = \"crate::cli\";\n",
    );
    let tops: Vec<_> = imported_tops(&code, &module).into_iter().collect();
    assert_eq!(tops, ["analysis", "knowledge", "syntax"]);
}
