//! Path templates to axum routes.
//!
//! axum (matchit) matches whole segments and refuses some spellings (`:x`, `*x`, two templates
//! that differ only in a parameter's name). So every parameter segment is routed under a
//! positional name (`{p2}`), as are literal segments axum cannot take verbatim; the runtime then
//! matches the operation's real template (`{name}.{ext}`, `v1:batch`). Templates that share a
//! route and method are dispatched by trying each in spec order, so no operation is dropped.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use spec_core::diag::{Diagnostic, Diagnostics};

use super::Op;

/// The route axum sees for `path`.
fn route(path: &str) -> String {
    let path = strip_query(path);
    let mut out = String::new();
    for (i, segment) in segments(path).iter().enumerate() {
        out.push('/');
        if plain_literal(segment) {
            out.push_str(segment);
        } else {
            out.push_str(&format!("{{p{i}}}"));
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// The segments of a template: `/pets/{id}` → `pets`, `{id}`; `/` → one empty segment.
fn segments(path: &str) -> Vec<&str> {
    path.strip_prefix('/').unwrap_or(path).split('/').collect()
}

fn strip_query(path: &str) -> &str {
    path.split(['?', '#']).next().unwrap_or(path)
}

/// A literal segment axum can route verbatim and that arrives unencoded.
fn plain_literal(segment: &str) -> bool {
    !segment.starts_with([':', '*'])
        && segment.chars().all(|c| c.is_ascii_alphanumeric() || "-._~!$&'()+,;=@".contains(c))
}

/// The runtime's view of a template: `&[rt::Segment::Literal("pets"), rt::Segment::Param("id")]`.
pub fn template_tokens(path: &str) -> TokenStream {
    let segs = segments(strip_query(path)).into_iter().map(|segment| {
        let pieces = pieces(segment);
        match pieces.as_slice() {
            [] => quote!(rt::Segment::Literal("")),
            [Piece::Literal(l)] => quote!(rt::Segment::Literal(#l)),
            [Piece::Param(p)] => quote!(rt::Segment::Param(#p)),
            many => {
                let many = many.iter().map(|p| match p {
                    Piece::Literal(l) => quote!(rt::Piece::Literal(#l)),
                    Piece::Param(p) => quote!(rt::Piece::Param(#p)),
                });
                quote!(rt::Segment::Mixed(&[#(#many),*]))
            }
        }
    });
    quote!(&[#(#segs),*])
}

enum Piece<'a> {
    Literal(&'a str),
    Param(&'a str),
}

/// Splits `{name}.{ext}` into pieces; an unmatched brace is literal text.
fn pieces(segment: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = segment;
    while !rest.is_empty() {
        match rest.find('{').and_then(|open| rest[open..].find('}').map(|close| (open, open + close))) {
            Some((open, close)) if close > open + 1 => {
                if open > 0 {
                    out.push(Piece::Literal(&rest[..open]));
                }
                out.push(Piece::Param(&rest[open + 1..close]));
                rest = &rest[close + 1..];
            }
            _ => {
                out.push(Piece::Literal(rest));
                rest = "";
            }
        }
    }
    out
}

/// `router` and `router_with`, and the dispatchers of routes several templates share.
pub fn router(trait_name: &Ident, ops: &[Op], diags: &mut Diagnostics) -> TokenStream {
    // route → method → operations, in spec order.
    let mut routes: Vec<(String, Vec<(&'static str, Vec<&Op>)>)> = Vec::new();
    for o in ops {
        if strip_query(&o.op.path).len() != o.op.path.len() {
            diags.push(Diagnostic::approximation(
                "query-in-path",
                o.op.origin.clone(),
                format!("the path `{}` contains a query or fragment; it is routed without it", o.op.path),
            ));
        }
        let route = route(&o.op.path);
        let method = o.op.method.as_str();
        let at = match routes.iter().position(|(r, _)| *r == route) {
            Some(i) => i,
            None => {
                routes.push((route, Vec::new()));
                routes.len() - 1
            }
        };
        let methods = &mut routes[at].1;
        match methods.iter_mut().find(|(m, _)| *m == method) {
            Some((_, list)) => list.push(o),
            None => methods.push((method, vec![o])),
        }
    }
    let mut dispatchers = Vec::new();
    let calls = routes.iter().map(|(route, methods)| {
        let chain = methods.iter().enumerate().map(|(i, (method, candidates))| {
            let method = format_ident!("{method}");
            let target = if candidates.len() == 1 {
                candidates[0].handler.clone()
            } else {
                let name = format_ident!("dispatch_{}", dispatchers.len());
                dispatchers.push(dispatcher(&name, trait_name, candidates));
                name
            };
            if i == 0 { quote!(::axum::routing::#method(#target::<A>)) } else { quote!(.#method(#target::<A>)) }
        });
        quote!(.route(#route, #(#chain)*))
    });
    let calls: Vec<TokenStream> = calls.collect();
    // One `.route()` chain nests as deep as it is long, and syn, prettyplease and rustc all
    // recurse on it: Microsoft Graph's 7,274 routes overflowed rustc's stack. Long route lists
    // are chained in statements of ROUTES_PER_STATEMENT instead.
    let routes = if calls.len() <= ROUTES_PER_STATEMENT {
        quote!(::axum::Router::new() #(#calls)*)
    } else {
        let statements = calls.chunks(ROUTES_PER_STATEMENT).map(|chunk| quote!(let routes = routes #(#chunk)*;));
        quote!(let routes = ::axum::Router::new(); #(#statements)* routes)
    };
    quote! {
        /// Routes every operation of the spec to `api`, with the default [`Config`].
        pub fn router<A: #trait_name>(api: A) -> ::axum::Router {
            router_with(api, Config::default())
        }

        /// Routes every operation of the spec to `api`. Requests that break the contract are
        /// answered with an `application/problem+json` response before `api` sees them.
        pub fn router_with<A: #trait_name>(api: A, config: Config) -> ::axum::Router {
            let shared = ::std::sync::Arc::new(Shared { api, config });
            #routes
                .fallback(rt::not_found)
                .method_not_allowed_fallback(rt::method_not_allowed)
                .with_state(shared)
        }

        struct Shared<A> {
            api: A,
            config: Config,
        }

        #(#dispatchers)*
    }
}

/// Routes chained in one expression, at most: see `router_with`'s generator.
const ROUTES_PER_STATEMENT: usize = 64;

/// Tries each template sharing a route, in spec order; the last takes what the others did not.
fn dispatcher(name: &Ident, trait_name: &Ident, candidates: &[&Op]) -> TokenStream {
    let Some((last, first)) = candidates.split_last() else {
        return TokenStream::new();
    };
    let tries = first.iter().map(|o| {
        let template = template_tokens(&o.op.path);
        let handler = &o.handler;
        quote! {
            if rt::match_template(#template, request.uri().path()).is_some() {
                return #handler::<A>(state, request).await;
            }
        }
    });
    let last = &last.handler;
    quote! {
        async fn #name<A: #trait_name>(
            state: ::axum::extract::State<::std::sync::Arc<Shared<A>>>,
            request: ::axum::extract::Request,
        ) -> ::axum::response::Response {
            #(#tries)*
            #last::<A>(state, request).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_use_positional_names_for_anything_axum_cannot_take() {
        assert_eq!(route("/pets/{petId}"), "/pets/{p1}");
        assert_eq!(route("/files/{name}.{ext}"), "/files/{p1}");
        assert_eq!(route("/v1/things:batch"), "/v1/{p1}");
        assert_eq!(route("/"), "/");
        assert_eq!(route("/search?q=x"), "/search");
        assert_eq!(route("/a b/ü"), "/{p0}/{p1}");
    }
}
