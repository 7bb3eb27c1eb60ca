//! The implementation skeleton `cargo spec-gen scaffold server` writes once for the user to own.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use spec_core::source::SourceSet;

use super::{Op, operation_docs};
use crate::docs::{Declared, SpecLines, doc_attrs};

pub fn skeleton(
    trait_name: &Ident,
    ops: &[Op],
    server_path: &syn::Path,
    sources: &SourceSet,
    lines: &SpecLines,
) -> TokenStream {
    let secured = ops.iter().any(|o| o.security.is_some());
    let auth = secured.then(|| {
        quote! {
            /// What operations learn of the caller; `authenticate` decides it.
            type Claims = ();

            async fn authenticate(&self, presented: Vec<Presented<Scheme>>) -> Result<Self::Claims, AuthError> {
                todo!("check {presented:?}: return the claims, or AuthError::Unauthorized / Forbidden")
            }
        }
    });
    let methods = ops.iter().map(|o| {
        let method = &o.method;
        let response = &o.response;
        let docs = doc_attrs(&operation_docs(o.op), Some(Declared { sources, lines, origin: &o.op.origin }));
        let request = o.request.as_ref().map(|r| quote!(, request: #r));
        let auth = o.security.as_ref().map(|(_, optional)| {
            if *optional { quote!(, auth: Option<Self::Claims>) } else { quote!(, auth: Self::Claims) }
        });
        let route = format!("{} {}", o.op.method.as_str().to_uppercase(), o.op.path);
        let inputs: Vec<TokenStream> =
            [o.request.as_ref().map(|_| quote!(&request)), o.security.as_ref().map(|_| quote!(&auth))]
                .into_iter()
                .flatten()
                .collect();
        quote! {
            #docs
            async fn #method(&self #request #auth) -> #response {
                let _ = (#(#inputs,)*);
                todo!(#route)
            }
        }
    });
    quote! {
        use #server_path::*;

        /// The implementation of the API. This file was written once by `cargo spec-gen scaffold`
        /// and is yours: regenerating the server never touches it.
        #[derive(Debug, Clone, Default)]
        pub struct Service;

        impl #trait_name for Service {
            #auth
            #(#methods)*
        }
    }
}
