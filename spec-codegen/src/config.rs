//! `spec-gen.toml`: a project's generation rules, written once and read by all three front ends
//! (the CLI from the current folder, the build.rs `Builder` and the macro from the crate's
//! manifest folder), so they produce the same code for the same spec.
//!
//! ```toml
//! [[spec]]
//! path = "openapi.yaml"        # relative to this file
//! out = "src/api.rs"           # where `cargo spec-gen generate`/`check` write (build.rs uses OUT_DIR)
//! crate = "my-api"             # optional: `out` is a crate folder
//! with = "types,server"
//! server-trait = "PetstoreApi"
//! derive = ["Eq"]
//! deny = ["approximations"]
//! tags = ["pets"]              # optional: only these tags' operations (and `operations`)
//! operations = ["getStore"]    #   and the types they reach
//! [spec.map-format]
//! date-time = "String"
//! [spec.rename]
//! Pet = "Animal"               # the component's generated type name
//! ```
//!
//! Options a front end is given explicitly (CLI flags, builder calls, macro arguments) win over
//! the file's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::pipeline::Deny;
use crate::{Options, Parts};

/// The file's name; it sits beside `Cargo.toml`.
pub const FILE_NAME: &str = "spec-gen.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// One entry per spec.
    #[serde(default, rename = "spec")]
    pub specs: Vec<SpecEntry>,
    /// The folder the file is in; entry paths are relative to it.
    #[serde(skip)]
    pub dir: PathBuf,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SpecEntry {
    pub path: PathBuf,
    pub out: Option<PathBuf>,
    #[serde(rename = "crate")]
    pub crate_name: Option<String>,
    pub with: Option<String>,
    pub server_trait: Option<String>,
    #[serde(default)]
    pub derive: Vec<String>,
    #[serde(default)]
    pub map_format: BTreeMap<String, String>,
    #[serde(default)]
    pub deny: Vec<String>,
    /// Component name → Rust type name.
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
    /// Only operations with these tags (and those in `operations`), and the types they reach.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Only these operations (operationIds; and those with `tags`), and the types they reach.
    #[serde(default)]
    pub operations: Vec<String>,
}

impl Config {
    /// `dir/spec-gen.toml`, when there is one.
    pub fn find(dir: &Path) -> Result<Option<Config>, String> {
        let path = dir.join(FILE_NAME);
        if !path.is_file() {
            return Ok(None);
        }
        Config::load(&path).map(Some)
    }

    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        let mut config: Config = toml::from_str(&text).map_err(|e| {
            let line = e.span().map(|s| text.get(..s.start).unwrap_or(&text).matches('\n').count() + 1);
            let at = line.map(|l| format!(":{l}")).unwrap_or_default();
            format!("{}{at}: {}", path.display(), e.message())
        })?;
        config.dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for entry in &config.specs {
            entry.options().map_err(|e| format!("{}: spec `{}`: {e}", path.display(), entry.path.display()))?;
        }
        Ok(config)
    }

    /// The entry for `spec` (compared as files, so `./openapi.yaml` and `openapi.yaml` match).
    pub fn entry(&self, spec: &Path) -> Option<&SpecEntry> {
        let wanted = std::fs::canonicalize(spec).ok();
        self.specs.iter().find(|e| {
            let path = self.dir.join(&e.path);
            match (&wanted, std::fs::canonicalize(&path).ok()) {
                (Some(a), Some(b)) => *a == b,
                _ => path == spec,
            }
        })
    }

    /// An entry's spec path, resolved against the file's folder.
    pub fn spec_path(&self, entry: &SpecEntry) -> PathBuf {
        self.dir.join(&entry.path)
    }

    /// The config file itself, for rebuild tracking.
    pub fn file(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }
}

impl SpecEntry {
    /// The generator options and deny policy this entry asks for.
    pub fn options(&self) -> Result<(Options, Deny), String> {
        let mut options = Options::default();
        if let Some(with) = &self.with {
            options.parts = Parts::parse(with).map_err(|e| format!("with: {e}"))?;
        }
        for (format, ty) in &self.map_format {
            options.formats.set(format, ty).map_err(|e| format!("map-format: {e}"))?;
        }
        for derive in &self.derive {
            crate::options::check_derive(derive).map_err(|e| format!("derive: {e}"))?;
        }
        options.extra_derives = self.derive.clone();
        if let Some(name) = &self.server_trait {
            crate::options::check_trait_name(name).map_err(|e| format!("server-trait: {e}"))?;
            options.server_trait = Some(name.clone());
        }
        for (from, to) in &self.rename {
            options
                .renames
                .push(crate::options::parse_rename(&format!("{from}={to}")).map_err(|e| format!("rename: {e}"))?);
        }
        options.select = spec_core::select::Selection { tags: self.tags.clone(), operations: self.operations.clone() };
        let mut deny = Deny::default();
        for item in &self.deny {
            match item.as_str() {
                "approximations" => deny.approximations = true,
                "warnings" => deny.warnings = true,
                other => return Err(format!("deny: `{other}` is not `approximations` or `warnings`")),
            }
        }
        Ok((options, deny))
    }
}

/// Options set explicitly by a front end, applied over a config entry's.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub parts: Option<Parts>,
    pub formats: Vec<(String, String)>,
    pub derives: Vec<String>,
    pub server_trait: Option<String>,
    pub renames: Vec<(String, String)>,
    /// `--lock FILE`: the lock file instead of the one beside the spec.
    pub lock: Option<std::path::PathBuf>,
    /// Replaces the config's selection when it selects anything.
    pub select: spec_core::select::Selection,
    pub deny_approximations: bool,
    pub deny_warnings: bool,
}

impl Overrides {
    /// `base` (from the config, or the defaults) with these overrides applied.
    pub fn apply(&self, base: (Options, Deny)) -> Result<(Options, Deny), String> {
        let (mut options, mut deny) = base;
        if let Some(parts) = self.parts {
            options.parts = parts;
        }
        for (format, ty) in &self.formats {
            options.formats.set(format, ty)?;
        }
        for derive in &self.derives {
            if !options.extra_derives.contains(derive) {
                options.extra_derives.push(derive.clone());
            }
        }
        if let Some(name) = &self.server_trait {
            options.server_trait = Some(name.clone());
        }
        if let Some(path) = &self.lock {
            options.lock = crate::lockfile::LockChoice::At(path.clone());
        }
        for (from, to) in &self.renames {
            options.renames.retain(|(f, _)| f != from);
            options.renames.push((from.clone(), to.clone()));
        }
        if !self.select.is_empty() {
            options.select = self.select.clone();
        }
        deny.approximations |= self.deny_approximations;
        deny.warnings |= self.deny_warnings;
        Ok((options, deny))
    }
}
