//! Response enums: one variant per declared status (codes, `4XX` ranges, `default`), carrying that
//! response's body and headers, and the server's `IntoResponse` that writes them with their media
//! type.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use spec_core::ir::{Content, MediaKind, Operation, Primitive, StatusSpec, TypeRef};
use spec_core::lower::names::{Scope, pascal};

use super::HttpGen;

/// How one response variant is written, for the enum, `IntoResponse` and the mock.
pub struct Variant {
    pub name: Ident,
    pub status: StatusSpec,
    /// The body: its Rust type, and per media type (in spec order) how it is built.
    pub body: Option<Body>,
    pub headers: Vec<HeaderField>,
}

pub struct HeaderField {
    pub field: Ident,
    pub name: String,
    pub ty: TokenStream,
    pub required: bool,
    /// The schema node, for mock data.
    pub node: u32,
}

pub struct Body {
    pub ty: TokenStream,
    /// One entry per media type; with several, `ty` is an enum of these.
    pub media: Vec<MediaBody>,
}

pub struct MediaBody {
    /// The variant of the body enum (when there are several media types).
    pub variant: Ident,
    pub media_type: String,
    pub kind: MediaKind,
    pub ty: TokenStream,
    /// The schema node, for mock data.
    pub node: Option<u32>,
    /// The first example the spec gives for this media type, as JSON text.
    pub example: Option<String>,
}

impl Variant {
    /// A variant carries its status when the spec gives a range or `default`, not one code.
    pub fn carries_status(&self) -> bool {
        !matches!(self.status, StatusSpec::Code(_))
    }

    /// Written as a tuple variant `Ok(body)`: one exact code, a body, no headers.
    pub fn is_tuple(&self) -> bool {
        !self.carries_status() && self.body.is_some() && self.headers.is_empty()
    }

    /// Written as a unit variant `NoContent`: one exact code, no body, no headers.
    pub fn is_unit(&self) -> bool {
        !self.carries_status() && self.body.is_none() && self.headers.is_empty()
    }
}

impl HttpGen<'_> {
    /// The response enum of an operation named `base` (`GetPet` → `GetPetResponse`), its body enums,
    /// and the variants' descriptions for the handler and the mock.
    pub(super) fn responses(&mut self, base: &str, op: &Operation) -> (Ident, TokenStream, Vec<Variant>) {
        let responses = &op.responses;
        let enum_name = self.claim_type(format!("{base}Response"));
        let mut items = TokenStream::new();
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        for r in responses {
            let name = format_ident!("{}", scope.claim(variant_name(r.status), false));
            let body = self.response_body(&format!("{base}{name}"), &r.contents, &mut items);
            let mut fields = Scope::with_reserved(["status", "body"]);
            let headers = r
                .headers
                .iter()
                .filter(|h| !h.name.eq_ignore_ascii_case("content-type"))
                .map(|h| HeaderField {
                    field: format_ident!("{}", fields.claim(h.rust_name.clone(), true)),
                    name: h.name.clone(),
                    ty: self.typer.rust(None, &h.ty),
                    required: h.required,
                    node: self.nodes.node(&h.ty),
                })
                .collect();
            variants.push((Variant { name, status: r.status, body, headers }, r));
        }
        let defs = variants.iter().map(|(v, r)| {
            let name = &v.name;
            // The first line; a bare carriage return ends it too (rustdoc refuses one in a doc comment).
            let first = r.description.split(['\n', '\r']).next().unwrap_or("").trim();
            let doc = format!(" {}: {first}", status_text(v.status));
            if v.is_tuple() {
                let ty = &v.body.as_ref().map(|b| b.ty.clone());
                return quote!(#[doc = #doc] #name(#ty));
            }
            let mut fields = Vec::new();
            if v.carries_status() {
                fields.push(quote!(status: u16));
            }
            if let Some(b) = &v.body {
                let ty = &b.ty;
                fields.push(quote!(body: #ty));
            }
            for HeaderField { field, ty, required, .. } in &v.headers {
                fields.push(if *required { quote!(#field: #ty) } else { quote!(#field: ::std::option::Option<#ty>) });
            }
            if fields.is_empty() { quote!(#[doc = #doc] #name) } else { quote!(#[doc = #doc] #name { #(#fields),* }) }
        });
        let statuses = variants.iter().map(|(v, _)| {
            let name = &v.name;
            match v.status {
                StatusSpec::Code(code) if v.is_tuple() => quote!(#enum_name::#name(..) => #code,),
                StatusSpec::Code(code) if v.is_unit() => quote!(#enum_name::#name => #code,),
                StatusSpec::Code(code) => quote!(#enum_name::#name { .. } => #code,),
                _ => quote!(#enum_name::#name { status, .. } => status,),
            }
        });
        let doc = format!(" The responses of `{}`, one variant per declared status.", op.name);
        let spec =
            format!(" {}", crate::docs::spec_line(self.sources, self.typer.lines, &op.origin.child("responses")));
        items.extend(quote! {
            #[doc = #doc]
            #[doc = ""]
            #[doc = #spec]
            #[derive(Debug, Clone, PartialEq)]
            pub enum #enum_name { #(#defs,)* }

            impl #enum_name {
                /// The HTTP status of this response.
                pub fn status(&self) -> u16 {
                    match *self { #(#statuses)* }
                }
            }
        });
        (enum_name, items, variants.into_iter().map(|(v, _)| v).collect())
    }

    fn response_body(&mut self, base: &str, contents: &[Content], items: &mut TokenStream) -> Option<Body> {
        if contents.is_empty() {
            return None;
        }
        let media: Vec<MediaBody> = contents
            .iter()
            .zip(media_variants(contents))
            .map(|(c, variant)| {
                let c = &json_when_wildcard(c);
                let ty = self.body_type(c);
                let node = c.ty.as_ref().map(|t| self.nodes.node(t));
                let example = c.examples.iter().find_map(|e| e.value.as_ref()).map(|v| v.to_string());
                MediaBody { variant, media_type: c.media_type.clone(), kind: c.kind, ty, node, example }
            })
            .collect();
        if media.len() == 1 {
            let ty = media[0].ty.clone();
            return Some(Body { ty, media });
        }
        let name = self.claim_type(format!("{base}Body"));
        let defs = media.iter().map(|m| {
            let (variant, ty, doc) = (&m.variant, &m.ty, format!(" `{}`", m.media_type));
            quote!(#[doc = #doc] #variant(#ty))
        });
        items.extend(quote! {
            /// The body, in one of the media types the spec declares for this response.
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name { #(#defs,)* }
        });
        Some(Body { ty: quote!(#name), media })
    }

    /// The Rust type of one media type's payload.
    pub(super) fn body_type(&self, c: &Content) -> TokenStream {
        match c.kind {
            MediaKind::Json => match &c.ty {
                Some(t) => self.typer.rust(None, t),
                None => quote!(::serde_json::Value),
            },
            MediaKind::Text | MediaKind::Xml => quote!(::std::string::String),
            MediaKind::Form => match &c.ty {
                Some(t) => self.typer.rust(None, t),
                None => quote!(::serde_json::Value),
            },
            MediaKind::Multipart => quote!(rt::Multipart),
            MediaKind::Binary => quote!(::std::vec::Vec<u8>),
        }
    }
}

/// A response declared as `*/*` (or `application/*`) with a structured schema is answered as JSON:
/// a client cannot read the schema's data from an unnamed format.
fn json_when_wildcard(c: &Content) -> Content {
    let essence = c.media_type.split(';').next().unwrap_or("").trim();
    let structured = match &c.ty {
        Some(TypeRef::Primitive(Primitive::Binary | Primitive::String)) | None => false,
        Some(_) => true,
    };
    if structured && matches!(essence, "*/*" | "application/*") {
        Content { media_type: "application/json".into(), kind: MediaKind::Json, ..c.clone() }
    } else {
        c.clone()
    }
}

/// How the server writes an operation's response enum.
pub fn into_response_impl(enum_name: &Ident, variants: &[Variant]) -> TokenStream {
    let arms = variants.iter().map(|v| into_response_arm(enum_name, v));
    quote! {
        impl ::axum::response::IntoResponse for #enum_name {
            fn into_response(self) -> ::axum::response::Response {
                match self { #(#arms)* }
            }
        }
    }
}

fn into_response_arm(enum_name: &Ident, v: &Variant) -> TokenStream {
    let name = &v.name;
    let status = match v.status {
        StatusSpec::Code(code) => quote!(rt::status(#code)),
        _ => quote!(rt::status(status)),
    };
    let write = match &v.body {
        None => quote!(::axum::response::IntoResponse::into_response(#status)),
        Some(b) if b.media.len() == 1 => write_body(&status, &b.media[0], quote!(body)),
        Some(b) => {
            let body_enum = &b.ty;
            let arms = b.media.iter().map(|m| {
                let variant = &m.variant;
                let write = write_body(&status, m, quote!(inner));
                quote!(#body_enum::#variant(inner) => #write,)
            });
            quote!(match body { #(#arms)* })
        }
    };
    let header_names: Vec<&Ident> = v.headers.iter().map(|h| &h.field).collect();
    let set_headers = v.headers.iter().map(|HeaderField { field, name: header, required, .. }| {
        if *required {
            quote!(rt::set_header(&mut response, #header, &#field);)
        } else {
            quote!(if let ::std::option::Option::Some(value) = &#field { rt::set_header(&mut response, #header, value); })
        }
    });
    let status_field = v.carries_status().then(|| quote!(status,));
    let body_field = v.body.as_ref().map(|_| quote!(body,));
    let pattern = if v.is_tuple() {
        quote!(#enum_name::#name(body))
    } else if v.is_unit() {
        quote!(#enum_name::#name)
    } else {
        quote!(#enum_name::#name { #status_field #body_field #(#header_names,)* })
    };
    if v.headers.is_empty() {
        quote!(#pattern => #write,)
    } else {
        quote!(#pattern => {
            let mut response = #write;
            #(#set_headers)*
            response
        })
    }
}

fn write_body(status: &TokenStream, m: &MediaBody, value: TokenStream) -> TokenStream {
    let media = &m.media_type;
    match m.kind {
        MediaKind::Json => quote!(rt::json_response(#status, #media, &#value)),
        MediaKind::Form => quote!(rt::form_response(#status, #media, &#value)),
        MediaKind::Text | MediaKind::Xml | MediaKind::Binary => {
            quote!(rt::with_type(#status, #media, ::axum::body::Body::from(#value)))
        }
        MediaKind::Multipart => quote!(rt::multipart_response(#status, #value)),
    }
}

/// `200` → `Ok`, `404` → `NotFound`, `4XX` → `Status4xx`, `default` → `Default`.
fn variant_name(status: StatusSpec) -> String {
    match status {
        StatusSpec::Code(code) => match reason(code) {
            // Not `names::pascal`: that renames `Ok`, which is fine as a variant name.
            Some(reason) => reason.replace(' ', ""),
            None => format!("Status{code}"),
        },
        StatusSpec::Range(d) => format!("Status{d}xx"),
        StatusSpec::Default => "Default".into(),
    }
}

fn status_text(status: StatusSpec) -> String {
    match status {
        StatusSpec::Code(code) => code.to_string(),
        StatusSpec::Range(d) => format!("{d}XX"),
        StatusSpec::Default => "default".into(),
    }
}

/// Reason phrases of the codes real specs use (RFC 9110 and common extensions).
fn reason(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "Non Authoritative",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi Status",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        422 => "Unprocessable Content",
        423 => "Locked",
        424 => "Failed Dependency",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

/// The body-enum variant of each media type, unique among them, in spec order. Request and
/// response bodies, and the handler that builds them, all name variants through this.
pub fn media_variants(contents: &[Content]) -> Vec<Ident> {
    let mut scope = Scope::default();
    contents.iter().map(|c| format_ident!("{}", scope.claim(media_variant(&c.media_type), false))).collect()
}

/// `application/json` → `Json`, `application/vnd.api+json` → `VndApiJson`, `text/plain` → `Text`.
fn media_variant(media_type: &str) -> String {
    let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/json" => "Json".into(),
        "text/plain" => "Text".into(),
        "application/xml" | "text/xml" => "Xml".into(),
        "application/x-www-form-urlencoded" => "Form".into(),
        "multipart/form-data" => "Multipart".into(),
        "application/octet-stream" => "Binary".into(),
        other => pascal(other.split_once('/').map_or(other, |(_, sub)| sub), "Media"),
    }
}
