//! Property: every spec the generator accepts produces code that parses as Rust, and every spec it
//! refuses is refused with located errors, never a panic. The specs are drawn by the fuzz grammar
//! (`spec_gen_tests::fuzz::grammar`, the one `fuzz/fuzz_targets/pipeline.rs` uses) from a seeded
//! RNG, so every run draws the same cases; `SPEC_GEN_PROPERTY_SEED` and `SPEC_GEN_PROPERTY_CASES`
//! change them.

use std::panic::AssertUnwindSafe;

use arbitrary::Unstructured;
use spec_codegen::Parts;
use spec_gen_tests::fuzz::{self, Outcome, SplitMix};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The parts of case `i`: types alone most often (the server, client and test parts bring a
/// large fixed runtime, slow to lay out in a debug build), every part now and then.
fn parts_of(i: u64) -> Parts {
    let parts = match i % 8 {
        0 => fuzz::all_parts(),
        1 => Parts { server: true, ..Parts::default() },
        2 => Parts { client: true, ..Parts::default() },
        _ => Parts { types: true, ..Parts::default() },
    };
    parts.completed()
}

#[test]
fn accepted_specs_generate_code_that_parses() {
    let seed = env_u64("SPEC_GEN_PROPERTY_SEED", 0x5eed_0008);
    let cases = env_u64("SPEC_GEN_PROPERTY_CASES", 300);
    let mut generated = 0;
    for i in 0..cases {
        let mut rng = SplitMix(seed.wrapping_add(i.wrapping_mul(0x1000_0001)));
        let len = 256 + (rng.next_u64() % 4096) as usize;
        let bytes = rng.bytes(len);
        let Ok((doc, yaml)) = fuzz::grammar::document(&mut Unstructured::new(&bytes)) else {
            continue;
        };
        let parts = parts_of(i);
        match std::panic::catch_unwind(AssertUnwindSafe(|| fuzz::check_document(&doc, yaml, parts))) {
            Ok(Outcome::Generated) => generated += 1,
            Ok(Outcome::Refused) => {}
            Err(_) => {
                let keep = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
                    .join(format!("property-case-{i}{}", if yaml { ".yaml" } else { ".json" }));
                std::fs::write(&keep, fuzz::spec_text(&doc)).unwrap();
                panic!(
                    "case {i} (seed {seed}, parts {parts:?}) failed; its spec is {}: save it under \
                     tests/fixtures/fuzz/pipeline/ once fixed",
                    keep.display()
                );
            }
        }
    }
    // The grammar must mostly write specs that get through, or the property says little.
    assert!(generated * 3 >= cases, "only {generated} of {cases} drawn specs were accepted");
    eprintln!("{generated} of {cases} drawn specs generated code");
}
