import assert from "node:assert/strict";
import { test } from "node:test";
import { acceptedSig, cliArguments, createdByCli, createdUris, newKepArguments, sigChoices, validateNumber, validateSig, validateTitle } from "../src/newKep";

test("SIG choices come from the keps/ folder names", () => {
  const entries = ["README.md", "sig-node", "NNNN-kep-template", "prod-readiness", "provider-aws", "sig-api-machinery", ".git"];
  assert.deepEqual(sigChoices(entries), ["provider-aws", "sig-api-machinery", "sig-node"]);
});

test("Enter in the SIG pick takes the typed SIG, else the highlighted one, else a new SIG name", () => {
  const sigs = ["sig-apps", "sig-network", "sig-node"];
  // Typed in full: the typed SIG even when the highlight is still on the unfiltered list's first item.
  assert.equal(acceptedSig("sig-node", "sig-apps", sigs), "sig-node");
  assert.equal(acceptedSig(" sig-node ", undefined, sigs), "sig-node");
  // Typed in part: the match the filter highlights.
  assert.equal(acceptedSig("node", "sig-node", sigs), "sig-node");
  assert.equal(acceptedSig("", "sig-apps", sigs), "sig-apps");
  // No folder for it yet: the typed name, if it is one.
  assert.equal(acceptedSig("sig-storage", undefined, sigs), "sig-storage");
  assert.equal(acceptedSig("SIG Storage", undefined, sigs), undefined);
  assert.equal(acceptedSig("", undefined, sigs), undefined);
});

test("validators accept good input and explain bad input", () => {
  assert.equal(validateSig("sig-node"), undefined);
  assert.match(validateSig("") ?? "", /Enter the owning SIG/);
  assert.match(validateSig("SIG Node") ?? "", /lower-case/);
  assert.equal(validateTitle("Sidecar containers"), undefined);
  assert.match(validateTitle("   ") ?? "", /Enter the KEP title/);
  assert.equal(validateNumber(""), undefined);
  assert.equal(validateNumber("4321"), undefined);
  assert.match(validateNumber("0042") ?? "", /issue number/);
  assert.match(validateNumber("12a") ?? "", /issue number/);
});

test("kep.new arguments: trimmed, number only when given", () => {
  assert.deepEqual(newKepArguments(" sig-node ", " Sidecars ", ""), { sig: "sig-node", title: "Sidecars" });
  assert.deepEqual(newKepArguments("sig-node", "Sidecars", " 4321 "), { sig: "sig-node", title: "Sidecars", number: 4321 });
});

test("created files are found in any answer shape", () => {
  assert.deepEqual(createdUris("file:///r/keps/sig-node/NNNN-x/README.md"), ["file:///r/keps/sig-node/NNNN-x/README.md"]);
  assert.deepEqual(createdUris({ uri: "file:///a" }), ["file:///a"]);
  assert.deepEqual(createdUris({ files: ["file:///a/kep.yaml", "file:///a/README.md"] }), ["file:///a/kep.yaml", "file:///a/README.md"]);
  assert.deepEqual(createdUris(null), []);
  assert.deepEqual(createdUris({ applied: true }), []);
});

test("without kep.new, the same binary's `kep-lsp new` is used", () => {
  assert.deepEqual(cliArguments({ sig: "sig-node", title: "Sidecars" }, "/src/enhancements"), [
    "new", "--sig", "sig-node", "--title", "Sidecars", "--root", "/src/enhancements",
  ]);
  assert.deepEqual(cliArguments({ sig: "sig-node", title: "Sidecars", number: 4321 }, "/r").slice(-2), ["--number", "4321"]);
  assert.deepEqual(
    createdByCli("created keps/sig-node/4321-sidecars/README.md\ncreated keps/sig-node/4321-sidecars/kep.yaml\n"),
    ["keps/sig-node/4321-sidecars/README.md", "keps/sig-node/4321-sidecars/kep.yaml"],
  );
  assert.deepEqual(createdByCli("kep-lsp new: unknown SIG `sig-nod`\n"), []);
});
