//! The `contract` module (`--with tests`): checks, per operation, that a router keeps the spec's
//! contract, run over loopback HTTP by the generated client. A request built from the spec's
//! examples must get a declared response whose JSON body validates against its schema; a request
//! missing a required parameter, with a body that breaks its schema, or in an undeclared content
//! type must be refused with a 4xx. `contract::check(router)` runs them against any router (the
//! user's real implementation); the generated `#[cfg(test)]` tests run them against the mock.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use spec_core::ir::*;

use super::client::{method_name, uses_authorization};
use super::*;

/// The placeholder every credential is set to when checking the mock (which accepts any).
const PLACEHOLDER: &str = "contract-check";

impl HttpGen<'_> {
    /// The `contract` module and the tests that run it against the mock.
    pub(super) fn contract_module(&mut self, ops: &[Op]) -> TokenStream {
        let mut seen_routes: Vec<(Method, &str)> = Vec::new();
        let mut checks = Vec::new();
        let mut calls = Vec::new();
        let mut tests = Vec::new();
        let mut check_names: Vec<String> = Vec::new();
        for o in ops {
            let op = o.op;
            // A `#fragment` some specs use to tell operations apart is never sent: the server routes
            // such a request to the first of them.
            let route = (op.method, op.path.split('#').next().unwrap_or(""));
            let shadowed = seen_routes.contains(&route);
            seen_routes.push(route);
            let label = op.operation_id.clone().unwrap_or_else(|| op.name.clone());
            let name = op.name.trim_start_matches("r#");
            // `check__2fa` is not snake case; an operation named like another once trimmed gets
            // its index.
            let mut check_name = format!("check_{}", name.trim_start_matches('_'));
            if check_names.contains(&check_name) {
                check_name = format!("{check_name}_{}", check_names.len());
            }
            check_names.push(check_name.clone());
            let check_fn = format_ident!("{check_name}");
            checks.push(self.operation_check(o, &label, &check_fn, shadowed));
            calls.push(quote! {
                if selected(#label, #name) {
                    #check_fn(&client, &mut report, success).await;
                }
            });
            let test = format_ident!("{}", op.name);
            let doc = format!(" `{label}`: the mock keeps the contract of `{}`.", route_text(op));
            tests.push(quote! {
                #[doc = #doc]
                #[test]
                fn #test() {
                    super::contract::Checks::new(super::server::router(super::server::Mock::new()))
                        .expecting_success()
                        .only(&[#label])
                        .run_blocking()
                        .assert_ok();
                }
            });
        }
        let placeholders = self.placeholder_credentials();
        let title = format!(
            " Contract checks of {}: whether a router keeps the spec's contract, over loopback HTTP.",
            self.typer.ir.title.replace('\n', " ")
        );
        quote! {
            #[doc = #title]
            ///
            /// Per operation: a request built from the spec's examples (or synthesized from its
            /// schemas) gets a declared response whose JSON body validates against its schema; the
            /// same request without a required parameter, with a body that breaks its schema, or in
            /// an undeclared content type is refused with a 4xx status.
            #[allow(clippy::all, dead_code, unused_variables, unused_mut, unused_imports, deprecated)]
            pub mod contract {
                use super::client::*;
                use super::runtime::contract as rt_contract;
                pub use self::rt_contract::{Failure, Report, Site};

                /// Checks of a router, configured before they run.
                pub struct Checks {
                    router: ::axum::Router,
                    credentials: Credentials,
                    success: bool,
                    only: ::std::option::Option<::std::vec::Vec<&'static str>>,
                }

                impl Checks {
                    /// Checks of every operation of `router`, sending a placeholder for every credential.
                    pub fn new(router: ::axum::Router) -> Self {
                        Checks { router, credentials: #placeholders, success: false, only: ::std::option::Option::None }
                    }

                    /// The credentials to send (a real server needs real ones).
                    pub fn with_credentials(mut self, credentials: Credentials) -> Self {
                        self.credentials = credentials;
                        self
                    }

                    /// Valid requests must get a success (2xx or 3xx) response where the operation
                    /// declares one, as from the mock; otherwise any declared response will do.
                    pub fn expecting_success(mut self) -> Self {
                        self.success = true;
                        self
                    }

                    /// Only these operations (by `operationId` or generated name).
                    pub fn only(mut self, operations: &[&'static str]) -> Self {
                        self.only = ::std::option::Option::Some(operations.to_vec());
                        self
                    }

                    /// Serves the router on a loopback port and runs the checks.
                    pub async fn run(self) -> Report {
                        let Checks { router, credentials, success, only } = self;
                        rt_contract::serve(router, move |base| async move {
                            let client = Client::new(base).with_credentials(credentials).validating_responses();
                            let selected = |id: &str, name: &str| {
                                only.as_ref().map_or(true, |list| list.contains(&id) || list.contains(&name))
                            };
                            let mut report = Report::default();
                            #(#calls)*
                            report
                        })
                        .await
                    }

                    /// [`Checks::run`] on a runtime of its own, for tests that are not async.
                    pub fn run_blocking(self) -> Report {
                        match ::tokio::runtime::Builder::new_current_thread().enable_all().build() {
                            ::std::result::Result::Ok(runtime) => runtime.block_on(self.run()),
                            ::std::result::Result::Err(e) => panic!("cannot start a tokio runtime: {e}"),
                        }
                    }
                }

                /// Runs every operation's checks against `router` (see [`Checks`] for options).
                pub async fn check(router: ::axum::Router) -> Report {
                    Checks::new(router).run().await
                }

                #(#checks)*
            }

            /// The contract checks, run against the mock.
            #[cfg(test)]
            mod contract_tests {
                #(#tests)*
            }
        }
    }

    /// One operation's checks: `async fn check_<op>(client, report, success)`.
    fn operation_check(&mut self, o: &Op, label: &str, check_fn: &Ident, shadowed: bool) -> TokenStream {
        let op = o.op;
        let route = route_text(op);
        let location = format!("{}#{}", self.sources.file(op.origin.file).display, op.origin.pointer);
        let site = quote!(let site = rt_contract::Site { operation: #label, route: #route, location: #location };);
        let skip = |reason: &str| {
            quote! {
                async fn #check_fn(client: &Client, report: &mut Report, success: bool) {
                    #site
                    report.skip(&site, #reason);
                }
            }
        };
        if shadowed {
            return skip("an earlier operation has the same method and path (the `#fragment` is never sent)");
        }
        if self.unsendable(op) {
            return skip("every requirement set needs two credentials in the one Authorization header");
        }
        let method = method_name(o);
        // Success is expected only where the operation declares a success response.
        let declares_success = o.variants.iter().any(|v| match v.status {
            StatusSpec::Code(code) => code < 400,
            StatusSpec::Range(digit) => digit < 4,
            StatusSpec::Default => false,
        });
        let success = if declares_success { quote!(success) } else { quote!(false) };
        let Some(request) = &o.request else {
            return quote! {
                async fn #check_fn(client: &Client, report: &mut Report, success: bool) {
                    #site
                    let got = client.#method().await.map(|r| r.status());
                    report.answer(&site, "a request (the operation has no inputs)", got, #success);
                }
            };
        };
        let mut refusals = Vec::new();
        for p in served_params(op).filter(|p| p.required && p.location != ParamLocation::Path && p.default.is_none()) {
            let (name, place) = (&p.name, location_name(p.location));
            let what = format!("the request without its required {place} parameter `{name}`");
            let send =
                quote!(client.tampering(rt::Tamper::Omit(#name)).#method(request.clone()).await.map(|r| r.status()));
            // An exploded form object is sent as its members' names: there is no `name` to leave out.
            let exploded_object = p.location == ParamLocation::Query && p.style == ParamStyle::Form && p.explode;
            if exploded_object {
                let node = self.nodes.node(&p.ty);
                refusals.push(quote! {
                    if SCHEMA.shape(#node) != rt::Shape::Object {
                        report.refusal(&site, #what, #send);
                    }
                });
            } else {
                refusals.push(quote!(report.refusal(&site, #what, #send);));
            }
        }
        if let Some(body) = served_body(op).filter(|b| b.required) {
            let json = body.contents.iter().find(|c| c.kind == MediaKind::Json && !c.media_type.contains('*'));
            if let Some((content, ty)) = json.and_then(|c| Some((c, c.ty.as_ref()?))) {
                let node = self.nodes.node(ty);
                let media = content.media_type.as_str();
                refusals.push(quote! {
                    if let ::std::option::Option::Some((what, value)) = SCHEMA.violating(#node) {
                        let body = value.to_string().into_bytes();
                        let got = client.tampering(rt::Tamper::Body(#media, body)).#method(request.clone()).await;
                        report.refusal(&site, &format!("the request with a body where {what}"), got.map(|r| r.status()));
                    }
                });
            }
            if !body.contents.iter().any(|c| c.media_type.contains('*')) {
                refusals.push(quote! {
                    let got = client.tampering(rt::Tamper::ContentType(rt_contract::UNDECLARED_MEDIA)).#method(request.clone()).await;
                    report.refusal(&site, "the request with its body in an undeclared content type", got.map(|r| r.status()));
                });
            }
        }
        quote! {
            async fn #check_fn(client: &Client, report: &mut Report, success: bool) {
                #site
                let ::std::option::Option::Some(request) = #request::example() else {
                    report.skip(&site, "no request can be built from the spec's examples or schemas");
                    return;
                };
                let got = client.#method(request.clone()).await.map(|r| r.status());
                report.answer(&site, "a request built from the spec's examples", got, #success);
                #(#refusals)*
            }
        }
    }

    /// Whether every requirement set of `op` needs two credentials in the `Authorization` header
    /// (the client cannot send any of them).
    fn unsendable(&self, op: &Operation) -> bool {
        let ir = self.typer.ir;
        let sets = op.security.as_ref().unwrap_or(&ir.security);
        let authorization = |key: &String| {
            ir.security_schemes.iter().find(|s| &s.key == key).is_some_and(|s| uses_authorization(&s.kind))
        };
        !sets.is_empty() && sets.iter().all(|set| set.schemes.iter().filter(|(key, _)| authorization(key)).count() > 1)
    }

    /// `Credentials` with every field set to a placeholder.
    fn placeholder_credentials(&self) -> TokenStream {
        let fields = self.typer.ir.security_schemes.iter().filter_map(|s| {
            let field = format_ident!("{}", s.rust_name);
            let value = match s.kind {
                SecurityKind::Basic => quote! {
                    rt::Basic { user: #PLACEHOLDER.into(), password: ::std::option::Option::Some(#PLACEHOLDER.into()) }
                },
                SecurityKind::Other { .. } => return None,
                _ => quote!(#PLACEHOLDER.into()),
            };
            Some(quote!(#field: ::std::option::Option::Some(#value),))
        });
        quote!(Credentials { #(#fields)* ..Credentials::default() })
    }
}

/// `GET /pets/{petId}`.
fn route_text(op: &Operation) -> String {
    format!("{} {}", op.method.as_str().to_uppercase(), op.path)
}
