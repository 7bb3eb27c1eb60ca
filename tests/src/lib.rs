//! Helpers shared by the workspace tests: run the pipeline on a fixture spec the way the CLI does,
//! and render what came out (code and diagnostics) for snapshots and generated crates.

pub mod fuzz;
pub mod loopback;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use spec_codegen::Options;
use spec_core::{Diagnostics, SourceSet};

/// Writes a file of a generated test crate (folders created; unchanged files left alone, so cargo
/// does not rebuild them).
pub fn write(path: &Path, contents: &str) {
    spec_codegen::write_if_changed(path, contents).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is inside the workspace").to_path_buf()
}

/// The `@readme/oas-examples` `package/` folder, fetched (once, cached) by
/// `scripts/corpus.py --fetch-only`, which needs npm the first time.
pub fn oas_examples() -> PathBuf {
    let out = std::process::Command::new("python3")
        .arg(workspace_root().join("scripts/corpus.py"))
        .args(["--corpus", "oas-examples", "--fetch-only"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("python3 runs scripts/corpus.py");
    assert!(out.status.success(), "fetching oas-examples failed:\n{}", String::from_utf8_lossy(&out.stderr));
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

/// A spec path of a test table: `oas:` paths are inside the oas-examples package, others are
/// relative to the workspace root.
pub fn spec_path(spec: &str) -> PathBuf {
    match spec.strip_prefix("oas:") {
        Some(rel) => oas_examples().join(rel),
        None => workspace_root().join(spec),
    }
}

/// The folder of the fixture specs.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Every fixture spec, by the name its snapshot and generated crate use, in a fixed order.
pub const FIXTURES: &[(&str, &str)] = &[
    ("optional_nullable_default", "optional_nullable_default.yaml"),
    ("openapi31", "openapi31.yaml"),
    ("read_write_only", "read_write_only.yaml"),
    ("enums", "enums.yaml"),
    ("unions", "unions.yaml"),
    ("maps", "maps.yaml"),
    ("recursive", "recursive.yaml"),
    ("formats", "formats.yaml"),
    ("constraints", "constraints.yaml"),
    ("names", "names.yaml"),
    ("jsonschema_2020", "jsonschema-2020.json"),
    ("jsonschema_draft07", "jsonschema-draft07.json"),
    ("multifile", "multifile/openapi.yaml"),
];

pub use spec_codegen::pipeline::Generated;

/// Runs the pipeline on `spec` with default options, as the CLI does; panics (failing the test)
/// with the rendered diagnostics when the spec has errors.
pub fn generate(spec: &Path) -> Generated {
    generate_with(spec, &Options::default())
}

/// [`generate`] with options.
pub fn generate_with(spec: &Path, options: &Options) -> Generated {
    match spec_codegen::pipeline::run(spec, options, Default::default()) {
        Ok(generated) => generated,
        Err(failure) => panic!("{}", failure.render(spec)),
    }
}

/// One line per diagnostic: severity, code, file:line:col, pointer and message. Stable, so it can
/// be snapshotted beside the code.
pub fn render_diagnostics(diags: &Diagnostics, sources: Option<&SourceSet>) -> String {
    let mut out = String::new();
    for d in diags.iter() {
        let position = d.position.map(|p| format!(":{}:{}", p.line, p.column)).unwrap_or_default();
        let place = match (&d.origin, sources) {
            (Some(o), Some(s)) => format!("{}{position} #{}", s.file(o.file).display, o.pointer),
            (Some(o), None) => format!("#{}", o.pointer),
            (None, _) => String::from("(no location)"),
        };
        let _ = writeln!(out, "{:?}[{}] {place}: {}", d.severity, d.code, d.message);
    }
    out
}

/// The one target dir every generated test workspace builds into: they share their dependencies
/// (serde, axum, reqwest, tokio), so those are compiled and stored once, not once per test binary.
/// Kept apart from this workspace's own target so its serde_json features do not leak in.
/// `tmp` is the test's `CARGO_TARGET_TMPDIR` (only integration tests are given one).
pub fn generated_target(tmp: &str) -> PathBuf {
    Path::new(tmp).join("generated-target")
}

/// Runs cargo in a generated workspace at `root` into `target`; returns (success, stdout, stderr).
/// Generated crates are built without incremental state or full debug info: they change on every
/// run, so incremental state is never reused, and both multiply the disk a test run needs (CI
/// once ran out of it). Line tables keep panic locations.
pub fn cargo_in(root: &Path, target: &Path, args: &[&str]) -> (bool, String, String) {
    cargo_in_env(root, target, args, &[])
}

/// [`cargo_in`] with extra environment variables.
pub fn cargo_in_env(root: &Path, target: &Path, args: &[&str], env: &[(String, String)]) -> (bool, String, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(&cargo)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .current_dir(root)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// How many tests `cargo test` output says passed, over all its test binaries.
pub fn tests_passed(stdout: &str) -> usize {
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum()
}

/// `cargo check --workspace --lib` in a generated workspace must succeed with no warning at all.
pub fn check_without_warnings(root: &Path, target: &Path, what: &str) {
    let (ok, _, stderr) = cargo_in(root, target, &["check", "--workspace", "--lib", "--message-format=short"]);
    assert!(ok, "{what} do not compile:\n{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    assert!(warnings.is_empty(), "{what} have warnings:\n{}", warnings.join("\n"));
}
