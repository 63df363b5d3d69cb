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
import { promisify } from "node:util";
import { execFile } from "node:child_process";
import {
  acceptedSig,
  cliArguments,
  createdByCli,
  createdUris,
  newKepArguments,
  sigChoices,
  validateNumber,
  validateSig,
  validateTitle,
} from "./newKep";
import { WATCHED_PATTERNS, documentSelector } from "./selectors";
import { isResolved, resolveServer, serverExecutable } from "./serverPath";
import { configurationItem, toServerSettings, type ServerSettings } from "./settings";

const SECTION = "kep-lsp";
const execFileAsync = promisify(execFile);
let client: LanguageClient | undefined;
/** The binary the client runs (also used as the `kep-lsp new` CLI when the server lacks kep.new). */
let serverCommand: string | undefined;
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
      docsUrl: raw.get("docsUrl"),
      readiness: raw.get("readiness"),
      workspaceDiagnostics: raw.get("workspaceDiagnostics"),
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
  serverCommand = resolved.command;
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

/**
 * The SIG quick pick. Not `showQuickPick`: that resolves to the highlighted item, which can still be
 * the unfiltered list's first SIG when Enter follows the typing at once; `acceptedSig` lets the
 * typed SIG win, and also takes a SIG that has no folder under keps/ yet.
 */
function pickSig(sigs: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick();
    const title = "New KEP (1/3): owning SIG";
    qp.title = title;
    qp.placeholder = "sig-node (or a SIG with no KEP folder yet)";
    qp.items = sigs.map((label) => ({ label }));
    let result: string | undefined;
    qp.onDidAccept(() => {
      const sig = acceptedSig(qp.value, qp.activeItems[0]?.label, sigs);
      if (sig === undefined) {
        // QuickPick has no validationMessage (VS Code 1.82): say it in the title, keep the pick open.
        qp.title = `${title}: ${validateSig(qp.value) ?? "pick a SIG"}`;
        return;
      }
      result = sig;
      qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(result);
    });
    qp.show();
  });
}

async function newKep(): Promise<void> {
  const root = workspaceRoot();
  const commands = client?.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  const viaServer = client !== undefined && commands.includes("kep.new");
  if (!viaServer && !(serverCommand && root)) {
    void vscode.window.showErrorMessage(
      "kep-lsp: New KEP needs the language server (or its binary) and an open KEP repository folder.",
    );
    return;
  }
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
    sig = await pickSig(sigs);
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
    title: "New KEP (3/3): KEP number (the enhancement issue; leave empty for the next free number)",
    placeHolder: "4321",
    validateInput: validateNumber,
  });
  if (number === undefined) return;
  const args = newKepArguments(sig, title, number);
  try {
    let uris: vscode.Uri[];
    if (viaServer && client) {
      const result = await client.sendRequest(ExecuteCommandRequest.type, { command: "kep.new", arguments: [args] });
      uris = createdUris(result).map((u) => vscode.Uri.parse(u));
    } else {
      // This server version has no kep.new: the same binary scaffolds as a CLI (`kep-lsp new`).
      const { stdout } = await execFileAsync(serverCommand as string, cliArguments(args, root as string));
      uris = createdByCli(stdout).map((rel) => vscode.Uri.file(path.join(root as string, rel)));
    }
    const readme = uris.find((u) => u.path.endsWith("README.md")) ?? uris[0];
    if (readme) {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(readme));
    } else {
      void vscode.window.showInformationMessage(`kep-lsp: created the KEP "${args.title}".`);
    }
  } catch (e) {
    const detail = (e as { stderr?: string }).stderr?.trim() || (e instanceof Error ? e.message : String(e));
    void vscode.window.showErrorMessage(`kep-lsp: New KEP failed: ${detail}`);
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
