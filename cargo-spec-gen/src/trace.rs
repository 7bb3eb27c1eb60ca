//! `cargo spec-gen trace`: where every generated item came from, as JSON for review tools and
//! auditors: each item with its spec location (file, line, column, JSON pointer), a map from
//! each location to the items generated from it, and the reverse.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::json;
use spec_codegen::pipeline::{self, Deny};
use spec_core::diag::Origin;
use spec_core::ir::{Ir, TypeKind};

use crate::diff::{generate_options, http_names, places};

#[derive(clap::Args)]
pub struct TraceArgs {
    spec: PathBuf,
    /// Write the map here instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub fn run(args: TraceArgs) -> ExitCode {
    let options = match generate_options(&args.spec) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let (loaded, ir) = match pipeline::lower(&args.spec, &options, Deny::default()) {
        Ok(lowered) => lowered,
        Err(failure) => {
            eprint!("{}", failure.render(&args.spec));
            return ExitCode::FAILURE;
        }
    };
    let items = items_of(&ir, &loaded.sources, &options);
    let origins: Vec<&Origin> = items.iter().map(|(_, _, o)| o).collect();
    let located = places(&loaded.sources, &origins);
    let mut by_location: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    let mut by_item: BTreeMap<&str, String> = BTreeMap::new();
    let mut list = Vec::new();
    for ((path, kind, origin), place) in items.iter().zip(&located) {
        let key = format!("{}#{}", loaded.sources.file(origin.file).display, origin.pointer);
        by_location.entry(key.clone()).or_default().push(path);
        by_item.insert(path, key);
        list.push(json!({ "rust": path, "kind": kind, "spec": place.json() }));
    }
    let map = json!({
        "spec": args.spec.display().to_string(),
        "items": list,
        "by_location": by_location,
        "by_item": by_item,
    });
    let text = serde_json::to_string_pretty(&map).unwrap_or_default() + "\n";
    match &args.out {
        Some(path) => write(path, &text),
        None => {
            print!("{text}");
            ExitCode::SUCCESS
        }
    }
}

fn write(path: &Path, text: &str) -> ExitCode {
    match std::fs::write(path, text) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}

/// Every generated item with a spec origin: (Rust path in the generated module, kind, origin).
/// Types and their fields; per operation the server trait method, the client method and the
/// request struct's parameter fields; security schemes.
fn items_of(
    ir: &Ir,
    sources: &spec_core::SourceSet,
    options: &spec_codegen::Options,
) -> Vec<(String, &'static str, Origin)> {
    let mut items = Vec::new();
    for def in &ir.types {
        let kind = match &def.kind {
            TypeKind::Struct(_) => "struct",
            TypeKind::Enum(_) => "enum",
            TypeKind::Union(_) => "union",
            TypeKind::Newtype(_) => "newtype",
            TypeKind::Alias(_) => "alias",
        };
        items.push((def.name.clone(), kind, def.origin.clone()));
        if let TypeKind::Struct(s) = &def.kind {
            for field in &s.fields {
                items.push((format!("{}::{}", def.name, field.name), "field", field.origin.clone()));
            }
        }
    }
    let names = http_names(ir, sources, options);
    for op in ir.operations.iter().filter(|o| !o.webhook) {
        let Some(n) = names.operations.iter().find(|n| n.name == op.name) else { continue };
        items.push((format!("server::{}::{}", names.trait_name, n.name), "server method", op.origin.clone()));
        items.push((format!("client::Client::{}", n.client_method), "client method", op.origin.clone()));
        items.push((format!("operations::{}", n.response), "response enum", op.origin.child("responses")));
        if let Some(request) = &n.request {
            items.push((format!("operations::{request}"), "request struct", op.origin.clone()));
            for p in &op.params {
                items.push((format!("operations::{request}::{}", p.rust_name), "parameter", p.origin.clone()));
            }
        }
    }
    items
}
