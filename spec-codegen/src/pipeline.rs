//! The one pipeline every front end runs: load → resolve → IR → generate → format, with every
//! diagnostic located and the user's `deny` policy applied. Front ends only parse their options,
//! call [`run`], and decide where the code goes and how diagnostics are shown.

use std::path::Path;
use std::time::{Duration, Instant};

use spec_core::diag::{Diagnostic, Diagnostics, Severity};
use spec_core::ir::Ir;
use spec_core::{Loaded, SourceSet};

use crate::{GenerateError, Options, Output};

/// Which diagnostics stop generation besides errors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Deny {
    pub approximations: bool,
    pub warnings: bool,
}

impl Deny {
    fn denies(&self, d: &Diagnostic) -> bool {
        match d.severity {
            Severity::Error => true,
            Severity::Warning => self.warnings,
            Severity::Approximation => self.approximations,
        }
    }
}

/// A successful run: the code, and everything needed to explain it.
pub struct Generated {
    pub loaded: Loaded,
    pub ir: Ir,
    pub output: Output,
    /// IR and generator diagnostics together, located (file, line, column, pointer).
    pub diagnostics: Diagnostics,
    /// Wall time per stage: load, ir, then the generator's own stages.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Why a run produced no code.
pub enum Failure {
    /// The spec has errors, or diagnostics the deny policy refuses; `denied` counts the latter.
    Spec { diagnostics: Diagnostics, sources: Option<SourceSet>, denied: usize },
    /// Generation itself failed (a part not available yet, or a generator bug).
    Generate(GenerateError),
}

impl Failure {
    /// Every diagnostic rendered for people, then a one-line verdict.
    pub fn render(&self, spec: &Path) -> String {
        match self {
            Failure::Spec { diagnostics, sources, denied } => {
                let mut out = String::new();
                for d in diagnostics.iter().filter(|d| d.severity != Severity::Approximation || *denied > 0) {
                    out.push_str(&spec_core::render::human(d, sources.as_ref()));
                }
                let errors = diagnostics.count(Severity::Error);
                if errors > 0 {
                    out.push_str(&format!("error: {errors} error(s) in `{}`; nothing written\n", spec.display()));
                } else {
                    out.push_str(&format!("error: {denied} diagnostic(s) denied by --deny; nothing written\n"));
                }
                out
            }
            Failure::Generate(e) => format!("error: {e}\n"),
        }
    }
}

/// Runs the whole pipeline on the root spec at `spec`.
pub fn run(spec: &Path, options: &Options, deny: Deny) -> Result<Generated, Failure> {
    let mut diagnostics = Diagnostics::default();
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |stage: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        let now = Instant::now();
        timings.push((stage, now - clock));
        clock = now;
    };
    let loaded = spec_core::load_sources(spec, &mut diagnostics);
    lap("load", &mut timings);
    let ir = match &loaded {
        Some(loaded) if !diagnostics.has_errors() => spec_core::build_ir(loaded, &mut diagnostics),
        _ => None,
    };
    lap("ir", &mut timings);
    if let Some(loaded) = &loaded {
        loaded.sources.locate_all(diagnostics.iter_mut());
    }
    let (loaded, ir) = match (loaded, ir) {
        (Some(loaded), Some(ir)) if !diagnostics.has_errors() => (loaded, ir),
        (loaded, _) => {
            return Err(Failure::Spec { diagnostics, sources: loaded.map(|l| l.sources), denied: 0 });
        }
    };
    let mut output = crate::generate(&ir, &loaded.sources, options).map_err(Failure::Generate)?;
    timings.extend(output.timings.iter().copied());
    let mut generator_diags = std::mem::take(&mut output.diagnostics);
    loaded.sources.locate_all(generator_diags.iter_mut());
    diagnostics.extend(generator_diags);
    let denied = diagnostics.iter().filter(|d| deny.denies(d)).count();
    if denied > 0 {
        return Err(Failure::Spec { diagnostics, sources: Some(loaded.sources), denied });
    }
    Ok(Generated { loaded, ir, output, diagnostics, timings })
}
