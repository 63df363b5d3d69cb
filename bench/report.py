"""Render the driver's figures as Markdown tables, with ratios peer / kep-lsp."""

YAML_LS_DELAY_MS = 200  # yaml-language-server's validationDelayMs (yamlSettings.js), not configurable


def ms(x):
    if x is None:
        return "n/a"
    if x < 10:
        return f"{x:.2f} ms"
    if x < 1000:
        return f"{x:.1f} ms"
    return f"{x / 1000:.2f} s"


def mib(kib):
    return "n/a" if kib is None else f"{kib / 1024:.1f} MiB"


def ratio(peer, ours):
    if peer is None or ours is None or ours <= 0:
        return "n/a"
    r = peer / ours
    return f"{r:.2f}x" if r < 1 else f"{r:.1f}x"


def _get(r, *keys):
    for k in keys:
        if r is None:
            return None
        r = r.get(k) if isinstance(r, dict) else None
    return r


def rows(ours, peer):
    """(figure, our value, peer value, ratio) for each figure of two sessions on one file."""
    out = []

    def add(name, path, fmt=ms):
        a, b = _get(ours, *path), (_get(peer, *path) if peer else None)
        out.append((name, fmt(a), fmt(b) if peer else "", ratio(b, a) if peer else ""))

    lat = ours.get("latency", {})
    add("didChange -> publishDiagnostics p50", ("latency", "p50"))
    add("didChange -> publishDiagnostics p95", ("latency", "p95"))
    add("didChange -> publishDiagnostics p99", ("latency", "p99"))
    add("didChange -> publishDiagnostics max", ("latency", "max"))
    add("server CPU time per edit (mean, user+sys)", ("latency", "cpu_per_edit_ms"))
    for m, label in (("textDocument/completion", "completion"), ("textDocument/hover", "hover")):
        for q in ("p50", "p99"):
            add(f"{label} {q}", (m, q))
    add("didOpen -> publishDiagnostics p50 (reopened, indexed)", ("reopen", "p50"))
    add("didOpen -> publishDiagnostics p99 (reopened, indexed)", ("reopen", "p99"))
    add("initialize -> its response", ("initialize_response_ms",))
    add("initialize -> first diagnostics", ("init_to_first_diag_ms",))
    b = f"burst: {lat.get('edits', '?')} edits sent at once -> last diagnostics"
    add(b, ("burst", "to_last_publish_ms"))
    add("peak RSS (VmHWM), workspace indexed", ("peak_rss_kib",), mib)
    return out


def table(ours, peer, peer_name):
    head = f"| figure | kep-lsp | {peer_name} | {peer_name} / kep-lsp |\n|---|---:|---:|---:|\n"
    if peer is None:
        head = "| figure | kep-lsp |\n|---|---:|\n"
        return head + "".join(f"| {n} | {a} |\n" for n, a, _, _ in rows(ours, None))
    return head + "".join(f"| {n} | {a} | {b} | {r} |\n" for n, a, b, r in rows(ours, peer))


def facts(r):
    """What the session saw, so the reader can tell the peer really diagnosed the edits."""
    lat = r.get("latency", {})
    bits = [
        f"{lat.get('edits')} edits, {lat.get('n', 0)} timed",
        f"{lat.get('publishes_with_diagnostics', 0)} of them answered with >= 1 diagnostic "
        f"(count {lat.get('diag_count_min')}..{lat.get('diag_count_max')})",
        "publishes carry the document version" if lat.get("versioned") else
        "publishes carry no version (matched as the first publish after the edit)",
    ]
    if lat.get("version_mismatch"):
        bits.append(f"{lat['version_mismatch']} publishes for an older version")
    burst = r.get("burst", {})
    if burst:
        bits.append(f"burst: {burst.get('publishes')} publishes for {burst.get('edits')} edits")
    if "index_ready_ms" in r:
        bits.append(f"workspace index ready {ms(r['index_ready_ms'])} after initialize; first "
                    f"diagnostics {'before' if r.get('first_diag_before_index') else 'after'} it")
    for m, label in (("textDocument/completion", "completion"), ("textDocument/hover", "hover")):
        if r.get(m) is None:
            bits.append(f"{label}: not advertised")
        elif r[m].get("empty"):
            bits.append(f"{label}: {r[m]['empty']} of {r[m]['n']} answers empty")
    return f"- **{r['server']}**: " + "; ".join(bits) + "".join(f"; {n}" for n in r.get("notes", [])) + "\n"


def render(res, args):
    m = res["machine"]
    out = ["# kep-lsp performance\n",
           f"Measured {m['date']} at commit `{m['kep_lsp']}` with `scripts/bench` "
           f"(release build, Python {m['python']} driver speaking LSP over stdio, UTF-16 positions "
           "for every server). The workspace is the enhancements tree (`keps/` with "
           f"{res.get('check', {}).get('tree_files', '~1200')} files), opened as the root by every server; "
           f"the files edited are `{args.kep_dir}/README.md` (the largest README, 153 KB, prose with "
           "non-ASCII) and its `kep.yaml` (the largest kep.yaml).\n"]
    by = {(r["server"], r["kind"]): r for r in res["lsp"]}
    for kind, peer_name in (("kep.yaml", "yaml-language-server"), ("README.md", "rumdl")):
        ours = by.get(("kep-lsp", kind))
        if not ours:
            continue
        peer = by.get((peer_name, kind))
        out.append(f"\n## Editing {kind}: kep-lsp vs {peer_name if peer else '(no peer run)'}\n\n")
        out.append(table(ours, peer, peer_name))
        out.append("\n")
        out.append(facts(ours))
        if peer:
            out.append(facts(peer))
        if peer and peer_name == "yaml-language-server" and _get(peer, "latency", "p50"):
            p50 = peer["latency"]["p50"]
            out.append(f"- yaml-language-server waits a fixed {YAML_LS_DELAY_MS} ms (`validationDelayMs`, "
                       f"not configurable) before validating: its p50 minus that delay is "
                       f"{ms(p50 - YAML_LS_DELAY_MS)} "
                       f"({ratio(p50 - YAML_LS_DELAY_MS, ours['latency'].get('p50'))} kep-lsp's p50).\n")
        spots = _get(ours, "latency", "by_spot_p50") or {}
        if spots:
            out.append("- kep-lsp p50 by spot: " + ", ".join(f"{k} {ms(v)}" for k, v in spots.items()) + "\n")
        fl = ours.get("flood")
        if fl:
            out.append(f"\nMemory across {fl['edits']} edits of the README (bursts of 20, each waited "
                       f"for its diagnostics, {fl['seconds']:.1f} s): VmRSS {mib(fl['rss_before_kib'])} "
                       f"before, {mib(fl['rss_after_kib'])} after; every 1000 edits: "
                       + ", ".join(mib(x) for x in fl.get("rss_every_1000_kib") or []) + ".\n")
    big = res.get("lsp_10x")
    if big:
        out.append(f"\n## kep-lsp on ten times the tree ({big.get('tree_files')} files, built at run time)\n\n"
                   "| figure | kep-lsp |\n|---|---:|\n")
        for name, path, fmt in (("initialize -> workspace index ready", ("index_ready_ms",), ms),
                                ("initialize -> first diagnostics", ("init_to_first_diag_ms",), ms),
                                ("kep.yaml didChange -> publishDiagnostics p50", ("latency", "p50"), ms),
                                ("kep.yaml didChange -> publishDiagnostics p99", ("latency", "p99"), ms),
                                ("server CPU time per edit (mean, user+sys)", ("latency", "cpu_per_edit_ms"), ms),
                                ("kep.yaml didOpen -> publishDiagnostics p50", ("reopen", "p50"), ms),
                                ("peak RSS (VmHWM), workspace indexed", ("peak_rss_kib",), mib)):
            out.append(f"| {name} | {fmt(_get(big, *path))} |\n")
    c = res.get("check")
    if c:
        out.append("\n## `kep-lsp check`\n\n| run | median wall | min | max | median CPU (user+sys) |\n"
                   "|---|---:|---:|---:|---:|\n")
        for key, label in (("tree", f"whole tree ({c['tree_files']} files), all cores"),
                           ("tree_1_thread", "whole tree, `-j 1`"),
                           ("readme_in_tree", "largest README inside the tree (indexes the repository)"),
                           ("readme_alone", "largest README in a one-KEP repository"),
                           ("kep_yaml_alone", "its kep.yaml in a one-KEP repository")):
            t = c[key]
            out.append(f"| {label} | {ms(t['median_ms'])} | {ms(t['min_ms'])} | {ms(t['max_ms'])} "
                       f"| {ms(t.get('cpu_median_ms'))} |\n")
        big = c.get("tree_10x")
        if big:
            out.append(f"| ten times the tree ({c['tree_10x_files']} files, built at run time), all cores "
                       f"| {ms(big['median_ms'])} | {ms(big['min_ms'])} | {ms(big['max_ms'])} "
                       f"| {ms(big.get('cpu_median_ms'))} |\n")
        out.append(f"\n(median of {c['tree']['runs']} runs; per-file runs: {c['readme_alone']['runs']}"
                   + (f"; ten times the tree: {big['runs']} runs, peak RSS median "
                      f"{big['rss_median_mib']:.0f} MiB, max {big['rss_max_mib']:.0f} MiB"
                      if big and 'rss_median_mib' in big else "") + ".)\n")
        out.append("\nInstructions (`valgrind --tool=callgrind`, whole process, does not move with "
                   "machine noise):\n\n")
        for key, label in (("instructions_readme_alone", "largest README, one-KEP repository"),
                           ("instructions_readme_in_tree", "largest README inside the tree"),
                           ("instructions_kep_yaml_alone", "its kep.yaml, one-KEP repository")):
            v = c.get(key)
            out.append(f"- {label}: {'n/a' if v is None else f'{v:,}'} instructions\n")
    load = lambda t: " ".join(f"{x:.1f}" for x in t) if t else "?"  # noqa: E731
    out.append("\n## Machine\n\n```\n" + f"nproc: {m['nproc']}\n{m['lscpu']}\n{m['memory']}\n"
               f"kernel {m['kernel']}\nload average (1/5/15 min) at start: {load(m.get('load_start'))}, "
               f"at end: {load(m.get('load_end'))}\n```\n")
    return "".join(out)
