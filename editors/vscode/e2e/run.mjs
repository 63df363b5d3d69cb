// End-to-end test of the kep-lsp extension in real VS Code: code-server (VS Code in a browser) with
// the .vsix installed, a copy of editors/testdata/kep-repo as the workspace, driven by Chromium
// through playwright-core. Checks what a user sees: kep-lsp's diagnostics in the Problems panel, a
// completion list at `status: ` in kep.yaml. Saves screenshots to docs/.
// Usage (scripts/test-vscode-e2e sets all of this up): node run.mjs VSIX [SERVER_BIN|-] [SCREENSHOT_DIR]
// With SERVER_BIN "-" the extension must find the server it bundles (a --target .vsix).
import { spawn, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as net from "node:net";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..", "..", "..");
const [vsix, serverBin, shotsDir = path.join(repoRoot, "docs")] = process.argv.slice(2);
if (!vsix) {
  console.error("usage: node run.mjs VSIX [SERVER_BIN|-] [SCREENSHOT_DIR]");
  process.exit(2);
}
fs.mkdirSync(shotsDir, { recursive: true });
// Failure screenshots go to a kept folder (printed at the end), not to docs/.
const tmpShots = fs.mkdtempSync(path.join(os.tmpdir(), "kep-vscode-e2e-shots-"));
const codeServer = path.join(here, "node_modules", ".bin", "code-server");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";

let passed = 0;
let failed = 0;
let skipped = 0;
let page;

/** Starts the server alone and returns its `initialize` capabilities (to skip what it lacks). */
async function serverCapabilities(bin) {
  const proc = spawn(bin, ["serve"], { stdio: ["pipe", "pipe", "ignore"] });
  const send = (msg) => {
    const body = JSON.stringify({ jsonrpc: "2.0", ...msg });
    proc.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  let buf = Buffer.alloc(0);
  const caps = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no initialize answer in 10 s")), 10000);
    proc.stdout.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf("\r\n\r\n");
      const len = /Content-Length: (\d+)/i.exec(buf.subarray(0, end).toString())?.[1];
      if (end >= 0 && len && buf.length >= end + 4 + Number(len)) {
        clearTimeout(timer);
        resolve(JSON.parse(buf.subarray(end + 4, end + 4 + Number(len)).toString()).result.capabilities);
      }
    });
    send({ id: 1, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });
  });
  send({ id: 2, method: "shutdown" });
  send({ method: "exit" });
  setTimeout(() => proc.kill(), 1000).unref();
  return caps;
}
class Skip extends Error {}
async function test(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok - [vscode-e2e] ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  } catch (e) {
    if (e instanceof Skip) {
      skipped++;
      console.log(`ok - [vscode-e2e] ${name} # SKIP ${e.message}`);
      return;
    }
    failed++;
    if (page) {
      await page.screenshot({ path: path.join(tmpShots, `${name.replace(/[^a-z0-9]+/gi, "-")}.png`) }).catch(() => {});
    }
    console.log(`not ok - [vscode-e2e] ${name}\n    ${String(e?.stack ?? e).replace(/\n/g, "\n    ")}`);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kep-vscode-e2e-"));
const userData = path.join(tmp, "user-data");
const extensions = path.join(tmp, "extensions");
const workspace = path.join(tmp, "kep-repo");
fs.cpSync(path.join(repoRoot, "editors", "testdata", "kep-repo"), workspace, { recursive: true });
execFileSync("chmod", ["-R", "u+w", workspace]);
fs.mkdirSync(path.join(userData, "User"), { recursive: true });
fs.mkdirSync(path.join(userData, "Machine"), { recursive: true });
// kep-lsp.server.path is machine-scoped: code-server, like any remote, reads it from Machine settings.
const serverSetting = serverBin && serverBin !== "-" ? { "kep-lsp.server.path": serverBin } : {};
fs.writeFileSync(path.join(userData, "Machine", "settings.json"), JSON.stringify(serverSetting, null, 2));
fs.writeFileSync(
  path.join(userData, "User", "settings.json"),
  JSON.stringify(
    {
      "workbench.startupEditor": "none",
      "workbench.tips.enabled": false,
      "workbench.welcomePage.walkthroughs.openOnInstall": false,
      "security.workspace.trust.enabled": false,
      "telemetry.telemetryLevel": "off",
      "extensions.autoCheckUpdates": false,
      "extensions.autoUpdate": false,
      "update.mode": "none",
      "editor.quickSuggestions": { other: true },
      "chat.disableAIFeatures": true,
      "window.zoomLevel": 0,
      "workbench.secondarySideBar.defaultVisibility": "hidden",
      "chat.commandCenter.enabled": false,
    },
    null,
    2,
  ),
);
const config = path.join(tmp, "config.yaml");
fs.writeFileSync(config, "auth: none\ncert: false\n");
const common = ["--config", config, "--user-data-dir", userData, "--extensions-dir", extensions];

// The server under test: the one given, else the one bundled in the .vsix (same binary in our runs).
const caps = await serverCapabilities(serverBin && serverBin !== "-" ? serverBin : process.env.KEP_LSP);
let server;
let browser;
const t0 = Date.now();
try {
  await test("the .vsix installs into code-server", async () => {
    const out = execFileSync(codeServer, [...common, "--install-extension", vsix], { encoding: "utf8" });
    if (!/successfully installed/i.test(out)) throw new Error(out);
    const list = execFileSync(codeServer, [...common, "--list-extensions"], { encoding: "utf8" });
    if (!list.includes("kep-lsp.kep-lsp")) throw new Error(`not listed: ${list}`);
  });

  const port = await freePort();
  server = spawn(
    codeServer,
    [...common, "--bind-addr", `127.0.0.1:${port}`, "--auth", "none", "--disable-telemetry",
      "--disable-update-check", "--disable-workspace-trust", "--disable-getting-started-override", workspace],
    { stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let serverLog = "";
  server.stdout.on("data", (d) => (serverLog += d));
  server.stderr.on("data", (d) => (serverLog += d));
  const deadline = Date.now() + 60000;
  while (!/HTTP server listening/.test(serverLog)) {
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`code-server did not start:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
    // No --user-data-dir: playwright refuses it here and gives each launch a fresh temporary profile.
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector(".monaco-workbench", { timeout: 60000 });
  await page.waitForTimeout(3000);

  const runCommand = async (label) => {
    await page.keyboard.press("F1");
    await page.waitForSelector(".quick-input-widget input", { state: "visible" });
    // F1 opens the palette with ">" already typed.
    await page.keyboard.type(label);
    await page.waitForTimeout(500);
    await page.keyboard.press("Enter");
  };
  // Quick Open finds files once the workspace is indexed; the first try after start-up may miss.
  const openFile = async (rel) => {
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.press("Control+P");
      await page.waitForSelector(".quick-input-widget input", { state: "visible" });
      await page.keyboard.type(rel);
      await page.waitForTimeout(1500);
      await page.keyboard.press("Enter");
      try {
        await page.waitForSelector(`.tab[data-resource-name="${path.basename(rel)}"]`, { timeout: 10000 });
        await page.waitForTimeout(500);
        return;
      } catch (e) {
        await page.keyboard.press("Escape");
        if (attempt === 3) {
          await page.screenshot({ path: path.join(tmpShots, `open-failed.png`) });
          throw e;
        }
      }
    }
  };

  await test("kep-lsp's diagnostics appear in the Problems panel", async () => {
    await openFile("keps/sig-node/2625-cpumanager-policies-thread-placement/kep.yaml");
    await runCommand("View: Focus Problems");
    const problems = page.locator(".markers-panel");
    await problems.waitFor({ state: "visible", timeout: 20000 });
    await page.waitForFunction(
      () => document.querySelector(".markers-panel")?.textContent?.includes("invalid-status"),
      null,
      { timeout: 60000 },
    );
    const text = await problems.innerText();
    if (!/imlpemented/.test(text)) throw new Error(`Problems panel:\n${text}`);
    if (!/kep-lsp/.test(text)) throw new Error(`no kep-lsp source in:\n${text}`);
    await page.screenshot({ path: path.join(shotsDir, "vscode-e2e-problems.png") });
  });

  await test("completion at `status: ` lists the KEP statuses", async () => {
    if (!caps.completionProvider) throw new Skip("the server offers no completion (completionProvider)");
    await openFile("keps/sig-apps/1591-daemonset-surge/kep.yaml");
    const lines = fs.readFileSync(path.join(workspace, "keps/sig-apps/1591-daemonset-surge/kep.yaml"), "utf8").split("\n");
    const statusLine = lines.findIndex((l) => l.startsWith("status:")) + 1;
    await page.keyboard.press("Control+G");
    await page.keyboard.type(String(statusLine));
    await page.keyboard.press("Enter");
    await page.keyboard.press("End");
    await page.keyboard.press("Shift+Home");
    await page.keyboard.type("status: ");
    await page.keyboard.press("Control+Space");
    const widget = page.locator(".editor-widget.suggest-widget");
    await widget.waitFor({ state: "visible", timeout: 20000 });
    await page.waitForFunction(
      () => document.querySelector(".suggest-widget")?.textContent?.includes("implementable"),
      null,
      { timeout: 20000 },
    );
    const text = await widget.innerText();
    for (const want of ["provisional", "implementable", "implemented"]) {
      if (!text.includes(want)) throw new Error(`no ${want} in the suggest widget:\n${text}`);
    }
    await page.screenshot({ path: path.join(shotsDir, "vscode-e2e-completion.png") });
    await page.keyboard.press("Escape");
  });

  await test("New KEP: prompts for SIG, title and number, scaffolds the KEP and opens its README", async () => {
    await runCommand("KEP: New KEP");
    await page.waitForSelector(".quick-input-widget input", { state: "visible" });
    await page.keyboard.type("sig-node");
    await page.waitForTimeout(500);
    await page.keyboard.press("Enter");
    for (const answer of ["Editor Test KEP", "9998"]) {
      await page.waitForTimeout(800);
      await page.waitForSelector(".quick-input-widget input", { state: "visible" });
      await page.keyboard.type(answer);
      await page.keyboard.press("Enter");
    }
    const readme = path.join(workspace, "keps/sig-node/9998-editor-test-kep/README.md");
    await page.waitForSelector('.tab.active[data-resource-name="README.md"]', { timeout: 20000 });
    const deadline = Date.now() + 10000;
    while (!fs.existsSync(readme) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    if (!fs.existsSync(readme)) throw new Error(`no ${readme}`);
    const yaml = fs.readFileSync(path.join(path.dirname(readme), "kep.yaml"), "utf8");
    if (!/kep-number: 9998/.test(yaml) || !/owning-sig: sig-node/.test(yaml)) throw new Error(`kep.yaml:\n${yaml}`);
    const crumbs = await page.locator(".breadcrumbs-control").first().innerText();
    if (!crumbs.includes("9998-editor-test-kep")) throw new Error(`active editor: ${crumbs}`);
  });

  await test("a bad kep-lsp.server.path restarts the client and says how to fix it", async () => {
    // Settings files are watched: changing the machine setting restarts the client.
    fs.writeFileSync(
      path.join(userData, "Machine", "settings.json"),
      JSON.stringify({ "kep-lsp.server.path": "/nonexistent/kep-lsp" }),
    );
    await page.waitForFunction(
      () => document.querySelector(".notifications-toasts")?.textContent?.includes("/nonexistent/kep-lsp"),
      null,
      { timeout: 30000 },
    );
    const text = await page.locator(".notifications-toasts").innerText();
    if (!/was not found or is not executable/.test(text)) throw new Error(`notification:\n${text}`);
    if (!/Open Settings/.test(text)) throw new Error(`no Open Settings button:\n${text}`);
  });
} catch (e) {
  failed++;
  console.log(`not ok - [vscode-e2e] set-up\n    ${String(e?.stack ?? e).replace(/\n/g, "\n    ")}`);
} finally {
  await browser?.close().catch(() => {});
  if (server?.pid) {
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {}
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}
if (failed > 0) console.log(`# failure screenshots: ${tmpShots}`);
console.log(`# vscode-e2e took ${((Date.now() - t0) / 1000).toFixed(0)}s`);
console.log(`vscode-e2e: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
