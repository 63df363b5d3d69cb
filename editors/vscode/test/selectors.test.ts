// The document selector must take every kind of KEP file of the real repo and leave other files to
// the YAML/Markdown extensions. Globs are checked with minimatch (what vscode-languageclient itself
// uses to match document filters).
import assert from "node:assert/strict";
import { test } from "node:test";
import { minimatch } from "minimatch";
import { KEP_FILE_PATTERNS, WATCHED_PATTERNS, documentSelector } from "../src/selectors";

const matches = (file: string) => KEP_FILE_PATTERNS.some((p) => minimatch(file, p, { dot: true }));

// Real paths from kubernetes/enhancements (see /work/shared/corpus/SOURCES.md), under a checkout.
const KEP_FILES = [
  "/home/me/enhancements/keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml",
  "/home/me/enhancements/keps/sig-node/2625-cpumanager-policies-thread-placement/README.md",
  "/home/me/enhancements/keps/sig-cluster-lifecycle/kubeadm/970-kubeadm-config/kep.yaml",
  "/home/me/enhancements/keps/provider-aws/2008-aws-load-balancer-controller/README.md",
  "/home/me/enhancements/keps/prod-readiness/sig-node/2625.yaml",
  "/home/me/enhancements/keps/NNNN-kep-template/kep.yaml",
  "/home/me/enhancements/keps/sig-network/20190118-pod-dns-config.md",
  "/home/me/enhancements/keps/sig-apps/sidecarcontainers.md",
  "/home/me/enhancements/keps/0001-kubernetes-enhancement-proposal-process.md",
];

const OTHER_FILES = [
  "/home/me/enhancements/README.md",
  "/home/me/enhancements/docs/kep.yaml",
  "/home/me/enhancements/.github/workflows/ci.yaml",
  "/home/me/enhancements/keps/sig-node/2625-cpumanager-policies-thread-placement/diagram.png",
  "/home/me/enhancements/keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yml",
  "/home/me/project/src/kep.yaml",
  "/home/me/project/api/openapi.yaml",
];

test("every kind of KEP file is selected", () => {
  for (const f of KEP_FILES) assert.ok(matches(f), `${f} should be selected`);
});

test("files outside keps/ are left to other extensions", () => {
  for (const f of OTHER_FILES) assert.ok(!matches(f), `${f} should not be selected`);
});

test("the selector has one filter per pattern and scheme, and no language filter", () => {
  const sel = documentSelector(["file", "vscode-remote"]);
  assert.equal(sel.length, 2 * KEP_FILE_PATTERNS.length);
  assert.deepEqual(sel[0], { scheme: "file", pattern: "**/keps/**/kep.yaml" });
  assert.equal(sel[KEP_FILE_PATTERNS.length].scheme, "vscode-remote");
  // A language filter would drop KEP files whose language another extension changed.
  assert.ok(sel.every((f) => f.language === undefined));
});

test("watched patterns cover the files the server indexes", () => {
  const watched = (f: string) => WATCHED_PATTERNS.some((p) => minimatch(f, p, { dot: true }));
  assert.ok(watched("/r/keps/sig-node/2625-x/kep.yaml"));
  assert.ok(watched("/r/keps/prod-readiness/sig-node/2625.yaml"));
  assert.ok(watched("/r/sigs.yaml"));
  assert.ok(watched("/r/OWNERS_ALIASES"));
  assert.ok(!watched("/r/keps/sig-node/2625-x/README.md"));
});
