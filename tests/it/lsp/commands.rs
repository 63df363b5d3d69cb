//! End-to-end tests of `workspace/executeCommand` (`kep.new`, `kep.promote`) through the real
//! server: the WorkspaceEdit it sends with `workspace/applyEdit` (recorded by the test client,
//! which answers `applied: true` without touching the disk), the errors, the messages shown, and
//! that the server itself never writes a file.

use crate::common;

use std::path::Path;

use common::lsp_client::{LspClient, Units, apply_lsp_edits, file_uri, fixtures};
use common::temp_repo::TempRepo;
use saphyr::{LoadableYamlNode, Yaml};
use serde_json::{Value, json};

const KEP_5501: &str = "keps/sig-scheduling/5501-reflect-preenqueue-rejections-in-pod-status/kep.yaml";
const PRR_5501: &str = "keps/prod-readiness/sig-scheduling/5501.yaml";

/// A private copy of tests/fixtures/lsp/repo, removed on drop.
fn temp_repo(name: &str) -> TempRepo {
    TempRepo::copy_of(&fixtures().join("repo"), &format!("commands-{name}"))
}

/// Capabilities of an editor that can create files through workspace edits, positions in utf-8.
fn editing_capabilities(create: bool) -> Value {
    let ops = if create {
        json!(["create", "rename", "delete"])
    } else {
        json!([])
    };
    json!({
        "general": {"positionEncodings": ["utf-8"]},
        "window": {"workDoneProgress": true},
        "workspace": {"workspaceEdit": {"documentChanges": true, "resourceOperations": ops}},
    })
}

/// A server in `repo`, index ready.
fn server(repo: &TempRepo, capabilities: Value) -> LspClient {
    let mut c = LspClient::spawn();
    c.initialize(json!({"rootUri": file_uri(&repo.0), "capabilities": capabilities}));
    c.wait_for("index ready", |m| {
        m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end"
    });
    c
}

fn execute(c: &mut LspClient, command: &str, arg: Value) -> Result<Value, Value> {
    c.request(
        "workspace/executeCommand",
        json!({"command": command, "arguments": [arg]}),
    )
}

fn show_message(c: &mut LspClient) -> Value {
    c.wait_for("showMessage", |m| m["method"] == "window/showMessage")["params"].clone()
}

fn yaml(text: &str) -> Yaml<'static> {
    let mut docs = Yaml::load_from_str(text).expect("valid YAML");
    assert_eq!(docs.len(), 1, "one document in {text}");
    docs.remove(0)
}

fn str_at<'a>(y: &'a Yaml, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(y, |y, k| y.as_mapping_get(k))?.as_str()
}

/// The operations of the only applyEdit the server sent.
fn only_edit_ops(c: &LspClient) -> Vec<Value> {
    assert_eq!(c.applied_edits.len(), 1, "one applyEdit: {:#?}", c.applied_edits);
    c.applied_edits[0]["documentChanges"]
        .as_array()
        .expect("documentChanges")
        .clone()
}

/// The text edits of the TextDocumentEdit for `uri` among `ops`.
fn edits_for(ops: &[Value], uri: &str) -> (Value, Vec<Value>) {
    let op = ops
        .iter()
        .find(|o| o["textDocument"]["uri"] == uri)
        .unwrap_or_else(|| panic!("no edit for {uri} in {ops:#?}"));
    (
        op["textDocument"]["version"].clone(),
        op["edits"].as_array().expect("edits").clone(),
    )
}

#[test]
fn commands_are_advertised() {
    let repo = temp_repo("advertised");
    let mut c = LspClient::spawn();
    let init = c.initialize(json!({"rootUri": file_uri(&repo.0), "capabilities": {}}));
    assert_eq!(
        init["capabilities"]["executeCommandProvider"]["commands"],
        json!(["kep.new", "kep.promote", "kep.readiness"])
    );
}

#[test]
fn new_kep_creates_kep_yaml_and_readme_through_apply_edit() {
    let repo = temp_repo("new");
    let before = repo.snapshot();
    let mut c = server(&repo, editing_capabilities(true));
    let result = execute(
        &mut c,
        "kep.new",
        json!({"sig": "sig-node", "title": "Pod Level Widgets", "number": 1234, "authors": ["alice", "@bob"]}),
    )
    .expect("kep.new succeeds");
    let dir = "keps/sig-node/1234-pod-level-widgets";
    let readme_uri = repo.uri(&format!("{dir}/README.md"));
    let yaml_uri = repo.uri(&format!("{dir}/kep.yaml"));
    assert_eq!(result, json!([readme_uri, yaml_uri]));

    let ops = only_edit_ops(&c);
    assert_eq!(ops.len(), 4, "create + insert for each file: {ops:#?}");
    for uri in [&readme_uri, &yaml_uri] {
        let create = ops
            .iter()
            .position(|o| o["kind"] == "create" && o["uri"] == *uri)
            .unwrap_or_else(|| panic!("a CreateFile for {uri}"));
        assert_eq!(
            ops[create]["options"],
            json!({"overwrite": false, "ignoreIfExists": false})
        );
        let insert = ops
            .iter()
            .position(|o| o["textDocument"]["uri"] == *uri)
            .expect("an insert");
        assert!(create < insert, "the file is created before it is filled");
        assert_eq!(ops[insert]["textDocument"]["version"], Value::Null);
        assert_eq!(
            ops[insert]["edits"][0]["range"],
            json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}})
        );
    }
    let (_, readme_edits) = edits_for(&ops, &readme_uri);
    let readme = apply("", &readme_edits);
    assert_eq!(
        readme.lines().find(|l| l.starts_with("# ")),
        Some("# KEP-1234: Pod Level Widgets")
    );
    assert!(readme.contains("## Summary"), "the template's sections are kept");

    let (_, yaml_edits) = edits_for(&ops, &yaml_uri);
    let kep = yaml(&apply("", &yaml_edits));
    assert_eq!(str_at(&kep, &["title"]), Some("Pod Level Widgets"));
    assert_eq!(kep["kep-number"].as_integer(), Some(1234));
    assert_eq!(str_at(&kep, &["owning-sig"]), Some("sig-node"));
    assert_eq!(str_at(&kep, &["status"]), Some("provisional"));
    assert_eq!(str_at(&kep, &["stage"]), Some("alpha"));
    let authors: Vec<_> = kep["authors"]
        .as_vec()
        .expect("authors list")
        .iter()
        .filter_map(|a| a.as_str())
        .collect();
    assert_eq!(authors, ["@alice", "@bob"]);

    assert!(
        !repo.path(dir).exists(),
        "the server does not create the folder itself"
    );
    assert_eq!(repo.snapshot(), before, "no file on disk changed");
}

#[test]
fn new_kep_errors_are_invalid_params_and_shown() {
    let repo = temp_repo("new-errors");
    let mut c = server(&repo, editing_capabilities(true));

    let e = execute(&mut c, "kep.new", json!({"sig": "sig-nod", "title": "X"})).expect_err("unknown SIG");
    assert_eq!(e["code"], -32602);
    let msg = e["message"].as_str().expect("message");
    assert!(msg.contains("unknown SIG `sig-nod`"), "{msg}");
    assert!(msg.contains("did you mean `sig-node`?"), "{msg}");
    let shown = show_message(&mut c);
    assert_eq!(shown["type"], 1, "an error message");
    assert!(
        shown["message"]
            .as_str()
            .unwrap_or("")
            .contains("did you mean `sig-node`?")
    );

    let e = execute(&mut c, "kep.new", json!({"sig": "sig-node", "title": "   "})).expect_err("empty title");
    assert_eq!(e["code"], -32602);
    assert!(
        e["message"].as_str().unwrap_or("").contains("the title is empty"),
        "{e}"
    );
    assert!(
        show_message(&mut c)["message"]
            .as_str()
            .unwrap_or("")
            .contains("the title is empty")
    );

    // The folder of KEP 2625 is already there.
    let e = execute(
        &mut c,
        "kep.new",
        json!({"sig": "sig-node", "title": "CPUManager policies: thread placement", "number": 2625}),
    )
    .expect_err("folder exists");
    assert!(
        e["message"]
            .as_str()
            .unwrap_or("")
            .contains("keps/sig-node/2625-cpumanager-policies-thread-placement already exists"),
        "{e}"
    );

    let e = execute(&mut c, "kep.new", json!({"sig": "sig-node"})).expect_err("no title");
    assert_eq!(e["code"], -32602);
    assert!(
        e["message"]
            .as_str()
            .unwrap_or("")
            .contains("missing field `title`"),
        "{e}"
    );

    let e = execute(&mut c, "kep.frobnicate", json!({})).expect_err("unknown command");
    assert_eq!(e["code"], -32602);

    assert!(c.applied_edits.is_empty(), "no edit after an error");
}

#[test]
fn new_kep_needs_a_client_that_can_create_files() {
    let repo = temp_repo("new-nocreate");
    let mut c = server(&repo, editing_capabilities(false));
    let e = execute(&mut c, "kep.new", json!({"sig": "sig-node", "title": "Widgets"}))
        .expect_err("cannot create files");
    assert_eq!(e["code"], -32602);
    assert!(
        e["message"]
            .as_str()
            .unwrap_or("")
            .contains("cannot create files"),
        "{e}"
    );
    assert!(c.applied_edits.is_empty());
}

#[test]
fn new_kep_refused_by_the_client_is_an_error() {
    let repo = temp_repo("new-refused");
    let mut c = server(&repo, editing_capabilities(true));
    c.apply_edit_reply = json!({"applied": false, "failureReason": "read-only"});
    let e = execute(&mut c, "kep.new", json!({"sig": "sig-node", "title": "Widgets"})).expect_err("refused");
    assert_eq!(e["code"], -32803);
    assert!(
        e["message"]
            .as_str()
            .unwrap_or("")
            .contains("refused the edit: read-only"),
        "{e}"
    );
}

#[test]
fn promote_uses_the_open_text_and_edits_stage_and_milestones() {
    let repo = temp_repo("promote-open");
    let mut c = server(&repo, editing_capabilities(true));
    // The open buffer says alpha; the disk says beta: the open text wins.
    let disk = repo.read(KEP_5501);
    let open = disk
        .replace("stage: beta", "stage: alpha")
        .replace("  beta: \"v1.35\"\n", "  alpha: \"v1.35\"\n");
    assert_ne!(open, disk);
    let uri = repo.uri(KEP_5501);
    c.open(&uri, "yaml", 7, &open);
    let before = repo.snapshot();

    let result = execute(
        &mut c,
        "kep.promote",
        json!({"uri": uri, "stage": "beta", "milestone": "v1.36"}),
    )
    .expect("kep.promote succeeds");

    let ops = only_edit_ops(&c);
    // The PRR file already has a beta entry: only the kep.yaml changes.
    assert_eq!(ops.len(), 1, "{ops:#?}");
    let (version, edits) = edits_for(&ops, &uri);
    assert_eq!(version, 7, "versioned against the open document");
    let promoted = apply(&open, &edits);
    assert!(promoted.contains("\nstage: beta\n"), "{promoted}");
    assert!(promoted.contains("\nlatest-milestone: \"v1.36\"\n"), "{promoted}");
    let kep = yaml(&promoted);
    assert_eq!(str_at(&kep, &["milestone", "alpha"]), Some("v1.35"));
    assert_eq!(str_at(&kep, &["milestone", "beta"]), Some("v1.36"));
    assert_eq!(str_at(&kep, &["milestone", "stable"]), Some("v1.37"), "kept");
    let updated = str_at(&kep, &["last-updated"]).expect("last-updated set");
    assert!(updated.len() == 10 && updated.starts_with("20"), "{updated}");
    // Comments survive the rewrite.
    assert!(promoted.contains("# The following PRR answers are required at beta release"));

    let lacks = result["lacks"].as_array().expect("lacks list");
    let shown = show_message(&mut c);
    assert_eq!(shown["type"], 3, "an info message");
    let text = shown["message"].as_str().unwrap_or("");
    assert!(text.contains("promoted to beta"), "{text}");
    for l in lacks {
        assert!(
            text.contains(l["message"].as_str().expect("message")),
            "{text} lists {l}"
        );
    }
    assert_eq!(repo.snapshot(), before, "no file on disk changed");
}

#[test]
fn promote_from_disk_adds_the_stage_to_the_prr_file() {
    let repo = temp_repo("promote-disk");
    let mut c = server(&repo, editing_capabilities(true));
    let before = repo.snapshot();
    let uri = repo.uri(KEP_5501);
    let result = execute(
        &mut c,
        "kep.promote",
        json!({"uri": uri, "stage": "stable", "milestone": "1.37"}),
    )
    .expect("kep.promote succeeds");
    // The new PRR entry has no approver yet: reported, in the PRR file, and shown.
    let lacks = result["lacks"].as_array().expect("lacks list");
    assert!(
        lacks
            .iter()
            .any(|l| l["path"] == PRR_5501 && l["message"].as_str().unwrap_or("").contains("approver")),
        "{lacks:#?}"
    );
    let shown = show_message(&mut c);
    assert_eq!(shown["type"], 3, "an info message");
    let text = shown["message"].as_str().unwrap_or("");
    assert!(text.contains("promoted to stable; still to do:"), "{text}");
    for l in lacks {
        assert!(
            text.contains(l["message"].as_str().expect("message")),
            "{text} lists {l}"
        );
    }

    let ops = only_edit_ops(&c);
    assert_eq!(ops.len(), 2, "{ops:#?}");
    let (version, edits) = edits_for(&ops, &uri);
    assert_eq!(version, Value::Null, "not open: unversioned");
    let kep = yaml(&apply(&repo.read(KEP_5501), &edits));
    assert_eq!(str_at(&kep, &["stage"]), Some("stable"));
    assert_eq!(str_at(&kep, &["latest-milestone"]), Some("v1.37"));
    assert_eq!(str_at(&kep, &["milestone", "beta"]), Some("v1.35"));
    assert_eq!(str_at(&kep, &["milestone", "stable"]), Some("v1.37"));

    let (_, prr_edits) = edits_for(&ops, &repo.uri(PRR_5501));
    let prr = yaml(&apply(&repo.read(PRR_5501), &prr_edits));
    assert_eq!(str_at(&prr, &["beta", "approver"]), Some("@wojtek-t"));
    assert!(prr.contains_mapping_key("stable"), "a stable entry is added");

    assert_eq!(repo.snapshot(), before, "no file on disk changed");
}

#[test]
fn promote_creates_a_missing_prr_file() {
    let repo = temp_repo("promote-create");
    std::fs::remove_file(repo.path(PRR_5501)).expect("remove the PRR file");
    let mut c = server(&repo, editing_capabilities(true));
    let uri = repo.uri(KEP_5501);
    execute(
        &mut c,
        "kep.promote",
        json!({"uri": uri, "stage": "stable", "milestone": "v1.37"}),
    )
    .expect("kep.promote succeeds");
    let ops = only_edit_ops(&c);
    let prr_uri = repo.uri(PRR_5501);
    let create = ops
        .iter()
        .position(|o| o["kind"] == "create" && o["uri"] == prr_uri)
        .expect("a CreateFile for the PRR file");
    let (_, prr_edits) = edits_for(&ops, &prr_uri);
    assert!(
        create
            < ops
                .iter()
                .position(|o| o["textDocument"]["uri"] == prr_uri)
                .unwrap_or(0)
    );
    let prr = yaml(&apply("", &prr_edits));
    assert_eq!(prr["kep-number"].as_integer(), Some(5501));
    assert!(prr.contains_mapping_key("stable"), "{prr:?}");
    assert!(!repo.path(PRR_5501).exists(), "the server does not write it");
}

#[test]
fn promote_errors() {
    let repo = temp_repo("promote-errors");
    let mut c = server(&repo, editing_capabilities(true));
    let uri = repo.uri(KEP_5501);
    let e = execute(&mut c, "kep.promote", json!({"uri": uri, "stage": "gamma"})).expect_err("bad stage");
    assert_eq!(e["code"], -32602);
    assert!(
        e["message"]
            .as_str()
            .unwrap_or("")
            .contains("unknown stage `gamma`"),
        "{e}"
    );
    assert_eq!(show_message(&mut c)["type"], 1);

    let readme = repo.uri("keps/sig-scheduling/5501-reflect-preenqueue-rejections-in-pod-status/README.md");
    let e =
        execute(&mut c, "kep.promote", json!({"uri": readme, "stage": "beta"})).expect_err("not a kep.yaml");
    assert!(
        e["message"].as_str().unwrap_or("").contains("is not a kep.yaml"),
        "{e}"
    );

    let outside = file_uri(Path::new("/nonexistent/kep.yaml"));
    let e = execute(&mut c, "kep.promote", json!({"uri": outside, "stage": "beta"})).expect_err("outside");
    assert!(
        e["message"]
            .as_str()
            .unwrap_or("")
            .contains("not inside the workspace"),
        "{e}"
    );
    assert!(c.applied_edits.is_empty());
}

#[test]
fn promote_without_document_changes_sends_a_changes_map() {
    let repo = temp_repo("promote-changes");
    let caps = json!({"general": {"positionEncodings": ["utf-8"]}, "window": {"workDoneProgress": true}});
    let mut c = server(&repo, caps);
    let uri = repo.uri(KEP_5501);
    execute(
        &mut c,
        "kep.promote",
        json!({"uri": uri, "stage": "stable", "milestone": "v1.37"}),
    )
    .expect("kep.promote succeeds");
    assert_eq!(c.applied_edits.len(), 1);
    let changes = &c.applied_edits[0]["changes"];
    assert_eq!(c.applied_edits[0]["documentChanges"], Value::Null);
    let edits = changes[uri.as_str()].as_array().expect("kep.yaml edits").clone();
    let kep = yaml(&apply(&repo.read(KEP_5501), &edits));
    assert_eq!(str_at(&kep, &["stage"]), Some("stable"));
    let prr = changes[repo.uri(PRR_5501).as_str()]
        .as_array()
        .expect("PRR edits")
        .clone();
    assert!(yaml(&apply(&repo.read(PRR_5501), &prr)).contains_mapping_key("stable"));
}

/// `text` with LSP edits applied (utf-8 positions, as negotiated).
fn apply(text: &str, edits: &[Value]) -> String {
    apply_lsp_edits(text, edits, Units::Utf8)
}
