//! The crates generated code depends on, pinned to the versions spec-gen is tested with, and the
//! Cargo.toml written for `--crate` output.

use std::collections::BTreeMap;

/// A dependency of generated code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dependency {
    pub name: &'static str,
    /// An exact version requirement, so a generated crate builds the same everywhere.
    pub version: &'static str,
    pub features: &'static [&'static str],
    pub default_features: bool,
}

pub const SERDE: Dependency =
    Dependency { name: "serde", version: "=1.0.229", features: &["derive"], default_features: true };
pub const SERDE_JSON: Dependency =
    Dependency { name: "serde_json", version: "=1.0.154", features: &[], default_features: true };
pub const CHRONO: Dependency =
    Dependency { name: "chrono", version: "=0.4.45", features: &["serde", "std"], default_features: false };
pub const UUID: Dependency =
    Dependency { name: "uuid", version: "=1.29.3", features: &["serde"], default_features: true };
pub const REGRESS: Dependency =
    Dependency { name: "regress", version: "=0.12.0", features: &[], default_features: true };
pub const BASE64: Dependency = Dependency { name: "base64", version: "=0.22.1", features: &[], default_features: true };

pub const AXUM: Dependency = Dependency { name: "axum", version: "=0.8.9", features: &[], default_features: true };
pub const FORM_URLENCODED: Dependency =
    Dependency { name: "form_urlencoded", version: "=1.2.2", features: &[], default_features: true };
pub const PERCENT_ENCODING: Dependency =
    Dependency { name: "percent-encoding", version: "=2.3.2", features: &[], default_features: true };

/// What the `server` part's code and runtime use, beside serde.
pub const SERVER: [Dependency; 5] = [AXUM, BASE64, FORM_URLENCODED, PERCENT_ENCODING, REGRESS];

/// reqwest with rustls: a generated client reaches HTTPS servers without a system TLS library.
pub const REQWEST: Dependency =
    Dependency { name: "reqwest", version: "=0.12.28", features: &["rustls-tls"], default_features: false };

/// What the `client` part's code and runtime use, beside serde.
pub const CLIENT: [Dependency; 5] = [REQWEST, BASE64, FORM_URLENCODED, PERCENT_ENCODING, REGRESS];

/// The `tests` part serves routers on loopback ports (axum already depends on tokio; no macros).
pub const TOKIO: Dependency =
    Dependency { name: "tokio", version: "=1.54.1", features: &["net", "rt"], default_features: false };

/// The `proptest` part: strategies and property tests (no fork or timeout support: fewer crates).
pub const PROPTEST: Dependency =
    Dependency { name: "proptest", version: "=1.12.0", features: &["std"], default_features: false };

/// Guesses the crate a user-supplied type path needs (`::time::OffsetDateTime` → none known).
pub fn for_path(path: &str) -> Option<Dependency> {
    let first = path.trim_start_matches("::").split("::").next()?;
    [CHRONO, UUID].into_iter().find(|d| d.name == first)
}

/// The `[dependencies]` table for a set of dependencies, sorted by name.
pub fn dependency_table(deps: &[Dependency]) -> String {
    let unique: BTreeMap<&str, &Dependency> = deps.iter().map(|d| (d.name, d)).collect();
    let mut out = String::from("[dependencies]\n");
    for d in unique.values() {
        let mut fields = vec![format!("version = \"{}\"", d.version)];
        if !d.default_features {
            fields.push("default-features = false".into());
        }
        if !d.features.is_empty() {
            let list: Vec<String> = d.features.iter().map(|f| format!("\"{f}\"")).collect();
            fields.push(format!("features = [{}]", list.join(", ")));
        }
        out.push_str(&format!("{} = {{ {} }}\n", d.name, fields.join(", ")));
    }
    out
}

/// The generated code names its crates directly (`::serde`, `::regress`), so the including crate
/// must depend on them. When the manifest in `manifest_dir` lacks some, says so with the lines to
/// add, instead of leaving the user an "unresolved crate" error inside generated code.
pub fn missing(manifest_dir: &std::path::Path, deps: &[Dependency]) -> Option<String> {
    let manifest = std::fs::read_to_string(manifest_dir.join("Cargo.toml")).ok()?;
    let missing = undeclared(&manifest, deps);
    if missing.is_empty() {
        return None;
    }
    Some(format!("error: the generated code needs these dependencies in Cargo.toml:\n{}", dependency_table(&missing)))
}

/// The dependencies a manifest's text does not declare (by name, in any table).
pub fn undeclared(manifest: &str, deps: &[Dependency]) -> Vec<Dependency> {
    let declared = |name: &str| {
        manifest.lines().any(|line| {
            let line = line.trim_start();
            line.strip_prefix(name).is_some_and(|rest| rest.trim_start().starts_with(['=', '.']))
        })
    };
    deps.iter().filter(|d| !declared(d.name)).copied().collect()
}

/// A complete Cargo.toml for a generated crate. The empty `[workspace]` keeps the crate
/// standalone even when written inside another workspace's folder.
pub fn cargo_toml(crate_name: &str, deps: &[Dependency]) -> String {
    format!(
        "# @generated by spec-gen {}. Do not edit.\n[package]\nname = \"{crate_name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\n\n{}\n[workspace]\n",
        env!("CARGO_PKG_VERSION"),
        dependency_table(deps)
    )
}
