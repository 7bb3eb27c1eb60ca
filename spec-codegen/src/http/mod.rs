//! The HTTP parts: per operation a request struct and a response enum (the `operations` module),
//! and around them the `server` (an axum router and a trait with one async method per operation)
//! and the `client` (a reqwest client with one async method per operation).
//!
//! Server and client share the operation types, so what a client sends is the value the server's
//! method receives, and what the method returns is the value the client gets back. Generated code
//! is mostly data and calls into the runtime (`runtime/*.rs`, copied into the output once): a
//! static schema table, a handler per operation that reads parameters and body against it, and a
//! client method per operation that writes them in the spec's styles.

mod client;
mod contract;
mod mock;
mod nodes;
mod pattern_sample;
mod property;
mod responses;
mod routes;
mod scaffold;
mod server;
pub mod skeletons;

use std::collections::HashMap;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use spec_core::diag::Diagnostics;
use spec_core::ir::*;
use spec_core::lower::names::{Scope, pascal};
use spec_core::source::SourceSet;

use crate::Parts;
use crate::docs::doc_attrs;
use crate::typeref::Typer;

use nodes::NodeTable;
use responses::Variant;

/// The runtime sources, copied into every output with a server or a client.
pub const RUNTIME_SCHEMA: &str = include_str!("../../runtime/schema.rs");
pub const RUNTIME_HTTP: &str = include_str!("../../runtime/http.rs");
pub const RUNTIME_SERVER: &str = include_str!("../../runtime/server.rs");
pub const RUNTIME_CLIENT: &str = include_str!("../../runtime/client.rs");
pub const RUNTIME_CONTRACT: &str = include_str!("../../runtime/contract.rs");
pub const RUNTIME_STRATEGY: &str = include_str!("../../runtime/strategy.rs");

pub struct HttpGen<'a> {
    typer: Typer<'a>,
    /// The user's name for the trait, if they gave one.
    trait_override: Option<String>,
    sources: &'a SourceSet,
    nodes: NodeTable<'a>,
    /// Names of the items in the `operations` module (glob-imported by `server` and `client`, so
    /// their own items' names are reserved here).
    types: Scope,
    /// The enum of each operation (by name) whose body has several media types.
    body_enums: HashMap<String, Ident>,
    /// Whether strategies and property tests are generated (`--with proptest`).
    proptest: bool,
    pub diags: Diagnostics,
}

/// The top-level modules of the HTTP parts; a part not asked for is empty.
pub struct HttpModules {
    pub operations: TokenStream,
    pub server: TokenStream,
    pub client: TokenStream,
    pub contract: TokenStream,
}

/// The generated names of the HTTP parts (see [`HttpGen::names`]).
#[derive(Debug, Clone)]
pub struct HttpNames {
    pub trait_name: String,
    /// In spec order; webhooks are not included.
    pub operations: Vec<OperationNames>,
}

#[derive(Debug, Clone)]
pub struct OperationNames {
    /// The trait method's name (the operation's name).
    pub name: String,
    pub client_method: String,
    /// `…Request`, when the operation has inputs.
    pub request: Option<String>,
    pub response: String,
    /// `None`: no security; `Some(optional)`: the method takes claims, `Option`al when anonymous
    /// access is allowed.
    pub auth: Option<bool>,
    /// The declared statuses, in the order of the response enum's variants.
    pub statuses: Vec<StatusSpec>,
    /// A pattern matching each of those variants (`NotFound(..)`, `Ok { .. }`, `NoContent`).
    pub patterns: Vec<String>,
    /// The spec's `operationId`, when it has one.
    pub operation_id: Option<String>,
}

/// What the generator knows of one operation once its items are written.
struct Op<'a> {
    op: &'a Operation,
    method: Ident,
    handler: Ident,
    /// `None`: no security. `Some(optional)`: requirement sets, `optional` when one is empty.
    security: Option<(TokenStream, bool)>,
    request: Option<Ident>,
    response: Ident,
    variants: Vec<Variant>,
}

/// The server trait's own items: an operation named like one (fire.com's `authenticate`) gets a
/// method named `…_operation`, as the client does for its own methods.
const TRAIT_ITEMS: [&str; 1] = ["authenticate"];

fn server_method_name(name: &str) -> Ident {
    if TRAIT_ITEMS.contains(&name) { format_ident!("{name}_operation") } else { format_ident!("{name}") }
}

impl<'a> HttpGen<'a> {
    pub fn new(typer: &Typer<'a>, sources: &'a SourceSet, options: &crate::Options) -> Self {
        HttpGen {
            typer: typer.for_child_module(),
            trait_override: options.server_trait.clone(),
            sources,
            nodes: NodeTable::new(typer.ir, options.parts.proptest),
            types: Scope::with_reserved([
                "Scheme",
                "Mock",
                "Shared",
                "SCHEMA",
                "NODES",
                "CHECKS",
                "PATTERNS",
                "rt",
                "Client",
                "Credentials",
                "Error",
                "Received",
                "Basic",
                "SERVERS",
            ]),
            body_enums: HashMap::new(),
            proptest: options.parts.proptest,
            diags: Diagnostics::default(),
        }
    }

    fn claim_type(&mut self, name: String) -> Ident {
        format_ident!("{}", self.types.claim(name, false))
    }

    /// The `operations` module and the `server`, `client` and `contract` modules `parts` asks for
    /// (each a top-level item of its own, so they can be laid out on separate threads), their
    /// diagnostics, and the primitives they wrote (they decide dependencies).
    pub fn modules(mut self, parts: &Parts) -> (HttpModules, Diagnostics, crate::typeref::UsedPrimitives) {
        let ir = self.typer.ir;
        let (trait_name, items, ops) = self.operations();
        let scheme = self.scheme_enum(&ops);
        let server = if parts.server { self.server_module(&trait_name, &ops) } else { TokenStream::new() };
        let client = if parts.client { self.client_module(&ops) } else { TokenStream::new() };
        let contract = if parts.tests { self.contract_module(&ops) } else { TokenStream::new() };
        let schema = self.nodes.items();
        let title = format!(
            " The operations of {}: each one's inputs (`…Request`) and responses (`…Response`).",
            ir.title.replace(['\n', '\r'], " ")
        );
        let operations = quote! {
            #[doc = #title]
            #[allow(clippy::all, dead_code, unused_variables, unused_mut, deprecated)]
            pub mod operations {
                /// The runtime's types, under one short name.
                pub mod rt {
                    pub use super::super::runtime::http::*;
                    pub use super::super::runtime::schema::*;
                }
                /// A value synthesized for `node` of [`SCHEMA`]: what `example()` builders use for
                /// inputs without an example, kept short so each input stays one line.
                fn synthesized<T: ::serde::de::DeserializeOwned>(node: u32) -> ::std::option::Option<T> {
                    rt::example_json(&SCHEMA, node, ::std::option::Option::None)
                }
                #scheme
                #items
                #schema
            }
        };
        (HttpModules { operations, server, client, contract }, self.diags, self.typer.used())
    }

    /// The trait's name, the items of every served operation, and what the rest of the module needs
    /// to know of each. Names are claimed here, in spec order, so every caller sees the same ones.
    fn operations(&mut self) -> (Ident, TokenStream, Vec<Op<'a>>) {
        let ir = self.typer.ir;
        let name = self.trait_override.clone().unwrap_or_else(|| trait_name(&ir.title));
        let trait_name = self.claim_type(name);
        let mut items = TokenStream::new();
        let mut ops = Vec::new();
        for op in ir.operations.iter().filter(|o| !o.webhook) {
            let (tokens, generated) = self.operation(op);
            items.extend(tokens);
            ops.push(generated);
        }
        (trait_name, items, ops)
    }

    /// A user-owned implementation skeleton of the trait (`cargo spec-gen scaffold server`): one
    /// method per operation with the spec's summary as its doc and `todo!()` as its body.
    /// `server_path` is where the user's crate has the generated `server` module.
    pub fn scaffold(mut self, server_path: &syn::Path) -> TokenStream {
        let (trait_name, _, ops) = self.operations();
        scaffold::skeleton(&trait_name, &ops, server_path, self.sources, self.typer.lines)
    }

    /// The names the generated code gives the trait and each operation's items, for tools and
    /// tests that write code against them.
    pub fn names(mut self) -> HttpNames {
        let (trait_name, _, ops) = self.operations();
        let operations = ops
            .iter()
            .map(|o| OperationNames {
                name: o.method.to_string(),
                client_method: client::method_name(o).to_string(),
                request: o.request.as_ref().map(Ident::to_string),
                response: o.response.to_string(),
                auth: o.security.as_ref().map(|(_, optional)| *optional),
                statuses: o.variants.iter().map(|v| v.status).collect(),
                patterns: o
                    .variants
                    .iter()
                    .map(|v| {
                        if v.is_tuple() {
                            format!("{}::{}(..)", o.response, v.name)
                        } else if v.is_unit() {
                            format!("{}::{}", o.response, v.name)
                        } else {
                            format!("{}::{} {{ .. }}", o.response, v.name)
                        }
                    })
                    .collect(),
                operation_id: o.op.operation_id.clone(),
            })
            .collect();
        HttpNames { trait_name: trait_name.to_string(), operations }
    }

    fn operation(&mut self, op: &'a Operation) -> (TokenStream, Op<'a>) {
        let base = pascal(&op.name, "Operation");
        let mut items = TokenStream::new();
        let request = self.request_struct(&base, op, &mut items);
        let (response, response_items, variants) = self.responses(&base, op);
        items.extend(response_items);
        let security = self.requirement_sets(op);
        let generated = Op {
            op,
            method: server_method_name(&op.name),
            // `_2_send` (a name that began with a digit) must not become `handle__2_send`.
            handler: format_ident!("handle_{}", op.name.trim_start_matches('_')),
            security,
            request,
            response,
            variants,
        };
        (items, generated)
    }

    /// The struct of an operation's inputs: its parameters and body, and `example()`, a value of
    /// it built from the spec. `None` when the operation has neither.
    fn request_struct(&mut self, base: &str, op: &Operation, items: &mut TokenStream) -> Option<Ident> {
        let params: Vec<&Param> = served_params(op).collect();
        if params.is_empty() && served_body(op).is_none() {
            return None;
        }
        let name = self.claim_type(format!("{base}Request"));
        let mut fields = Vec::new();
        let mut examples = Vec::new();
        let mut all_optional = true;
        for p in &params {
            let field = format_ident!("{}", p.rust_name);
            let docs = doc_attrs(&p.docs, None);
            let ty = self.param_type(p);
            let place = format!(" `{}` in {}.", p.name, location_name(p.location));
            let gap = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
            fields.push(quote!(#docs #gap #[doc = #place] pub #field: #ty));
            let optional = !(p.required || p.default.is_some());
            all_optional &= optional;
            let node = self.nodes.node(&p.ty);
            let value = if p.examples.iter().any(|e| e.value.is_some()) {
                let example = example_text(p.examples.iter());
                quote!(rt::example_json(&SCHEMA, #node, #example)?)
            } else {
                quote!(synthesized(#node)?)
            };
            examples.push(if optional {
                quote!(#field: ::std::option::Option::Some(#value))
            } else {
                quote!(#field: #value)
            });
        }
        if let Some(body) = served_body(op) {
            let field = body_field(op);
            let ty = self.request_body_type(base, &op.name, body, items);
            let docs = doc_attrs(&body.docs, None);
            fields.push(quote!(#docs pub #field: #ty));
            all_optional &= !body.required;
            let value = self.body_example(&op.name, body);
            examples.push(if body.required {
                quote!(#field: #value)
            } else {
                quote!(#field: ::std::option::Option::Some(#value))
            });
        }
        let doc = format!(" The inputs of `{}`.", op.name);
        let spec = format!(" {}", crate::docs::spec_line(self.sources, self.typer.lines, &op.origin));
        let default = all_optional.then(|| quote!(Default,));
        items.extend(quote! {
            #[doc = #doc]
            #[doc = ""]
            #[doc = #spec]
            #[derive(Debug, Clone, PartialEq, #default)]
            pub struct #name { #(#fields,)* }

            impl #name {
                /// A request built from the spec: each parameter's and the body's example where
                /// it conforms to the schema, else a value synthesized to satisfy the schema;
                /// optional inputs are set. `None` when some schema admits no value.
                pub fn example() -> ::std::option::Option<Self> {
                    ::std::option::Option::Some(Self { #(#examples,)* })
                }
            }
        });
        Some(name)
    }

    /// The expression of an example body (JSON preferred among several media types).
    fn body_example(&mut self, op_name: &str, body: &RequestBody) -> TokenStream {
        let variants = responses::media_variants(&body.contents);
        let chosen = body.contents.iter().position(|c| c.kind == MediaKind::Json).unwrap_or(0);
        let c = &body.contents[chosen];
        let example = example_text(c.examples.iter());
        let node = match &c.ty {
            Some(t) => self.nodes.node(t),
            None => self.nodes.node(&TypeRef::Any),
        };
        let value = match c.kind {
            MediaKind::Json | MediaKind::Form => quote!(rt::example_json(&SCHEMA, #node, #example)?),
            MediaKind::Text | MediaKind::Xml => quote!(rt::mock_text(#example)),
            MediaKind::Binary => quote!(rt::mock_text(#example).into_bytes()),
            MediaKind::Multipart => {
                quote!(rt::multipart_of(&SCHEMA, #node, &rt::example_json(&SCHEMA, #node, #example)?))
            }
        };
        match self.body_enums.get(op_name) {
            Some(body_enum) => {
                let variant = &variants[chosen];
                quote!(#body_enum::#variant(#value))
            }
            None => value,
        }
    }

    /// A parameter's field type: optional ones without a default are `Option`.
    fn param_type(&self, p: &Param) -> TokenStream {
        let ty = self.typer.rust(None, &p.ty);
        if p.required || p.default.is_some() { ty } else { quote!(::std::option::Option<#ty>) }
    }

    fn request_body_type(
        &mut self,
        base: &str,
        op_name: &str,
        body: &RequestBody,
        items: &mut TokenStream,
    ) -> TokenStream {
        let ty = if body.contents.len() == 1 {
            self.body_type(&body.contents[0])
        } else {
            let name = self.claim_type(format!("{base}Body"));
            self.body_enums.insert(op_name.to_owned(), name.clone());
            let defs: Vec<TokenStream> = body
                .contents
                .iter()
                .zip(responses::media_variants(&body.contents))
                .map(|(c, variant)| {
                    let ty = self.body_type(c);
                    let doc = format!(" Sent as `{}`.", c.media_type);
                    quote!(#[doc = #doc] #variant(#ty))
                })
                .collect();
            items.extend(quote! {
                /// The request body, in one of the media types the operation accepts.
                #[derive(Debug, Clone, PartialEq)]
                pub enum #name { #(#defs,)* }
            });
            quote!(#name)
        };
        if body.required { ty } else { quote!(::std::option::Option<#ty>) }
    }

    /// `Scheme`, an enum of the spec's security schemes, when some served operation is secured.
    fn scheme_enum(&self, ops: &[Op]) -> TokenStream {
        let ir = self.typer.ir;
        if !ops.iter().any(|o| o.security.is_some()) {
            return TokenStream::new();
        }
        let variants = ir.security_schemes.iter().map(|s| {
            let v = scheme_variant(s);
            let doc = format!(" `{}`", s.key);
            quote!(#[doc = #doc] #v)
        });
        let unknown = ir
            .operations
            .iter()
            .filter_map(|o| o.security.as_ref())
            .chain([&ir.security])
            .flatten()
            .flat_map(|set| &set.schemes)
            .any(|(key, _)| !ir.security_schemes.iter().any(|s| &s.key == key))
            .then(|| {
                quote!(/// A scheme the spec names but does not define.
                Unknown)
            });
        quote! {
            /// The security schemes of the spec.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub enum Scheme { #(#variants,)* #unknown }
        }
    }

    /// The operation's requirement sets as a static slice, and whether anonymous access is allowed.
    fn requirement_sets(&mut self, op: &Operation) -> Option<(TokenStream, bool)> {
        let ir = self.typer.ir;
        let sets = op.security.as_ref().unwrap_or(&ir.security);
        if sets.is_empty() {
            return None;
        }
        let optional = sets.iter().any(|s| s.schemes.is_empty());
        let sets = sets.iter().map(|set| {
            let reqs = set.schemes.iter().map(|(key, scopes)| {
                let (variant, kind) = match ir.security_schemes.iter().find(|s| &s.key == key) {
                    Some(s) => (scheme_variant(s), scheme_kind(&s.kind)),
                    None => (format_ident!("Unknown"), quote!(rt::SchemeKind::Unverifiable)),
                };
                quote!(rt::Requirement { scheme: Scheme::#variant, kind: #kind, scopes: &[#(#scopes),*] })
            });
            quote!(&[#(#reqs),*])
        });
        Some((quote!(&[#(#sets),*]), optional))
    }
}

/// The first example value as JSON text, for `rt::example_json`.
fn example_text<'e>(mut examples: impl Iterator<Item = &'e Example>) -> TokenStream {
    match examples.find_map(|e| e.value.as_ref()) {
        Some(value) => {
            let text = value.to_string();
            quote!(::std::option::Option::Some(#text))
        }
        None => quote!(::std::option::Option::None),
    }
}

/// Parameters the server reads: the spec says `Accept`, `Content-Type` and `Authorization` header
/// parameters are ignored (the HTTP layer owns them).
fn served_params(op: &Operation) -> impl Iterator<Item = &Param> {
    op.params.iter().filter(|p| {
        !(p.location == ParamLocation::Header
            && ["accept", "content-type", "authorization"].contains(&p.name.to_ascii_lowercase().as_str()))
    })
}

/// The request body, unless it declares no media type (then there is nothing to read).
fn served_body(op: &Operation) -> Option<&RequestBody> {
    op.body.as_ref().filter(|b| !b.contents.is_empty())
}

/// The request struct's body field: `body`, unless a parameter already has that name.
fn body_field(op: &Operation) -> Ident {
    if served_params(op).any(|p| p.rust_name == "body") { format_ident!("request_body") } else { format_ident!("body") }
}

fn operation_docs(op: &Operation) -> Docs {
    Docs { title: op.summary.clone(), description: op.docs.description.clone(), deprecated: op.docs.deprecated }
}

/// `Swagger Petstore` → `SwaggerPetstoreApi`.
fn trait_name(title: &str) -> String {
    let base = pascal(title, "");
    if base.is_empty() || base.ends_with("Api") {
        format!("{base}Api").replace("ApiApi", "Api")
    } else {
        format!("{base}Api")
    }
}

fn scheme_variant(s: &SecurityScheme) -> Ident {
    format_ident!("{}", pascal(&s.rust_name, "Scheme"))
}

fn scheme_kind(kind: &SecurityKind) -> TokenStream {
    match kind {
        SecurityKind::ApiKey { name, location } => {
            let location = location_tokens(*location);
            quote!(rt::SchemeKind::ApiKey(#location, #name))
        }
        SecurityKind::Basic => quote!(rt::SchemeKind::Basic),
        SecurityKind::Bearer { .. } | SecurityKind::OAuth2 { .. } | SecurityKind::OpenIdConnect { .. } => {
            quote!(rt::SchemeKind::Bearer)
        }
        SecurityKind::Other { .. } => quote!(rt::SchemeKind::Unverifiable),
    }
}

fn location_tokens(location: ParamLocation) -> TokenStream {
    match location {
        ParamLocation::Path => quote!(rt::Location::Path),
        ParamLocation::Query => quote!(rt::Location::Query),
        ParamLocation::Header => quote!(rt::Location::Header),
        ParamLocation::Cookie => quote!(rt::Location::Cookie),
    }
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "the path",
        ParamLocation::Query => "the query",
        ParamLocation::Header => "a header",
        ParamLocation::Cookie => "a cookie",
    }
}

fn style_tokens(style: ParamStyle) -> TokenStream {
    match style {
        ParamStyle::Matrix => quote!(rt::Style::Matrix),
        ParamStyle::Label => quote!(rt::Style::Label),
        ParamStyle::Form => quote!(rt::Style::Form),
        ParamStyle::Simple => quote!(rt::Style::Simple),
        ParamStyle::SpaceDelimited => quote!(rt::Style::SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(rt::Style::PipeDelimited),
        ParamStyle::DeepObject => quote!(rt::Style::DeepObject),
    }
}

/// The runtime module, once per output with a server or a client: the parts each needs.
pub fn runtime_module(parts: &Parts) -> TokenStream {
    let source = |text: &str| -> TokenStream { text.parse().unwrap_or_default() };
    let schema = source(RUNTIME_SCHEMA);
    let http = source(RUNTIME_HTTP);
    let server = parts.server.then(|| {
        let server = source(RUNTIME_SERVER);
        quote!(pub mod server { #server })
    });
    let client = parts.client.then(|| {
        let client = source(RUNTIME_CLIENT);
        quote!(pub mod client { #client })
    });
    let contract = parts.tests.then(|| {
        let contract = source(RUNTIME_CONTRACT);
        quote!(pub mod contract { #contract })
    });
    let strategy = parts.proptest.then(|| {
        let strategy = source(RUNTIME_STRATEGY);
        quote!(pub mod strategy { #strategy })
    });
    quote! {
        /// What generated servers and clients share: schema validation and the HTTP plumbing.
        #[allow(dead_code, clippy::all)]
        pub mod runtime {
            pub mod schema { #schema }
            pub mod http { #http }
            #server
            #client
            #contract
            #strategy
        }
    }
}
