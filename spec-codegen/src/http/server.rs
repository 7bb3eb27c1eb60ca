//! The `server` module: a trait with one async method per operation, the axum router that
//! serves it, a handler per operation that refuses bad requests before user code runs, and
//! `Mock`, an implementation answering from the spec alone.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use spec_core::diag::Diagnostic;
use spec_core::ir::*;

use super::*;
use crate::docs::{Declared, doc_attrs};

impl HttpGen<'_> {
    /// The `server` module; the operation types come from `operations`.
    pub(super) fn server_module(&mut self, trait_name: &Ident, ops: &[Op]) -> TokenStream {
        let ir = self.typer.ir;
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
        let api_trait = self.api_trait(trait_name, ops, secured);
        let handlers: Vec<TokenStream> = ops.iter().map(|o| self.handler(trait_name, o)).collect();
        let router = routes::router(trait_name, ops, &mut self.diags);
        let security = if secured { self.security_items(trait_name) } else { TokenStream::new() };
        let mock = mock::mock(trait_name, ops, secured);
        let responses = ops.iter().map(|o| responses::into_response_impl(&o.response, &o.variants));
        let title = format!(
            " Server side of {}: implement [`{trait_name}`] and serve [`router`].",
            ir.title.replace(['\n', '\r'], " ")
        );
        quote! {
            #[doc = #title]
            #[allow(clippy::all, dead_code, unused_variables, unused_mut, deprecated)]
            pub mod server {
                pub use super::operations::*;
                use super::runtime::server as rt_server;
                use super::runtime::schema as rt_schema;
                use super::runtime::http as rt_http;
                /// The runtime's types, under one short name.
                pub mod rt {
                    pub use super::rt_http::*;
                    pub use super::rt_schema::*;
                    pub use super::rt_server::*;
                }
                pub use self::rt::{AuthError, Config, Credential, Presented};
                #api_trait
                #security
                #(#responses)*
                #router
                #(#handlers)*
                #mock
            }
        }
    }

    fn api_trait(&self, trait_name: &Ident, ops: &[Op], secured: bool) -> TokenStream {
        let methods = ops.iter().map(|o| {
            let method = &o.method;
            let response = &o.response;
            let docs = doc_attrs(&operation_docs(o.op), Some(Declared { sources: self.sources, lines: self.typer.lines, origin: &o.op.origin }));
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
            self.typer.ir.title.replace(['\n', '\r'], " ")
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
        quote! {
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
pub(super) fn auth_param(o: &Op) -> Option<TokenStream> {
    o.security.as_ref().map(|(_, optional)| {
        if *optional { quote!(, auth: ::std::option::Option<Self::Claims>) } else { quote!(, auth: Self::Claims) }
    })
}
