// The VS Code side of kep-lsp: find the server, start it over stdio for KEP files only, keep its
// settings in sync, and offer three commands (restart, show output, new KEP). Everything that can be
// decided without VS Code lives in selectors.ts, serverPath.ts, settings.ts and newKep.ts (unit-tested).
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
} from "vscode-languageclient/node";
import { createdUris, newKepArguments, sigChoices, validateNumber, validateSig, validateTitle } from "./newKep";
import { WATCHED_PATTERNS, documentSelector } from "./selectors";
import { isResolved, resolveServer, serverExecutable } from "./serverPath";
import { configurationItem, toServerSettings, type ServerSettings } from "./settings";

const SECTION = "kep-lsp";
let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let traceOutput: vscode.OutputChannel;

function workspaceRoot(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

function home(): string | undefined {
  return process.env.HOME ?? process.env.USERPROFILE;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, process.platform === "win32" ? fs.constants.F_OK : fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function currentSettings(scope?: vscode.Uri): ServerSettings {
  const problems: string[] = [];
  const folder = (scope && vscode.workspace.getWorkspaceFolder(scope)?.uri.fsPath) ?? workspaceRoot();
  const raw = vscode.workspace.getConfiguration(SECTION, scope);
  const settings = toServerSettings(
    {
      severity: raw.get("severity"),
      disable: raw.get("disable"),
      sigsPath: raw.get("sigsPath"),
      logLevel: raw.get("logLevel"),
    },
    folder,
    home(),
    problems,
  );
  for (const p of problems) output.appendLine(`[settings] ${p}`);
  return settings;
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const resolved = resolveServer({
    configured: vscode.workspace.getConfiguration(SECTION).get<string>("server.path"),
    extensionPath: context.extensionPath,
    workspaceFolder: workspaceRoot(),
    platform: process.platform,
    pathEnv: process.env.PATH,
    home: home(),
    isExecutable,
  });
  if (!isResolved(resolved)) {
    output.appendLine(resolved.error);
    const choice = await vscode.window.showErrorMessage(resolved.error, "Open Settings", "Show Output");
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", `${SECTION}.server.path`);
    } else if (choice === "Show Output") {
      output.show(true);
    }
    return;
  }
  output.appendLine(`Starting ${resolved.command} serve (from the ${resolved.source})`);
  const extraArgs = vscode.workspace.getConfiguration(SECTION).get<string[]>("server.extraArgs") ?? [];
  const run = serverExecutable(resolved.command, extraArgs);
  const serverOptions: ServerOptions = { run, debug: run };

  const watchers = WATCHED_PATTERNS.map((p) => vscode.workspace.createFileSystemWatcher(p));
  context.subscriptions.push(...watchers);

  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(["file"]),
    outputChannel: output,
    traceOutputChannel: traceOutput,
    initializationOptions: currentSettings(),
    synchronize: { fileEvents: watchers },
    middleware: {
      workspace: {
        // Answer with the normalised settings, not VS Code's raw object (which holds our own keys).
        configuration: (params) =>
          params.items.map((item) =>
            configurationItem(item.section, currentSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)),
          ),
      },
    },
  };
  client = new LanguageClient(SECTION, "KEP Language Server", serverOptions, clientOptions);
  await client.start();
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop();
    } catch (e) {
      output.appendLine(`Stopping the server failed: ${String(e)}`);
    }
  }
}

async function newKep(): Promise<void> {
  if (!client) {
    void vscode.window.showErrorMessage("kep-lsp: the language server is not running; run \"KEP: Restart Server\".");
    return;
  }
  const commands = client.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  if (!commands.includes("kep.new")) {
    void vscode.window.showErrorMessage("kep-lsp: this server version has no \"kep.new\" command; update kep-lsp.");
    return;
  }
  const root = workspaceRoot();
  let sigs: string[] = [];
  if (root) {
    try {
      sigs = sigChoices(fs.readdirSync(path.join(root, "keps")));
    } catch {
      sigs = [];
    }
  }
  let sig: string | undefined;
  if (sigs.length > 0) {
    sig = await vscode.window.showQuickPick(sigs, { title: "New KEP (1/3): owning SIG", placeHolder: "sig-node" });
  } else {
    sig = await vscode.window.showInputBox({
      title: "New KEP (1/3): owning SIG",
      placeHolder: "sig-node",
      validateInput: validateSig,
    });
  }
  if (!sig) return;
  const title = await vscode.window.showInputBox({
    title: "New KEP (2/3): title",
    placeHolder: "Pod readiness gates for sidecars",
    validateInput: validateTitle,
  });
  if (!title) return;
  const number = await vscode.window.showInputBox({
    title: "New KEP (3/3): KEP number (the enhancement issue; leave empty for NNNN)",
    placeHolder: "4321",
    validateInput: validateNumber,
  });
  if (number === undefined) return;
  try {
    const result = await client.sendRequest(ExecuteCommandRequest.type, {
      command: "kep.new",
      arguments: [newKepArguments(sig, title, number)],
    });
    const uris = createdUris(result);
    const readme = uris.find((u) => u.endsWith("README.md")) ?? uris[0];
    if (readme) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(readme));
      await vscode.window.showTextDocument(doc);
    } else {
      void vscode.window.showInformationMessage(`kep-lsp: created the KEP "${title.trim()}".`);
    }
  } catch (e) {
    void vscode.window.showErrorMessage(`kep-lsp: New KEP failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("KEP Language Server");
  traceOutput = vscode.window.createOutputChannel("KEP Language Server Trace");
  context.subscriptions.push(output, traceOutput);
  context.subscriptions.push(
    vscode.commands.registerCommand("kep-lsp.restartServer", async () => {
      await stopClient();
      await startClient(context);
    }),
    vscode.commands.registerCommand("kep-lsp.showOutput", () => output.show(true)),
    vscode.commands.registerCommand("kep-lsp.newKep", newKep),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      if (e.affectsConfiguration(`${SECTION}.server`)) {
        await stopClient();
        await startClient(context);
      } else if (client) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { [SECTION]: currentSettings() },
        });
      }
    }),
  );
  await startClient(context);
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
