"""A minimal LSP client over a child process's stdio (Content-Length framing, asyncio, stdlib only).

It records every textDocument/publishDiagnostics with its arrival time, answers the requests a
server sends (workspace/configuration, registrations, progress tokens) and tracks $/progress so the
driver can tell when a server's workspace index is ready.
"""

import asyncio
import json
import os
import time


def now():
    return time.perf_counter()


class Publish:
    __slots__ = ("t", "uri", "version", "count")

    def __init__(self, t, uri, version, count):
        self.t = t
        self.uri = uri
        self.version = version
        self.count = count


class LspClient:
    def __init__(self, name, argv, cwd, config_sections=None, stderr_path=None):
        self.name = name
        self.argv = argv
        self.cwd = cwd
        # section name -> value, for workspace/configuration requests
        self.config_sections = config_sections or {}
        self.stderr_path = stderr_path
        self.proc = None
        self.next_id = 0
        self.pending = {}
        self.publishes = asyncio.Queue()
        self.all_publishes = []
        self.progress_end = []
        self.progress_begin = []
        self.capabilities = {}
        self.reader = None
        self.closed = False

    @property
    def pid(self):
        return self.proc.pid

    async def start(self):
        err = open(self.stderr_path, "wb") if self.stderr_path else asyncio.subprocess.DEVNULL
        self.proc = await asyncio.create_subprocess_exec(
            *self.argv,
            cwd=self.cwd,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=err,
            limit=64 * 1024 * 1024,
        )
        self.reader = asyncio.create_task(self._read_loop())

    async def _read_loop(self):
        out = self.proc.stdout
        try:
            while True:
                length = None
                while True:
                    line = await out.readline()
                    if not line:
                        return
                    line = line.strip()
                    if not line:
                        break
                    k, _, v = line.partition(b":")
                    if k.strip().lower() == b"content-length":
                        length = int(v.strip())
                if length is None:
                    continue
                body = await out.readexactly(length)
                t = now()
                self._dispatch(json.loads(body), t)
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            self.closed = True
            for fut in self.pending.values():
                if not fut.done():
                    fut.set_exception(ConnectionError(f"{self.name} closed its stdout"))

    def _dispatch(self, msg, t):
        method = msg.get("method")
        if method is None:
            fut = self.pending.pop(msg.get("id"), None)
            if fut is not None and not fut.done():
                fut.set_result((msg, t))
            return
        if "id" in msg:
            asyncio.get_running_loop().create_task(self._answer(msg))
            return
        params = msg.get("params") or {}
        if method == "textDocument/publishDiagnostics":
            p = Publish(t, params.get("uri"), params.get("version"), len(params.get("diagnostics") or []))
            self.all_publishes.append(p)
            self.publishes.put_nowait(p)
        elif method == "$/progress":
            kind = (params.get("value") or {}).get("kind")
            if kind == "begin":
                self.progress_begin.append(t)
            elif kind == "end":
                self.progress_end.append(t)

    async def _answer(self, msg):
        method = msg["method"]
        result = None
        if method == "workspace/configuration":
            items = (msg.get("params") or {}).get("items") or []
            result = [self.config_sections.get(i.get("section"), None) for i in items]
        await self._write({"jsonrpc": "2.0", "id": msg["id"], "result": result})

    @staticmethod
    def frame(msg):
        """`msg` as the bytes of one LSP frame."""
        body = json.dumps(msg, ensure_ascii=False).encode("utf-8")
        return b"Content-Length: %d\r\n\r\n" % len(body) + body

    async def send(self, frame):
        """Write a frame made by `frame`: a timing can start after the client's own encoding,
        which for a 153 KB didOpen takes ~0.9 ms of Python."""
        self.proc.stdin.write(frame)
        await self.proc.stdin.drain()

    async def _write(self, msg):
        await self.send(self.frame(msg))

    def notification(self, method, params):
        """A notification's frame, to `send` later."""
        return self.frame({"jsonrpc": "2.0", "method": method, "params": params})

    async def notify(self, method, params):
        await self._write({"jsonrpc": "2.0", "method": method, "params": params})

    async def request(self, method, params, timeout=30):
        """Send a request; return (response message, seconds from send to the response)."""
        self.next_id += 1
        rid = self.next_id
        fut = asyncio.get_running_loop().create_future()
        self.pending[rid] = fut
        t0 = now()
        await self._write({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        msg, t = await asyncio.wait_for(fut, timeout)
        return msg, t - t0

    def drain_publishes(self):
        while not self.publishes.empty():
            self.publishes.get_nowait()

    async def wait_publish(self, uri, min_version=None, deadline=None):
        """The next publish for `uri` (with version >= min_version when given and the server sends
        versions); None at the deadline (perf_counter seconds)."""
        while True:
            left = None if deadline is None else deadline - now()
            if left is not None and left <= 0:
                return None
            try:
                p = await asyncio.wait_for(self.publishes.get(), left)
            except asyncio.TimeoutError:
                return None
            if p.uri != uri:
                continue
            if min_version is not None and p.version is not None and p.version < min_version:
                continue
            return p

    def status(self):
        """VmHWM and VmRSS of the server process, in KiB (None when gone)."""
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                fields = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            return None, None
        kib = lambda k: int(fields[k].split()[0]) if k in fields else None  # noqa: E731
        return kib("VmHWM"), kib("VmRSS")

    def cpu_seconds(self):
        """User + system CPU time of the server process so far (all its threads), or None."""
        try:
            with open(f"/proc/{self.proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        # fields[11], fields[12] are utime and stime (fields 14 and 15 of proc(5)), in clock ticks
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def shutdown(self):
        try:
            if not self.closed:
                await self.request("shutdown", None, timeout=10)
                await self.notify("exit", None)
            await asyncio.wait_for(self.proc.wait(), 10)
        except (asyncio.TimeoutError, ConnectionError, BrokenPipeError, OSError):
            if self.proc.returncode is None:
                self.proc.kill()
                await self.proc.wait()
        if self.reader:
            self.reader.cancel()


def file_uri(path):
    return "file://" + os.path.abspath(path)
