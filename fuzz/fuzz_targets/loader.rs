//! Raw bytes into the loader, as JSON and as YAML text, then lowering to the IR: never a panic, a
//! hang or unbounded memory. The check itself is `spec_gen_tests::fuzz::check_loader`, which
//! `tests/tests/fuzz_regressions.rs` replays on `tests/fixtures/fuzz/loader/`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    spec_gen_tests::fuzz::check_loader(data);
});
