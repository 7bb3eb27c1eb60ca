//! The `contract` module (`--with tests`): checks, per operation, that a router keeps the spec's
//! contract, run over loopback HTTP by the generated client. A request built from the spec's
//! examples must get a declared response whose JSON body validates against its schema; a request
//! missing a required parameter, with a body that breaks its schema, or in an undeclared content
//! type must be refused with a 4xx. `contract::check(router)` runs them against any router (the
//! user's real implementation); the generated `#[cfg(test)]` tests run them against the mock.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use spec_core::diag::{Diagnostic, Origin};
use spec_core::ir::*;
use spec_core::lower::names::snake;

use super::client::{method_name, uses_authorization};
use super::*;

/// The placeholder every credential is set to when checking the mock (which accepts any).
const PLACEHOLDER: &str = "contract-check";

impl HttpGen<'_> {
    /// The `contract` module and the tests that run it against the mock.
    pub(super) fn contract_module(&mut self, ops: &[Op]) -> TokenStream {
        let mut checks = Vec::new();
        let mut calls = Vec::new();
        let mut tests = Vec::new();
        let mut check_names: Vec<String> = Vec::new();
        for (o, shadowed) in ops.iter().zip(shadowed(ops)) {
            let op = o.op;
            let label = op.operation_id.clone().unwrap_or_else(|| op.name.clone());
            let name = op.name.trim_start_matches("r#");
            // `check__2fa` is not snake case.
            let check_fn = unique(&mut check_names, format!("check_{}", name.trim_start_matches('_')));
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
        let examples = self.example_tests();
        let constraints = self.constraint_tests();
        let properties = if self.proptest { self.property_modules(ops) } else { TokenStream::new() };
        let title = format!(
            " Contract checks of {}: whether a router keeps the spec's contract, over loopback HTTP.",
            self.typer.ir.title.replace(['\n', '\r'], " ")
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
                        Checks { router, credentials: placeholder_credentials(), success: false, only: ::std::option::Option::None }
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

                    /// [`Checks::run`] on a runtime of its own, for tests that are not async. It runs
                    /// on a thread with a large stack: debug builds of deeply nested schemas (mock
                    /// data, validation and serde all recurse) outgrow a test thread's 2 MiB.
                    pub fn run_blocking(self) -> Report {
                        let checks = move || match ::tokio::runtime::Builder::new_current_thread().enable_all().build() {
                            ::std::result::Result::Ok(runtime) => runtime.block_on(self.run()),
                            ::std::result::Result::Err(e) => panic!("cannot start a tokio runtime: {e}"),
                        };
                        let thread = ::std::thread::Builder::new().name("contract-checks".into()).stack_size(64 << 20).spawn(checks);
                        match thread.map(|t| t.join()) {
                            ::std::result::Result::Ok(::std::result::Result::Ok(report)) => report,
                            ::std::result::Result::Ok(::std::result::Result::Err(panic)) => ::std::panic::resume_unwind(panic),
                            ::std::result::Result::Err(e) => panic!("cannot start the contract checks' thread: {e}"),
                        }
                    }
                }

                /// Every credential the spec names, set to a placeholder: what the generated mock accepts.
                pub fn placeholder_credentials() -> Credentials {
                    #placeholders
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

            #examples
            #constraints
            #properties
        }
    }

    /// `#[cfg(test)] mod constraint_tests`: for every struct, enum and constrained newtype, values
    /// at the edge of each constraint (just inside, just outside; a required member left out; an
    /// unknown member where none is allowed) must be accepted by the generated type exactly when
    /// the schema accepts them. One test per type.
    fn constraint_tests(&mut self) -> TokenStream {
        let ir = self.typer.ir;
        let mut tests = Vec::new();
        let mut names: Vec<String> = Vec::new();
        for (index, def) in ir.types.iter().enumerate() {
            if !matches!(def.kind, TypeKind::Struct(_) | TypeKind::Enum(_) | TypeKind::Newtype(_)) {
                continue;
            }
            let ty = TypeRef::Named(TypeId(index));
            let node = self.nodes.node(&ty);
            let rust = self.typer.rust(None, &ty);
            let location = format!("{}#{}", self.sources.file(def.origin.file).display, def.origin.pointer);
            let name = unique(&mut names, format!("type_{}", snake(&def.name, "type").trim_start_matches('_')));
            let doc = format!(" `{}` accepts what its schema accepts, at the edge of each constraint.", def.name);
            tests.push(quote! {
                #[doc = #doc]
                #[test]
                fn #name() {
                    let failures = constraints::<#rust>(&SCHEMA, #node, #location);
                    assert!(failures.is_empty(), "{}", failures.join("\n"));
                }
            });
        }
        if tests.is_empty() {
            return TokenStream::new();
        }
        quote! {
            /// The generated types against their schemas' constraints.
            #[cfg(test)]
            #[allow(deprecated)]
            mod constraint_tests {
                use super::operations::SCHEMA;
                use super::runtime::contract::constraints;
                #(#tests)*
            }
        }
    }

    /// `#[cfg(test)] mod example_tests`: every example of the spec that fits its schema (schema
    /// `example`/`examples`, parameter and JSON media-type examples) must deserialize into its
    /// generated type and serialize back to the same JSON; one test per schema and per operation.
    /// An example that does not fit its schema gets no test and is reported where it is.
    fn example_tests(&mut self) -> TokenStream {
        let ir = self.typer.ir;
        let mut tests = Vec::new();
        let mut names: Vec<String> = Vec::new();
        let mut test = |this: &mut Self, base: String, title: String, cases: Vec<(Origin, TypeRef, &Value)>| {
            let mut calls = Vec::new();
            for (origin, ty, value) in cases {
                if let Err((pointer, reason)) = spec_core::lint::conforms(ir, &ty, value, String::new(), 0) {
                    let at = if pointer.is_empty() { String::new() } else { format!(" at `{pointer}`") };
                    this.diags.push(Diagnostic::warning(
                        "example-mismatch",
                        origin,
                        format!(
                            "this example does not fit its schema{at}: {reason}; no round-trip test is generated for it"
                        ),
                    ));
                    continue;
                }
                let location = format!("{}#{}", this.sources.file(origin.file).display, origin.pointer);
                let rust = this.typer.rust(None, &ty);
                let text = modeled(ir, &ty, value, 0).to_string();
                calls.push(quote!(round_trip::<#rust>(#location, #text)));
            }
            if calls.is_empty() {
                return;
            }
            let name = unique(&mut names, base);
            let doc = format!(" The examples of {title}: each deserializes and serializes back to the same JSON.");
            tests.push(quote! {
                #[doc = #doc]
                #[test]
                fn #name() {
                    let failures: ::std::vec::Vec<::std::string::String> = [#(#calls),*].into_iter().flatten().collect();
                    assert!(failures.is_empty(), "{}", failures.join("\n"));
                }
            });
        };
        // A schema with readOnly/writeOnly members has two views; its examples show the response one.
        for (index, def) in ir.types.iter().enumerate().filter(|(_, d)| d.view != View::Request) {
            let ty = TypeRef::Named(TypeId(index));
            let cases = def.examples.iter().map(|v| (def.origin.child("example"), ty.clone(), v)).collect();
            let base = format!("schema_{}", snake(&def.name, "type"));
            test(self, base, format!("`{}`", def.name), cases);
        }
        for op in ir.operations.iter().filter(|o| !o.webhook) {
            let mut cases: Vec<(Origin, TypeRef, &Value)> = Vec::new();
            for p in
                served_params(op).filter(|p| p.media_type.is_none() || p.media_type.as_deref().is_some_and(is_json))
            {
                cases.extend(
                    p.examples.iter().filter_map(|e| Some((e.origin.clone(), p.ty.clone(), e.value.as_ref()?))),
                );
            }
            let bodies = op.body.iter().flat_map(|b| &b.contents);
            let responses = op.responses.iter().flat_map(|r| &r.contents);
            for c in bodies.chain(responses).filter(|c| c.kind == MediaKind::Json) {
                let Some(ty) = &c.ty else { continue };
                cases.extend(c.examples.iter().filter_map(|e| Some((e.origin.clone(), ty.clone(), e.value.as_ref()?))));
            }
            let base = format!("operation_{}", op.name.trim_start_matches("r#").trim_start_matches('_'));
            test(self, base, format!("`{}`", route_text(op)), cases);
        }
        if tests.is_empty() {
            return TokenStream::new();
        }
        quote! {
            /// The spec's examples, through their generated types.
            #[cfg(test)]
            #[allow(deprecated)]
            mod example_tests {
                use super::runtime::contract::round_trip;
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
        if let Some(reason) = self.unchecked(o, shadowed) {
            return skip(reason);
        }
        let method = method_name(o);
        let success = if declares_success(o) { quote!(success) } else { quote!(false) };
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

    /// Why an operation cannot be checked over HTTP, if it cannot.
    pub(super) fn unchecked(&self, o: &Op, shadowed: bool) -> Option<&'static str> {
        if shadowed {
            return Some("an earlier operation has the same method and path (the `#fragment` is never sent)");
        }
        if self.unsendable(o.op) {
            return Some("every requirement set needs two credentials in the one Authorization header");
        }
        if o.variants.is_empty() {
            return Some("the operation declares no response, so no answer can keep its contract");
        }
        // A 1xx status is never a final response: a server cannot answer with one.
        let informational = |status: &StatusSpec| match status {
            StatusSpec::Code(code) => *code < 200,
            StatusSpec::Range(digit) => *digit == 1,
            StatusSpec::Default => false,
        };
        if o.variants.iter().all(|v| informational(&v.status)) {
            return Some("the operation declares only informational (1xx) responses, which are never final");
        }
        None
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

/// Per operation, whether an earlier one has its method and path: a `#fragment` some specs use
/// to tell operations apart is never sent, so the server routes such a request to the first.
pub(super) fn shadowed(ops: &[Op]) -> Vec<bool> {
    let mut seen: Vec<(Method, &str)> = Vec::new();
    ops.iter()
        .map(|o| {
            let route = (o.op.method, o.op.path.split('#').next().unwrap_or(""));
            let shadowed = seen.contains(&route);
            seen.push(route);
            shadowed
        })
        .collect()
}

/// Whether the operation declares a success (2xx or 3xx) response: only then is one expected.
pub(super) fn declares_success(o: &Op) -> bool {
    o.variants.iter().any(|v| match v.status {
        StatusSpec::Code(code) => code < 400,
        StatusSpec::Range(digit) => digit < 4,
        StatusSpec::Default => false,
    })
}

/// The part of an example the generated types keep: members a schema neither names nor denies
/// (`additionalProperties` absent) are ignored by its struct, so a round trip cannot bring them back.
fn modeled(ir: &Ir, ty: &TypeRef, value: &Value, depth: usize) -> Value {
    if depth > 64 {
        return value.clone();
    }
    match (ty, value) {
        (TypeRef::Nullable(inner), v) if !v.is_null() => modeled(ir, inner, v, depth + 1),
        (TypeRef::List(inner), Value::Array(items)) => {
            Value::Array(items.iter().map(|v| modeled(ir, inner, v, depth + 1)).collect())
        }
        (TypeRef::Map(inner), Value::Object(members)) => {
            Value::Object(members.iter().map(|(k, v)| (k.clone(), modeled(ir, inner, v, depth + 1))).collect())
        }
        (TypeRef::Named(id), v) => match &ir.ty(*id).kind {
            TypeKind::Alias(inner) => modeled(ir, inner, v, depth + 1),
            TypeKind::Newtype(def) => modeled(ir, &def.inner, v, depth + 1),
            // The variant the example is read as: the tagged one, else the first it fits (what an
            // untagged union deserializes to).
            TypeKind::Union(def) => {
                // With a discriminator the tag picks the variant, as when deserializing.
                let tag = def.discriminator.as_ref().and_then(|d| v.get(&d.property)).and_then(Value::as_str);
                let tagged = tag.and_then(|tag| def.variants.iter().find(|var| var.tags.iter().any(|t| t == tag)));
                let fitting = || {
                    def.variants.iter().find(|var| spec_core::lint::conforms(ir, &var.ty, v, String::new(), 0).is_ok())
                };
                match tagged.or_else(fitting) {
                    Some(var) => modeled(ir, &var.ty, v, depth + 1),
                    None => v.clone(),
                }
            }
            TypeKind::Struct(def) => {
                let Value::Object(members) = v else { return v.clone() };
                let kept = members.iter().filter_map(|(k, v)| {
                    let member = match def.fields.iter().find(|f| &f.json_name == k) {
                        Some(field) => modeled(ir, &field.ty, v, depth + 1),
                        None => match &def.additional {
                            Additional::Ignore => return None,
                            Additional::Deny => v.clone(),
                            Additional::Map(t) => modeled(ir, t, v, depth + 1),
                        },
                    };
                    Some((k.clone(), member))
                });
                Value::Object(kept.collect())
            }
            _ => v.clone(),
        },
        _ => value.clone(),
    }
}

/// `name` as an identifier, with a number added when an earlier one of `taken` is the same (two
/// spec names can meet once made snake case and trimmed of leading underscores).
pub(super) fn unique(taken: &mut Vec<String>, name: String) -> proc_macro2::Ident {
    let name = if taken.contains(&name) { format!("{name}_{}", taken.len()) } else { name };
    taken.push(name.clone());
    format_ident!("{name}")
}

/// `name` without `r#` and the leading underscores snake case adds, to start a longer identifier;
/// kept whole when that would leave it empty or starting with a digit (`_1st`).
pub(super) fn stem(name: &str) -> &str {
    let raw = name.trim_start_matches("r#");
    let bare = raw.trim_start_matches('_');
    if bare.is_empty() || bare.starts_with(|c: char| c.is_ascii_digit()) { raw } else { bare }
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// `GET /pets/{petId}`.
pub(super) fn route_text(op: &Operation) -> String {
    format!("{} {}", op.method.as_str().to_uppercase(), op.path)
}
