//! What a front end can ask of the generator: which parts to emit and how formats map to Rust.
//! Every front end (CLI, build.rs Builder, macro) fills one [`Options`] and calls one `generate`.

use proc_macro2::TokenStream;

/// The parts of the output a user asks for with `--with`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Parts {
    pub types: bool,
    pub server: bool,
    pub client: bool,
    pub tests: bool,
    /// proptest strategies for every type and request, and property tests that use them (opt-in:
    /// the generated crate then depends on proptest).
    pub proptest: bool,
}

impl Parts {
    /// The parts these need as well: property tests are tests, contract tests run the server's
    /// mock through the client, and both use the types.
    pub fn completed(mut self) -> Parts {
        self.tests |= self.proptest;
        if self.tests {
            self.server = true;
            self.client = true;
        }
        if self.server || self.client {
            self.types = true;
        }
        self
    }

    pub const NAMES: [&'static str; 5] = ["types", "server", "client", "tests", "proptest"];

    /// Parses a comma list such as `types,client`.
    pub fn parse(list: &str) -> Result<Parts, String> {
        let mut parts = Parts::default();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match item {
                "types" => parts.types = true,
                "server" => parts.server = true,
                "client" => parts.client = true,
                "tests" => parts.tests = true,
                "proptest" => parts.proptest = true,
                other => {
                    return Err(format!(
                        "unknown part `{other}`; expected a comma list of {}",
                        Parts::NAMES.join(", ")
                    ));
                }
            }
        }
        if parts == Parts::default() {
            return Err("no parts given; expected a comma list such as `types`".into());
        }
        Ok(parts.completed())
    }
}

/// A Rust type a string format maps to, and the crate (with its pinned version) that provides it.
#[derive(Debug, Clone, PartialEq)]
pub struct FormatType {
    /// Absolute path, e.g. `::chrono::DateTime<::chrono::Utc>`.
    pub path: String,
    /// The dependency the type needs, if any.
    pub dependency: Option<crate::deps::Dependency>,
}

impl FormatType {
    pub fn std_string() -> Self {
        FormatType { path: "::std::string::String".into(), dependency: None }
    }

    pub fn tokens(&self) -> TokenStream {
        // The path was checked when the mapping was built (see `FormatMapping::set`).
        self.path.parse().unwrap_or_else(|_| quote::quote!(::std::string::String))
    }
}

/// The documented default mapping of string formats to Rust types; each can be overridden.
#[derive(Debug, Clone, PartialEq)]
pub struct FormatMapping {
    pub date_time: FormatType,
    pub date: FormatType,
    pub uuid: FormatType,
    /// Every other string format the user mapped (`uri`, `email`, `byte`, `binary`, custom ones),
    /// by format name. Unmapped formats keep their default: `byte` the support `Base64` type,
    /// the rest `String`.
    pub others: std::collections::BTreeMap<String, FormatType>,
}

impl Default for FormatMapping {
    fn default() -> Self {
        FormatMapping {
            date_time: FormatType {
                path: "::chrono::DateTime<::chrono::Utc>".into(),
                dependency: Some(crate::deps::CHRONO),
            },
            date: FormatType { path: "::chrono::NaiveDate".into(), dependency: Some(crate::deps::CHRONO) },
            uuid: FormatType { path: "::uuid::Uuid".into(), dependency: Some(crate::deps::UUID) },
            others: std::collections::BTreeMap::new(),
        }
    }
}

impl FormatMapping {
    /// Overrides one string format (`date-time`, `date`, `uuid`, `byte`, `binary`, `uri`, or any
    /// other name a spec uses) with a Rust type path; `string` maps it to `String`. The path must
    /// parse as a Rust type, which must (de)serialize from a JSON string.
    pub fn set(&mut self, format: &str, rust_type: &str) -> Result<(), String> {
        let ty = if rust_type == "string" || rust_type == "String" {
            FormatType::std_string()
        } else {
            syn::parse_str::<syn::Type>(rust_type).map_err(|e| format!("`{rust_type}` is not a Rust type: {e}"))?;
            let dependency = crate::deps::for_path(rust_type);
            FormatType { path: rust_type.to_owned(), dependency }
        };
        match format {
            "date-time" => self.date_time = ty,
            "date" => self.date = ty,
            "uuid" => self.uuid = ty,
            "" => return Err("the format name is empty".to_owned()),
            other => {
                self.others.insert(other.to_owned(), ty);
            }
        }
        Ok(())
    }
}

/// Checks an extra derive given by the user: it must be a path (`Eq`, `schemars::JsonSchema`).
pub fn check_derive(path: &str) -> Result<(), String> {
    syn::parse_str::<syn::Path>(path).map(|_| ()).map_err(|e| format!("`{path}` is not a derive path: {e}"))
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub parts: Parts,
    pub formats: FormatMapping,
    /// Extra derives added to every struct and enum (e.g. `Eq`, `Hash`, `schemars::JsonSchema`).
    pub extra_derives: Vec<String>,
    /// The server trait's name, instead of the one derived from the spec's title.
    pub server_trait: Option<String>,
    /// Type names chosen by the user: (component name in the spec, Rust type name).
    pub renames: Vec<(String, String)>,
    /// Only these operations (by tag or operationId) and the types they reach; empty: all.
    pub select: spec_core::select::Selection,
    /// The `spec-gen.lock` whose pinned names the run keeps.
    pub lock: crate::lockfile::LockChoice,
}

/// Checks a rename given by the user: `FROM=TO`, `TO` a plain Rust identifier.
pub fn parse_rename(text: &str) -> Result<(String, String), String> {
    let (from, to) = text.split_once('=').ok_or_else(|| format!("`{text}` is not SCHEMA=TypeName"))?;
    let (from, to) = (from.trim(), to.trim());
    if from.is_empty() {
        return Err(format!("`{text}` names no schema"));
    }
    check_trait_name(to).map_err(|_| format!("`{to}` is not a Rust type name"))?;
    Ok((from.to_owned(), to.to_owned()))
}

/// Checks a trait name given by the user: a plain Rust identifier.
pub fn check_trait_name(name: &str) -> Result<(), String> {
    match syn::parse_str::<syn::Ident>(name) {
        Ok(_) => Ok(()),
        Err(_) => Err(format!("`{name}` is not a Rust identifier")),
    }
}
