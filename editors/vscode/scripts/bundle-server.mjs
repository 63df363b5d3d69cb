// Copies a built kep-lsp binary into server/ so `npm run package` ships it inside the .vsix
// (a platform-specific package: build one .vsix per target with `vsce package --target`).
// Usage: npm run bundle-server [-- /path/to/kep-lsp]   (default: ../../target/release/kep-lsp)
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const ext = path.join(here, "..");
const name = process.platform === "win32" ? "kep-lsp.exe" : "kep-lsp";
const source = path.resolve(process.argv[2] ?? path.join(ext, "..", "..", "target", "release", name));

if (!fs.existsSync(source)) {
  console.error(`bundle-server: ${source} does not exist; run "cargo build --release" at the repository root first.`);
  process.exit(1);
}
fs.mkdirSync(path.join(ext, "server"), { recursive: true });
const dest = path.join(ext, "server", name);
fs.copyFileSync(source, dest);
fs.chmodSync(dest, 0o755);
console.log(`bundle-server: copied ${source} -> ${path.relative(process.cwd(), dest) || dest}`);
