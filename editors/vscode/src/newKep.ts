// The "New KEP" command's own logic: validating what the user typed and shaping the arguments of the
// server's `kep.new` command. The prompts themselves live in extension.ts.

export interface NewKepArgs {
  sig: string;
  title: string;
  number?: number;
}

/** SIG folder names offered in the quick pick: the `sig-*` folders under keps/ (plus provider-*). */
export function sigChoices(entries: readonly string[]): string[] {
  return entries
    .filter((e) => /^(sig|wg|ug|committee)-[a-z0-9-]+$/.test(e) || /^provider-[a-z0-9-]+$/.test(e))
    .sort();
}

/**
 * The SIG that Enter in the SIG quick pick means. What the user typed wins when it names a SIG
 * exactly: VS Code's quick pick accepts its *highlighted* item, and the highlight follows the
 * filter only once the filter has run, so a fast "sig-node" + Enter (a paste, a typist, a test
 * driver) could otherwise take the first SIG of the unfiltered list. Else the highlighted item
 * (the user typed part of a name and took the match), else the typed text when it is a SIG name
 * that has no folder yet (a SIG's first KEP). `undefined`: nothing to take (the pick stays open).
 */
export function acceptedSig(typed: string, highlighted: string | undefined, choices: readonly string[]): string | undefined {
  const value = typed.trim();
  if (value && choices.includes(value)) return value;
  if (highlighted !== undefined) return highlighted;
  if (value && validateSig(value) === undefined) return value;
  return undefined;
}

/** An error message for the SIG box, or undefined when the value is a SIG name. */
export function validateSig(value: string): string | undefined {
  const v = value.trim();
  if (!v) return "Enter the owning SIG, e.g. sig-node.";
  if (!/^[a-z0-9][a-z0-9-]*$/.test(v)) return "A SIG is lower-case letters, digits and dashes, e.g. sig-node.";
  return undefined;
}

export function validateTitle(value: string): string | undefined {
  const v = value.trim();
  if (!v) return "Enter the KEP title.";
  if (v.length > 200) return "Keep the title under 200 characters.";
  return undefined;
}

/** The KEP number box may stay empty (the server then picks a placeholder). */
export function validateNumber(value: string): string | undefined {
  const v = value.trim();
  if (!v) return undefined;
  if (!/^[1-9][0-9]{0,5}$/.test(v)) return "A KEP number is the issue number in kubernetes/enhancements, e.g. 4321.";
  return undefined;
}

export function newKepArguments(sig: string, title: string, number: string): NewKepArgs {
  const args: NewKepArgs = { sig: sig.trim(), title: title.trim() };
  const n = number.trim();
  if (n) args.number = Number.parseInt(n, 10);
  return args;
}

/** The files the server reports as created, whatever shape its answer takes (URI, list, object). */
export function createdUris(result: unknown): string[] {
  if (typeof result === "string") return [result];
  if (Array.isArray(result)) return result.flatMap(createdUris);
  if (result && typeof result === "object") {
    const r = result as Record<string, unknown>;
    for (const key of ["uri", "readme", "uris", "files", "created"]) {
      if (key in r) return createdUris(r[key]);
    }
  }
  return [];
}

/**
 * The `kep-lsp new` command line for a server without `kep.new`: the same binary scaffolds the KEP
 * as a CLI (it writes the files itself, and prints `created <repo-relative path>` for each).
 */
export function cliArguments(args: NewKepArgs, root: string): string[] {
  const argv = ["new", "--sig", args.sig, "--title", args.title, "--root", root];
  if (args.number !== undefined) argv.push("--number", String(args.number));
  return argv;
}

/** The repo-relative files `kep-lsp new` reports as created. */
export function createdByCli(stdout: string): string[] {
  return stdout
    .split(/\r?\n/)
    .map((l) => /^created (.+)$/.exec(l.trim())?.[1])
    .filter((p): p is string => p !== undefined);
}
