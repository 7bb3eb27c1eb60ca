//! The `server` part: an axum router and a trait with one async method per operation.
//!
//! Generated code is mostly data and calls into the runtime (`runtime/server.rs`,
//! `runtime/schema.rs`, copied into the output once): per operation a request struct, a response
//! enum, and a handler that reads parameters and body against the schema table, refuses bad
//! requests with one problem response listing every violation, authenticates, and only then calls
//! the user's method.

mod mock;
mod nodes;
mod responses;
mod routes;
mod scaffold;

use std::collections::HashMap;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use spec_core::diag::{Diagnostic, Diagnostics};
use spec_core::ir::*;
use spec_core::lower::names::{Scope, pascal};
use spec_core::source::SourceSet;

use crate::docs::doc_attrs;
use crate::typeref::Typer;

use nodes::NodeTable;
use responses::Variant;

/// The runtime sources, copied into every output with a server.
pub const RUNTIME_SCHEMA: &str = include_str!("../../runtime/schema.rs");
pub const RUNTIME_SERVER: &str = include_str!("../../runtime/server.rs");

pub struct ServerGen<'a> {
    typer: Typer<'a>,
    /// The user's name for the trait, if they gave one.
    trait_override: Option<String>,
    sources: &'a SourceSet,
    nodes: NodeTable<'a>,
    /// Names of the items in the `server` module.
    types: Scope,
    /// The enum of each operation (by name) whose body has several media types.
    body_enums: HashMap<String, Ident>,
    pub diags: Diagnostics,
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

impl<'a> ServerGen<'a> {
    pub fn new(typer: &Typer<'a>, sources: &'a SourceSet, options: &crate::Options) -> Self {
        ServerGen {
            typer: typer.for_child_module(),
            trait_override: options.server_trait.clone(),
            sources,
            nodes: NodeTable::new(typer.ir),
            types: Scope::with_reserved(["Scheme", "Mock", "Shared", "SCHEMA", "NODES", "CHECKS", "PATTERNS", "rt"]),
            body_enums: HashMap::new(),
            diags: Diagnostics::default(),
        }
    }

    fn claim_type(&mut self, name: String) -> Ident {
        format_ident!("{}", self.types.claim(name, false))
    }

    /// The `server` module, its diagnostics, and the primitives it wrote (they decide dependencies).
    pub fn module(mut self) -> (TokenStream, Diagnostics, crate::typeref::UsedPrimitives) {
        let ir = self.typer.ir;
        let (trait_name, items, ops) = self.operations();
        let skipped = ir.operations.iter().filter(|o| o.webhook).count();
        if skipped > 0 {
            if let Some(first) = ir.operations.iter().find(|o| o.webhook) {
                self.diags.push(Diagnostic::approximation(
                    "webhook-not-served",
                    first.origin.clone(),
                    format!("{skipped} webhook(s) describe calls this API makes; the server does not route them"),
                ));
            }
        }
        let secured = ops.iter().any(|o| o.security.is_some());
        let api_trait = self.api_trait(&trait_name, &ops, secured);
        let handlers: Vec<TokenStream> = ops.iter().map(|o| self.handler(&trait_name, o)).collect();
        let router = routes::router(&trait_name, &ops, &mut self.diags);
        let security = if secured { self.security_items(&trait_name) } else { TokenStream::new() };
        let mock = mock::mock(&trait_name, &ops, secured);
        let schema = self.nodes.items();
        let title = format!(
            " Server side of {}: implement [`{trait_name}`] and serve [`router`].",
            ir.title.replace('\n', " ")
        );
        let tokens = quote! {
            #[doc = #title]
            #[allow(clippy::all, dead_code, unused_variables, unused_mut, deprecated)]
            pub mod server {
                use super::runtime::server as rt_server;
                use super::runtime::schema as rt_schema;
                /// The runtime's types, under one short name.
                pub mod rt {
                    pub use super::rt_schema::*;
                    pub use super::rt_server::*;
                }
                pub use rt::{AuthError, Config, Credential, Presented};
                #api_trait
                #security
                #items
                #router
                #(#handlers)*
                #mock
                #schema
            }
        };
        (tokens, self.diags, self.typer.used())
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
        scaffold::skeleton(&trait_name, &ops, server_path, self.sources)
    }

    fn operation(&mut self, op: &'a Operation) -> (TokenStream, Op<'a>) {
        let base = pascal(&op.name, "Operation");
        let mut items = TokenStream::new();
        let request = self.request_struct(&base, op, &mut items);
        let (response, response_items, variants) = self.responses(&base, &op.responses);
        items.extend(response_items);
        let security = self.requirement_sets(op);
        let generated = Op {
            op,
            method: format_ident!("{}", op.name),
            // `_2_send` (a name that began with a digit) must not become `handle__2_send`.
            handler: format_ident!("handle_{}", op.name.trim_start_matches('_')),
            security,
            request,
            response,
            variants,
        };
        (items, generated)
    }

    /// The struct of an operation's inputs: its parameters and body. `None` when it has neither.
    fn request_struct(&mut self, base: &str, op: &Operation, items: &mut TokenStream) -> Option<Ident> {
        let params: Vec<&Param> = served_params(op).collect();
        if params.is_empty() && served_body(op).is_none() {
            return None;
        }
        let name = self.claim_type(format!("{base}Request"));
        let mut fields = Vec::new();
        for p in &params {
            let field = format_ident!("{}", p.rust_name);
            let docs = doc_attrs(&p.docs, None);
            let ty = self.param_type(p);
            let place = format!(" `{}` in {}.", p.name, location_name(p.location));
            let gap = (!docs.is_empty()).then(|| quote!(#[doc = ""]));
            fields.push(quote!(#docs #gap #[doc = #place] pub #field: #ty));
        }
        if let Some(body) = served_body(op) {
            let field = body_field(op);
            let ty = self.request_body_type(base, &op.name, body, items);
            let docs = doc_attrs(&body.docs, None);
            fields.push(quote!(#docs pub #field: #ty));
        }
        let doc = format!(" The inputs of `{}`.", op.name);
        items.extend(quote! {
            #[doc = #doc]
            #[derive(Debug)]
            pub struct #name { #(#fields,)* }
        });
        Some(name)
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
                #[derive(Debug)]
                pub enum #name { #(#defs,)* }
            });
            quote!(#name)
        };
        if body.required { ty } else { quote!(::std::option::Option<#ty>) }
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

    fn api_trait(&self, trait_name: &Ident, ops: &[Op], secured: bool) -> TokenStream {
        let methods = ops.iter().map(|o| {
            let method = &o.method;
            let response = &o.response;
            let docs = doc_attrs(&operation_docs(o.op), Some((self.sources, &o.op.origin)));
            let route = format!(" `{} {}`", o.op.method.as_str().to_uppercase(), o.op.path);
            let deprecated = o.op.docs.deprecated.then(|| quote!(#[deprecated]));
            let request = o.request.as_ref().map(|r| quote!(, request: #r));
            let auth = auth_param(o);
            quote! {
                #docs
                #[doc = ""]
                #[doc = #route]
                #deprecated
                fn #method(&self #request #auth) -> impl ::std::future::Future<Output = #response> + ::std::marker::Send;
            }
        });
        let auth = secured.then(|| {
            quote! {
                /// What [`Self::authenticate`] returns for an accepted request; operations receive it.
                type Claims: ::std::marker::Send + 'static;

                /// Checks the credentials of one requirement set of the spec (all of `presented` must
                /// hold, each with the scopes the operation needs). Called for each set the request
                /// carries credentials for, in spec order, until one is accepted; without any, the
                /// request is answered 401 before an operation runs.
                fn authenticate(
                    &self,
                    presented: ::std::vec::Vec<Presented<Scheme>>,
                ) -> impl ::std::future::Future<Output = ::std::result::Result<Self::Claims, AuthError>> + ::std::marker::Send;
            }
        });
        let doc = format!(
            " The operations of {}; the router calls them with validated inputs.",
            self.typer.ir.title.replace('\n', " ")
        );
        quote! {
            #[doc = #doc]
            pub trait #trait_name: ::std::marker::Send + ::std::marker::Sync + 'static {
                #auth
                #(#methods)*
            }
        }
    }

    fn security_items(&self, trait_name: &Ident) -> TokenStream {
        let ir = self.typer.ir;
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

            /// The claims of the first requirement set the request satisfies; `None` when the
            /// operation allows anonymous access and no set was satisfied.
            async fn authorize<A: #trait_name>(
                api: &A,
                incoming: &rt::Incoming,
                sets: &'static [&'static [rt::Requirement<Scheme>]],
            ) -> ::std::result::Result<::std::option::Option<A::Claims>, ::axum::response::Response> {
                let mut refusal = ::std::option::Option::None;
                for presented in incoming.presented(sets) {
                    match rt::contain(api.authenticate(presented)).await {
                        ::std::result::Result::Ok(::std::result::Result::Ok(claims)) => {
                            return ::std::result::Result::Ok(::std::option::Option::Some(claims));
                        }
                        ::std::result::Result::Ok(::std::result::Result::Err(e)) => refusal = ::std::option::Option::Some(e),
                        ::std::result::Result::Err(()) => return ::std::result::Result::Err(rt::panic_response()),
                    }
                }
                if refusal.is_none() && sets.iter().any(|set| set.is_empty()) {
                    return ::std::result::Result::Ok(::std::option::Option::None);
                }
                ::std::result::Result::Err(rt::auth_response(refusal, sets))
            }
        }
    }

    /// The axum handler of one operation.
    fn handler(&mut self, trait_name: &Ident, o: &Op) -> TokenStream {
        let op = o.op;
        let handler = &o.handler;
        let method = &o.method;
        let template = routes::template_tokens(&op.path);
        let produces: Vec<&str> = {
            let mut all: Vec<&str> =
                op.responses.iter().flat_map(|r| &r.contents).map(|c| c.media_type.as_str()).collect();
            all.sort_unstable();
            all.dedup();
            all
        };
        let auth = match &o.security {
            None => TokenStream::new(),
            Some((sets, true)) => quote! {
                static SECURITY: &[&[rt::Requirement<Scheme>]] = #sets;
                let auth = match authorize(&shared.api, &incoming, SECURITY).await {
                    ::std::result::Result::Ok(claims) => claims,
                    ::std::result::Result::Err(response) => return response,
                };
            },
            Some((sets, false)) => quote! {
                static SECURITY: &[&[rt::Requirement<Scheme>]] = #sets;
                let auth = match authorize(&shared.api, &incoming, SECURITY).await {
                    ::std::result::Result::Ok(::std::option::Option::Some(claims)) => claims,
                    ::std::result::Result::Ok(::std::option::Option::None) => return rt::auth_response(::std::option::Option::None, SECURITY),
                    ::std::result::Result::Err(response) => return response,
                };
            },
        };
        let mut reads = Vec::new();
        // (struct field, local): locals are prefixed so no parameter (`shared`, `auth`…) can
        // shadow the handler's own variables.
        let mut names: Vec<(Ident, Ident)> = Vec::new();
        for p in served_params(op) {
            let member = format_ident!("{}", p.rust_name);
            let field = format_ident!("p_{}", p.rust_name.trim_start_matches('_'));
            let ty = self.param_type(p);
            let node = self.nodes.node(&p.ty);
            let (name, explode, required) = (&p.name, p.explode, p.required);
            let style = style_tokens(p.style);
            let json = p.media_type.is_some();
            let location = location_tokens(p.location);
            let default = match &p.default {
                Some(v) => {
                    let text = v.to_string();
                    quote!(::std::option::Option::Some(#text))
                }
                None => quote!(::std::option::Option::None),
            };
            reads.push(quote! {
                let #field = incoming.param::<#ty>(
                    &SCHEMA,
                    #location,
                    &rt::ParamSpec { name: #name, style: #style, explode: #explode, node: #node, json: #json },
                    #required,
                    #default,
                );
            });
            names.push((member, field));
        }
        if let Some(body) = served_body(op) {
            let member = body_field(op);
            let field = format_ident!("p_{}", member.to_string().trim_start_matches('_'));
            reads.push(self.body_read(&field, body, o));
            names.push((member, field));
        }
        let call_args = {
            let inits = names.iter().map(|(member, local)| quote!(#member: #local));
            let request = o.request.as_ref().map(|r| quote!(#r { #(#inits),* }));
            let auth = o.security.as_ref().map(|_| quote!(auth));
            let args: Vec<TokenStream> = request.into_iter().chain(auth).collect();
            quote!(#(#args),*)
        };
        let unpack = if names.is_empty() {
            TokenStream::new()
        } else {
            let locals: Vec<&Ident> = names.iter().map(|(_, local)| local).collect();
            let somes = locals.iter().map(|n| quote!(::std::option::Option::Some(#n)));
            quote! {
                let (#(#somes,)*) = (#(#locals,)*) else {
                    return rt::problem_response(::axum::http::StatusCode::BAD_REQUEST, "the request could not be read", &[]);
                };
            }
        };
        let doc = format!(" `{} {}`", op.method.as_str().to_uppercase(), op.path);
        quote! {
            #[doc = #doc]
            async fn #handler<A: #trait_name>(
                ::axum::extract::State(shared): ::axum::extract::State<::std::sync::Arc<Shared<A>>>,
                request: ::axum::extract::Request,
            ) -> ::axum::response::Response {
                static OPERATION: rt::Operation = rt::Operation { template: #template, produces: &[#(#produces),*] };
                let mut incoming = match rt::Incoming::read(request, &OPERATION, &shared.config).await {
                    ::std::result::Result::Ok(incoming) => incoming,
                    ::std::result::Result::Err(response) => return response,
                };
                #auth
                #(#reads)*
                if let ::std::option::Option::Some(response) = incoming.reject() {
                    return response;
                }
                #unpack
                match rt::contain(shared.api.#method(#call_args)).await {
                    ::std::result::Result::Ok(response) => ::axum::response::IntoResponse::into_response(response),
                    ::std::result::Result::Err(()) => rt::panic_response(),
                }
            }
        }
    }

    /// Reads the body into `Option<field type>` (`None` when it is refused).
    fn body_read(&mut self, field: &Ident, body: &RequestBody, o: &Op) -> TokenStream {
        let media: Vec<&str> = body.contents.iter().map(|c| c.media_type.as_str()).collect();
        let required = body.required;
        let body_enum = self.body_enums.get(&o.op.name).cloned();
        let variants = responses::media_variants(&body.contents);
        let arms = body.contents.iter().zip(variants).enumerate().map(|(i, (c, variant))| {
            let node = match &c.ty {
                Some(t) => self.nodes.node(t),
                None => self.nodes.node(&TypeRef::Any),
            };
            let ty = self.body_type(c);
            let read = match c.kind {
                MediaKind::Json => quote!(incoming.json::<#ty>(&SCHEMA, #node)),
                MediaKind::Form => quote!(incoming.form::<#ty>(&SCHEMA, #node)),
                MediaKind::Multipart => quote!(incoming.multipart(&SCHEMA, #node)),
                MediaKind::Text | MediaKind::Xml => quote!(incoming.text()),
                MediaKind::Binary => quote!(incoming.bytes()),
            };
            let wrap = match (&body_enum, required) {
                (Some(e), true) => quote!(.map(#e::#variant)),
                (Some(e), false) => quote!(.map(|b| ::std::option::Option::Some(#e::#variant(b)))),
                (None, true) => TokenStream::new(),
                (None, false) => quote!(.map(::std::option::Option::Some)),
            };
            quote!(rt::Media::Index(#i) => #read #wrap,)
        });
        let arms: Vec<TokenStream> = arms.collect();
        let absent =
            (!required).then(|| quote!(rt::Media::Absent => ::std::option::Option::Some(::std::option::Option::None),));
        quote! {
            let #field = match incoming.media(&[#(#media),*], #required) {
                #(#arms)*
                #absent
                _ => ::std::option::Option::None,
            };
        }
    }
}

/// `, auth: Self::Claims` for a secured operation (`Option<_>` when anonymous access is allowed).
fn auth_param(o: &Op) -> Option<TokenStream> {
    o.security.as_ref().map(|(_, optional)| {
        if *optional { quote!(, auth: ::std::option::Option<Self::Claims>) } else { quote!(, auth: Self::Claims) }
    })
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

/// The runtime module, once per output with a server.
pub fn runtime_module() -> TokenStream {
    let schema: TokenStream = RUNTIME_SCHEMA.parse().unwrap_or_default();
    let server: TokenStream = RUNTIME_SERVER.parse().unwrap_or_default();
    quote! {
        /// What generated servers share: schema validation and the HTTP plumbing.
        #[allow(dead_code, clippy::all)]
        pub mod runtime {
            pub mod schema { #schema }
            pub mod server { #server }
        }
    }
}
