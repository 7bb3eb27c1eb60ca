//! `#[spec_contract]`: the proc-macro front end. It parses its arguments, runs the same pipeline
//! as the CLI and the build.rs builder, and puts the generated items into the annotated module.
//!
//! ```ignore
//! #[spec_contract("openapi.yaml")]
//! mod api {}
//!
//! #[spec_contract(spec = "openapi.yaml", with = "types")]
//! pub mod petstore {}
//! ```
//!
//! On a struct, with `schema = "Name"`, it checks a hand-written type against that schema instead:
//! each missing, extra, wrongly typed or wrongly optional field is a compile error at the field.
//!
//! ```ignore
//! #[spec_contract(spec = "openapi.yaml", schema = "Pet")]
//! #[derive(serde::Deserialize)]
//! struct Pet { id: i64, name: String, tag: Option<String> }
//! ```
//!
//! Paths are relative to the crate's `CARGO_MANIFEST_DIR`. Every file the spec reads is tied to
//! the module with `include_bytes!`, so editing the spec (or any file it references) rebuilds the
//! crate. Spec errors become one compile error at the path literal, with the spec's file:line.

use std::path::PathBuf;

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Lit, LitStr, Meta, Token};

mod check;

#[proc_macro_attribute]
pub fn spec_contract(attr: TokenStream, item: TokenStream) -> TokenStream {
    let args = match syn::parse::<Args>(attr) {
        Ok(args) => args,
        Err(e) => return e.to_compile_error().into(),
    };
    if let Ok(structure) = syn::parse::<syn::ItemStruct>(item.clone()) {
        return check_struct(args, structure).unwrap_or_else(|e| e.to_compile_error()).into();
    }
    if let Ok(function) = syn::parse::<syn::ItemFn>(item.clone()) {
        return check_test(args, function).unwrap_or_else(|e| e.to_compile_error()).into();
    }
    let module = match syn::parse::<syn::ItemMod>(item) {
        Ok(m) => m,
        Err(_) => {
            return syn::Error::new(
                Span::call_site(),
                "#[spec_contract] generates into a module (`mod name {}`) or checks a struct against a schema \
                 (`schema = \"Name\"` on a struct)",
            )
            .to_compile_error()
            .into();
        }
    };
    if let Some(schema) = &args.schema {
        return syn::Error::new(schema.span(), "`schema` checks a struct: write it on `struct Name { … }`")
            .to_compile_error()
            .into();
    }
    if let Some(operation) = &args.operation {
        return syn::Error::new(operation.span(), "`operation` and `status` tie a test function to the spec")
            .to_compile_error()
            .into();
    }
    expand(args, module).unwrap_or_else(|e| e.to_compile_error()).into()
}

/// `"path"` or `spec = "path"`, then optional `with = "types,…"` and `server_trait = "Name"` (on a
/// module), or `schema = "Name"` (on a struct).
struct Args {
    spec: LitStr,
    with: Option<LitStr>,
    server_trait: Option<LitStr>,
    schema: Option<LitStr>,
    /// On a test function: the operation (operationId) and declared status it tests.
    operation: Option<LitStr>,
    /// `404`, `"4XX"` or `"default"`, as text, with where it was written.
    status: Option<(String, proc_macro2::Span)>,
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut spec = None;
        let mut with = None;
        let mut server_trait = None;
        let mut schema = None;
        let mut operation = None;
        let mut status = None;
        if input.peek(LitStr) {
            spec = Some(input.parse::<LitStr>()?);
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        for meta in Punctuated::<Meta, Token![,]>::parse_terminated(input)? {
            let Meta::NameValue(nv) = &meta else {
                return Err(syn::Error::new_spanned(meta, "expected `spec = \"...\"` or `with = \"...\"`"));
            };
            let key = nv.path.get_ident().map(|i| i.to_string());
            // `status = 404` may be an integer; every other value is a string.
            if key.as_deref() == Some("status") {
                let text = match &nv.value {
                    Expr::Lit(ExprLit { lit: Lit::Int(code), .. }) => code.base10_digits().to_owned(),
                    Expr::Lit(ExprLit { lit: Lit::Str(text), .. }) => text.value(),
                    other => {
                        return Err(syn::Error::new_spanned(
                            other,
                            "expected a status: `404`, `\"4XX\"` or `\"default\"`",
                        ));
                    }
                };
                if status.replace((text, syn::spanned::Spanned::span(&nv.value))).is_some() {
                    return Err(syn::Error::new_spanned(&nv.path, "given twice"));
                }
                continue;
            }
            let Expr::Lit(ExprLit { lit: Lit::Str(value), .. }) = &nv.value else {
                return Err(syn::Error::new_spanned(&nv.value, "expected a string literal"));
            };
            match key.as_deref() {
                Some("spec") if spec.is_none() => spec = Some(value.clone()),
                Some("with") if with.is_none() => with = Some(value.clone()),
                Some("server_trait") if server_trait.is_none() => server_trait = Some(value.clone()),
                Some("schema") if schema.is_none() => schema = Some(value.clone()),
                Some("operation") if operation.is_none() => operation = Some(value.clone()),
                Some("spec" | "with" | "server_trait" | "schema" | "operation") => {
                    return Err(syn::Error::new_spanned(&nv.path, "given twice"));
                }
                _ => {
                    return Err(syn::Error::new_spanned(
                        &nv.path,
                        "unknown argument; expected `spec`, `with`, `server_trait`, `schema`, `operation` or `status`",
                    ));
                }
            }
        }
        let spec = spec.ok_or_else(|| input.error("missing the spec path: #[spec_contract(\"openapi.yaml\")]"))?;
        Ok(Args { spec, with, server_trait, schema, operation, status })
    }
}

/// The manifest folder, the spec path as the user wrote it, and the path to read.
fn spec_path(spec: &LitStr) -> (PathBuf, PathBuf, PathBuf) {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).unwrap_or_default();
    let written = PathBuf::from(spec.value());
    let path = manifest_dir.join(&written);
    (manifest_dir, written, path)
}

/// A spec that could not be read or has errors: one compile error at the path literal.
fn spec_failure(spec: &LitStr, written: &std::path::Path, mut failure: spec_codegen::pipeline::Failure) -> syn::Error {
    // Name files as the user wrote the path (relative to their manifest), not absolutely.
    if let spec_codegen::pipeline::Failure::Spec { sources: Some(sources), .. } = &mut failure {
        sources.shown_dir = written.parent().map(PathBuf::from).unwrap_or_default();
    }
    syn::Error::new(spec.span(), compile_error_text(&failure.render(written)))
}

/// Each file the spec read as a compile-time input, so editing one rebuilds the crate.
fn spec_inputs(sources: &spec_core::source::SourceSet) -> proc_macro2::TokenStream {
    // The lock file beside the root spec pins names, so it is an input too (when there is one:
    // `include_bytes!` of a missing file would be an error).
    let lock = sources.files.first().map(|root| spec_codegen::lockfile::beside(&root.path)).filter(|p| p.is_file());
    let inputs = sources.files.iter().map(|f| f.path.clone()).chain(lock).map(|p| p.display().to_string());
    quote!(#(const _: &[u8] = include_bytes!(#inputs);)*)
}

/// The struct-checking mode.
fn check_struct(args: Args, item: syn::ItemStruct) -> syn::Result<proc_macro2::TokenStream> {
    let Some(schema) = &args.schema else {
        return Err(syn::Error::new(
            item.ident.span(),
            "on a struct, name the schema to check it against: #[spec_contract(spec = \"openapi.yaml\", schema = \"Name\")]",
        ));
    };
    for (given, what) in [(&args.with, "with"), (&args.server_trait, "server_trait")] {
        if let Some(given) = given {
            return Err(syn::Error::new(given.span(), format!("`{what}` is for modules; a struct is only checked")));
        }
    }
    if let Some(operation) = &args.operation {
        return Err(syn::Error::new(operation.span(), "`operation` and `status` are for test functions"));
    }
    let (_, written, path) = spec_path(&args.spec);
    let (loaded, ir) = spec_codegen::pipeline::lower(&path, &Default::default(), Default::default())
        .map_err(|failure| spec_failure(&args.spec, &written, failure))?;
    let mut sources = loaded.sources;
    sources.shown_dir = written.parent().map(PathBuf::from).unwrap_or_default();
    let errors = check::check(&check::Spec { ir: &ir, sources: &sources }, schema, &item);
    let inputs = spec_inputs(&sources);
    let checked = check::emit(&item, errors);
    Ok(quote! {
        #checked
        const _: () = { #inputs };
    })
}

/// A test tied to an operation and status: a compile error at the argument when the spec no
/// longer has that operation, or the operation no longer declares that status.
fn check_test(args: Args, function: syn::ItemFn) -> syn::Result<proc_macro2::TokenStream> {
    let (Some(operation), Some((status, status_span))) = (&args.operation, &args.status) else {
        return Err(syn::Error::new(
            function.sig.ident.span(),
            "on a test, name what it tests: #[spec_contract(spec = \"openapi.yaml\", operation = \"getPet\", status = 200)]",
        ));
    };
    let (_, written, path) = spec_path(&args.spec);
    let (loaded, ir) = spec_codegen::pipeline::lower(&path, &Default::default(), Default::default())
        .map_err(|failure| spec_failure(&args.spec, &written, failure))?;
    let wanted = operation.value();
    let Some(op) =
        ir.operations.iter().find(|o| o.operation_id.as_deref() == Some(wanted.as_str()) || o.name == wanted)
    else {
        let mut known: Vec<&str> =
            ir.operations.iter().map(|o| o.operation_id.as_deref().unwrap_or(o.name.as_str())).collect();
        known.sort_unstable();
        let listed = if known.len() > 12 { format!("{}, …", known[..12].join(", ")) } else { known.join(", ") };
        return Err(syn::Error::new(
            operation.span(),
            format!("the spec has no operation `{wanted}`; it has: {listed}"),
        ));
    };
    let declared: Vec<String> = op.responses.iter().map(|r| status_text(r.status)).collect();
    if !declared.iter().any(|d| d.eq_ignore_ascii_case(status)) {
        return Err(syn::Error::new(
            *status_span,
            format!("`{wanted}` declares no `{status}` response; it declares: {}", declared.join(", ")),
        ));
    }
    let inputs = spec_inputs(&loaded.sources);
    Ok(quote! {
        #function
        const _: () = { #inputs };
    })
}

/// `404`, `4XX`, `default`, as the spec writes them.
fn status_text(status: spec_core::ir::StatusSpec) -> String {
    match status {
        spec_core::ir::StatusSpec::Code(code) => code.to_string(),
        spec_core::ir::StatusSpec::Range(d) => format!("{d}XX"),
        spec_core::ir::StatusSpec::Default => "default".into(),
    }
}

/// The compiler prints `error: ` before the message already.
fn compile_error_text(rendered: &str) -> String {
    rendered.strip_prefix("error: ").unwrap_or(rendered).trim_end().to_owned()
}

fn expand(args: Args, module: syn::ItemMod) -> syn::Result<proc_macro2::TokenStream> {
    if let Some((_, items)) = &module.content {
        if !items.is_empty() {
            return Err(syn::Error::new_spanned(&module, "the module must be empty: spec-gen fills it"));
        }
    }
    let mut overrides = spec_codegen::config::Overrides::default();
    if let Some(with) = &args.with {
        overrides.parts = Some(spec_codegen::Parts::parse(&with.value()).map_err(|e| syn::Error::new(with.span(), e))?);
    }
    if let Some(name) = &args.server_trait {
        spec_codegen::options::check_trait_name(&name.value()).map_err(|e| syn::Error::new(name.span(), e))?;
        overrides.server_trait = Some(name.value());
    }
    let (manifest_dir, written, path) = spec_path(&args.spec);
    // The crate's spec-gen.toml entry for this spec is the base; the macro's arguments win.
    let config = spec_codegen::config::Config::find(&manifest_dir).map_err(|e| syn::Error::new(args.spec.span(), e))?;
    let base = match config.as_ref().and_then(|c| c.entry(&path)) {
        Some(entry) => entry.options().map_err(|e| syn::Error::new(args.spec.span(), e))?,
        None => Default::default(),
    };
    let (options, deny) = overrides.apply(base).map_err(|e| syn::Error::new(args.spec.span(), e))?;
    let (loaded, tokens) = spec_codegen::pipeline::run_tokens(&path, &options, deny)
        .map_err(|failure| spec_failure(&args.spec, &written, failure))?;
    if let Some(missing) = spec_codegen::deps::missing(&manifest_dir, &tokens.dependencies) {
        return Err(syn::Error::new(args.spec.span(), compile_error_text(&missing)));
    }
    let inputs = spec_inputs(&loaded.sources);
    let config_input = config.map(|c| c.file().display().to_string()).map(|file| {
        quote!(
            const _: &[u8] = include_bytes!(#file);
        )
    });
    let body = tokens.tokens;
    let syn::ItemMod { attrs, vis, mod_token, ident, .. } = module;
    Ok(quote! {
        #(#attrs)*
        #vis #mod_token #ident {
            #inputs
            #config_input
            #body
        }
    })
}
