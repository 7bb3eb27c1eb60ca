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

            /// Accepts any credential that is present; the operation receives what was presented.
            async fn authenticate(
                &self,
                presented: ::std::vec::Vec<Presented<Scheme>>,
            ) -> ::std::result::Result<Self::Claims, AuthError> {
                ::std::result::Result::Ok(presented)
            }
        }
    });
    quote! {
        /// Answers every operation with the spec's example of its first success response, or data
        /// synthesized from that response's schema. Serve it to get a live server from the spec alone.
        #[derive(Debug, Clone, Copy, Default)]
        pub struct Mock;

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
    let auth = super::auth_param(o);
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
    let attempts = order.iter().map(|v| attempt(response, v));
    let doc = format!("the mock cannot build any response of `{}` from the spec", o.op.name);
    quote! {
        async fn #name(&self #request #auth) -> #response {
            #(#attempts)*
            panic!(#doc)
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

/// `if let Some(r) = (|| Some(Response::Ok(…?)))() { return r; }`
fn attempt(response: &Ident, v: &Variant) -> TokenStream {
    let name = &v.name;
    let status = match v.status {
        StatusSpec::Code(_) => TokenStream::new(),
        StatusSpec::Range(d) => {
            let code = u16::from(d) * 100;
            quote!(status: #code,)
        }
        StatusSpec::Default => quote!(status: 200u16,),
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
            quote!(#field: rt::mock_json(&SCHEMA, #node, ::std::option::Option::None)?,)
        } else {
            quote!(#field: ::std::option::Option::None,)
        }
    });
    let value = if v.is_tuple() {
        quote!(#response::#name(#body))
    } else if v.body.is_none() && v.headers.is_empty() && !v.carries_status() {
        quote!(#response::#name)
    } else {
        let body = body.map(|b| quote!(body: #b,));
        quote!(#response::#name { #status #body #(#headers)* })
    };
    quote! {
        let attempt = || -> ::std::option::Option<#response> { ::std::option::Option::Some(#value) };
        if let ::std::option::Option::Some(response) = attempt() {
            return response;
        }
    }
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
            quote!(rt::mock_json(&SCHEMA, #node, #example)?)
        }
        MediaKind::Text | MediaKind::Xml => quote!(rt::mock_text(#example)),
        MediaKind::Binary => quote!(::axum::body::Bytes::from(rt::mock_text(#example))),
        MediaKind::Multipart => quote!(rt::Multipart::default()),
    }
}
