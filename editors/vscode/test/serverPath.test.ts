import assert from "node:assert/strict";
import { test } from "node:test";
import { type ResolveInput, binaryName, expandConfiguredPath, isResolved, resolveServer, serverExecutable } from "../src/serverPath";

function input(executables: string[], over: Partial<ResolveInput> = {}): ResolveInput {
  const set = new Set(executables);
  return {
    configured: "",
    extensionPath: "/ext",
    workspaceFolder: "/ws",
    platform: "linux",
    pathEnv: "/usr/local/bin:/usr/bin",
    home: "/home/me",
    isExecutable: (f) => set.has(f),
    ...over,
  };
}

test("the setting wins over the bundled binary and PATH", () => {
  const r = resolveServer(input(["/opt/kep-lsp", "/ext/server/kep-lsp", "/usr/bin/kep-lsp"], { configured: "/opt/kep-lsp" }));
  assert.deepEqual(r, { command: "/opt/kep-lsp", source: "setting" });
});

test("the bundled binary wins over PATH", () => {
  const r = resolveServer(input(["/ext/server/kep-lsp", "/usr/bin/kep-lsp"]));
  assert.deepEqual(r, { command: "/ext/server/kep-lsp", source: "bundled" });
});

test("PATH is searched in order", () => {
  const r = resolveServer(input(["/usr/bin/kep-lsp", "/usr/local/bin/kep-lsp"]));
  assert.deepEqual(r, { command: "/usr/local/bin/kep-lsp", source: "path" });
});

test("a missing configured binary is an error naming the setting, not a silent fallback", () => {
  const r = resolveServer(input(["/usr/bin/kep-lsp"], { configured: "/nope/kep-lsp" }));
  assert.ok(!isResolved(r));
  assert.match(r.error, /"kep-lsp\.server\.path" \(\/nope\/kep-lsp\)/);
});

test("nothing found: the message says how to fix it", () => {
  const r = resolveServer(input([]));
  assert.ok(!isResolved(r));
  assert.match(r.error, /not found/);
  assert.match(r.error, /cargo install/);
  assert.match(r.error, /kep-lsp\.server\.path/);
});

test("~, ${workspaceFolder} and relative settings are expanded", () => {
  assert.equal(expandConfiguredPath("~/bin/kep-lsp", "/ws", "/home/me"), "/home/me/bin/kep-lsp");
  assert.equal(expandConfiguredPath("${workspaceFolder}/target/release/kep-lsp", "/ws", "/h"), "/ws/target/release/kep-lsp");
  assert.equal(expandConfiguredPath("target/release/kep-lsp", "/ws", "/h"), "/ws/target/release/kep-lsp");
  assert.equal(expandConfiguredPath("${userHome}/x", "/ws", "/h"), "/h/x");
  const r = resolveServer(input(["/ws/target/release/kep-lsp"], { configured: " target/release/kep-lsp " }));
  assert.deepEqual(r, { command: "/ws/target/release/kep-lsp", source: "setting" });
});

test("a bare name in the setting is looked up on PATH", () => {
  const r = resolveServer(input(["/usr/bin/kep-lsp-dev"], { configured: "kep-lsp-dev" }));
  assert.deepEqual(r, { command: "/usr/bin/kep-lsp-dev", source: "setting" });
});

test("Windows: .exe name and ; separated PATH", () => {
  assert.equal(binaryName("win32"), "kep-lsp.exe");
  const r = resolveServer(
    input(["C:\\tools/kep-lsp.exe"], { platform: "win32", pathEnv: "C:\\Windows;C:\\tools", extensionPath: "C:\\ext" }),
  );
  assert.ok(isResolved(r));
  assert.equal(r.source, "path");
});

test("the server runs as `kep-lsp serve [extra args]` with no transport (which would add --stdio)", () => {
  assert.deepEqual(serverExecutable("/bin/kep-lsp"), { command: "/bin/kep-lsp", args: ["serve"] });
  assert.deepEqual(serverExecutable("/bin/kep-lsp", ["--log-file", "/tmp/l", 3, ""]), {
    command: "/bin/kep-lsp",
    args: ["serve", "--log-file", "/tmp/l"],
  });
  assert.ok(!("transport" in serverExecutable("/bin/kep-lsp")));
});
