import assert from "node:assert/strict";
import { test } from "node:test";
import { configurationItem, toServerSettings } from "../src/settings";

test("defaults when nothing is set", () => {
  assert.deepEqual(toServerSettings(undefined, "/ws", "/h"), { severity: {}, disable: [], logLevel: "info" });
  assert.deepEqual(toServerSettings({}, undefined, undefined), { severity: {}, disable: [], logLevel: "info" });
});

test("severity overrides are kept, aliases normalised, bad values dropped and reported", () => {
  const problems: string[] = [];
  const s = toServerSettings(
    { severity: { "toc-stale": "hint", "unknown-field": "Warn", "invalid-status": "information", "missing-section": "fatal", x: 3 } },
    "/ws",
    "/h",
    problems,
  );
  assert.deepEqual(s.severity, { "toc-stale": "hint", "unknown-field": "warning", "invalid-status": "info" });
  assert.equal(problems.length, 2);
  assert.match(problems[0], /"missing-section" has "fatal"; use one of error, warning, info, hint/);
});

test("disabled codes: strings only, trimmed, de-duplicated, order kept", () => {
  const s = toServerSettings({ disable: ["toc-stale", " toc-stale ", 7, "", "unknown-field"] }, "/ws", "/h");
  assert.deepEqual(s.disable, ["toc-stale", "unknown-field"]);
  assert.deepEqual(toServerSettings({ disable: "toc-stale" }, "/ws", "/h").disable, []);
});

test("sigsPath is made absolute from the workspace folder", () => {
  assert.equal(toServerSettings({ sigsPath: "../community/sigs.yaml" }, "/src/enhancements", "/h").sigsPath, "/src/community/sigs.yaml");
  assert.equal(toServerSettings({ sigsPath: "${workspaceFolder}/sigs.yaml" }, "/ws", "/h").sigsPath, "/ws/sigs.yaml");
  assert.equal(toServerSettings({ sigsPath: "~/sigs.yaml" }, "/ws", "/home/me").sigsPath, "/home/me/sigs.yaml");
  assert.equal(toServerSettings({ sigsPath: "/abs/sigs.yaml" }, "/ws", "/h").sigsPath, "/abs/sigs.yaml");
  assert.equal(toServerSettings({ sigsPath: "  " }, "/ws", "/h").sigsPath, undefined);
});

test("docsUrl goes to the server only as an http(s) address", () => {
  assert.equal(toServerSettings({ docsUrl: " https://docs.example.org/kep/diagnostics.html " }, "/ws", "/h").docsUrl,
    "https://docs.example.org/kep/diagnostics.html");
  const problems: string[] = [];
  assert.equal(toServerSettings({ docsUrl: "docs/diagnostics.md" }, "/ws", "/h", problems).docsUrl, undefined);
  assert.match(problems[0] ?? "", /not an http\(s\) address/);
  assert.equal("docsUrl" in toServerSettings({ docsUrl: "" }, "/ws", "/h"), false);
});

test("readiness goes to the server as a release or off", () => {
  assert.equal(toServerSettings({ readiness: " v1.37 " }, "/ws", "/h").readiness, "v1.37");
  assert.equal(toServerSettings({ readiness: "off" }, "/ws", "/h").readiness, "off");
  const problems: string[] = [];
  assert.equal(toServerSettings({ readiness: "next" }, "/ws", "/h", problems).readiness, undefined);
  assert.match(problems[0] ?? "", /not "off" or a release/);
  assert.equal("readiness" in toServerSettings({ readiness: "" }, "/ws", "/h"), false);
});

test("workspaceDiagnostics goes to the server as all or SIGs, off by default", () => {
  assert.equal(toServerSettings({ workspaceDiagnostics: " sig-node, sig-apps " }, "/ws", "/h").workspaceDiagnostics, "sig-node, sig-apps");
  assert.equal(toServerSettings({ workspaceDiagnostics: "all" }, "/ws", "/h").workspaceDiagnostics, "all");
  assert.equal("workspaceDiagnostics" in toServerSettings({ workspaceDiagnostics: "off" }, "/ws", "/h"), false);
  assert.equal("workspaceDiagnostics" in toServerSettings({}, "/ws", "/h"), false);
  const problems: string[] = [];
  assert.equal(toServerSettings({ workspaceDiagnostics: "sig node" }, "/ws", "/h", problems).workspaceDiagnostics, undefined);
  assert.match(problems[0] ?? "", /not "off", "all" or SIGs/);
});

test("logLevel accepts the server's levels only", () => {
  assert.equal(toServerSettings({ logLevel: "debug" }, "/ws", "/h").logLevel, "debug");
  assert.equal(toServerSettings({ logLevel: "loud" }, "/ws", "/h").logLevel, "info");
});

test("extension-only keys never reach the server", () => {
  const s = toServerSettings({ server: { path: "/x" }, trace: { server: "verbose" }, disable: ["a"] }, "/ws", "/h");
  assert.deepEqual(Object.keys(s).sort(), ["disable", "logLevel", "severity"]);
});

test("workspace/configuration items: the section or one key of it", () => {
  const s = toServerSettings({ disable: ["toc-stale"], severity: { "toc-stale": "hint" } }, "/ws", "/h");
  assert.deepEqual(configurationItem("kep-lsp", s), s);
  assert.deepEqual(configurationItem(undefined, s), s);
  assert.deepEqual(configurationItem("kep-lsp.disable", s), ["toc-stale"]);
  assert.equal(configurationItem("kep-lsp.sigsPath", s), null);
  assert.equal(configurationItem("editor", s), null);
});
