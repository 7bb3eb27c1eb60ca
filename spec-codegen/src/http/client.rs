//! The `client` module: `Client`, with one method per operation that writes the operation's
//! request struct in the spec's parameter styles and media types, sends the credentials its
//! requirements name, and reads the answer back into the operation's response enum.
//!
//! A method is not an `async fn`: it writes the request synchronously and returns the future of
//! `rt::Call::send_with`, the one async body all operations share, given a plain function that
//! decodes the response. Each `async fn` was a state machine of its own for rustc to build and
//! borrow-check: with them, Microsoft Graph's `types,client` crate (22,361 operations) outgrew
//! 22.5 GB of rustc memory. The future is `Send` whenever the response type is (auto traits
//! show through `impl Future`), so it is not spelled out: proving it for every method cost
//! check time.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use spec_core::diag::Diagnostic;
use spec_core::ir::*;

use super::responses::{HeaderField, MediaBody, Variant};
use super::*;
use crate::docs::{Declared, doc_attrs};

/// Inherent items of `Client` an operation's method must not shadow.
const CLIENT_ITEMS: [&str; 8] =
    ["new", "with_http", "with_credentials", "validating_responses", "tampering", "base_url", "http", "default"];

impl HttpGen<'_> {
    /// The `client` module; the operation types come from `operations`.
    pub(super) fn client_module(&mut self, ops: &[Op]) -> TokenStream {
        let ir = self.typer.ir;
        let servers: Vec<String> = ir.servers.iter().map(server_url).collect();
        let default =
            servers.first().filter(|url| url.starts_with("http://") || url.starts_with("https://")).map(|url| {
                let doc = format!(" A client of `{url}`, the spec's first server.");
                quote! {
                    impl ::std::default::Default for Client {
                        #[doc = #doc]
                        fn default() -> Self {
                            Client::new(#url)
                        }
                    }
                }
            });
        let (credentials, credential_arms) = self.credentials();
        let secured = ops.iter().any(|o| o.security.is_some());
        // Free functions, not methods: an operation may be named `authorize` too.
        let authorize = secured.then(|| {
            quote! {
                fn credential(credentials: &Credentials, scheme: Scheme) -> ::std::option::Option<rt::Secret<'_>> {
                    match scheme {
                        #(#credential_arms)*
                        #[allow(unreachable_patterns)]
                        _ => ::std::option::Option::None,
                    }
                }

                /// Sends the credentials of the first requirement set (in spec order) that is fully
                /// configured; none when no set is (the server then answers as it will).
                fn authorize(credentials: &Credentials, call: &mut rt::Call, sets: &[&[Scheme]]) {
                    for set in sets {
                        let secrets: ::std::option::Option<::std::vec::Vec<rt::Secret<'_>>> =
                            set.iter().map(|scheme| credential(credentials, *scheme)).collect();
                        if let ::std::option::Option::Some(secrets) = secrets {
                            for secret in secrets {
                                call.secret(secret);
                            }
                            return;
                        }
                    }
                }
            }
        });
        let methods: Vec<TokenStream> = ops.iter().map(|o| self.client_method(o)).collect();
        let title = format!(
            " Client side of {}: [`Client`] has one method per operation.",
            ir.title.replace(['\n', '\r'], " ")
        );
        quote! {
            #[doc = #title]
            #[allow(clippy::all, dead_code, unused_variables, unused_mut, deprecated)]
            pub mod client {
                pub use super::operations::*;
                use super::runtime::client as rt_client;
                use super::runtime::schema as rt_schema;
                use super::runtime::http as rt_http;
                /// The runtime's types, under one short name.
                pub mod rt {
                    pub use super::rt_client::*;
                    pub use super::rt_http::*;
                    pub use super::rt_schema::*;
                }
                pub use self::rt::{Basic, Error, Received};

                /// The servers the spec lists, with their variables at their default values.
                pub const SERVERS: &[&str] = &[#(#servers),*];

                #credentials

                /// Calls the API at a base URL (the server URL paths are appended to) through a
                /// `reqwest::Client`, whose timeouts, proxies and TLS settings are the caller's.
                #[derive(Debug, Clone)]
                pub struct Client {
                    transport: rt::Transport,
                    credentials: Credentials,
                }

                #default

                impl Client {
                    /// A client of the API at `base_url` (one of [`SERVERS`], or any other).
                    pub fn new(base_url: impl ::std::convert::Into<::std::string::String>) -> Self {
                        Client::with_http(base_url, ::reqwest::Client::new())
                    }

                    /// A client sending through `http`, configured as the caller needs.
                    pub fn with_http(base_url: impl ::std::convert::Into<::std::string::String>, http: ::reqwest::Client) -> Self {
                        let transport = rt::Transport { base: base_url.into(), http, validate: false, tamper: ::std::option::Option::None };
                        Client { transport, credentials: Credentials::default() }
                    }

                    /// Credentials to send, each to the operations whose security requirements name it.
                    pub fn with_credentials(mut self, credentials: Credentials) -> Self {
                        self.credentials = credentials;
                        self
                    }

                    /// Checks every JSON response body against its schema in the spec before decoding
                    /// it: a body the spec does not allow (a member out of its range, an unknown member
                    /// where none is allowed) is an [`Error::Decode`] naming each violation's JSON
                    /// pointer, even where the generated types would accept it.
                    pub fn validating_responses(mut self) -> Self {
                        self.transport.validate = true;
                        self
                    }

                    /// A copy of this client that writes `tamper`'s defect into every request (for
                    /// contract checks of a server's refusals).
                    #[doc(hidden)]
                    pub fn tampering(&self, tamper: rt::Tamper) -> Self {
                        let mut client = self.clone();
                        client.transport.tamper = ::std::option::Option::Some(tamper);
                        client
                    }

                    pub fn base_url(&self) -> &str {
                        &self.transport.base
                    }

                    pub fn http(&self) -> &::reqwest::Client {
                        &self.transport.http
                    }

                    #(#methods)*
                }

                #authorize
            }
        }
    }

    /// `Credentials`, a field per security scheme, and the arms mapping each scheme to where it goes.
    fn credentials(&self) -> (TokenStream, Vec<TokenStream>) {
        let mut fields = Vec::new();
        let mut debug = Vec::new();
        let mut arms = Vec::new();
        for s in &self.typer.ir.security_schemes {
            let field = format_ident!("{}", s.rust_name);
            let variant = scheme_variant(s);
            let (ty, doc, secret) = match &s.kind {
                SecurityKind::ApiKey { name, location } => {
                    let secret = match location {
                        ParamLocation::Query => quote!(rt::Secret::Query(#name, value.as_str())),
                        ParamLocation::Cookie => quote!(rt::Secret::Cookie(#name, value.as_str())),
                        _ => quote!(rt::Secret::Header(#name, value.as_str())),
                    };
                    let place = match location {
                        ParamLocation::Query => "query parameter",
                        ParamLocation::Cookie => "cookie",
                        _ => "header",
                    };
                    (
                        quote!(::std::string::String),
                        format!(" `{}`: an API key, sent as the `{name}` {place}.", s.key),
                        secret,
                    )
                }
                SecurityKind::Basic => (
                    quote!(rt::Basic),
                    format!(" `{}`: HTTP basic credentials.", s.key),
                    quote!(rt::Secret::Basic(value)),
                ),
                SecurityKind::Bearer { .. } | SecurityKind::OAuth2 { .. } | SecurityKind::OpenIdConnect { .. } => (
                    quote!(::std::string::String),
                    format!(" `{}`: a token, sent as `Authorization: Bearer`.", s.key),
                    quote!(rt::Secret::Bearer(value.as_str())),
                ),
                // mutualTLS and unknown http schemes: configured on the `reqwest::Client`.
                SecurityKind::Other { .. } => continue,
            };
            let mut doc = vec![quote!(#[doc = #doc])];
            if let Some(description) = &s.description {
                let docs =
                    doc_attrs(&Docs { title: None, description: Some(description.clone()), deprecated: false }, None);
                doc.push(quote!(#[doc = ""] #docs));
            }
            fields.push(quote!(#(#doc)* pub #field: ::std::option::Option<#ty>));
            let key = s.rust_name.as_str();
            debug.push(quote!(.field(#key, &self.#field.as_ref().map(|_| "…"))));
            arms.push(quote!(Scheme::#variant => credentials.#field.as_ref().map(|value| #secret),));
        }
        let tokens = quote! {
            /// Credentials for the spec's security schemes; set those you have.
            #[derive(Clone, Default)]
            pub struct Credentials { #(#fields,)* }

            /// Shows which credentials are set, never their values.
            impl ::std::fmt::Debug for Credentials {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct("Credentials") #(#debug)* .finish()
                }
            }
        };
        (tokens, arms)
    }

    fn client_method(&mut self, o: &Op) -> TokenStream {
        let op = o.op;
        let name = method_name(o);
        let response = &o.response;
        let docs = doc_attrs(
            &operation_docs(op),
            Some(Declared { sources: self.sources, lines: self.typer.lines, origin: &op.origin }),
        );
        let route = format!(" `{} {}`", op.method.as_str().to_uppercase(), op.path);
        let deprecated = op.docs.deprecated.then(|| quote!(#[deprecated]));
        let request = o.request.as_ref().map(|r| quote!(, request: #r));
        let method = format_ident!("{}", op.method.as_str().to_uppercase());
        let accept = accept(op);
        let path = path_writes(op);
        let params = served_params(op).filter(|p| p.location != ParamLocation::Path).map(|p| {
            let field = format_ident!("{}", p.rust_name);
            let (name, explode, json) = (&p.name, p.explode, p.media_type.is_some());
            match p.location {
                ParamLocation::Query => {
                    let style = style_tokens(p.style);
                    quote!(call.query(#style, #explode, #name, &request.#field, #json);)
                }
                ParamLocation::Header => quote!(call.header(#name, #explode, &request.#field, #json);),
                _ => quote!(call.cookie(#name, #explode, &request.#field, #json);),
            }
        });
        let body = served_body(op).map(|b| self.body_write(op, b));
        let auth = self.client_sets(op).map(|sets| quote!(authorize(&self.credentials, &mut call, #sets);));
        let decode = self.decode(response, &o.variants);
        quote! {
            #docs
            #[doc = ""]
            #[doc = #route]
            #deprecated
            pub fn #name(&self #request) -> impl ::std::future::Future<Output = ::std::result::Result<#response, Error>> + '_ {
                let mut call = rt::Call::new(::reqwest::Method::#method, #accept);
                #(#path)*
                #(#params)*
                #body
                #auth
                call.send_with(&self.transport, |received| #decode)
            }
        }
    }

    /// The requirement sets of an operation as `&[&[Scheme::A], &[]]`. A set needing two
    /// credentials in the one `Authorization` header (basic with bearer, say) cannot be sent; it is
    /// left out and reported.
    fn client_sets(&mut self, op: &Operation) -> Option<TokenStream> {
        let ir = self.typer.ir;
        let sets = op.security.as_ref().unwrap_or(&ir.security);
        if sets.is_empty() {
            return None;
        }
        let scheme = |key: &String| ir.security_schemes.iter().find(|s| &s.key == key);
        let mut written = Vec::new();
        for set in sets {
            let authorization =
                set.schemes.iter().filter(|(key, _)| scheme(key).is_some_and(|s| uses_authorization(&s.kind))).count();
            if authorization > 1 {
                let names: Vec<&str> = set.schemes.iter().map(|(key, _)| key.as_str()).collect();
                self.diags.push(Diagnostic::approximation(
                    "security-set-unsendable",
                    op.origin.clone(),
                    format!(
                        "the requirement set [{}] needs {authorization} credentials in the one Authorization header; the client does not send it",
                        names.join(", ")
                    ),
                ));
                continue;
            }
            let schemes = set.schemes.iter().map(|(key, _)| match scheme(key) {
                Some(s) => {
                    let v = scheme_variant(s);
                    quote!(Scheme::#v)
                }
                None => quote!(Scheme::Unknown),
            });
            written.push(quote!(&[#(#schemes),*]));
        }
        Some(quote!(&[#(#written),*]))
    }

    fn body_write(&self, op: &Operation, body: &RequestBody) -> TokenStream {
        let field = body_field(op);
        let value = quote!(body);
        let write = if body.contents.len() == 1 {
            write_media(&body.contents[0], &value)
        } else {
            let body_enum = self.body_enums.get(&op.name);
            let arms = body.contents.iter().zip(responses::media_variants(&body.contents)).map(|(c, variant)| {
                let write = write_media(c, &quote!(inner));
                quote!(#body_enum::#variant(inner) => #write,)
            });
            quote!(match #value { #(#arms)* })
        };
        if body.required {
            quote!({ let body = &request.#field; #write })
        } else {
            quote!(if let ::std::option::Option::Some(body) = &request.#field { #write })
        }
    }

    /// The match from the received status to the operation's response enum: exact codes first,
    /// then ranges, then `default`; an undeclared status is an error that keeps the response.
    fn decode(&mut self, response: &Ident, variants: &[Variant]) -> TokenStream {
        let mut ordered: Vec<&Variant> = variants.iter().collect();
        ordered.sort_by_key(|v| match v.status {
            StatusSpec::Code(_) => 0,
            StatusSpec::Range(_) => 1,
            StatusSpec::Default => 2,
        });
        let mut arms = Vec::new();
        let mut has_default = false;
        for v in ordered {
            let pattern = match v.status {
                StatusSpec::Code(code) => quote!(#code),
                StatusSpec::Range(d) => {
                    let (low, high) = (u16::from(d) * 100, u16::from(d) * 100 + 99);
                    quote!(#low..=#high)
                }
                StatusSpec::Default => {
                    has_default = true;
                    quote!(_)
                }
            };
            let value = self.variant_value(response, v);
            arms.push(quote!(#pattern => ::std::result::Result::Ok(#value),));
        }
        if !has_default {
            arms.push(quote!(_ => ::std::result::Result::Err(received.undeclared()),));
        }
        quote!(match received.status { #(#arms)* })
    }

    fn variant_value(&mut self, response: &Ident, v: &Variant) -> TokenStream {
        let name = &v.name;
        let body = v.body.as_ref().map(|b| match b.media.as_slice() {
            [only] => read_media(only),
            many => {
                let body_enum = &b.ty;
                let list: Vec<&str> = many.iter().map(|m| m.media_type.as_str()).collect();
                let last = many.len() - 1;
                let arms = many.iter().enumerate().map(|(i, m)| {
                    let (variant, read) = (&m.variant, read_media(m));
                    let pattern = if i == last { quote!(_) } else { quote!(#i) };
                    quote!(#pattern => #body_enum::#variant(#read),)
                });
                quote!(match received.media(&[#(#list),*])? { #(#arms)* })
            }
        });
        if v.is_tuple() {
            return quote!(#response::#name(#body));
        }
        if v.is_unit() {
            return quote!(#response::#name);
        }
        let status = v.carries_status().then(|| quote!(status: received.status,));
        let body = body.map(|b| quote!(body: #b,));
        let headers = v.headers.iter().map(|HeaderField { field, name, required, node, .. }| {
            if *required {
                quote!(#field: received.required_header(&SCHEMA, #node, #name)?,)
            } else {
                quote!(#field: received.header(&SCHEMA, #node, #name)?,)
            }
        });
        quote!(#response::#name { #status #body #(#headers)* })
    }
}

/// The client's method for an operation: its name, unless `Client` has an item of that name.
pub(super) fn method_name(o: &Op) -> Ident {
    if CLIENT_ITEMS.contains(&o.op.name.as_str()) {
        format_ident!("{}_operation", o.op.name)
    } else {
        format_ident!("{}", o.op.name)
    }
}

/// Whether a scheme's credential travels in the `Authorization` header.
pub(super) fn uses_authorization(kind: &SecurityKind) -> bool {
    matches!(
        kind,
        SecurityKind::Basic
            | SecurityKind::Bearer { .. }
            | SecurityKind::OAuth2 { .. }
            | SecurityKind::OpenIdConnect { .. }
    )
}

/// Reads one media type's body from `received`.
fn read_media(m: &MediaBody) -> TokenStream {
    match m.kind {
        MediaKind::Json => match m.node {
            Some(node) => quote!(received.json_in(&SCHEMA, #node)?),
            None => quote!(received.json()?),
        },
        MediaKind::Form => {
            let node = m.node.unwrap_or(u32::MAX);
            quote!(received.form(&SCHEMA, #node)?)
        }
        MediaKind::Text | MediaKind::Xml => quote!(received.text()?),
        MediaKind::Binary => quote!(received.bytes()?),
        MediaKind::Multipart => quote!(received.multipart()?),
    }
}

/// Writes `value` (a reference to the body) in one media type.
fn write_media(c: &Content, value: &TokenStream) -> TokenStream {
    // A wildcard is not a content type a server can read; send the kind's own.
    let media = if c.media_type.contains('*') {
        match c.kind {
            MediaKind::Json => "application/json",
            MediaKind::Text => "text/plain",
            MediaKind::Xml => "application/xml",
            MediaKind::Form => "application/x-www-form-urlencoded",
            MediaKind::Multipart => "multipart/form-data",
            MediaKind::Binary => "application/octet-stream",
        }
    } else {
        c.media_type.as_str()
    };
    match c.kind {
        MediaKind::Json => quote!(call.json(#media, #value)),
        MediaKind::Form => quote!(call.form(#media, #value)),
        MediaKind::Multipart => quote!(call.multipart(#value)),
        MediaKind::Text | MediaKind::Xml => quote!(call.text(#media, #value)),
        MediaKind::Binary => quote!(call.bytes(#media, #value)),
    }
}

/// The `Accept` header: every media type the operation's responses declare, in spec order.
fn accept(op: &Operation) -> String {
    let mut all: Vec<&str> = Vec::new();
    for c in op.responses.iter().flat_map(|r| &r.contents) {
        if !all.contains(&c.media_type.as_str()) {
            all.push(&c.media_type);
        }
    }
    all.join(", ")
}

/// The path template as literal pieces and styled parameters.
fn path_writes(op: &Operation) -> Vec<TokenStream> {
    let mut out = Vec::new();
    let mut rest = op.path.as_str();
    // A `#fragment` is not sent.
    if let Some(i) = rest.find('#') {
        rest = &rest[..i];
    }
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        let (literal, name) = (&rest[..open], &rest[open + 1..close]);
        if !literal.is_empty() {
            out.push(quote!(call.literal(#literal);));
        }
        match op.params.iter().find(|p| p.location == ParamLocation::Path && p.name == name) {
            Some(p) => {
                let field = format_ident!("{}", p.rust_name);
                let style = style_tokens(p.style);
                let (name, explode, json) = (&p.name, p.explode, p.media_type.is_some());
                out.push(quote!(call.path(#style, #explode, #name, &request.#field, #json);));
            }
            // Not declared (the spec's mistake, reported by `validate`): sent as written.
            None => {
                let text = &rest[open..=close];
                out.push(quote!(call.literal(#text);));
            }
        }
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        out.push(quote!(call.literal(#rest);));
    }
    out
}

/// A server's URL with its variables at their defaults.
fn server_url(server: &Server) -> String {
    let mut url = server.url.clone();
    for (name, default) in &server.variables {
        url = url.replace(&format!("{{{name}}}"), default);
    }
    url
}
