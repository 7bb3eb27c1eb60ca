//! Helpers shared by the workspace tests: run the pipeline on a fixture spec the way the CLI does,
//! and render what came out (code and diagnostics) for snapshots and generated crates.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use spec_codegen::{Options, Output};
use spec_core::ir::Ir;
use spec_core::{Diagnostics, Loaded, SourceSet};

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

/// A spec run through the whole pipeline.
pub struct Generated {
    pub loaded: Loaded,
    pub ir: Ir,
    pub output: Output,
    /// IR and generator diagnostics together, located.
    pub diagnostics: Diagnostics,
}

/// Loads, lowers and generates `spec` with default options; panics (failing the test) with the
/// rendered diagnostics when the spec has errors.
pub fn generate(spec: &Path) -> Generated {
    let mut diags = Diagnostics::default();
    let compiled = spec_core::load(spec, &mut diags);
    let (Some(loaded), Some(ir)) = (compiled.loaded, compiled.ir) else {
        panic!("{} did not load:\n{}", spec.display(), render_diagnostics(&diags, None));
    };
    assert!(
        !diags.has_errors(),
        "{} has errors:\n{}",
        spec.display(),
        render_diagnostics(&diags, Some(&loaded.sources))
    );
    let output = spec_codegen::generate(&ir, &loaded.sources, &Options::default())
        .unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    let mut generator_diags = output.diagnostics.clone();
    loaded.sources.locate_all(generator_diags.iter_mut());
    diags.extend(generator_diags);
    Generated { loaded, ir, output, diagnostics: diags }
}

/// One line per diagnostic: severity, code, file:line:col, pointer and message. Stable, so it can
/// be snapshotted beside the code.
pub fn render_diagnostics(diags: &Diagnostics, sources: Option<&SourceSet>) -> String {
    let mut out = String::new();
    for d in diags.iter() {
        let position = d.position.map(|p| format!(":{}:{}", p.line, p.column)).unwrap_or_default();
        let place = match (&d.origin, sources) {
            (Some(o), Some(s)) => format!("{}{position} #{}", s.shown(o.file), o.pointer),
            (Some(o), None) => format!("#{}", o.pointer),
            (None, _) => String::from("(no location)"),
        };
        let _ = writeln!(out, "{:?}[{}] {place}: {}", d.severity, d.code, d.message);
    }
    out
}
