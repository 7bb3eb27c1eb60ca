//! `--with proptest`: the `strategies` module (a proptest strategy for every generated type and
//! every operation's request, drawing only values the schema accepts) and `#[cfg(test)] mod
//! property_tests` (each type's values round-trip through serde; each operation's requests, sent
//! by the client to the mock router, get a declared response that fits the spec).
//!
//! Strategies are one call each into `runtime/strategy.rs`, which walks the schema table: the
//! generated code stays a list of node numbers, however large the spec.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use spec_core::ir::*;
use spec_core::lower::names::snake;

use super::client::method_name;
use super::contract::{declares_success, route_text, shadowed, stem, unique};
use super::*;

impl HttpGen<'_> {
    /// The `strategies` module and the property tests that use it.
    pub(super) fn property_modules(&mut self, ops: &[Op]) -> TokenStream {
        let ir = self.typer.ir;
        let mut strategies = Vec::new();
        let mut tests = Vec::new();
        let mut names: Vec<String> = Vec::new();
        // A schema no finite value satisfies (`validate` reports it as `unsatisfiable`) keeps its
        // strategy, which can draw nothing, but gets no property test.
        let inhabited = spec_core::lint::inhabited(ir);
        for (index, def) in ir.types.iter().enumerate() {
            let ty = TypeRef::Named(TypeId(index));
            let node = self.nodes.node(&ty);
            let rust = self.typer.rust(None, &ty);
            let location = format!("{}#{}", self.sources.file(def.origin.file).display, def.origin.pointer);
            let name = unique(&mut names, stem(&snake(&def.name, "type")).to_owned());
            let doc = format!(" Values of `{}` that its schema ({location}) accepts.", def.name);
            strategies.push(quote! {
                #[doc = #doc]
                pub fn #name() -> ::proptest::strategy::BoxedStrategy<#rust> {
                    rt_strategy::typed::<#rust>(&SCHEMA, #node, rt_strategy::Place::Body)
                }
            });
            if !inhabited[index] {
                continue;
            }
            let doc = format!(" `{}`: every value its schema accepts round-trips through serde.", def.name);
            tests.push(quote! {
                #[doc = #doc]
                #[test]
                fn #name() {
                    rt_strategy::check(#location, rt_strategy::values(&SCHEMA, #node, rt_strategy::Place::Body), |value| {
                        rt_strategy::round_trip::<#rust>(&SCHEMA, #node, &value)
                    });
                }
            });
        }
        let mut checks = Vec::new();
        for (o, shadowed) in ops.iter().zip(shadowed(ops)) {
            let Some(request) = &o.request else { continue };
            let base = stem(&o.op.name);
            let name = unique(&mut names, format!("{base}_request"));
            strategies.push(self.request_strategy(o, request, &name));
            let inputs = served_params(o.op)
                .map(|p| &p.ty)
                .chain(served_body(o.op).into_iter().flat_map(|b| b.contents.iter().filter_map(|c| c.ty.as_ref())));
            let drawable = inputs.collect::<Vec<_>>().iter().all(|ty| spec_core::lint::satisfiable(&inhabited, ty));
            if self.unchecked(o, shadowed).is_some() || !drawable {
                continue;
            }
            let check = unique(&mut names, format!("check_{base}"));
            strategies.push(self.operation_property(o, &name, &check));
            checks.push(check.clone());
            let doc = format!(
                " Generated requests to the mock get responses that keep the contract of `{}`.",
                route_text(o.op)
            );
            tests.push(quote! {
                #[doc = #doc]
                #[test]
                fn #name() {
                    super::strategies::#check(
                        super::server::router(super::server::Mock::new()),
                        super::contract::placeholder_credentials(),
                        true,
                    );
                }
            });
        }
        let title = format!(
            " proptest strategies of {}: values of every type and request that their schemas accept.",
            self.typer.ir.title.replace(['\n', '\r'], " ")
        );
        quote! {
            #[doc = #title]
            ///
            /// Each strategy draws values satisfying every constraint of its schema (bounds, lengths,
            /// patterns, formats, item counts, required members, discriminator tags) and keeps only
            /// values the schema validates.
            #[allow(clippy::all, dead_code, unused_imports, unused_variables, deprecated)]
            pub mod strategies {
                use super::operations::*;
                use super::runtime::strategy as rt_strategy;
                use ::proptest::strategy::Strategy as _;
                use super::client::{Client, Credentials};
                use super::runtime::contract::{Report, Site};
                #(#strategies)*

                /// Every operation's property (the `check_…` functions) against `router`.
                pub fn check_all(router: ::axum::Router, credentials: Credentials, expect_success: bool) {
                    #(#checks(router.clone(), credentials.clone(), expect_success);)*
                }
            }

            /// Property tests: generated values through serde, and generated requests through the
            /// mock router over loopback HTTP (`PROPTEST_CASES`, `PROPTEST_RNG_SEED` apply).
            #[cfg(test)]
            #[allow(deprecated, unused_imports)]
            mod property_tests {
                use super::client::*;
                use super::operations::SCHEMA;
                use super::runtime::strategy as rt_strategy;
                #(#tests)*
            }
        }
    }

    /// `fn <op>_request()`: each parameter and the body drawn from its schema, optional ones
    /// sometimes left out.
    fn request_strategy(&mut self, o: &Op, request: &Ident, name: &Ident) -> TokenStream {
        let op = o.op;
        let mut draws = Vec::new();
        let mut fields = Vec::new();
        let mut push = |field: TokenStream, optional: bool, draw: TokenStream, read: TokenStream| {
            if optional {
                draws.push(quote!(::proptest::option::of(#draw).boxed()));
                fields.push(quote!(#field: match values.next()? {
                    ::std::option::Option::Some(v) => ::std::option::Option::Some(#read),
                    ::std::option::Option::None => ::std::option::Option::None,
                }));
            } else {
                draws.push(quote!(#draw.prop_map(::std::option::Option::Some).boxed()));
                fields.push(quote!(#field: { let v = values.next()??; #read }));
            }
        };
        for p in served_params(op) {
            let field = format_ident!("{}", p.rust_name);
            let node = self.nodes.node(&p.ty);
            let optional = !(p.required || p.default.is_some());
            let draw = quote!(rt_strategy::values(&SCHEMA, #node, rt_strategy::Place::Parameter));
            push(quote!(#field), optional, draw, quote!(::serde_json::from_value(v).ok()?));
        }
        if let Some(body) = served_body(op) {
            let field = body_field(op);
            let chosen = body.contents.iter().position(|c| c.kind == MediaKind::Json).unwrap_or(0);
            let c = &body.contents[chosen];
            let node = match &c.ty {
                Some(t) => self.nodes.node(t),
                None => self.nodes.node(&TypeRef::Any),
            };
            let read = match c.kind {
                MediaKind::Json | MediaKind::Form => quote!(::serde_json::from_value(v).ok()?),
                MediaKind::Multipart => quote!(rt::multipart_of(&SCHEMA, #node, &v)),
                MediaKind::Text | MediaKind::Xml => quote!(rt::mock_text(::std::option::Option::Some(&v.to_string()))),
                MediaKind::Binary => {
                    quote!(rt::mock_text(::std::option::Option::Some(&v.to_string())).into_bytes())
                }
            };
            let read = match self.body_enums.get(&op.name) {
                Some(body_enum) => {
                    let variant = &responses::media_variants(&body.contents)[chosen];
                    quote!(#body_enum::#variant(#read))
                }
                None => read,
            };
            let place = match c.kind {
                MediaKind::Form | MediaKind::Multipart => quote!(rt_strategy::Place::Form),
                _ => quote!(rt_strategy::Place::Body),
            };
            let draw = quote!(rt_strategy::values(&SCHEMA, #node, #place));
            push(quote!(#field), !body.required, draw, read);
        }
        let doc = format!(" Requests of `{}` whose every input its schema accepts.", route_text(op));
        quote! {
            #[doc = #doc]
            pub fn #name() -> ::proptest::strategy::BoxedStrategy<#request> {
                let draws: ::std::vec::Vec<::proptest::strategy::BoxedStrategy<::std::option::Option<::serde_json::Value>>> =
                    ::std::vec![#(#draws),*];
                draws
                    .prop_filter_map("inputs their types read", |values| {
                        let mut values = values.into_iter();
                        ::std::option::Option::Some(#request { #(#fields,)* })
                    })
                    .boxed()
            }
        }
    }

    /// `fn check_<op>(router, credentials, expect_success)`: every generated request, sent by the
    /// client to `router`, gets a declared response whose body fits the spec (with
    /// `expect_success`, a success one where the operation declares one: what a mock answers).
    fn operation_property(&self, o: &Op, strategy: &Ident, check: &Ident) -> TokenStream {
        let op = o.op;
        let label = op.operation_id.clone().unwrap_or_else(|| op.name.clone());
        let route = route_text(op);
        let location = format!("{}#{}", self.sources.file(op.origin.file).display, op.origin.pointer);
        let method = method_name(o);
        // Success is expected only where the operation declares a success response.
        let success = if declares_success(o) { quote!(expect_success) } else { quote!(false) };
        let doc = format!(
            " `{label}` (`{route}`, {location}): generated requests sent to `router` get declared responses whose \
             bodies fit the spec; with `expect_success`, success ones. Panics with the smallest failing request."
        );
        quote! {
            #[doc = #doc]
            pub fn #check(router: ::axum::Router, credentials: Credentials, expect_success: bool) {
                rt_strategy::check_served(#location, router, #strategy, move |base, request| {
                    let client = Client::new(base).with_credentials(credentials.clone()).validating_responses();
                    async move {
                        let site = Site { operation: #label, route: #route, location: #location };
                        let got = client.#method(request).await.map(|r| r.status());
                        let mut report = Report::default();
                        report.answer(&site, "a generated request", got, #success);
                        if report.is_ok() { ::std::result::Result::Ok(()) } else { ::std::result::Result::Err(report.to_string()) }
                    }
                });
            }
        }
    }
}
