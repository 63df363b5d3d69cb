//! The workspace index over a fixture repository (real KEPs copied from shared/corpus): root
//! finding, scanning, entries, handles, incremental updates, the overlay of open documents, and
//! the files a scan must survive (non-UTF-8, unreadable, huge, symlink loops).

use std::fs;
use std::path::{Path, PathBuf};

use kep_lsp::analysis::{KepEntry, Person, Role, WorkspaceView};
use kep_lsp::knowledge::Knowledge;
use kep_lsp::workspace::{WorkspaceIndex, find_root};

use crate::common::temp_repo::TempRepo;

fn people(list: &[(&str, Role)]) -> Vec<Person> {
    list.iter()
        .map(|(handle, role)| Person {
            handle: handle.to_string(),
            role: *role,
        })
        .collect()
}

const KEP_2625: &str = "keps/sig-node/2625-cpumanager-policies-thread-placement";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspace-repo")
}

/// A fresh copy of the fixture repository in a temporary folder (tests that modify files).
fn temp_repo(name: &str) -> TempRepo {
    TempRepo::copy_of(&fixture(), &format!("ws-{name}"))
}

fn entry<'a>(keps: &'a [KepEntry], path: &str) -> &'a KepEntry {
    keps.iter()
        .find(|k| k.metadata_path == path)
        .unwrap_or_else(|| panic!("no entry for {path} in {keps:#?}"))
}

#[test]
fn finds_the_nearest_folder_holding_keps() {
    let root = fixture().canonicalize().unwrap();
    assert_eq!(
        find_root(&root.join(KEP_2625).join("kep.yaml")),
        Some(root.clone())
    );
    assert_eq!(find_root(&root.join("keps")), Some(root.clone()));
    assert_eq!(find_root(&root), Some(root.clone()));
    // A path that does not exist (a deleted file) still has its repository.
    assert_eq!(
        find_root(&root.join("keps/sig-node/9999-gone/kep.yaml")),
        Some(root)
    );
    let outside = std::env::temp_dir().join(format!("kep-lsp-noroot-{}", std::process::id()));
    fs::create_dir_all(outside.join("docs")).unwrap();
    assert_eq!(find_root(&outside.join("docs")), None);
    fs::remove_dir_all(&outside).unwrap();
}

#[test]
fn scan_builds_entries_for_modern_and_legacy_keps() {
    let (index, problems) = WorkspaceIndex::scan(&fixture());
    assert_eq!(problems, vec![]);
    let keps = index.keps();
    let mut paths: Vec<&str> = keps.iter().map(|k| k.metadata_path.as_str()).collect();
    paths.sort();
    assert_eq!(
        paths,
        vec![
            "keps/sig-network/20190118-pod-dns-config.md",
            "keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml",
            "keps/sig-storage/2924-csi-migration-cephfs/kep.yaml",
        ]
    );
    let kep = entry(&keps, &format!("{KEP_2625}/kep.yaml"));
    assert_eq!(
        kep,
        &KepEntry {
            number: "2625".into(),
            title: "SMT aware cpumanager policy".into(),
            owning_sig: "sig-node".into(),
            status: "imlpemented".into(),
            stage: "stable".into(),
            latest_milestone: "v1.33".into(),
            dir: KEP_2625.into(),
            metadata_path: format!("{KEP_2625}/kep.yaml"),
            people: people(&[
                ("ffromani", Role::Author),
                ("swatisehgal", Role::Author),
                ("klueska", Role::Reviewer),
                ("swatisehgal", Role::Reviewer),
                ("klueska", Role::Approver),
                ("sig-node-tech-leads", Role::Approver),
            ]),
        }
    );
    let legacy = entry(&keps, "keps/sig-network/20190118-pod-dns-config.md");
    assert_eq!(legacy.title, "Configurable Pod DNS");
    assert_eq!(legacy.owning_sig, "sig-network");
    assert_eq!(legacy.status, "implementable");
    assert_eq!(legacy.number, "");
    assert_eq!(legacy.dir, "keps/sig-network");
    // `editor: TBD` is a placeholder, not a person.
    assert_eq!(
        legacy.people,
        people(&[
            ("MrHohn", Role::Author),
            ("thockin", Role::Reviewer),
            ("bowei", Role::Reviewer),
            ("thockin", Role::Approver),
            ("bowei", Role::Approver),
        ])
    );
    assert_eq!(index.entry(&format!("./{KEP_2625}/kep.yaml")).as_ref(), Some(kep));
}

#[test]
fn scan_knows_every_path_and_reads_texts_lazily() {
    let (index, _) = WorkspaceIndex::scan(&fixture());
    assert!(index.has_root());
    for path in [
        "keps",
        "keps/prod-readiness/sig-node",
        "keps/prod-readiness/sig-node/2625.yaml",
        "/keps/sig-node/2625-cpumanager-policies-thread-placement/",
        "keps/sig-node/2625-cpumanager-policies-thread-placement/README.md",
        "OWNERS_ALIASES",
        "",
    ] {
        assert!(index.exists(path), "{path} should exist");
    }
    for path in [
        "keps/prod-readiness/sig-node/9999.yaml",
        "keps/sig-apps",
        "nothing-here",
        "../etc",
    ] {
        assert!(!index.exists(path), "{path} should not exist");
    }
    let readme = index.file_text(&format!("{KEP_2625}/README.md")).unwrap();
    assert!(readme.starts_with("# cpu manager extension to reject non SMT-aligned workload\n"));
    let prr = index.file_text("keps/prod-readiness/sig-node/2625.yaml").unwrap();
    assert!(prr.contains("approver: \"@johnbelamaric\""), "{prr}");
    assert_eq!(index.file_text("keps/prod-readiness/sig-node/1.yaml"), None);
    // Files outside keps/ are read from disk when asked.
    assert!(
        index
            .file_text("OWNERS_ALIASES")
            .unwrap()
            .contains("prod-readiness-approvers:")
    );
    // The PRR file is a file of the tree but not a KEP.
    assert!(
        index
            .files()
            .contains(&"keps/prod-readiness/sig-node/2625.yaml".to_owned())
    );
    assert!(
        index
            .keps()
            .iter()
            .all(|k| !k.metadata_path.contains("prod-readiness"))
    );
}

#[test]
fn handles_count_people_owners_and_aliases() {
    let (index, _) = WorkspaceIndex::scan(&fixture());
    let handles = index.handles();
    let find = |name: &str| {
        handles
            .iter()
            .find(|h| h.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    // The fixture has no sigs.yaml: the embedded one names the groups' chairs and tech leads.
    let sigs = Knowledge::embedded().sigs;
    let leads = |handle: &str| {
        sigs.iter()
            .flat_map(|g| g.chairs.iter().chain(&g.tech_leads))
            .filter(|h| h.as_str() == handle)
            .count()
    };
    // klueska: twice in 2625's kep.yaml, once in its OWNERS, and as a group lead if listed.
    assert_eq!(find("klueska").count, 3 + leads("klueska"));
    assert!(find("klueska").sigs.contains(&"sig-node".to_owned()));
    // johnbelamaric: two aliases of OWNERS_ALIASES, neither of a SIG.
    assert_eq!(find("johnbelamaric").count, 2 + leads("johnbelamaric"));
    assert!(find("dchen1107").sigs.contains(&"sig-node".to_owned()));
    // Group leaders the KEPs never name are still offered, with their group.
    let chair = &sigs.get("sig-storage").expect("sig-storage in sigs.yaml").chairs[0];
    assert!(find(chair).sigs.contains(&"sig-storage".to_owned()));
    assert!(find("MrHohn").sigs.contains(&"sig-network".to_owned()));
    // Alias names in OWNERS files are not people.
    assert!(handles.iter().all(|h| h.name != "enhancements-approvers"));
    // Most frequent first.
    assert!(handles.windows(2).all(|w| w[0].count >= w[1].count));
}

#[test]
fn update_file_refreshes_entries_and_existence() {
    let (index, _) = WorkspaceIndex::scan(&fixture());
    let path = format!("{KEP_2625}/kep.yaml");
    // Metadata asked for before the change (and kept for the next ask) is not what it answers
    // after it.
    let meta = |index: &WorkspaceIndex| index.kep_metadata(&path).unwrap().status.clone().unwrap().value;
    assert_eq!(meta(&index), "imlpemented");
    let text = index
        .file_text(&path)
        .unwrap()
        .replace("status: imlpemented", "status: implemented");
    assert!(index.update_file(&path, Some(&text)).is_empty());
    assert_eq!(index.entry(&path).unwrap().status, "implemented");
    assert_eq!(meta(&index), "implemented");
    assert_eq!(index.file_text(&path).as_deref(), Some(text.as_str()));

    // A new KEP in a new folder.
    let new = "keps/sig-apps/5999-new-thing/kep.yaml";
    index.update_file(
        new,
        Some("title: New thing\nkep-number: 5999\nowning-sig: sig-apps\nstatus: provisional\n"),
    );
    assert!(index.exists("keps/sig-apps"));
    assert!(index.exists("keps/sig-apps/5999-new-thing"));
    let entry = index.entry(new).unwrap();
    assert_eq!(
        (entry.number.as_str(), entry.dir.as_str()),
        ("5999", "keps/sig-apps/5999-new-thing")
    );
    assert_eq!(index.keps().len(), 4);

    // Deleted: gone from entries, texts and paths, and its emptied folders with it.
    index.update_file(new, None);
    assert_eq!(index.entry(new), None);
    assert_eq!(index.file_text(new), None);
    assert!(!index.exists("keps/sig-apps/5999-new-thing"));
    assert!(!index.exists("keps/sig-apps"));
    assert!(index.exists("keps"));
    assert_eq!(index.keps().len(), 3);

    // A kep.yaml that stops being valid YAML keeps an entry (the KEP is still there).
    index.update_file(&path, Some("title: [unclosed\n"));
    assert_eq!(index.entry(&path).unwrap().dir, KEP_2625);
}

#[test]
fn refresh_from_disk_follows_the_file_system() {
    let repo = temp_repo("refresh");
    let (index, _) = WorkspaceIndex::scan(&repo.0);
    let path = format!("{KEP_2625}/kep.yaml");
    fs::write(repo.path(&path), "title: Rewritten\nkep-number: 2625\n").unwrap();
    assert!(index.refresh_from_disk(&path).is_empty());
    assert_eq!(index.entry(&path).unwrap().title, "Rewritten");
    fs::remove_file(repo.path(&path)).unwrap();
    index.refresh_from_disk(&path);
    assert_eq!(index.entry(&path), None);
    assert!(!index.exists(&path));
}

#[test]
fn index_is_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<WorkspaceIndex>();
    let (index, _) = WorkspaceIndex::scan(&fixture());
    let path = format!("{KEP_2625}/kep.yaml");
    std::thread::scope(|s| {
        for i in 0..4 {
            let (index, path) = (&index, &path);
            s.spawn(move || {
                for j in 0..50 {
                    if i == 0 {
                        index.update_file(path, Some(&format!("title: T{j}\nkep-number: 2625\n")));
                    } else {
                        assert_eq!(index.keps().len(), 3);
                        assert!(index.file_text(path).is_some());
                    }
                }
            });
        }
    });
    assert_eq!(index.entry(&path).unwrap().title, "T49");
}

#[test]
fn a_non_utf8_file_is_invalid_content_and_the_rest_is_scanned() {
    let repo = temp_repo("utf8");
    let bad = "keps/sig-storage/2924-csi-migration-cephfs/kep.yaml";
    fs::write(repo.path(bad), b"title: caf\xe9\nkep-number: 2924\n").unwrap();
    let (index, problems) = WorkspaceIndex::scan(&repo.0);
    // Not a problem of the scan: a finding on the file, kept for the server to publish.
    assert!(problems.is_empty(), "{problems:?}");
    let bad_content = index.bad_content();
    assert_eq!(bad_content.len(), 1);
    assert_eq!(bad_content[0].0, bad);
    let finding = bad_content[0].1.problem.clone().unwrap();
    assert_eq!(finding.code.as_str(), "invalid-content");
    assert_eq!(finding.range, 10..13);
    assert!(finding.message.contains("not UTF-8"), "{}", finding.message);
    assert!(index.exists(bad));
    assert_eq!(index.entry(bad), None);
    assert_eq!(index.file_text(bad), None);
    assert_eq!(index.keps().len(), 2);
}

#[test]
fn an_unreadable_file_is_a_problem_unless_we_are_root() {
    use std::os::unix::fs::PermissionsExt;
    let repo = temp_repo("unreadable");
    let locked = format!("{KEP_2625}/kep.yaml");
    fs::set_permissions(repo.path(&locked), fs::Permissions::from_mode(0o000)).unwrap();
    // Root (as in CI containers) reads a mode-000 file anyway: then there is nothing to report.
    let privileged = fs::read(repo.path(&locked)).is_ok();
    let (index, problems) = WorkspaceIndex::scan(&repo.0);
    if privileged {
        eprintln!("note: running as a privileged user; mode 000 does not stop reads");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(index.keps().len(), 3);
    } else {
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, locked);
        assert!(
            problems[0].message.contains("ermission denied"),
            "{}",
            problems[0].message
        );
        assert_eq!(index.keps().len(), 2);
        assert!(index.exists(&locked));
    }
    fs::set_permissions(repo.path(&locked), fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn a_huge_file_is_not_read() {
    let repo = temp_repo("huge");
    let huge = "keps/sig-storage/2924-csi-migration-cephfs/kep.yaml";
    // A sparse file: 11 MB on paper, nothing on disk.
    fs::File::create(repo.path(huge))
        .unwrap()
        .set_len(11 * 1024 * 1024)
        .unwrap();
    let (index, problems) = WorkspaceIndex::scan(&repo.0);
    assert!(problems.is_empty(), "{problems:?}");
    let bad_content = index.bad_content();
    assert_eq!(bad_content.len(), 1);
    assert_eq!(bad_content[0].0, huge);
    let finding = bad_content[0].1.problem.clone().unwrap();
    assert_eq!(finding.range, 0..0);
    assert!(finding.message.contains("too large"), "{}", finding.message);
    assert!(index.exists(huge));
    assert_eq!(index.file_text(huge), None);
    assert_eq!(index.keps().len(), 2);
}

/// Every kind of file the scan reports when over the size limit: a kep.yaml, a Markdown file
/// (before its first bytes are looked at), a kep.yaml even under prod-readiness/; other files
/// there are listed, not reported.
#[test]
fn huge_files_of_each_kind_are_reported_unread() {
    let repo = temp_repo("huge-kinds");
    let huge = [
        "keps/sig-storage/2924-csi-migration-cephfs/kep.yaml",
        "keps/sig-storage/2924-csi-migration-cephfs/README.md",
        "keps/prod-readiness/sig-storage/kep.yaml",
    ];
    let listed_only = "keps/prod-readiness/sig-storage/2924.yaml";
    for path in huge.iter().chain([&listed_only]) {
        fs::create_dir_all(repo.path(path).parent().unwrap()).unwrap();
        fs::File::create(repo.path(path))
            .unwrap()
            .set_len(11 * 1024 * 1024)
            .unwrap();
    }
    let (index, problems) = WorkspaceIndex::scan(&repo.0);
    assert!(problems.is_empty(), "{problems:?}");
    let mut reported: Vec<String> = index.bad_content().into_iter().map(|(p, _)| p).collect();
    reported.sort();
    let mut want: Vec<String> = huge.iter().map(|p| p.to_string()).collect();
    want.sort();
    assert_eq!(reported, want);
    assert!(index.exists(listed_only));
}

#[test]
fn a_symlink_loop_is_reported_not_followed_forever() {
    let repo = temp_repo("loop");
    std::os::unix::fs::symlink("..", repo.path("keps/sig-node/back-up")).unwrap();
    // A symlinked KEP folder is followed: it is a KEP like any other.
    std::os::unix::fs::symlink(
        repo.path("keps/sig-storage/2924-csi-migration-cephfs"),
        repo.path("keps/sig-node/2924-linked"),
    )
    .unwrap();
    let (index, problems) = WorkspaceIndex::scan(&repo.0);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path, "keps/sig-node/back-up");
    assert!(
        problems[0].message.contains("symlink loop"),
        "{}",
        problems[0].message
    );
    assert_eq!(index.keps().len(), 4);
    assert_eq!(
        index.entry("keps/sig-node/2924-linked/kep.yaml").unwrap().number,
        "2924"
    );
}

#[test]
fn the_repository_knowledge_overrides_the_embedded_one() {
    let (index, _) = WorkspaceIndex::scan(&fixture());
    // The fixture's OWNERS_ALIASES leaves kannon92 out of prod-readiness-approvers.
    assert!(
        Knowledge::embedded()
            .prr_approvers
            .contains(&"kannon92".to_owned())
    );
    let approvers = index.knowledge().prr_approvers;
    assert!(!approvers.contains(&"kannon92".to_owned()), "{approvers:?}");
    assert!(approvers.contains(&"johnbelamaric".to_owned()));

    // OWNERS_ALIASES edited: the knowledge follows.
    index.update_file(
        "OWNERS_ALIASES",
        Some("aliases:\n  prod-readiness-approvers:\n    - someone-new\n"),
    );
    assert_eq!(*index.knowledge().prr_approvers, ["someone-new"]);

    // sigs.yaml at the root replaces the embedded list; a broken one is a problem and is not used.
    let repo = temp_repo("sigs");
    std::fs::write(repo.path("sigs.yaml"), "sigs:\n  - dir: sig-node\n    name: Node\nworkinggroups:\n  - dir: wg-brand-new\n    name: Brand new\n").unwrap();
    let (index, problems) = WorkspaceIndex::scan(&repo.0);
    assert_eq!(problems, vec![]);
    let sigs = index.knowledge().sigs;
    assert!(sigs.contains("wg-brand-new"));
    assert!(!sigs.contains("sig-storage"));
    let problems = index.update_file("sigs.yaml", Some("sigs: [\n"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path, "sigs.yaml");
    assert!(
        index.knowledge().sigs.contains("sig-storage"),
        "the embedded list applies again"
    );
}
