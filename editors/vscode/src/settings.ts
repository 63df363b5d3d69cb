// The VS Code settings of section `kep-lsp` turned into what the server reads, in both places it
// reads them: `initializationOptions` at start and the answer to `workspace/configuration`.
// Only the server's keys go over the wire (severity, disable, sigsPath, logLevel, docsUrl, readiness,
// workspaceDiagnostics); the extension's own keys (server.path, trace) stay here.
import * as path from "node:path";

export type Severity = "error" | "warning" | "info" | "hint";
export const SEVERITIES: readonly Severity[] = ["error", "warning", "info", "hint"];
export const LOG_LEVELS = ["error", "warn", "info", "debug", "trace"] as const;

export interface ServerSettings {
  severity: Record<string, Severity>;
  disable: string[];
  sigsPath?: string;
  logLevel: string;
  /** Where diagnostics link their code (`<docsUrl>#<code>`); absent: no link. */
  docsUrl?: string;
  /** The freeze-readiness code lens's release (`v1.37`) or `off`; absent: the upcoming release. */
  readiness?: string;
  /** The files `workspace/diagnostic` reports: `off`, `all` or `sig-node,sig-apps`; absent: off. */
  workspaceDiagnostics?: string;
}

/** What `vscode.workspace.getConfiguration("kep-lsp")` holds, as loosely typed as a user can write it. */
export interface RawSettings {
  severity?: unknown;
  disable?: unknown;
  sigsPath?: unknown;
  logLevel?: unknown;
  docsUrl?: unknown;
  readiness?: unknown;
  workspaceDiagnostics?: unknown;
  [other: string]: unknown;
}

/**
 * Normalise settings for the server: drop severity values it would reject (and say so in `problems`),
 * de-duplicate disabled codes, resolve a relative/`~`/`${workspaceFolder}` sigsPath to an absolute
 * path (the server's working directory is not the workspace).
 */
export function toServerSettings(
  raw: RawSettings | undefined,
  workspaceFolder: string | undefined,
  home: string | undefined,
  problems: string[] = [],
): ServerSettings {
  const out: ServerSettings = { severity: {}, disable: [], logLevel: "info" };
  const sev = raw?.severity;
  if (sev && typeof sev === "object" && !Array.isArray(sev)) {
    for (const [code, value] of Object.entries(sev as Record<string, unknown>)) {
      const v = typeof value === "string" ? value.trim().toLowerCase() : value;
      const normalised = v === "information" ? "info" : v === "warn" ? "warning" : v;
      if (typeof normalised === "string" && (SEVERITIES as readonly string[]).includes(normalised)) {
        out.severity[code.trim()] = normalised as Severity;
      } else {
        problems.push(`kep-lsp.severity: "${code}" has ${JSON.stringify(value)}; use one of ${SEVERITIES.join(", ")}.`);
      }
    }
  }
  if (Array.isArray(raw?.disable)) {
    const seen = new Set<string>();
    for (const code of raw.disable) {
      if (typeof code === "string" && code.trim() && !seen.has(code.trim())) {
        seen.add(code.trim());
        out.disable.push(code.trim());
      }
    }
  }
  if (typeof raw?.sigsPath === "string" && raw.sigsPath.trim()) {
    let p = raw.sigsPath.trim();
    if (home && (p === "~" || p.startsWith("~/"))) p = home + p.slice(1);
    if (workspaceFolder) {
      p = p.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
      if (!path.isAbsolute(p)) p = path.join(workspaceFolder, p);
    }
    out.sigsPath = p;
  }
  if (typeof raw?.logLevel === "string" && (LOG_LEVELS as readonly string[]).includes(raw.logLevel)) {
    out.logLevel = raw.logLevel;
  }
  if (typeof raw?.docsUrl === "string" && /^https?:\/\/\S+$/.test(raw.docsUrl.trim())) {
    out.docsUrl = raw.docsUrl.trim();
  } else if (typeof raw?.docsUrl === "string" && raw.docsUrl.trim()) {
    problems.push(`kep-lsp.docsUrl: ${JSON.stringify(raw.docsUrl)} is not an http(s) address; no links are sent.`);
  }
  if (typeof raw?.readiness === "string" && /^(off|v?1\.\d+)$/i.test(raw.readiness.trim())) {
    out.readiness = raw.readiness.trim();
  } else if (typeof raw?.readiness === "string" && raw.readiness.trim()) {
    problems.push(`kep-lsp.readiness: ${JSON.stringify(raw.readiness)} is not "off" or a release like v1.37; the upcoming release is used.`);
  }
  const scope = typeof raw?.workspaceDiagnostics === "string" ? raw.workspaceDiagnostics.trim() : "";
  if (!/^off$/i.test(scope) && (/^all$/i.test(scope) || /^[a-z0-9-]+(\s*,\s*[a-z0-9-]+)*$/.test(scope))) {
    out.workspaceDiagnostics = scope;
  } else if (scope && !/^off$/i.test(scope)) {
    problems.push(
      `kep-lsp.workspaceDiagnostics: ${JSON.stringify(raw?.workspaceDiagnostics)} is not "off", "all" or SIGs like "sig-node,sig-apps"; workspace diagnostics stay off.`,
    );
  }
  return out;
}

/** The `workspace/configuration` answer for one requested item (section `kep-lsp` or a key of it). */
export function configurationItem(section: string | undefined, settings: ServerSettings): unknown {
  if (!section || section === "kep-lsp") return settings;
  const prefix = "kep-lsp.";
  if (section.startsWith(prefix)) {
    const key = section.slice(prefix.length) as keyof ServerSettings;
    return settings[key] ?? null;
  }
  return null;
}
