//! spec-codegen: turns the spec-gen IR into Rust source (tokens with `quote`, laid out with
//! `prettyplease`), and writes it as a file or a complete crate.
//!
//! One entry point, [`generate`], serves every front end; they differ only in how they fill
//! [`Options`] and where they write [`Output::code`].

mod builder;
pub mod config;
pub mod deps;
mod docs;
mod http;
mod laid_out;
mod layout;
pub mod lockfile;
mod object_impls;
pub mod options;
pub mod pipeline;
mod support;
mod typeref;
mod types;

use std::path::Path;

use proc_macro2::TokenStream;
use quote::quote;
use sha2::{Digest, Sha256};
use spec_core::diag::Diagnostics;
use spec_core::ir::Ir;
use spec_core::source::SourceSet;

pub use builder::{BuildError, Builder, output_name};
pub use deps::Dependency;
pub use http::skeletons::tagged_cases;
pub use http::{HttpNames, OperationNames};
pub use options::{FormatMapping, Options, Parts};

/// Generated code and what it needs.
#[derive(Debug)]
pub struct Output {
    /// Formatted Rust source with its `@generated` header.
    pub code: String,
    /// Crates the code uses, pinned.
    pub dependencies: Vec<Dependency>,
    /// Approximations the generator itself made (the IR builder reports its own).
    pub diagnostics: Diagnostics,
    /// Wall time of each generation stage, for `--timings` and the benchmark.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("generated code does not parse as Rust ({0}); this is a spec-gen bug, please report it with the spec")]
    Unparsable(String),
    #[error("cannot rename: {0}")]
    Rename(String),
    /// A `--tag` or `--operation` that selects nothing.
    #[error("cannot select: {0}")]
    Select(String),
    /// An unreadable or malformed `spec-gen.lock`.
    #[error("cannot use the lock file: {0}")]
    Lock(String),
    #[error("cannot write `{path}`: {source}")]
    Io { path: String, source: std::io::Error },
}

/// Generates the parts `options` asks for.
pub fn generate(ir: &Ir, sources: &SourceSet, options: &Options) -> Result<Output, GenerateError> {
    let started = std::time::Instant::now();
    // Large specs are generated in pieces on all cores: the types in ranges of ids, each range
    // quoted, parsed and laid out on its own thread, while this thread quotes the HTTP modules and
    // starts their layout (see `layout`). Pieces are joined in id order, so the output is
    // byte-identical whatever the core count.
    let threads = layout::parallelism();
    let chunk = ir.types.len().div_ceil(threads).max(MIN_TYPES_PER_THREAD);
    let ranges: Vec<std::ops::Range<usize>> =
        (0..ir.types.len()).step_by(chunk.max(1)).map(|start| start..(start + chunk).min(ir.types.len())).collect();
    let edges = &typeref::recursive_edges(ir);
    let lines = &docs::SpecLines::of(ir, sources);
    let http_wanted = options.parts.server || options.parts.client;
    let threaded = threads > 1 && (ranges.len() > 1 || http_wanted);
    let mut quoted_http = std::time::Duration::ZERO;
    let (pieces, http) = std::thread::scope(|scope| {
        let handles: Vec<_> = if threaded {
            ranges
                .iter()
                .cloned()
                .map(|r| layout::spawn_deep(scope, move || piece(ir, sources, options, edges, lines, r)))
                .collect()
        } else {
            Vec::new()
        };
        let http = http_wanted.then(|| {
            let quoting = std::time::Instant::now();
            let (modules, diags, used) = http_modules(ir, sources, options, edges, lines);
            quoted_http = quoting.elapsed();
            layout::modules(modules, threads).map(|code| (code, diags, used))
        });
        let pieces: Vec<Result<Piece, GenerateError>> = if threaded {
            handles.into_iter().map(|h| layout::join(h, "generator")).collect()
        } else {
            ranges.into_iter().map(|r| piece(ir, sources, options, edges, lines, r)).collect()
        };
        (pieces, http.transpose())
    });
    let mut body = String::new();
    let mut support = support::SupportNeeds::default();
    let mut used = typeref::UsedPrimitives::default();
    let mut diagnostics = Diagnostics::default();
    let mut stage = [std::time::Duration::ZERO; 3];
    for p in pieces {
        let p = p?;
        body.push_str(&p.code);
        support.merge(p.support);
        diagnostics.extend(p.diagnostics);
        used |= p.used;
        for (total, t) in stage.iter_mut().zip(p.timings) {
            *total = (*total).max(t);
        }
    }
    let http_code = http?.map(|(code, http_diags, http_used)| {
        diagnostics.extend(http_diags);
        used |= http_used;
        code
    });
    let (support, dependencies) = finish(ir, options, used, support);
    body.push_str(&support.module_text());
    body.push_str(http_code.as_deref().unwrap_or_default());
    let code = format!("{}{}", header(ir, sources), body);
    if let Some(warning) = large_output(ir, &code) {
        diagnostics.push(warning);
    }
    // The stages overlap on threads; reported as spans of this thread's wall time that add up to
    // the whole: quoting (the slower of the types' and the HTTP modules'), the types' parsing,
    // then the rest, which is laying out.
    stage[0] = stage[0].max(quoted_http);
    stage[2] = started.elapsed().saturating_sub(stage[0] + stage[1]);
    let timings = vec![("generate", stage[0]), ("syntax", stage[1]), ("format", stage[2])];
    Ok(Output { code, dependencies, diagnostics, timings })
}

/// Past this many generated lines a crate needs more memory to check than most machines have:
/// `cargo check` of Microsoft Graph beta's types and client, 3.4 million lines, grew rustc to
/// 24 GB (all this project's machine has) and did not finish; Google's aiplatform, 69 thousand
/// lines, takes 1.6 GB.
const LARGE_OUTPUT_LINES: usize = 1_000_000;

/// A warning when the output is larger than rustc can be expected to check on a developer's
/// machine, naming the way out: generating only the operations the user calls.
fn large_output(ir: &Ir, code: &str) -> Option<spec_core::diag::Diagnostic> {
    use spec_core::diag::{Diagnostic, Origin};
    let lines = code.bytes().filter(|&b| b == b'\n').count();
    (lines > LARGE_OUTPUT_LINES).then(|| {
        Diagnostic::warning(
            "large-output",
            Origin::new(spec_core::source::FileId(0), ""),
            format!(
                "the generated code is {lines} lines ({} types, {} operations): checking a crate this size takes \
                 rustc many GB of memory (Microsoft Graph beta's types and client, 3.4 million lines, outgrew 24 GB)",
                ir.types.len(),
                ir.operations.len()
            ),
        )
        .with_help(
            "generate only the operations you call: `--tag`/`--operation` (`Builder::tag`/`operation`, `tags`/\
             `operations` in spec-gen.toml) keep them and the types they reach, with the same names",
        )
    })
}

/// Below this many types per thread, threads cost more than they save.
const MIN_TYPES_PER_THREAD: usize = 400;

/// One piece of the output: formatted items of a range of types, and what they need.
struct Piece {
    code: String,
    support: support::SupportNeeds,
    diagnostics: Diagnostics,
    used: typeref::UsedPrimitives,
    /// generate, syntax, format.
    timings: [std::time::Duration; 3],
}

fn piece(
    ir: &Ir,
    sources: &SourceSet,
    options: &Options,
    edges: &std::collections::HashSet<(spec_core::ir::TypeId, spec_core::ir::TypeId)>,
    lines: &docs::SpecLines,
    range: std::ops::Range<usize>,
) -> Result<Piece, GenerateError> {
    let t0 = std::time::Instant::now();
    let typer = typeref::Typer::new(ir, &options.formats, edges, lines);
    let mut types_gen = types::TypesGen::new(&typer, sources, options);
    let items = types_gen.items_in(range);
    let generated = t0.elapsed();
    let laid_out = items.lay_out()?;
    Ok(Piece {
        code: laid_out.code,
        support: types_gen.support,
        diagnostics: types_gen.diags,
        used: typer.used(),
        timings: [generated, laid_out.syntax, laid_out.format],
    })
}

/// Unformatted tokens, for the proc macro (which hands tokens to the compiler directly).
pub struct Tokens {
    pub tokens: TokenStream,
    pub dependencies: Vec<Dependency>,
    pub diagnostics: Diagnostics,
}

pub fn generate_tokens(ir: &Ir, sources: &SourceSet, options: &Options) -> Result<Tokens, GenerateError> {
    let edges = typeref::recursive_edges(ir);
    let lines = docs::SpecLines::of(ir, sources);
    let typer = typeref::Typer::new(ir, &options.formats, &edges, &lines);
    let mut types_gen = types::TypesGen::new(&typer, sources, options);
    let items = types_gen.items().into_tokens()?;
    let (http, server_diags, server_used) = http_modules(ir, sources, options, &edges, &lines);
    let server = quote!(#(#http)*);
    let mut used = typer.used();
    used |= server_used;
    let (support, dependencies) = finish(ir, options, used, types_gen.support);
    let module = support.module();
    let tokens = quote! { #items #module #server };
    let mut diagnostics = types_gen.diags;
    diagnostics.extend(server_diags);
    Ok(Tokens { tokens, dependencies, diagnostics })
}

/// The runtime and the `operations`, `server`, `client` and `contract` modules in output order
/// (empty when not asked for).
fn http_modules(
    ir: &Ir,
    sources: &SourceSet,
    options: &Options,
    edges: &std::collections::HashSet<(spec_core::ir::TypeId, spec_core::ir::TypeId)>,
    lines: &docs::SpecLines,
) -> (Vec<TokenStream>, Diagnostics, typeref::UsedPrimitives) {
    if !options.parts.server && !options.parts.client {
        return (Vec::new(), Diagnostics::default(), typeref::UsedPrimitives::default());
    }
    let typer = typeref::Typer::new(ir, &options.formats, edges, lines);
    let (m, diags, used) = http::HttpGen::new(&typer, sources, options).modules(&options.parts);
    let modules = vec![http::runtime_module(&options.parts), m.operations, m.server, m.client, m.contract];
    (modules, diags, used)
}

/// The names the `server` and `client` parts give the trait and each operation's items.
pub fn http_names(ir: &Ir, sources: &SourceSet, options: &Options) -> http::HttpNames {
    let edges = typeref::recursive_edges(ir);
    let lines = docs::SpecLines::default();
    let typer = typeref::Typer::new(ir, &options.formats, &edges, &lines);
    http::HttpGen::new(&typer, sources, options).names()
}

/// Test skeletons for every operation and declared status not in `existing`, formatted, for the
/// user to own (`cargo spec-gen scaffold tests`). `spec` is the spec as the attribute names it
/// (relative to the user's manifest), `api_path` the generated module (`crate::api`).
pub fn scaffold_tests(
    ir: &Ir,
    sources: &SourceSet,
    options: &Options,
    spec: &str,
    api_path: &str,
    existing: &[(String, String)],
) -> Result<String, GenerateError> {
    let api: syn::Path = syn::parse_str(api_path)
        .map_err(|e| GenerateError::Unparsable(format!("`{api_path}` is not a module path: {e}")))?;
    let names = http_names(ir, sources, options);
    let paths = http::skeletons::SkeletonPaths { spec, api: &api };
    let tokens = http::skeletons::skeletons(&names, &paths, existing, existing.is_empty());
    let file: syn::File = syn::parse2(tokens).map_err(|e| GenerateError::Unparsable(e.to_string()))?;
    let body = http::skeletons::annotate(&prettyplease::unparse(&file));
    if existing.is_empty() {
        Ok(format!(
            "//! Contract tests of {}, started by `cargo spec-gen scaffold tests`; yours to edit.\n//! Each test is tied to an operation and a declared status (`#[spec_contract]`: it stops\n//! compiling when the spec drops them) and is ignored until you fill it in.\n\n{body}",
            ir.title.replace(['\n', '\r'], " ")
        ))
    } else {
        Ok(body)
    }
}

/// The `(operation, status)` cases of a spec, in spec order, as test tags name them.
pub fn contract_cases(ir: &Ir, sources: &SourceSet, options: &Options) -> Vec<(String, String)> {
    let names = http_names(ir, sources, options);
    names.operations.iter().flat_map(|o| o.statuses.iter().map(|s| http::skeletons::case_key(o, *s))).collect()
}

/// The implementation skeleton of the server trait, formatted, for the user to own.
/// `server_path` is the path of the generated `server` module in the user's crate (`crate::api::server`).
pub fn scaffold_server(
    ir: &Ir,
    sources: &SourceSet,
    options: &Options,
    server_path: &str,
) -> Result<String, GenerateError> {
    let path: syn::Path = syn::parse_str(server_path)
        .map_err(|e| GenerateError::Unparsable(format!("`{server_path}` is not a module path: {e}")))?;
    let edges = typeref::recursive_edges(ir);
    let lines = docs::SpecLines::of(ir, sources);
    let typer = typeref::Typer::new(ir, &options.formats, &edges, &lines);
    let tokens = http::HttpGen::new(&typer, sources, options).scaffold(&path);
    let file: syn::File = syn::parse2(tokens).map_err(|e| GenerateError::Unparsable(e.to_string()))?;
    Ok(format!(
        "//! The implementation of {}, started by `cargo spec-gen scaffold server`; edit freely.\n\n{}",
        ir.title.replace(['\n', '\r'], " "),
        prettyplease::unparse(&file)
    ))
}

/// The support module's helpers and the dependency list, once every item has been generated.
fn finish(
    ir: &Ir,
    options: &Options,
    used: typeref::UsedPrimitives,
    mut support: support::SupportNeeds,
) -> (support::SupportNeeds, Vec<Dependency>) {
    support.base64 |= used.contains(spec_core::ir::Primitive::Base64);
    let mut dependencies = vec![deps::SERDE, deps::SERDE_JSON];
    if options.parts.server {
        dependencies.extend(deps::SERVER);
    }
    if options.parts.client {
        dependencies.extend(deps::CLIENT.iter().filter(|d| !dependencies.contains(d)).copied().collect::<Vec<_>>());
    }
    if options.parts.tests {
        dependencies.push(deps::TOKIO);
    }
    if options.parts.proptest {
        dependencies.push(deps::PROPTEST);
    }
    if support.pattern && !dependencies.contains(&deps::REGRESS) {
        dependencies.push(deps::REGRESS);
    }
    if support.base64 && !dependencies.contains(&deps::BASE64) {
        dependencies.push(deps::BASE64);
    }
    for (primitive, mapping) in [
        (spec_core::ir::Primitive::DateTime, &options.formats.date_time),
        (spec_core::ir::Primitive::Date, &options.formats.date),
        (spec_core::ir::Primitive::Uuid, &options.formats.uuid),
    ] {
        if let Some(dep) = mapping.dependency {
            if used.contains(primitive) && !dependencies.contains(&dep) {
                dependencies.push(dep);
            }
        }
    }
    // Mapped formats the spec uses bring their crates (`uri=::url::Url` needs none we know of;
    // `byte=::uuid::Uuid` would need uuid).
    for (format, mapping) in &options.formats.others {
        let used = ir.string_formats.iter().any(|f| f == format) || matches!(format.as_str(), "byte" | "binary");
        if let Some(dep) = mapping.dependency.filter(|d| used && !dependencies.contains(d)) {
            dependencies.push(dep);
        }
    }
    dependencies.sort();
    (support, dependencies)
}

/// The first lines of every output: tool, version, spec and a hash of every spec file read, so a
/// reader can tell what produced the file and whether it is stale. No timestamp: output must be
/// byte-identical across runs.
fn header(ir: &Ir, sources: &SourceSet) -> String {
    let mut hasher = Sha256::new();
    for f in &sources.files {
        hasher.update(f.display.as_bytes());
        hasher.update([0]);
        hasher.update(f.text.as_bytes());
        hasher.update([0]);
    }
    let hash = hasher.finalize();
    let hex: String = hash.iter().take(16).map(|b| format!("{b:02x}")).collect();
    let root = sources.files.first().map(|f| f.display.as_str()).unwrap_or("?");
    let root = Path::new(root).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| root.to_owned());
    let version = ir.version.as_deref().map(|v| format!(" {}", v.replace(['\n', '\r'], " "))).unwrap_or_default();
    let title = ir.title.replace(['\n', '\r'], " ");
    format!(
        "// @generated by spec-gen {} from `{root}` ({title}{version}), sha256 {hex}.\n// Do not edit by hand: change the spec and regenerate.\n\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// The files of `output` as a crate in `dir`: Cargo.toml and src/lib.rs, with their contents.
pub fn crate_files(dir: &Path, crate_name: &str, output: &Output) -> Vec<(std::path::PathBuf, String)> {
    vec![
        (dir.join("Cargo.toml"), deps::cargo_toml(crate_name, &output.dependencies)),
        (dir.join("src").join("lib.rs"), output.code.clone()),
    ]
}

/// Writes `output` as a crate in `dir` (Cargo.toml and src/lib.rs), creating folders.
pub fn write_crate(dir: &Path, crate_name: &str, output: &Output) -> Result<(), GenerateError> {
    for (path, contents) in crate_files(dir, crate_name, output) {
        write_if_changed(&path, &contents)
            .map_err(|source| GenerateError::Io { path: path.display().to_string(), source })?;
    }
    Ok(())
}

/// Writes only when the contents differ, so unchanged output keeps its mtime and does not
/// trigger rebuilds.
pub fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)?;
        }
    }
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty_ir() -> Ir {
        Ir {
            dialect: spec_core::ir::Dialect::OpenApi31,
            title: "Big".into(),
            version: None,
            description: None,
            types: Vec::new(),
            operations: Vec::new(),
            servers: Vec::new(),
            security_schemes: Vec::new(),
            security: Vec::new(),
            string_formats: Vec::new(),
        }
    }

    #[test]
    fn large_output_is_a_warning_naming_selection() {
        let line = "pub struct S;            \n";
        let small = line.repeat(LARGE_OUTPUT_LINES);
        assert!(large_output(&empty_ir(), &small).is_none(), "exactly at the limit is not over it");
        let big = line.repeat(LARGE_OUTPUT_LINES + 1);
        let d = large_output(&empty_ir(), &big).expect("a warning past the limit");
        assert_eq!(d.severity, spec_core::Severity::Warning);
        assert_eq!(d.code, "large-output");
        assert!(d.message.contains(&format!("{} lines", LARGE_OUTPUT_LINES + 1)), "{}", d.message);
        assert!(d.help.as_deref().is_some_and(|h| h.contains("--tag")), "{:?}", d.help);
    }
}
