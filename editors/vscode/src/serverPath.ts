// Where the kep-lsp binary comes from: the `kep-lsp.server.path` setting, else the binary shipped in
// the .vsix (`server/kep-lsp`), else `kep-lsp` on PATH. Pure: the file system is passed in, so the
// order and the messages are unit-tested without VS Code.
import * as path from "node:path";

export type ServerSource = "setting" | "bundled" | "path";

export interface ResolvedServer {
  command: string;
  source: ServerSource;
}

export interface ServerNotFound {
  /** One sentence for the notification: what was looked for and how to fix it. */
  error: string;
}

export interface ResolveInput {
  /** The `kep-lsp.server.path` setting (may be empty, `~/...`, `${workspaceFolder}/...` or relative). */
  configured: string | undefined;
  /** The extension's install folder (`context.extensionPath`). */
  extensionPath: string;
  /** The first workspace folder, for `${workspaceFolder}` and relative settings. */
  workspaceFolder: string | undefined;
  /** `process.platform`. */
  platform: string;
  /** `process.env.PATH`. */
  pathEnv: string | undefined;
  /** `process.env.HOME` (or USERPROFILE). */
  home: string | undefined;
  /** Whether a file exists and is executable. */
  isExecutable: (file: string) => boolean;
}

export function binaryName(platform: string): string {
  return platform === "win32" ? "kep-lsp.exe" : "kep-lsp";
}

/** Expand `~`, `${workspaceFolder}` and `${userHome}`; resolve a relative path from the workspace. */
export function expandConfiguredPath(
  configured: string,
  workspaceFolder: string | undefined,
  home: string | undefined,
): string {
  let p = configured.trim();
  if (home) {
    p = p.replace(/\$\{userHome\}/g, home);
    if (p === "~" || p.startsWith("~/")) {
      p = home + p.slice(1);
    }
  }
  if (workspaceFolder) {
    p = p.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
    if (!path.isAbsolute(p) && (p.includes("/") || p.includes("\\"))) {
      p = path.join(workspaceFolder, p);
    }
  }
  return p;
}

function searchPath(name: string, input: ResolveInput): string | undefined {
  const sep = input.platform === "win32" ? ";" : ":";
  for (const dir of (input.pathEnv ?? "").split(sep)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (input.isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function resolveServer(input: ResolveInput): ResolvedServer | ServerNotFound {
  const name = binaryName(input.platform);
  const configured = input.configured?.trim();
  if (configured) {
    const expanded = expandConfiguredPath(configured, input.workspaceFolder, input.home);
    // A bare name ("kep-lsp-dev") is looked up on PATH, as a shell would.
    const isBareName = !expanded.includes("/") && !expanded.includes("\\");
    const found = isBareName ? searchPath(expanded, input) : input.isExecutable(expanded) ? expanded : undefined;
    if (found) return { command: found, source: "setting" };
    return {
      error:
        `kep-lsp: the server set in "kep-lsp.server.path" (${configured}) was not found or is not executable. ` +
        `Fix the setting, or clear it to use the bundled server or kep-lsp from PATH.`,
    };
  }
  const bundled = path.join(input.extensionPath, "server", name);
  if (input.isExecutable(bundled)) return { command: bundled, source: "bundled" };
  const onPath = searchPath(name, input);
  if (onPath) return { command: onPath, source: "path" };
  return {
    error:
      `kep-lsp: the language server binary was not found (not bundled in this extension, not on PATH). ` +
      `Install it with "cargo install --path ." in a kep-lsp checkout (or put kep-lsp on PATH), ` +
      `or set "kep-lsp.server.path" to the binary.`,
  };
}

export function isResolved(r: ResolvedServer | ServerNotFound): r is ResolvedServer {
  return (r as ResolvedServer).command !== undefined;
}

/**
 * The `Executable` handed to vscode-languageclient. No `transport`: with `TransportKind.stdio` the
 * client appends `--stdio`, which `kep-lsp serve` rejects (it exits, VS Code reports EPIPE);
 * without one the client still talks over stdin/stdout.
 */
export function serverExecutable(command: string, extraArgs: readonly unknown[] = []): { command: string; args: string[] } {
  const extra = extraArgs.filter((a): a is string => typeof a === "string" && a !== "");
  return { command, args: ["serve", ...extra] };
}
