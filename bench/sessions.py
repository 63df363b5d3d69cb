"""One measured LSP session: start a server on a workspace, open one file, then time didChange ->
publishDiagnostics edit by edit (latency), completion and hover (when advertised), the same edits
without waiting (burst), and read the server's memory from /proc.
"""

import asyncio

from lsp_client import LspClient, file_uri, now


def percentile(xs, q):
    """Nearest-rank percentile of a non-empty list (q in 0..100)."""
    s = sorted(xs)
    k = max(0, min(len(s) - 1, int(-(-q * len(s) // 100)) - 1))
    return s[k]


def summary(xs):
    if not xs:
        return None
    return {
        "n": len(xs),
        "p50": percentile(xs, 50),
        "p95": percentile(xs, 95),
        "p99": percentile(xs, 99),
        "max": max(xs),
        "mean": sum(xs) / len(xs),
    }


def client_capabilities():
    return {
        "general": {"positionEncodings": ["utf-16"]},
        "window": {"workDoneProgress": True},
        "workspace": {
            "configuration": True,
            "workspaceFolders": True,
            "didChangeConfiguration": {"dynamicRegistration": False},
        },
        "textDocument": {
            "synchronization": {"didSave": True, "dynamicRegistration": False},
            "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
            "completion": {"completionItem": {"snippetSupport": True}},
            "hover": {"contentFormat": ["markdown", "plaintext"]},
        },
    }


class Session:
    def __init__(self, name, argv, root, path, language_id, edits, *, settings=None,
                 wait_for_index=False, edit_timeout=3.0, stderr_path=None):
        self.name = name
        self.root = root
        self.path = path
        self.uri = file_uri(path)
        self.language_id = language_id
        self.edits = edits
        self.settings = settings
        self.wait_for_index = wait_for_index
        self.edit_timeout = edit_timeout
        sections = dict(settings or {})
        self.client = LspClient(name, argv, root, config_sections=sections, stderr_path=stderr_path)
        self.version = 1
        self.result = {"server": name, "file": path, "notes": []}

    def note(self, s):
        self.result["notes"].append(s)

    async def open(self, text):
        c = self.client
        await c.start()
        t0 = now()
        msg, _ = await c.request("initialize", {
            "processId": None,
            "rootUri": file_uri(self.root),
            "workspaceFolders": [{"uri": file_uri(self.root), "name": "enhancements"}],
            "capabilities": client_capabilities(),
            "initializationOptions": {},
        }, timeout=60)
        self.result["initialize_response_ms"] = (now() - t0) * 1e3
        c.capabilities = (msg.get("result") or {}).get("capabilities") or {}
        await c.notify("initialized", {})
        if self.settings is not None:
            await c.notify("workspace/didChangeConfiguration", {"settings": self.settings})
        await c.notify("textDocument/didOpen", {"textDocument": {
            "uri": self.uri, "languageId": self.language_id, "version": self.version, "text": text}})
        first = await c.wait_publish(self.uri, deadline=now() + 30)
        if first is None:
            self.note("no diagnostics within 30 s of opening the file")
        else:
            self.result["init_to_first_diag_ms"] = (first.t - t0) * 1e3
            self.result["first_diag_count"] = first.count
        if self.wait_for_index:
            deadline = now() + 120
            while not c.progress_end and now() < deadline:
                await asyncio.sleep(0.01)
            if c.progress_end:
                self.result["index_ready_ms"] = (c.progress_end[0] - t0) * 1e3
                if first is not None:
                    self.result["first_diag_before_index"] = first.t < c.progress_end[0]
            else:
                self.note("no $/progress end (index) within 120 s")
        # let the server settle (re-check after indexing, schema loading) before timing edits
        await asyncio.sleep(1.0)
        c.drain_publishes()
        hwm, rss = c.status()
        self.result["rss_after_open_kib"] = rss

    def _change_frame(self, change):
        """The next didChange's frame (the version counts up here)."""
        self.version += 1
        return self.client.notification("textDocument/didChange", {
            "textDocument": {"uri": self.uri, "version": self.version},
            "contentChanges": [change]})

    async def _change(self, change):
        await self.client.send(self._change_frame(change))

    async def latency(self, labels):
        """Send each edit and wait for the publish that follows it (matched by version when the
        server sends versions)."""
        c = self.client
        times, counts, by_label, timeouts, mismatched = [], [], {}, 0, 0
        cpu0 = c.cpu_seconds()
        for i, change in enumerate(self.edits):
            c.drain_publishes()
            frame = self._change_frame(change)
            t0 = now()
            await c.send(frame)
            p = await c.wait_publish(self.uri, min_version=self.version, deadline=t0 + self.edit_timeout)
            if p is None:
                timeouts += 1
                if i == 9 and timeouts == 10:
                    self.note("the first 10 edits got no publishDiagnostics: latency not measurable")
                    break
                continue
            if p.version is not None and p.version != self.version:
                mismatched += 1
            ms = (p.t - t0) * 1e3
            times.append(ms)
            counts.append(p.count)
            by_label.setdefault(labels[i], []).append(ms)
        cpu1 = c.cpu_seconds()
        r = summary(times) or {}
        r["edits"] = len(self.edits)
        if cpu0 is not None and cpu1 is not None:
            # CPU the server spent per edit (parsing the change, analysing, publishing): unlike the
            # wall-clock latency it does not grow with the machine's load
            r["cpu_per_edit_ms"] = (cpu1 - cpu0) * 1e3 / max(1, i + 1)
        r["timeouts"] = timeouts
        r["versioned"] = any(p.version is not None for p in c.all_publishes)
        r["version_mismatch"] = mismatched
        r["publishes_with_diagnostics"] = sum(1 for n in counts if n > 0)
        r["diag_count_min"] = min(counts) if counts else None
        r["diag_count_max"] = max(counts) if counts else None
        r["by_spot_p50"] = {k: percentile(v, 50) for k, v in by_label.items()}
        r["times_ms"] = [round(t, 3) for t in times]
        self.result["latency"] = r
        if timeouts:
            self.note(f"{timeouts} of {len(self.edits)} edits got no publishDiagnostics within "
                      f"{self.edit_timeout:.0f} s (excluded from the percentiles)")

    async def requests(self, method, cap, points, n=200):
        c = self.client
        if not c.capabilities.get(cap):
            self.result[method] = None
            return
        times, empty = [], 0
        for i in range(n):
            p = points[i % len(points)]
            msg, dt = await c.request(method, {"textDocument": {"uri": self.uri}, "position": p})
            times.append(dt * 1e3)
            res = msg.get("result")
            if not res or (isinstance(res, dict) and not res.get("items", res.get("contents"))):
                empty += 1
        r = summary(times)
        r["empty"] = empty
        self.result[method] = r

    async def burst(self):
        """All edits without waiting; the time until the diagnostics of the last version (or, for a
        server without versions, the last publish before 1.5 s of quiet)."""
        c = self.client
        c.drain_publishes()
        first_version = self.version + 1
        t0 = now()
        for change in self.edits:
            await self._change(change)
        t_sent = now()
        last, n = None, 0
        versioned = self.result.get("latency", {}).get("versioned")
        while True:
            quiet = 1.5 if not versioned else 30
            p = await c.wait_publish(self.uri, deadline=now() + quiet)
            if p is None:
                break
            n += 1
            last = p
            if versioned and p.version == self.version:
                break
        r = {"edits": len(self.edits), "send_ms": (t_sent - t0) * 1e3, "publishes": n}
        if last is not None:
            r["to_last_publish_ms"] = (last.t - t0) * 1e3
            r["last_version_ok"] = last.version in (None, self.version)
            r["analyses_skipped"] = last.version is not None and n < self.version - first_version + 1
        self.result["burst"] = r

    async def flood(self, total, chunk=20):
        """`total` edits in bursts of `chunk`, waiting for each burst's final diagnostics: VmRSS
        before and after (memory must stay flat)."""
        c = self.client
        _, before = c.status()
        done = 0
        series = []
        t0 = now()
        while done < total:
            # the edits are replayed in order, cyclically, so the client's positions stay right
            for j in range(chunk):
                await self._change(self.edits[(done + j) % len(self.edits)])
            done += chunk
            p = await c.wait_publish(self.uri, min_version=self.version, deadline=now() + 30)
            if p is None:
                self.note(f"flood: no diagnostics for version {self.version}")
                break
            if done % 1000 == 0:
                series.append(c.status()[1])
        await asyncio.sleep(0.5)
        hwm, after = c.status()
        self.result["flood"] = {"edits": done, "rss_before_kib": before, "rss_after_kib": after,
                                "rss_every_1000_kib": series, "seconds": now() - t0}

    async def reopen(self, text, n=50):
        """didClose then didOpen of the same text (the sessions leave it unchanged), `n` times, with
        the workspace indexed: the time from each didOpen to its diagnostics."""
        c = self.client
        times = []
        for _ in range(n):
            await c.notify("textDocument/didClose", {"textDocument": {"uri": self.uri}})
            # the close clears the file's diagnostics: wait for that publish, not to take it for
            # the open's
            await c.wait_publish(self.uri, deadline=now() + 1.0)
            c.drain_publishes()
            self.version += 1
            frame = c.notification("textDocument/didOpen", {"textDocument": {
                "uri": self.uri, "languageId": self.language_id, "version": self.version, "text": text}})
            # from the message's send, not from the client's encoding of it
            t0 = now()
            await c.send(frame)
            p = await c.wait_publish(self.uri, min_version=self.version, deadline=t0 + self.edit_timeout)
            if p is not None:
                times.append((p.t - t0) * 1e3)
        r = summary(times) or {}
        r["opens"] = n
        r["answered"] = len(times)
        self.result["reopen"] = r

    async def close(self):
        hwm, rss = self.client.status()
        self.result["peak_rss_kib"] = hwm
        self.result["rss_end_kib"] = rss
        await self.client.shutdown()
