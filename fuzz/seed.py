#!/usr/bin/env python3
"""Seed inputs for the structure-aware `pipeline` target: N byte strings of 1 to 8 KB from a fixed
seed, written to fuzz/corpus/pipeline/.

Without seeds libFuzzer starts from empty inputs and grows them a few bytes at a time; the grammar
(tests/src/fuzz.rs) then draws only tiny documents for most of a campaign. A few KB of bytes give
it specs with dozens of schemas, parameters and responses from the first run. The bytes are
random, not documents: the grammar reads any bytes as a spec, so every seed is a valid input.

    python3 fuzz/seed.py [N]        (default 64; same seed, same files)
"""

import random
import sys
from pathlib import Path

count = int(sys.argv[1]) if len(sys.argv) > 1 else 64
out = Path(__file__).resolve().parent / "corpus" / "pipeline"
out.mkdir(parents=True, exist_ok=True)
rng = random.Random(0x5EED)
for i in range(count):
    size = rng.randint(1024, 8192)
    (out / f"seed-{i:03}").write_bytes(bytes(rng.getrandbits(8) for _ in range(size)))
print(f"{count} seeds in {out}")
