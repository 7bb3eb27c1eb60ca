//! The test skeletons `cargo spec-gen scaffold tests` writes once for the user to own: one
//! `#[tokio::test]` per operation and declared status, tied to the spec with
//! `#[spec_contract(operation, status)]`, with the typed request, the client call and the expected
//! variant filled in, and `#[ignore]` until the user arranges the server state the case needs.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use spec_core::ir::StatusSpec;

use super::{HttpNames, OperationNames};

/// Where the skeletons find things: the spec as the attribute should name it (relative to the
/// crate's manifest) and the path of the generated module (`crate::api`, `my_crate::api`).
pub struct SkeletonPaths<'a> {
    pub spec: &'a str,
    pub api: &'a syn::Path,
}

/// Lays out the formatted skeletons for reading: a blank line between items and the
/// arrange/act/assert sections marked (comments are not tokens, so they are added to the text).
pub fn annotate(formatted: &str) -> String {
    let mut out = String::with_capacity(formatted.len() + formatted.len() / 8);
    for line in formatted.lines() {
        if (line.starts_with("#[spec_macros::spec_contract")
            || line.starts_with("///")
            || line.starts_with("async fn serve"))
            && !out.is_empty()
            && !out.ends_with("\n\n")
            && !out.ends_with("/// Serves `router` on a free loopback port; returns its base URL.\n")
        {
            out.push('\n');
        }
        let marker = if line.starts_with("    let base = serve(") {
            Some("    // Arrange: the server in the state this case needs, and the request.")
        } else if line.starts_with("    let response = ") {
            Some("    // Act")
        } else if line.starts_with("    assert!(matches!(response") || line == "    assert!(" {
            Some("    // Assert: the declared response; add what the body must hold.")
        } else {
            None
        };
        if let Some(marker) = marker {
            out.push_str(marker);
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The `(operation, status)` cases a test-skeleton file covers: from its
/// `#[spec_contract(… operation = "…", status = …)]` attributes (read as text, so a file that does
/// not compile yet is still read).
pub fn tagged_cases(text: &str) -> Vec<(String, String)> {
    let mut cases = Vec::new();
    for (at, _) in text.match_indices("spec_contract(") {
        let args = &text[at + "spec_contract(".len()..];
        let args = &args[..args.find(')').unwrap_or(args.len())];
        let value = |key: &str| -> Option<String> {
            let rest = args.split(',').map(str::trim).find_map(|part| {
                let (k, v) = part.split_once('=')?;
                (k.trim() == key).then(|| v.trim().trim_matches('"').to_owned())
            })?;
            Some(rest)
        };
        if let (Some(operation), Some(status)) = (value("operation"), value("status")) {
            cases.push((operation, status));
        }
    }
    cases
}

/// `(operation, status)` of a skeleton, as `#[spec_contract]` names them.
pub fn case_key(o: &OperationNames, status: StatusSpec) -> (String, String) {
    (o.operation_id.clone().unwrap_or_else(|| o.name.clone()), status_text(status))
}

/// The skeletons of every case not in `existing`, and the helper they share when `with_helper`.
pub fn skeletons(
    names: &HttpNames,
    paths: &SkeletonPaths,
    existing: &[(String, String)],
    with_helper: bool,
) -> TokenStream {
    let api = paths.api;
    let mut tests = TokenStream::new();
    for o in &names.operations {
        for (status, pattern) in o.statuses.iter().zip(&o.patterns) {
            let (operation, status_text) = case_key(o, *status);
            if existing.iter().any(|(op, st)| *op == operation && st.eq_ignore_ascii_case(&status_text)) {
                continue;
            }
            tests.extend(skeleton(o, &operation, *status, pattern, paths));
        }
    }
    let helper = with_helper.then(|| {
        quote! {
            use #api::{client, server};

            /// Serves `router` on a free loopback port; returns its base URL.
            async fn serve(router: ::axum::Router) -> String {
                let listener = ::tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
                let addr = listener.local_addr().expect("local addr");
                ::tokio::spawn(async move { ::axum::serve(listener, router).await.expect("server runs") });
                format!("http://{addr}")
            }
        }
    });
    quote!(#helper #tests)
}

fn skeleton(
    o: &OperationNames,
    operation: &str,
    status: StatusSpec,
    pattern: &str,
    paths: &SkeletonPaths,
) -> TokenStream {
    let spec = paths.spec;
    let status_arg: TokenStream = match status {
        StatusSpec::Code(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        other => {
            let text = status_text(other);
            quote!(#text)
        }
    };
    let name = format_ident!("{}_{}", super::contract::stem(&o.name), status_text(status).to_ascii_lowercase());
    let method = format_ident!("{}", o.client_method);
    let ignore = format!(
        "skeleton: arrange a server that answers `{operation}` with {}, then remove this line",
        status_text(status)
    );
    let router_hint = "your router in the state this case needs, e.g. server::router(MyService::default())";
    let (request, argument) = match &o.request {
        Some(request) => {
            let request = format_ident!("{}", request);
            (
                quote! {
                    let request = server::#request::example().expect("the spec gives or admits an example request");
                },
                quote!(request),
            )
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    let credentials = o.auth.map(|_| {
        quote!(.with_credentials(client::Credentials { /* the credentials this case needs */ ..::std::default::Default::default() }))
    });
    let pattern: TokenStream = format!("server::{pattern}").parse().unwrap_or_default();
    quote! {
        #[spec_macros::spec_contract(spec = #spec, operation = #operation, status = #status_arg)]
        #[::tokio::test]
        #[ignore = #ignore]
        #[allow(unreachable_code, unused_variables)]
        async fn #name() {
            let base = serve(todo!(#router_hint)).await;
            #request
            let response = client::Client::new(base) #credentials .#method(#argument).await.expect("a declared response");
            assert!(matches!(response, #pattern), "{response:?}");
        }
    }
}

fn status_text(status: StatusSpec) -> String {
    match status {
        StatusSpec::Code(code) => code.to_string(),
        StatusSpec::Range(d) => format!("{d}XX"),
        StatusSpec::Default => "default".into(),
    }
}
