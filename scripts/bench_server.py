#!/usr/bin/env python3
"""Throughput of the generated petstore server against a hand-written axum equivalent.

Builds examples/petstore-server in release mode and serves it twice on loopback: the generated
router (extraction, validation with every violation collected, RFC 9457 errors, auth hook) and
`--hand-written` (axum extractors into the same generated types, same store, bare error statuses).
For each, wrk (64 connections; pinned to its own CPU when taskset exists) drives two requests for --seconds each:
  list:   GET /pets?limit=10&status=available     (api key, query parsing, 10 pets serialized)
  create: POST /pets with a valid JSON body        (api key, body parsed and validated)
and the tables print requests per second and the generated server's share of the baseline, the
p99 latency wrk measured (--latency), and,
with perf, the server's CPU time per request (ratio: hand-written / generated, i.e. the
throughput share the work alone allows, less sensitive to a noisy machine).
Needs wrk (apt install wrk). Exit 1 when the generated server is below --min-ratio of the baseline.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CRATE = REPO / "examples" / "petstore-server"
BODY = '{"name": "Rex", "kind": {"type": "dog", "good_boy": true}, "status": "available", "tags": ["friendly"]}'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the server on port {port} did not start")


# With taskset, the server runs on CPU 0 and wrk on CPU 1, so the two do not compete for a core
# and the figures measure the server.
PIN = shutil.which("taskset") is not None and (os.cpu_count() or 1) >= 2


def pinned(cpu: int, cmd: list[str]) -> list[str]:
    return ["taskset", "-c", str(cpu), *cmd] if PIN else cmd


# With perf, the server's CPU time (task-clock: user and kernel, all its threads) is counted while
# wrk runs: CPU time per request measures the work each server does, and drifts far less with the
# machine's other load than requests per second. (Hardware instruction counters would be better;
# virtual machines often lack them.)
PERF = shutil.which("perf") is not None


LATENCY_UNITS = {"us": 1.0, "ms": 1000.0, "s": 1_000_000.0}


def p99_micros(out: str) -> float:
    """The 99th percentile from wrk --latency's distribution ("     99%    1.23ms")."""
    m = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    if not m:
        raise SystemExit(f"wrk printed no 99% latency:\n{out}")
    return float(m.group(1)) * LATENCY_UNITS[m.group(2)]


def wrk(url: str, seconds: int, script: Path | None, pid: int) -> tuple[float, float, float | None]:
    """(requests per second, p99 latency in microseconds, server CPU microseconds per request or None)."""
    cmd = pinned(1, ["wrk", "-t1" if PIN else "-t2", "-c64", f"-d{seconds}s", "--latency",
                     "-H", "X-Api-Key: secret"])
    if script:
        cmd += ["-s", str(script)]
    perf = None
    if PERF:
        perf = subprocess.Popen(["perf", "stat", "-x,", "-e", "task-clock", "-p", str(pid)],
                                stderr=subprocess.PIPE, text=True)
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    instructions = None
    if perf:
        perf.send_signal(2)
        _, err = perf.communicate()
        m = re.search(r"^([\d.]+),msec,task-clock", err, re.M)
        instructions = float(m.group(1)) * 1000.0 if m else None  # microseconds
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"{non2xx.group(1)} requests failed; wrk said:\n{out}")
    total = float(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rps, p99_micros(out), (instructions / total if instructions and total else None)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds; the median is reported")
    ap.add_argument("--min-ratio", type=float, default=0.0)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt install wrk)")
    subprocess.run(["cargo", "build", "--release", "--quiet", "--manifest-path", str(CRATE / "Cargo.toml")], check=True)
    binary = CRATE / "target" / "release" / "petstore-server"
    with tempfile.TemporaryDirectory() as tmp:
        post = Path(tmp) / "post.lua"
        post.write_text(f'wrk.method = "POST"\nwrk.body = [[{BODY}]]\nwrk.headers["Content-Type"] = "application/json"\n')
        results: dict[tuple[str, str], list[float]] = {}
        cost: dict[tuple[str, str], list[float]] = {}
        p99: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.rounds):
            for variant, flags in (("generated", []), ("hand-written", ["--hand-written"])):
                port = free_port()
                server = subprocess.Popen(pinned(0, [str(binary), str(port), *flags]), stderr=subprocess.DEVNULL)
                try:
                    wait_for(port)
                    base = f"http://127.0.0.1:{port}"
                    for request, url, script in (("list", f"{base}/pets?limit=10&status=available", None),
                                                 ("create", f"{base}/pets", post)):
                        rps, tail, per_request = wrk(url, args.seconds, script, server.pid)
                        results.setdefault((variant, request), []).append(rps)
                        p99.setdefault((variant, request), []).append(tail)
                        if per_request:
                            cost.setdefault((variant, request), []).append(per_request)
                finally:
                    server.terminate()
                    server.wait()
    median = lambda xs: sorted(xs)[len(xs) // 2]
    placement = "server on CPU 0, wrk -t1 -c64 on CPU 1" if PIN else f"wrk -t2 -c64 sharing {os.cpu_count()} CPU(s)"
    print(f"requests/s, median of {args.rounds} round(s) of {args.seconds}s; {placement}")
    # The ratio is taken per round (the two servers measured back to back) and then its median:
    # the machine's speed drifts between rounds more than between two neighbouring runs.
    print(f"{'request':<8} {'generated':>10} {'hand-written':>13} {'ratio':>7}  per-round ratios")
    worst = 1.0
    for request in ("list", "create"):
        gs, hs = results[("generated", request)], results[("hand-written", request)]
        ratios = [g / h for g, h in zip(gs, hs)]
        ratio = median(ratios)
        worst = min(worst, ratio)
        shown = " ".join(f"{r:.2f}" for r in ratios)
        print(f"{request:<8} {median(gs):>10.0f} {median(hs):>13.0f} {ratio:>7.2f}  {shown}")
    # 64 connections keep both servers saturated, so p99 is mostly queueing behind the other
    # requests: a slower server shows it here as much as in requests per second.
    print("\np99 latency in µs under that load, median of rounds (ratio = generated / hand-written)")
    print(f"{'request':<8} {'generated':>10} {'hand-written':>13} {'ratio':>7}")
    for request in ("list", "create"):
        g, h = median(p99[("generated", request)]), median(p99[("hand-written", request)])
        print(f"{request:<8} {g:>10.0f} {h:>13.0f} {g / h:>7.2f}")
    if cost:
        print("\nserver CPU time per request in µs (user + kernel; ratio = hand-written / generated)")
        print(f"{'request':<8} {'generated':>10} {'hand-written':>13} {'ratio':>7}")
        for request in ("list", "create"):
            g, h = median(cost[("generated", request)]), median(cost[("hand-written", request)])
            print(f"{request:<8} {g:>10.1f} {h:>13.1f} {h / g:>7.2f}")
    return 1 if worst < args.min_ratio else 0


if __name__ == "__main__":
    sys.exit(main())
