"""Workspace diagnostics: how long `workspace/diagnostic` takes on the whole tree, the first pull
and the ones after it (clients such as VS Code pull again every few seconds), and a pull after an
open document changed. kep-lsp only (no peer offers workspace diagnostics for KEPs).

    python3 bench/workspace_pull.py --kep-lsp target/release/kep-lsp [--root ../shared/enhancements]
        [--scope all] [--pulls 10]

Prints one JSON object: first pull (ms, files reported), the median and range of the later pulls
with the previous result ids, and the pull after a didChange of one open kep.yaml.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(__file__))
from lsp_client import LspClient, file_uri, now  # noqa: E402
from sessions import client_capabilities  # noqa: E402


async def main(args):
    root = os.path.abspath(args.root)
    settings = {"kep-lsp": {"workspaceDiagnostics": args.scope}}
    c = LspClient("kep-lsp", [os.path.abspath(args.kep_lsp)], root, config_sections=settings)
    await c.start()
    caps = client_capabilities()
    caps["textDocument"]["diagnostic"] = {}
    await c.request("initialize", {"processId": None, "rootUri": file_uri(root), "capabilities": caps,
                                   "initializationOptions": settings["kep-lsp"]}, timeout=60)
    await c.notify("initialized", {})
    deadline = now() + 120
    while not c.progress_end and now() < deadline:
        await asyncio.sleep(0.01)

    async def pull(previous):
        t0 = now()
        msg, _ = await c.request("workspace/diagnostic", {
            "previousResultIds": [{"uri": u, "value": v} for u, v in previous.items()]}, timeout=600)
        ms = (now() - t0) * 1e3
        items = msg["result"]["items"]
        ids = {i["uri"]: i["resultId"] for i in items}
        full = sum(1 for i in items if i["kind"] == "full")
        return ms, ids, full

    first_ms, ids, full = await pull({})
    later = []
    for _ in range(args.pulls):
        ms, ids, _ = await pull(ids)
        later.append(ms)
    # One open kep.yaml edited: the report is computed again.
    kep = next(os.path.join(d, "kep.yaml") for d, _, fs in sorted(os.walk(os.path.join(root, "keps")))
               if "kep.yaml" in fs)
    text = open(kep, encoding="utf-8").read()
    uri = file_uri(kep)
    await c.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    await c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                              "contentChanges": [{"text": text + "# edited\n"}]})
    after_edit_ms, _, _ = await pull(ids)
    await c.shutdown()
    print(json.dumps({
        "scope": args.scope,
        "files": len(ids),
        "first_pull_ms": round(first_ms, 1),
        "first_pull_full_reports": full,
        "later_pulls_ms_median": round(statistics.median(later), 2),
        "later_pulls_ms_range": [round(min(later), 2), round(max(later), 2)],
        "pull_after_an_edit_ms": round(after_edit_ms, 1),
    }, indent=1))


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--kep-lsp", required=True)
    p.add_argument("--root", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "enhancements"))
    p.add_argument("--scope", default="all")
    p.add_argument("--pulls", type=int, default=10)
    asyncio.run(main(p.parse_args()))
