//! `Mock`: an implementation of the API trait that answers every operation from the contract
//! alone, with the spec's example for the response or a value synthesized from its schema.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use spec_core::ir::{MediaKind, StatusSpec};

use super::Op;
use super::responses::{HeaderField, MediaBody, Variant};

pub fn mock(trait_name: &Ident, ops: &[Op], secured: bool) -> TokenStream {
    let methods = ops.iter().map(method);
    let auth = secured.then(|| {
        quote! {
            type Claims = ::std::vec::Vec<Presented<Scheme>>;

            /// Accepts any credential that is present, or, after [`Mock::accepting`], only the
            /// listed ones; the operation receives what was presented.
            async fn authenticate(
                &self,
                presented: ::std::vec::Vec<Presented<Scheme>>,
            ) -> ::std::result::Result<Self::Claims, AuthError> {
                match self.accepted {
                    ::std::option::Option::Some(accepted)
                        if !presented.iter().all(|p| p.credential.is_one_of(accepted)) =>
                    {
                        ::std::result::Result::Err(AuthError::Unauthorized(
                            "the credential is not one this mock was started with".to_owned(),
                        ))
                    }
                    _ => ::std::result::Result::Ok(presented),
                }
            }
        }
    });
    // Only `authenticate` reads the accepted credentials, and specs without security have none.
    let allow_unread = (!secured).then(|| quote!(#[allow(dead_code)]));
    quote! {
        /// Answers every operation with the spec's example of its first success response, or data
        /// synthesized from that response's schema. Serve it to get a live server from the spec alone;
        /// [`Mock::answering`] makes it prefer another status (an error response, say).
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct Mock {
            prefer: ::std::option::Option<u16>,
            #allow_unread
            accepted: ::std::option::Option<&'static [&'static str]>,
        }

        impl Mock {
            /// Answers success responses first.
            pub fn new() -> Self {
                Mock { prefer: ::std::option::Option::None, accepted: ::std::option::Option::None }
            }

            /// Answers with the response declared for `status` (exactly, by its range, or as
            /// `default`) where the operation has one; otherwise as [`Mock::new`].
            pub fn answering(status: u16) -> Self {
                Mock { prefer: ::std::option::Option::Some(status), accepted: ::std::option::Option::None }
            }

            /// Accepts only these credentials (an api key or bearer token as sent, basic
            /// credentials as `user:password`); any other is answered 401, as a real server would.
            pub fn accepting(self, credentials: &'static [&'static str]) -> Self {
                Mock { accepted: ::std::option::Option::Some(credentials), ..self }
            }
        }

        #[allow(unused_variables)]
        impl #trait_name for Mock {
            #auth
            #(#methods)*
        }
    }
}

fn method(o: &Op) -> TokenStream {
    let name = &o.method;
    let response = &o.response;
    let request = o.request.as_ref().map(|r| quote!(, request: #r));
    let auth = super::server::auth_param(o);
    // Success responses first, in spec order, then `default`, then 404 (the mock holds no data:
    // for an operation that can only fail, "not found" is the natural answer), then the rest.
    // The first that can be built wins.
    let rank = |v: &Variant| match v.status {
        s if is_success(s) => 0,
        StatusSpec::Default => 1,
        StatusSpec::Code(404) => 2,
        _ => 3,
    };
    let mut order: Vec<&Variant> = o.variants.iter().collect();
    order.sort_by_key(|v| rank(v));
    let candidates = order.iter().map(|v| candidate(response, v));
    let count = order.len();
    let doc = format!("the mock cannot build any response of `{}` from the spec", o.op.name);
    quote! {
        async fn #name(&self #request #auth) -> #response {
            static CANDIDATES: [(rt::Status, fn(::std::option::Option<u16>) -> ::std::option::Option<#response>); #count] = [#(#candidates),*];
            rt::mock_pick(self.prefer, &CANDIDATES).expect(#doc)
        }
    }
}

fn is_success(status: StatusSpec) -> bool {
    match status {
        StatusSpec::Code(c) => (200..300).contains(&c),
        StatusSpec::Range(d) => d == 2,
        StatusSpec::Default => false,
    }
}

/// `(Status::Code(200), |prefer| Some(Response::Ok(…?)))`: a declared status and how the mock
/// builds it (`prefer`: the status asked for, which a range or `default` answers with).
fn candidate(response: &Ident, v: &Variant) -> TokenStream {
    let name = &v.name;
    let (declared, status) = match v.status {
        StatusSpec::Code(code) => (quote!(rt::Status::Code(#code)), TokenStream::new()),
        StatusSpec::Range(d) => {
            let (digit, code) = (u16::from(d), u16::from(d) * 100);
            (quote!(rt::Status::Range(#digit)), quote!(status: prefer.unwrap_or(#code),))
        }
        StatusSpec::Default => (quote!(rt::Status::Default), quote!(status: prefer.unwrap_or(200u16),)),
    };
    // Of several media types, JSON is answered when declared: its data is checked against the schema.
    let body = v.body.as_ref().map(|b| match b.media.as_slice() {
        [only] => body_value(only),
        [first, ..] => {
            let chosen = b.media.iter().find(|m| m.kind == MediaKind::Json).unwrap_or(first);
            let (enum_name, variant, value) = (&b.ty, &chosen.variant, body_value(chosen));
            quote!(#enum_name::#variant(#value))
        }
        [] => quote!(::std::default::Default::default()),
    });
    let headers = v.headers.iter().map(|HeaderField { field, required, node, .. }| {
        if *required {
            quote!(#field: rt::example_json(&SCHEMA, #node, ::std::option::Option::None)?,)
        } else {
            quote!(#field: ::std::option::Option::None,)
        }
    });
    let value = if v.is_tuple() {
        quote!(#response::#name(#body))
    } else if v.is_unit() {
        quote!(#response::#name)
    } else {
        let body = body.map(|b| quote!(body: #b,));
        quote!(#response::#name { #status #body #(#headers)* })
    };
    quote!((#declared, |prefer| ::std::option::Option::Some(#value)))
}

/// The expression building one media type's mock body (with `?` when it can fail).
fn body_value(m: &MediaBody) -> TokenStream {
    let example = match &m.example {
        Some(text) => quote!(::std::option::Option::Some(#text)),
        None => quote!(::std::option::Option::None),
    };
    match m.kind {
        MediaKind::Json | MediaKind::Form => {
            let node = m.node.unwrap_or(u32::MAX);
            quote!(rt::example_json(&SCHEMA, #node, #example)?)
        }
        MediaKind::Text | MediaKind::Xml => quote!(rt::mock_text(#example)),
        MediaKind::Binary => quote!(rt::mock_text(#example).into_bytes()),
        MediaKind::Multipart => quote!(rt::Multipart::default()),
    }
}
