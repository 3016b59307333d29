"""How the side-by-side benchmark loads a peer and what the load costs it.

``run_wrk(base, paths, accept, duration_s, connections, scratch)`` runs Debian's ``wrk`` with a
Lua script that takes a different path of ``paths`` for each request and returns requests, requests
per second, p50/p99 latency and the errors (non-2xx included); ``warm_every_worker`` fetches every
path on new connections first; ``fetch`` is one GET. ``cpu_seconds(pid)`` and ``rss_mb(pid)`` read
a peer's whole process tree from ``/proc`` (utime + stime; resident memory). Nothing here listens
or connects beyond 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")

_WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
local threads = 0
wrk.headers["Accept"] = "%(accept)s"
-- each thread (and each run: the offset) starts at another place of the one walk over paths
setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end
init = function(args)
  counter = %(offset)d + id * 1000003
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter * 7919) %% #paths + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, '
    .. '"errors": %%d, "non2xx": %%d}\\n', summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
"""


# --- the process tree's CPU and memory -------------------------------------------------------


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_seconds(root: int) -> float:
    """Return the CPU seconds (user + system) the tree has used, the ended children it waited for included."""
    total = 0
    for pid in _tree(root):
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
    return total / _TICK


def rss_mb(root: int) -> float:
    """Return the summed resident set of the tree in MB (shared pages counted once per process)."""
    total_kb = 0
    for pid in _tree(root):
        try:
            with open(f"/proc/{pid}/status", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


# --- wrk -------------------------------------------------------------------------------------


_RUNS = 0


def run_wrk(base: str, paths: list[str], accept: str, duration_s: float, connections: int, scratch: Path) -> dict:
    script = scratch / "load.lua"
    quoted = ",".join(json.dumps(p) for p in paths)
    global _RUNS
    _RUNS += 1
    offset = _RUNS * 7_000_003
    script.write_text(_WRK_SCRIPT % {"paths": quoted, "accept": accept, "offset": offset}, encoding="utf-8")
    threads = min(2, connections)
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration_s:g}s", "--timeout", "30s", "-s", str(script), base],
        capture_output=True,
        text=True,
    )
    for line in result.stdout.splitlines():
        if line.startswith("WRK "):
            figures = json.loads(line[4:])
            seconds = figures["duration_us"] / 1e6
            return {
                "requests": figures["requests"],
                "rps": figures["requests"] / seconds,
                "p50_ms": figures["p50_us"] / 1000,
                "p99_ms": figures["p99_us"] / 1000,
                "errors": figures["errors"] + figures["non2xx"],
            }
    raise SystemExit(f"wrk printed no summary: {result.stdout[-1000:]}{result.stderr[-1000:]}")


def fetch(url: str, accept: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError as exc:
        return 0, str(exc).encode()


def warm_every_worker(base: str, paths: list[str], times: int = 8) -> None:
    """Fetch every path ``times`` times, each on a new connection, so that every server worker
    (the kernel hands each connection to one) has most likely made and cached each document."""

    def get(path: str) -> None:
        request = urllib.request.Request(base + path, headers={"Accept": "*/*", "Connection": "close"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
        except OSError:  # an error answer (an older server's 503, say) is measured later, not here
            pass

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(get, [p for p in paths for _ in range(times)]))
