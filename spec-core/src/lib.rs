//! spec-core: reads an OpenAPI 3.0/3.1 or JSON Schema contract (one file or many, JSON or YAML),
//! resolves its `$ref`s and builds the [`ir::Ir`] every generator works from.
//!
//! The phases are separate functions so front ends and benchmarks can time and stop between them:
//! [`load_sources`] (read, parse, follow file refs) → [`build_ir`] (lower schemas and operations).
//! Each phase collects every problem it finds into [`Diagnostics`]; callers stop between phases.

pub mod constraints;
pub mod diag;
pub mod diff;
pub mod ir;
pub mod lint;
pub mod locate;
pub mod lock;
pub mod lower;
pub mod pattern;
pub mod refs;
pub mod render;
pub mod select;
pub mod source;
pub mod yaml;

use std::path::Path;

pub use diag::{Diagnostic, Diagnostics, Origin, Position, Severity};
pub use ir::Ir;
pub use refs::RefTable;
pub use source::SourceSet;

/// A spec read from disk: its files and how their `$ref`s connect.
pub struct Loaded {
    pub sources: SourceSet,
    pub refs: RefTable,
}

/// Phase 1: reads the root spec and every file its `$ref`s reach.
pub fn load_sources(path: &Path, diags: &mut Diagnostics) -> Option<Loaded> {
    let (sources, refs) = refs::load_all(path, diags)?;
    Some(Loaded { sources, refs })
}

/// Phase 2: builds the IR. `None` when the document is not a spec at all; otherwise the IR, with
/// every problem (errors included) in `diags`.
pub fn build_ir(loaded: &Loaded, diags: &mut Diagnostics) -> Option<Ir> {
    lower::build(&loaded.sources, &loaded.refs, diags)
}

/// The outcome of [`load`]: whatever could be built. Sources are kept even when building the IR
/// failed, so diagnostics can be shown with the spec lines they point at.
pub struct Compiled {
    pub loaded: Option<Loaded>,
    pub ir: Option<Ir>,
}

/// Both phases, for callers that do not need to time them. The IR is built only when loading
/// succeeded; check `diags.has_errors()` before using it. Positions are filled in on every
/// diagnostic before returning.
pub fn load(path: &Path, diags: &mut Diagnostics) -> Compiled {
    let Some(loaded) = load_sources(path, diags) else {
        return Compiled { loaded: None, ir: None };
    };
    let ir = if diags.has_errors() { None } else { build_ir(&loaded, diags) };
    loaded.sources.locate_all(diags.iter_mut());
    Compiled { loaded: Some(loaded), ir }
}
