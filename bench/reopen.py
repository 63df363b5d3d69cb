"""Reopen latency alone: kep-lsp opens the largest README of the tree, then it is closed and
reopened N times; prints the summary of didOpen -> publishDiagnostics (ms) as JSON.

The same steps as `Session.reopen` in the full bench (`run.py`), without the typing session
before them, so that binaries can be compared in many short interleaved rounds:

    for r in 1 2 3 4 5; do for b in A B; do python3 bench/reopen.py --kep-lsp /tmp/kep-lsp-$b; done; done

Under callgrind (a wrapper script that execs valgrind on the binary, given as --kep-lsp), the
instructions of one reopen are the difference between `--reopens 41` and `--reopens 1`, over 40.
"""

import argparse
import asyncio
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sessions import Session  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


async def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kep-lsp", required=True, help="the server binary (absolute path)")
    ap.add_argument("--root", default=os.path.join(HERE, "..", "..", "shared", "enhancements"))
    ap.add_argument("--kep-dir", default="keps/sig-api-machinery/1040-priority-and-fairness")
    ap.add_argument("--file", default="README.md", help="README.md or kep.yaml")
    ap.add_argument("--reopens", type=int, default=50)
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    path = os.path.join(root, args.kep_dir, args.file)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    language = "markdown" if args.file.endswith(".md") else "yaml"
    s = Session("kep-lsp", [args.kep_lsp], root, path, language, [], wait_for_index=True,
                edit_timeout=60)
    await s.open(text)
    await s.reopen(text, args.reopens)
    await s.close()
    print(json.dumps(s.result.get("reopen")))


if __name__ == "__main__":
    asyncio.run(main())
