//! Structure-aware: an OpenAPI 3.0/3.1 document built by `spec_gen_tests::fuzz::grammar` from
//! the input, through the whole pipeline (the types alone, or the server, the client or every
//! part); the generated module and both scaffolds must parse with syn, and a refused spec must
//! say where. Crashes are kept as the document
//! (`SPEC_GEN_FUZZ_SAVE=dir` writes each input's document there), replayed by
//! `tests/tests/fuzz_regressions.rs` from `tests/fixtures/fuzz/pipeline/`.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use spec_codegen::Parts;
use spec_gen_tests::fuzz;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    // Mostly the types alone: every part brings the same large runtime, whose parsing would take
    // most of each run; the server, the client and all parts together one run in eight each.
    let parts = match u.int_in_range(0u8..=7).unwrap_or(0) {
        0 => fuzz::all_parts(),
        1 => Parts { server: true, ..Parts::default() }.completed(),
        2 => Parts { client: true, ..Parts::default() }.completed(),
        _ => Parts { types: true, ..Parts::default() },
    };
    let Ok((doc, yaml)) = fuzz::grammar::document(&mut u) else { return };
    if let Some(dir) = std::env::var_os("SPEC_GEN_FUZZ_SAVE") {
        let path = std::path::Path::new(&dir).join(if yaml { "input.yaml" } else { "input.json" });
        let _ = std::fs::write(path, fuzz::spec_text(&doc));
    }
    fuzz::check_document(&doc, yaml, parts);
});
