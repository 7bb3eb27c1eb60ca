//! `spec-gen.lock`: the file that keeps generated names stable across spec revisions (see
//! `spec_core::lock` for what is pinned and how). It lives beside the root spec, is written by
//! `cargo spec-gen generate` and `cargo spec-gen lock`, and read by every front end, so the
//! build script, the macro and the CLI name items alike. One file serves every root spec in its
//! folder: a section per root spec file name.
//!
//! TOML, one line per item, sorted, so it diffs well in review:
//!
//! ```toml
//! version = 1
//!
//! [spec."petstore.yaml".types]
//! "#/components/schemas/Pet" = { name = "Pet" }
//!
//! [spec."petstore.yaml".operations]
//! "#/paths/~1pets/get" = { name = "list_pets" }
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use spec_core::lock::{Pin, Pins};

pub const FILE_NAME: &str = "spec-gen.lock";
const VERSION: u32 = 1;

/// Which lock file a run reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum LockChoice {
    /// `spec-gen.lock` in the root spec's folder.
    #[default]
    Beside,
    /// This file.
    At(PathBuf),
    /// The section of another root spec in this file: `diff` names both versions of a spec
    /// with the lock of the newer one.
    Of { path: PathBuf, section: String },
    /// None: every name is derived from the spec alone.
    Off,
}

impl LockChoice {
    /// The lock file for the root spec at `spec` and its section there, if any is used.
    pub fn locate(&self, spec: &Path) -> Option<(PathBuf, String)> {
        match self {
            LockChoice::Beside => Some((beside(spec), section_of(spec))),
            LockChoice::At(path) => Some((path.clone(), section_of(spec))),
            LockChoice::Of { path, section } => Some((path.clone(), section.clone())),
            LockChoice::Off => None,
        }
    }
}

/// `spec-gen.lock` in the folder of the root spec at `spec`.
pub fn beside(spec: &Path) -> PathBuf {
    spec.parent().unwrap_or(Path::new("")).join(FILE_NAME)
}

/// A lock file's contents: each root spec's pins, by the spec's file name.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LockFile {
    pub specs: BTreeMap<String, Pins>,
}

/// The section a root spec's pins go in: its file name.
pub fn section_of(spec: &Path) -> String {
    spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileData {
    version: u32,
    #[serde(default)]
    spec: BTreeMap<String, SpecData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecData {
    #[serde(default)]
    types: BTreeMap<String, PinData>,
    #[serde(default)]
    operations: BTreeMap<String, PinData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PinData {
    name: String,
    shape: Option<String>,
}

impl LockFile {
    /// Reads `path`; a missing file is an empty lock. `Err` names the file and what is wrong.
    pub fn read(path: &Path) -> Result<(LockFile, String), String> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((LockFile::default(), String::new())),
            Err(e) => return Err(format!("cannot read `{}`: {e}", path.display())),
        };
        Ok((Self::parse(&text).map_err(|e| format!("`{}`: {e}", path.display()))?, text))
    }

    pub fn parse(text: &str) -> Result<LockFile, String> {
        let data: FileData = toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned())?;
        if data.version != VERSION {
            return Err(format!("lock file version {} is not {VERSION}, the one this spec-gen writes", data.version));
        }
        let pins = |m: BTreeMap<String, PinData>| -> BTreeMap<String, Pin> {
            m.into_iter().map(|(k, p)| (k, Pin { name: p.name, shape: p.shape })).collect()
        };
        let specs = data
            .spec
            .into_iter()
            .map(|(name, s)| (name, Pins { types: pins(s.types), operations: pins(s.operations) }))
            .collect();
        Ok(LockFile { specs })
    }

    /// The file's text; sorted, so the same pins always give the same bytes.
    pub fn render(&self) -> String {
        let mut out = String::from(
            "# spec-gen.lock: the Rust name of every type and operation spec-gen generates, pinned to\n\
             # where it is declared, so that revising the spec does not rename them. Written by\n\
             # `cargo spec-gen generate` and `cargo spec-gen lock`; commit it. Delete an entry to let\n\
             # its name be derived from the spec again.\n",
        );
        let _ = writeln!(out, "version = {VERSION}");
        for (spec, pins) in &self.specs {
            for (table, entries) in [("types", &pins.types), ("operations", &pins.operations)] {
                if entries.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "\n[spec.{}.{table}]", quoted(spec));
                for (key, pin) in entries {
                    let _ = match &pin.shape {
                        Some(shape) => writeln!(
                            out,
                            "{} = {{ name = {}, shape = {} }}",
                            quoted(key),
                            quoted(&pin.name),
                            quoted(shape)
                        ),
                        None => writeln!(out, "{} = {{ name = {} }}", quoted(key), quoted(&pin.name)),
                    };
                }
            }
        }
        out
    }
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// What a run would leave in its lock file: the file's text before and after.
#[derive(Debug, Clone)]
pub struct LockUpdate {
    pub path: PathBuf,
    pub before: String,
    pub after: String,
}

impl LockUpdate {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }

    pub fn write(&self) -> std::io::Result<()> {
        crate::write_if_changed(&self.path, &self.after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_and_parses_back() {
        let mut pins = Pins::default();
        pins.types.insert("#/components/schemas/Pet".into(), Pin { name: "Pet".into(), shape: None });
        pins.types.insert(
            "#/paths/~1pets/get/responses/200/content/application~1json/schema".into(),
            Pin { name: "ListPetsResponse".into(), shape: Some("00ff00ff00ff00ff".into()) },
        );
        pins.operations.insert("#/paths/~1pets/get".into(), Pin { name: "list_pets".into(), shape: None });
        let lock = LockFile { specs: [("pet \"store\".yaml".to_owned(), pins)].into_iter().collect() };
        let text = lock.render();
        assert_eq!(LockFile::parse(&text).unwrap(), lock);
        assert!(text.contains("\"#/components/schemas/Pet\" = { name = \"Pet\" }\n"), "{text}");
    }

    #[test]
    fn refuses_other_versions_and_unknown_fields() {
        assert!(LockFile::parse("version = 2\n").unwrap_err().contains("version 2"));
        let err = LockFile::parse("version = 1\n[spec.\"a.yaml\".types]\n\"#/x\" = { nam = \"X\" }\n").unwrap_err();
        assert!(err.contains("nam"), "{err}");
    }
}
