// package.json is the extension's other half: its commands must be the ones extension.ts registers,
// and its settings must be the ones settings.ts reads and the server understands.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

// Compiled to out/test/, so the sources are two levels up.
const root = path.join(__dirname, "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const extension = fs.readFileSync(path.join(root, "src", "extension.ts"), "utf8");

test("every contributed command is registered, and only those", () => {
  const contributed = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
  const registered = [...extension.matchAll(/registerCommand\("([^"]+)"/g)].map((m) => m[1]).sort();
  assert.deepEqual(contributed, registered);
  assert.deepEqual(contributed, ["kep-lsp.newKep", "kep-lsp.restartServer", "kep-lsp.showOutput"]);
});

test("settings mirror the server's configuration section", () => {
  const keys = Object.keys(pkg.contributes.configuration.properties).sort();
  assert.deepEqual(keys, [
    "kep-lsp.disable",
    "kep-lsp.docsUrl",
    "kep-lsp.logLevel",
    "kep-lsp.readiness",
    "kep-lsp.server.extraArgs",
    "kep-lsp.server.path",
    "kep-lsp.severity",
    "kep-lsp.sigsPath",
    "kep-lsp.trace.server",
    "kep-lsp.workspaceDiagnostics",
  ]);
  const sev = pkg.contributes.configuration.properties["kep-lsp.severity"];
  assert.deepEqual(sev.additionalProperties.enum, ["error", "warning", "info", "hint"]);
});

test("licence, icon and bundle entry point are in place for vsce", () => {
  assert.equal(pkg.license, "Apache-2.0");
  assert.ok(fs.existsSync(path.join(root, "LICENSE")));
  assert.ok(fs.existsSync(path.join(root, pkg.icon)));
  assert.equal(pkg.main, "./dist/extension.js");
  assert.ok(pkg.engines.vscode.startsWith("^1."));
});

test("activation: only in workspaces that hold KEPs (not on every YAML or Markdown file)", () => {
  assert.deepEqual(pkg.activationEvents, ["workspaceContains:**/kep.yaml", "workspaceContains:**/keps/prod-readiness/**/*.yaml"]);
});
