//! The `build.rs` front end: generate code for one or more specs into `OUT_DIR`, rebuild when any
//! file the spec reads changes, and fail the build with located diagnostics on spec errors.
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     spec_codegen::Builder::new("openapi.yaml").build();
//! }
//! // src/lib.rs:  include!(concat!(env!("OUT_DIR"), "/openapi.rs"));
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use crate::Parts;
use crate::config::{Config, Overrides};
use crate::pipeline;

/// Configures and runs generation from a build script.
#[derive(Debug, Clone)]
pub struct Builder {
    specs: Vec<PathBuf>,
    /// The output file name chosen for a spec (by index), instead of the one from its file name.
    file_names: Vec<(usize, String)>,
    /// What the build script set; applied over the crate's `spec-gen.toml` entry for each spec.
    overrides: Overrides,
    out_dir: Option<PathBuf>,
    /// Option errors are kept until `generate`, so the builder methods can chain.
    invalid: Vec<String>,
}

/// A build failure, rendered with every diagnostic (file:line:column, JSON pointer, source line).
#[derive(Debug)]
pub struct BuildError(pub String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

impl Builder {
    /// Starts a builder for the spec at `spec`, relative to the crate's manifest directory when
    /// run by Cargo (as build scripts are).
    pub fn new(spec: impl AsRef<Path>) -> Self {
        Builder {
            specs: vec![spec.as_ref().to_path_buf()],
            file_names: Vec::new(),
            overrides: Overrides::default(),
            out_dir: None,
            invalid: Vec::new(),
        }
    }

    /// Adds another spec; each becomes its own file in the output folder, named after the spec.
    pub fn spec(mut self, spec: impl AsRef<Path>) -> Self {
        self.specs.push(spec.as_ref().to_path_buf());
        self
    }

    /// Names the module file of the spec added last: `module_name("api")` writes `api.rs` into
    /// `OUT_DIR` (default: from the spec's file name, `openapi.yaml` → `openapi.rs`).
    pub fn module_name(mut self, name: &str) -> Self {
        match syn::parse_str::<syn::Ident>(name) {
            Ok(_) => self.file_names.push((self.specs.len() - 1, format!("{name}.rs"))),
            Err(_) => self.invalid.push(format!("module name `{name}` is not a Rust identifier")),
        }
        self
    }

    /// The parts to generate, as a comma list (`"types"`; server, client and tests as they land).
    pub fn with(mut self, parts: &str) -> Self {
        match Parts::parse(parts) {
            Ok(p) => self.overrides.parts = Some(p),
            Err(e) => self.invalid.push(e),
        }
        self
    }

    /// Maps a format (`date-time`, `date`, `uuid`) to a Rust type path, e.g. `("date-time", "String")`.
    pub fn map_format(mut self, format: &str, rust_type: &str) -> Self {
        // Checked now (on a scratch mapping) so the error names this call.
        match crate::FormatMapping::default().set(format, rust_type) {
            Ok(()) => self.overrides.formats.push((format.to_owned(), rust_type.to_owned())),
            Err(e) => self.invalid.push(e),
        }
        self
    }

    /// Adds a derive to every generated struct and enum, e.g. `"Eq"` or `"schemars::JsonSchema"`.
    pub fn derive(mut self, path: &str) -> Self {
        match crate::options::check_derive(path) {
            Ok(()) => self.overrides.derives.push(path.to_owned()),
            Err(e) => self.invalid.push(e),
        }
        self
    }

    /// Names the server trait (default: from the spec's title, e.g. `PetstoreApi`).
    pub fn server_trait(mut self, name: &str) -> Self {
        match crate::options::check_trait_name(name) {
            Ok(()) => self.overrides.server_trait = Some(name.to_owned()),
            Err(e) => self.invalid.push(e),
        }
        self
    }

    /// Names the type generated for component `schema` (`"Pet"`) `rust_name` (`"Animal"`).
    pub fn rename(mut self, schema: &str, rust_name: &str) -> Self {
        match crate::options::parse_rename(&format!("{schema}={rust_name}")) {
            Ok(rename) => self.overrides.renames.push(rename),
            Err(e) => self.invalid.push(e),
        }
        self
    }

    /// Generates only the operations tagged `tag` (repeatable; with [`Builder::operation`],
    /// either selects) and the types they reach.
    pub fn tag(mut self, tag: &str) -> Self {
        self.overrides.select.tags.push(tag.to_owned());
        self
    }

    /// Generates only the operation `operation_id` (repeatable) and the types it reaches.
    pub fn operation(mut self, operation_id: &str) -> Self {
        self.overrides.select.operations.push(operation_id.to_owned());
        self
    }

    /// Fails the build when the generator had to approximate anything.
    pub fn deny_approximations(mut self) -> Self {
        self.overrides.deny_approximations = true;
        self
    }

    /// Fails the build on spec warnings too.
    pub fn deny_warnings(mut self) -> Self {
        self.overrides.deny_warnings = true;
        self
    }

    /// Writes somewhere other than `OUT_DIR` (for tests and tools).
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Generates every spec; returns the files written (or left unchanged). Prints
    /// `cargo:rerun-if-changed` for every file each spec read, even when it has errors, so fixing
    /// the spec reruns the build script.
    pub fn generate(self) -> Result<Vec<PathBuf>, BuildError> {
        if !self.invalid.is_empty() {
            return Err(BuildError(format!("error: invalid spec-gen options: {}\n", self.invalid.join("; "))));
        }
        let out_dir = match self.out_dir.clone().or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from)) {
            Some(dir) => dir,
            None => {
                return Err(BuildError(
                    "error: OUT_DIR is not set; run from a build script or call out_dir()\n".into(),
                ));
            }
        };
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
        // The crate's spec-gen.toml, when it has one: its entry for a spec is the base the
        // builder's own calls are applied over.
        let config = match manifest_dir.as_deref().map(Config::find).transpose() {
            Ok(config) => config.flatten(),
            Err(e) => return Err(BuildError(format!("error: {e}\n"))),
        };
        if let Some(config) = &config {
            println!("cargo:rerun-if-changed={}", config.file().display());
        }
        let file_name = |index: usize| -> String {
            match self.file_names.iter().rev().find(|(i, _)| *i == index) {
                Some((_, name)) => name.clone(),
                None => output_name(&self.specs[index]),
            }
        };
        let mut names: Vec<String> = (0..self.specs.len()).map(file_name).collect();
        names.sort();
        if let Some(pair) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(BuildError(format!(
                "error: two specs would both be written to `{}`; give them different file names\n",
                pair[0]
            )));
        }
        let mut written = Vec::new();
        let mut failures = String::new();
        for (index, spec) in self.specs.iter().enumerate() {
            let path = match &manifest_dir {
                Some(dir) if spec.is_relative() => dir.join(spec),
                _ => spec.clone(),
            };
            println!("cargo:rerun-if-changed={}", path.display());
            let base = match config.as_ref().and_then(|c| c.entry(&path)) {
                Some(entry) => entry.options(),
                None => Ok(Default::default()),
            };
            let (options, deny) = match base.and_then(|base| self.overrides.apply(base)) {
                Ok(resolved) => resolved,
                Err(e) => return Err(BuildError(format!("error: invalid spec-gen options: {e}\n"))),
            };
            // The lock file pins names, so it is an input, when there is one: a missing file named
            // in `rerun-if-changed` would rerun this script on every build.
            if let Some((lock, _)) = options.lock.locate(&path).filter(|(lock, _)| lock.is_file()) {
                println!("cargo:rerun-if-changed={}", lock.display());
            }
            let result = pipeline::run(&path, &options, deny);
            // Every file the spec read, also when it failed, so fixing any of them reruns us.
            let sources = match &result {
                Ok(run) => Some(&run.loaded.sources),
                Err(pipeline::Failure::Spec { sources, .. }) => sources.as_ref(),
                Err(pipeline::Failure::Generate(_)) => None,
            };
            for file in sources.into_iter().flat_map(|s| &s.files) {
                println!("cargo:rerun-if-changed={}", file.path.display());
            }
            match result {
                Ok(run) => {
                    for d in run.diagnostics.iter().filter(|d| d.severity == spec_core::Severity::Warning) {
                        let text = spec_core::render::human(d, Some(&run.loaded.sources));
                        println!("cargo:warning={}", text.lines().next().unwrap_or_default());
                    }
                    if let Some(missing) =
                        manifest_dir.as_deref().and_then(|dir| crate::deps::missing(dir, &run.output.dependencies))
                    {
                        failures.push_str(&missing);
                    }
                    let target = out_dir.join(file_name(index));
                    crate::write_if_changed(&target, &run.output.code)
                        .map_err(|e| BuildError(format!("error: cannot write `{}`: {e}\n", target.display())))?;
                    written.push(target);
                }
                Err(failure) => failures.push_str(&failure.render(spec)),
            }
        }
        if failures.is_empty() { Ok(written) } else { Err(BuildError(failures)) }
    }

    /// [`Builder::generate`] for build scripts: on failure, prints the diagnostics and exits with
    /// status 1, which fails the build and shows them.
    pub fn build(self) {
        if let Err(e) = self.generate() {
            eprint!("{e}");
            std::process::exit(1);
        }
    }
}

/// The file the builder writes for a spec in `OUT_DIR`: `openapi.yaml` → `openapi.rs`;
/// `specs/pet-store.v2.json` → `pet_store_v2.rs`.
pub fn output_name(spec: &Path) -> String {
    let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "spec".into());
    let name: String =
        stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    format!("{name}.rs")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_names_are_file_friendly() {
        assert_eq!(output_name(Path::new("openapi.yaml")), "openapi.rs");
        assert_eq!(output_name(Path::new("specs/pet-store.v2.json")), "pet_store_v2.rs");
    }
}
