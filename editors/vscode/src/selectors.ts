// Which documents the extension hands to kep-lsp: KEP files only, matched by path, so the YAML and
// Markdown extensions keep every other file (and run beside us on KEP files too).
//
// Glob patterns cannot look at content, so legacy single-file KEPs (Markdown with YAML front matter
// anywhere under keps/) are matched as "Markdown under keps/"; the server classifies by content and
// reports nothing for Markdown that is not a KEP.

/** A `DocumentFilter` as VS Code and vscode-languageclient take it (kept structural: no vscode import). */
export interface KepDocumentFilter {
  scheme: string;
  language?: string;
  pattern: string;
}

/** The KEP file patterns, shared by the document selector and the file watcher. */
export const KEP_FILE_PATTERNS: readonly string[] = [
  "**/keps/**/kep.yaml",
  "**/keps/**/README.md",
  "**/keps/prod-readiness/**/*.yaml",
  // Legacy single-file KEPs (2017-2019): keps/0001-foo.md, keps/sig-x/20190118-foo.md, ...
  "**/keps/**/*.md",
];

/** Files whose change the server must hear about even when closed (the KEP index, SIG list). */
export const WATCHED_PATTERNS: readonly string[] = [
  "**/keps/**/kep.yaml",
  "**/keps/prod-readiness/**/*.yaml",
  "**/sigs.yaml",
  "**/OWNERS_ALIASES",
];

/** Document filters for on-disk (`file`) and not yet saved (`untitled` excluded: no path) documents. */
export function documentSelector(schemes: readonly string[] = ["file"]): KepDocumentFilter[] {
  const filters: KepDocumentFilter[] = [];
  for (const scheme of schemes) {
    for (const pattern of KEP_FILE_PATTERNS) {
      filters.push({ scheme, pattern });
    }
  }
  return filters;
}
