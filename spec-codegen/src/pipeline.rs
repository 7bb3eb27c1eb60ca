//! The one pipeline every front end runs: load → resolve → IR → generate → format, with every
//! diagnostic located and the user's `deny` policy applied. Front ends only parse their options,
//! call [`run`], and decide where the code goes and how diagnostics are shown.

use std::path::Path;
use std::time::{Duration, Instant};

use spec_core::diag::{Diagnostic, Diagnostics, Severity};
use spec_core::ir::Ir;
use spec_core::{Loaded, SourceSet};

use crate::lockfile::{LockFile, LockUpdate};
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
    /// Wall time per stage: load, ir, names (lock, renames, selection), then the generator's own stages.
    pub timings: Vec<(&'static str, Duration)>,
    /// The lock file as this run would leave it: `None` when the run uses none, or was not asked
    /// to record it ([`run_and_record`]).
    pub lock: Option<LockUpdate>,
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

/// Whether a run records the names it gave as the lock file's new text. Only the commands that
/// write or compare the lock (`generate`, `check`, `lock`) need it; build.rs, the macro and the
/// commands that only read names skip it, since recording hashes the content of every inline
/// schema (10 to 40 ms on the largest specs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Record {
    Yes,
    No,
}

/// Runs the whole pipeline on the root spec at `spec`, with the names the lock pins; `lock` in
/// the result is `None` (see [`run_and_record`]).
pub fn run(spec: &Path, options: &Options, deny: Deny) -> Result<Generated, Failure> {
    run_with(spec, options, deny, Record::No)
}

/// [`run`], and also the lock file as this run would leave it, for the commands that write or
/// compare it.
pub fn run_and_record(spec: &Path, options: &Options, deny: Deny) -> Result<Generated, Failure> {
    run_with(spec, options, deny, Record::Yes)
}

fn run_with(spec: &Path, options: &Options, deny: Deny, record: Record) -> Result<Generated, Failure> {
    let (loaded, mut ir, mut diagnostics, mut timings) = load_ir(spec)?;
    let started = Instant::now();
    let lock = apply_user_choices(spec, &mut ir, &loaded.sources, options, record).map_err(Failure::Generate)?;
    timings.push(("names", started.elapsed()));
    let mut output = crate::generate(&ir, &loaded.sources, options).map_err(Failure::Generate)?;
    timings.extend(output.timings.iter().copied());
    let generator_diags = std::mem::take(&mut output.diagnostics);
    let loaded = finish_diagnostics(loaded, &mut diagnostics, generator_diags, deny)?;
    Ok(Generated { loaded, ir, output, diagnostics, timings, lock })
}

/// Load, lower and pin names only: the lock file as `generate` would leave it, without
/// generating code (`cargo spec-gen lock`).
pub fn lock(spec: &Path, options: &Options) -> Result<Option<LockUpdate>, Failure> {
    let (loaded, mut ir, _, _) = load_ir(spec)?;
    pin_names(spec, &mut ir, &loaded.sources, options, Record::Yes).map_err(Failure::Generate)
}

/// The pipeline for the proc macro: the same steps, ending in tokens the compiler takes directly
/// instead of formatted text.
pub fn run_tokens(spec: &Path, options: &Options, deny: Deny) -> Result<(Loaded, crate::Tokens), Failure> {
    let (loaded, mut ir, mut diagnostics, _) = load_ir(spec)?;
    apply_user_choices(spec, &mut ir, &loaded.sources, options, Record::No).map_err(Failure::Generate)?;
    let mut tokens = crate::generate_tokens(&ir, &loaded.sources, options).map_err(Failure::Generate)?;
    let generator_diags = std::mem::take(&mut tokens.diagnostics);
    let loaded = finish_diagnostics(loaded, &mut diagnostics, generator_diags, deny)?;
    tokens.diagnostics = diagnostics;
    Ok((loaded, tokens))
}

type Timings = Vec<(&'static str, Duration)>;

/// What the user asks of the IR itself, before any code: the names the lock file pins, the
/// user's renames, then the operations kept. Returns the lock file as the run leaves it.
fn apply_user_choices(
    spec: &Path,
    ir: &mut Ir,
    sources: &SourceSet,
    options: &Options,
    record: Record,
) -> Result<Option<LockUpdate>, GenerateError> {
    let lock = pin_names(spec, ir, sources, options, record)?;
    rename(ir, &options.renames)?;
    spec_core::select::select(ir, &options.select).map_err(GenerateError::Select)?;
    Ok(lock)
}

/// Gives the IR the names the lock file pins for this spec and, with `Record::Yes`, records its
/// names (all of them, before renames and selection, which the options redo every run) as the
/// lock's new section.
fn pin_names(
    spec: &Path,
    ir: &mut Ir,
    sources: &SourceSet,
    options: &Options,
    record: Record,
) -> Result<Option<LockUpdate>, GenerateError> {
    let Some((path, section)) = options.lock.locate(spec) else { return Ok(None) };
    let (mut file, before) = LockFile::read(&path).map_err(GenerateError::Lock)?;
    if let Some(pins) = file.specs.get(&section) {
        spec_core::lock::pin(ir, sources, pins);
    }
    if record == Record::No {
        return Ok(None);
    }
    file.specs.insert(section, spec_core::lock::record(ir, sources));
    Ok(Some(LockUpdate { path, before, after: file.render() }))
}

/// Applies the user's type names: every type generated for component `from` (one, or a request
/// and a response view) has its `from`-derived name start with `to` instead. Types derived from
/// its members (`PetName` for `Pet.name`) keep theirs.
fn rename(ir: &mut Ir, renames: &[(String, String)]) -> Result<(), GenerateError> {
    for (from, to) in renames {
        let ids: Vec<usize> =
            (0..ir.types.len()).filter(|&i| ir.types[i].spec_name.as_deref() == Some(from.as_str())).collect();
        let Some(base) = ids.iter().map(|&i| ir.types[i].name.clone()).min_by_key(String::len) else {
            return Err(GenerateError::Rename(format!("the spec has no schema `{from}`")));
        };
        for &i in &ids {
            let name = ir.types[i].name.replacen(&base, to, 1);
            if let Some(other) = ir.types.iter().enumerate().find(|(j, t)| !ids.contains(j) && t.name == name) {
                let theirs = other.1.spec_name.as_deref().unwrap_or("an inline schema");
                return Err(GenerateError::Rename(format!("`{from}` → `{name}` collides with the type of {theirs}")));
            }
            ir.types[i].name = name;
        }
    }
    Ok(())
}

/// Load and lower only, for front ends that read the IR instead of generating code (the macro's
/// struct check, diff, trace): the sources and the IR with the names `generate` gives (pinned by
/// the lock file, renamed by the options; every operation kept), or the failure with every
/// located diagnostic.
pub fn lower(spec: &Path, options: &Options, deny: Deny) -> Result<(Loaded, Ir), Failure> {
    let (loaded, mut ir, mut diagnostics, _) = load_ir(spec)?;
    pin_names(spec, &mut ir, &loaded.sources, options, Record::No).map_err(Failure::Generate)?;
    rename(&mut ir, &options.renames).map_err(Failure::Generate)?;
    let loaded = finish_diagnostics(loaded, &mut diagnostics, Diagnostics::default(), deny)?;
    Ok((loaded, ir))
}

/// Load and lower: the sources, the IR and their located diagnostics, or the failure.
fn load_ir(spec: &Path) -> Result<(Loaded, Ir, Diagnostics, Timings), Failure> {
    let mut diagnostics = Diagnostics::default();
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |stage: &'static str, timings: &mut Timings| {
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
    match (loaded, ir) {
        (Some(loaded), Some(ir)) if !diagnostics.has_errors() => Ok((loaded, ir, diagnostics, timings)),
        (loaded, _) => Err(Failure::Spec { diagnostics, sources: loaded.map(|l| l.sources), denied: 0 }),
    }
}

/// Adds the generator's diagnostics (located) and applies the deny policy; hands the sources
/// back, or over to the failure that needs them for rendering.
fn finish_diagnostics(
    loaded: Loaded,
    diagnostics: &mut Diagnostics,
    mut generator_diags: Diagnostics,
    deny: Deny,
) -> Result<Loaded, Failure> {
    loaded.sources.locate_all(generator_diags.iter_mut());
    diagnostics.extend(generator_diags);
    let denied = diagnostics.iter().filter(|d| deny.denies(d)).count();
    if denied > 0 {
        return Err(Failure::Spec { diagnostics: std::mem::take(diagnostics), sources: Some(loaded.sources), denied });
    }
    Ok(loaded)
}
