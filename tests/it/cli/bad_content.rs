//! A file that is not text (bytes that are not UTF-8, a NUL byte, over the size limit) is a
//! finding on that file (`invalid-content`, error), not a failure of the run: `check` prints it
//! once, in every output format, counts the file in the summary and exits 1; exit 2 stays for
//! paths that cannot be read. Run on the real binary over repositories written to the temp folder
//! (the bad bytes are made here, not kept in the tree).

use crate::common;

use common::check_cli::check;
use common::temp_repo::TempRepo;

/// An empty repository (a `keps/` folder) in the temp folder, removed on drop.
fn empty_repo(name: &str) -> TempRepo {
    let repo = TempRepo::empty(&format!("bad-content-{name}"));
    repo.dir("keps");
    repo
}

/// One kep.yaml with a Latin-1 byte on line 2.
fn latin1_repo(name: &str) -> TempRepo {
    let repo = empty_repo(name);
    repo.write("keps/sig-node/1-x/kep.yaml", b"kep-number: 1\ntitle: caf\xe9\n");
    repo
}

const LATIN1_MESSAGE: &str = "the file is not UTF-8 text: byte 0xE9 here is not valid UTF-8 (yaml.v3: \\\"incomplete UTF-8 octet sequence\\\"); save the file as UTF-8";

#[test]
fn not_utf8_human() {
    let repo = latin1_repo("human");
    let run = check(&repo.0, &["keps/sig-node/1-x/kep.yaml"]);
    assert_eq!(
        run.stdout,
        "\
keps/sig-node/1-x/kep.yaml:2:11: error[invalid-content]: the file is not UTF-8 text: byte 0xE9 here is not valid UTF-8 (yaml.v3: \"incomplete UTF-8 octet sequence\"); save the file as UTF-8
2 | title: caf\u{FFFD}
  |           ^
1 error, 0 warnings, 0 infos, 0 hints in 1 file
"
    );
    assert_eq!(run.stderr, "");
    assert_eq!(run.code, 1);
}

#[test]
fn not_utf8_json() {
    let repo = latin1_repo("json");
    let run = check(&repo.0, &["--format", "json", "."]);
    assert_eq!(
        run.stdout,
        format!(
            "[\n  {{\n    \"file\": \"keps/sig-node/1-x/kep.yaml\",\n    \"line\": 2,\n    \"column\": 11,\n    \"end_line\": 2,\n    \"end_column\": 12,\n    \"severity\": \"error\",\n    \"code\": \"invalid-content\",\n    \"message\": \"{LATIN1_MESSAGE}\"\n  }}\n]\n"
        )
    );
    assert_eq!(run.stderr, "");
    assert_eq!(run.code, 1);
}

#[test]
fn not_utf8_github() {
    let repo = latin1_repo("github");
    let run = check(&repo.0, &["--format", "github", "."]);
    assert_eq!(
        run.stdout,
        "::error file=keps/sig-node/1-x/kep.yaml,line=2,col=11,endLine=2,endColumn=12,title=invalid-content::the file is not UTF-8 text: byte 0xE9 here is not valid UTF-8 (yaml.v3: \"incomplete UTF-8 octet sequence\"); save the file as UTF-8\n"
    );
    assert_eq!(run.stderr, "");
    assert_eq!(run.code, 1);
}

#[test]
fn quiet_and_summary_count_the_file() {
    let repo = latin1_repo("quiet");
    let run = check(&repo.0, &["--quiet", "."]);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(
        run.stdout
            .starts_with("keps/sig-node/1-x/kep.yaml:2:11: error[invalid-content]: ")
    );
    assert_eq!(run.code, 1);
    // The walk counts the file (and a clean one beside it).
    repo.write("keps/sig-node/2-y/kep.yaml", b"title: y\n");
    let run = check(&repo.0, &["--disable", "missing-field", "."]);
    assert!(
        run.stdout
            .ends_with("1 error, 0 warnings, 0 infos, 0 hints in 2 files\n"),
        "{}",
        run.stdout
    );
    // Turned off, it is silent like any code.
    let run = check(
        &repo.0,
        &["--disable", "invalid-content", "--disable", "missing-field", "."],
    );
    assert_eq!(run.stdout, "0 errors, 0 warnings, 0 infos, 0 hints in 2 files\n");
    assert_eq!(run.code, 0);
}

#[test]
fn nul_byte_in_a_readme_and_a_kep_yaml() {
    let repo = empty_repo("nul");
    repo.write("keps/sig-node/1-x/kep.yaml", b"title: x\n# a\x00b\n")
        .write("keps/sig-node/1-x/README.md", b"# KEP-1: X\n\nsome\x00thing\n");
    let run = check(&repo.0, &["--format", "github", "."]);
    assert_eq!(
        run.stdout,
        "\
::error file=keps/sig-node/1-x/README.md,line=3,col=5,endLine=3,endColumn=6,title=invalid-content::the file holds a NUL byte: it is binary or damaged; remove the byte
::error file=keps/sig-node/1-x/kep.yaml,line=2,col=4,endLine=2,endColumn=5,title=invalid-content::the file holds a NUL byte (yaml.v3: \"control characters are not allowed\"): it is binary or damaged; remove the byte
"
    );
    assert_eq!(run.stderr, "");
    assert_eq!(run.code, 1);
}

#[test]
fn too_large_is_a_finding_at_the_start() {
    let repo = empty_repo("large");
    std::fs::create_dir_all(repo.0.join("keps/sig-node/1-x")).unwrap();
    let file = std::fs::File::create(repo.0.join("keps/sig-node/1-x/kep.yaml")).unwrap();
    // Sparse: the size is what counts, the file is never read.
    file.set_len(kep_lsp::workspace::MAX_FILE_SIZE + 1).unwrap();
    let run = check(&repo.0, &["--format", "json", "."]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1, "{}", run.stdout);
    assert_eq!(json[0]["file"], "keps/sig-node/1-x/kep.yaml");
    assert_eq!(
        (json[0]["line"].as_u64(), json[0]["column"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(json[0]["code"], "invalid-content");
    assert_eq!(
        json[0]["message"],
        "file too large to check (10485761 bytes, the limit is 10485760): a KEP file is text of a few kilobytes"
    );
    assert_eq!(run.stderr, "");
    assert_eq!(run.code, 1);
    let run = check(&repo.0, &["."]);
    assert!(
        run.stdout
            .starts_with("keps/sig-node/1-x/kep.yaml:1:1: error[invalid-content]: file too large to check"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("1 error, 0 warnings, 0 infos, 0 hints in 1 file\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_unreadable_path_is_still_exit_2_beside_a_bad_file() {
    let repo = latin1_repo("exit2");
    let run = check(&repo.0, &["--format", "json", ".", "keps/nope"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: keps/nope: "), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    // The bad file is still reported, once.
    assert_eq!(run.stdout.matches("invalid-content").count(), 1, "{}", run.stdout);
}

#[test]
fn a_bad_file_outside_a_repository_is_reported_when_named() {
    let dir = std::env::temp_dir().join(format!("kep-lsp-bad-content-alone-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("kep.yaml"), b"\xfftitle: x\n").unwrap();
    let run = check(&dir, &["--quiet", "kep.yaml"]);
    assert_eq!(
        run.stdout,
        "kep.yaml:1:1: error[invalid-content]: the file is not UTF-8 text: byte 0xFF here is not valid UTF-8 (yaml.v3: \"invalid leading UTF-8 octet\"); save the file as UTF-8\n"
    );
    assert_eq!(run.code, 1);
    std::fs::remove_dir_all(&dir).unwrap();
}
