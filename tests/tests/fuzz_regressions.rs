//! Every input under `tests/fixtures/fuzz/` that once crashed, hung or produced unparsable code,
//! replayed through the code the fuzz targets run (`spec_gen_tests::fuzz`):
//!
//! - `loader/*`: raw bytes, as JSON and as YAML, through parsing and lowering to the IR;
//! - `pipeline/*`: spec files through the whole pipeline with every part (and each part alone);
//!   the generated module and the scaffolds must parse with syn, and refusals must be located.
//!
//! Each file is run on its own thread with a time limit, so a hang fails the test too.

use std::path::{Path, PathBuf};
use std::time::Duration;

use spec_codegen::Parts;
use spec_gen_tests::fuzz;

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = spec_gen_tests::fixtures_dir().join("fuzz").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    files
}

/// Runs `check` on every file, each on its own thread, and fails naming every file that panicked
/// or took longer than `limit` (a debug build on a loaded 2-core machine; the fuzzers' own limit
/// is 10 s in release).
fn replay(target: &str, limit: Duration, check: fn(&Path)) {
    let mut failures = Vec::new();
    for path in inputs(target) {
        let (done, wait) = std::sync::mpsc::channel();
        let file = path.clone();
        let worker = std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(move || {
                let result = std::panic::catch_unwind(|| check(&file));
                let _ = done.send(result.is_ok());
            })
            .expect("a thread");
        match wait.recv_timeout(limit) {
            Ok(true) => {
                worker.join().expect("the worker caught its own panic");
            }
            Ok(false) => failures.push(format!("{}: panicked", path.display())),
            Err(_) => failures.push(format!("{}: still running after {limit:?}", path.display())),
        }
    }
    assert!(failures.is_empty(), "fuzz regressions:\n{}", failures.join("\n"));
}

#[test]
fn loader_inputs_end_in_an_ir_or_diagnostics() {
    replay("loader", Duration::from_secs(60), |path| {
        fuzz::check_loader(&std::fs::read(path).expect("a fixture reads"));
    });
}

#[test]
fn pipeline_inputs_generate_code_that_parses_or_are_refused() {
    replay("pipeline", Duration::from_secs(120), |path| {
        for parts in [
            fuzz::all_parts(),
            Parts { types: true, ..Parts::default() },
            Parts { server: true, ..Parts::default() }.completed(),
            Parts { client: true, ..Parts::default() }.completed(),
        ] {
            fuzz::check_pipeline(path, parts);
        }
    });
}
