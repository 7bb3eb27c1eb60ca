//! HTTP runtime of generated clients: writing parameters in their OpenAPI style, bodies in their
//! media type, credentials where their scheme says, and reading responses back into typed values.
//!
//! This file is copied verbatim into generated crates (as `runtime::client`) beside
//! `runtime::schema` and `runtime::http`; each generated method is a list of calls into it. It may
//! only use std, `::reqwest`, `::serde`, `::serde_json`, `::base64`, `::form_urlencoded` and
//! `::percent_encoding`.

use ::percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use ::reqwest::header::HeaderMap;
use ::serde_json::Value;

use super::http::{Multipart, encode_form, encode_multipart, media_index, parse_multipart, scalar_text};
use super::schema::{NodeId, ParamSpec, Schema, Style, parse_form, parse_single};

/// Everything but RFC 3986's unreserved characters is percent-encoded in a value; delimiters the
/// style adds (`,` `.` `;` `=` `|`) are written literally around the encoded values.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Why a call did not give a declared response. Every case that saw a response keeps it.
#[derive(Debug)]
pub enum Error {
    /// The request could not be written (a value that does not serialize, a header value with
    /// line breaks, a base URL that does not parse).
    Request(String),
    /// No response: connection, TLS, timeout or redirect failures.
    Transport(::reqwest::Error),
    /// The server answered with a status the operation does not declare.
    Undeclared(Received),
    /// The status is declared, but the body or a header does not fit the declared type.
    Decode { response: Received, reason: String },
}

impl Error {
    /// The response, when there was one.
    pub fn response(&self) -> Option<&Received> {
        match self {
            Error::Undeclared(response) | Error::Decode { response, .. } => Some(response),
            Error::Request(_) | Error::Transport(_) => None,
        }
    }

    /// The response's status, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.response().map(|r| r.status)
    }
}

impl ::std::fmt::Display for Error {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        match self {
            Error::Request(reason) => write!(f, "the request could not be written: {reason}"),
            Error::Transport(e) => write!(f, "no response: {e}"),
            Error::Undeclared(r) => {
                write!(f, "status {} is not declared by the operation; body: {}", r.status, r.excerpt())
            }
            Error::Decode { response, reason } => write!(
                f,
                "the status {} response does not fit the spec: {reason}; body: {}",
                response.status,
                response.excerpt()
            ),
        }
    }
}

impl ::std::error::Error for Error {
    fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}

/// A response as it arrived: status, headers and the raw body.
#[derive(Debug, Clone)]
pub struct Received {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// Whether JSON bodies are checked against their schema before decoding.
    checked: bool,
}

/// Where and how a client sends: the base URL, the `reqwest::Client`, and the checks it makes.
#[derive(Debug, Clone)]
pub struct Transport {
    pub base: String,
    pub http: ::reqwest::Client,
    /// Check every JSON response body against its schema before decoding it.
    pub validate: bool,
    /// A deliberate defect written into every request, for contract checks of a server's refusals.
    pub tamper: Option<Tamper>,
}

/// A deliberate defect in a request, made after it is written in the spec's styles: what a
/// contract check sends to see that a server refuses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tamper {
    /// Leave out the parameter of this name (query, header or cookie).
    Omit(&'static str),
    /// Send the body under this content type instead of its own.
    ContentType(&'static str),
    /// Send these bytes as the body, in this media type.
    Body(&'static str, Vec<u8>),
}

impl Received {
    /// The start of the body as text, for messages.
    pub fn excerpt(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        match text.char_indices().nth(200) {
            Some((end, _)) => format!("{}…", &text[..end]),
            None => text.into_owned(),
        }
    }

    fn decode_error(&self, reason: String) -> Error {
        Error::Decode { response: self.clone(), reason }
    }

    /// This response as the error of an undeclared status.
    pub fn undeclared(self) -> Error {
        Error::Undeclared(self)
    }

    fn content_type(&self) -> &str {
        self.headers.get(::reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// Which of the declared media types the response is in.
    pub fn media(&self, media: &[&str]) -> Result<usize, Error> {
        media_index(self.content_type(), media).ok_or_else(|| {
            self.decode_error(format!("content type `{}` is not one of {}", self.content_type(), media.join(", ")))
        })
    }

    /// A JSON body of the schema `node`; with response validation on, a body the schema rejects is
    /// a [`Error::Decode`] listing every violation by JSON pointer, even where serde would accept it.
    pub fn json_in<T: ::serde::de::DeserializeOwned>(&self, schema: &Schema, node: NodeId) -> Result<T, Error> {
        if self.checked && !self.body.iter().all(u8::is_ascii_whitespace) {
            let value: Value = ::serde_json::from_slice(&self.body)
                .map_err(|e| self.decode_error(format!("the body is not JSON: {e}")))?;
            let violations = schema.validate(node, &value);
            if !violations.is_empty() {
                let list: Vec<String> = violations
                    .iter()
                    .map(|v| if v.pointer.is_empty() { v.reason.clone() } else { format!("`{}` {}", v.pointer, v.reason) })
                    .collect();
                return Err(self.decode_error(format!("the JSON body breaks its schema: {}", list.join("; "))));
            }
        }
        self.json()
    }

    /// A JSON body; an empty one reads as `null` (for optional and nullable bodies).
    pub fn json<T: ::serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        let body: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) { b"null" } else { &self.body };
        ::serde_json::from_slice(body).map_err(|e| self.decode_error(format!("the JSON body does not fit: {e}")))
    }

    /// An `application/x-www-form-urlencoded` body, read by the schema of `node`.
    pub fn form<T: ::serde::de::DeserializeOwned>(&self, schema: &Schema, node: NodeId) -> Result<T, Error> {
        let pairs: Vec<(String, String)> = ::form_urlencoded::parse(&self.body).into_owned().collect();
        ::serde_json::from_value(parse_form(schema, node, &pairs))
            .map_err(|e| self.decode_error(format!("the form body does not fit: {e}")))
    }

    pub fn text(&self) -> Result<String, Error> {
        String::from_utf8(self.body.clone()).map_err(|_| self.decode_error("the body is not UTF-8 text".into()))
    }

    pub fn bytes(&self) -> Result<Vec<u8>, Error> {
        Ok(self.body.clone())
    }

    pub fn multipart(&self) -> Result<Multipart, Error> {
        parse_multipart(self.content_type(), &self.body)
            .map(|parts| Multipart { parts })
            .map_err(|reason| self.decode_error(reason))
    }

    /// A declared response header in the `simple` style; `None` when absent.
    pub fn header<T: ::serde::de::DeserializeOwned>(
        &self,
        schema: &Schema,
        node: NodeId,
        name: &'static str,
    ) -> Result<Option<T>, Error> {
        let Some(raw) = self.headers.get(name) else { return Ok(None) };
        let raw = String::from_utf8_lossy(raw.as_bytes());
        let spec = ParamSpec { name, style: Style::Simple, explode: false, node, json: false };
        let value = parse_single(schema, &spec, &raw).map_err(|e| self.decode_error(format!("header `{name}` {e}")))?;
        ::serde_json::from_value(value)
            .map(Some)
            .map_err(|e| self.decode_error(format!("header `{name}` does not fit: {e}")))
    }

    /// A header the spec marks required.
    pub fn required_header<T: ::serde::de::DeserializeOwned>(
        &self,
        schema: &Schema,
        node: NodeId,
        name: &'static str,
    ) -> Result<T, Error> {
        self.header(schema, node, name)?.ok_or_else(|| self.decode_error(format!("required header `{name}` is missing")))
    }
}

/// HTTP basic credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Basic {
    pub user: String,
    pub password: Option<String>,
}

/// A configured credential and where its scheme sends it.
#[derive(Debug, Clone, Copy)]
pub enum Secret<'a> {
    Header(&'static str, &'a str),
    Query(&'static str, &'a str),
    Cookie(&'static str, &'a str),
    Basic(&'a Basic),
    Bearer(&'a str),
}

/// One request being written.
#[derive(Debug)]
pub struct Call {
    method: ::reqwest::Method,
    path: String,
    query: Vec<String>,
    headers: Vec<(&'static str, String)>,
    cookies: Vec<String>,
    body: Option<(String, Vec<u8>)>,
    basic: Option<Basic>,
    bearer: Option<String>,
    accept: &'static str,
    /// The first value that could not be written; the call fails with it.
    error: Option<String>,
}

/// A value as JSON, for styling. `None` for `null` (an absent optional parameter).
fn json_of<T: ::serde::Serialize>(value: &T) -> Result<Option<Value>, String> {
    match ::serde_json::to_value(value) {
        Ok(Value::Null) => Ok(None),
        Ok(value) => Ok(Some(value)),
        Err(e) => Err(e.to_string()),
    }
}

fn encode(text: &str) -> String {
    utf8_percent_encode(text, VALUE).to_string()
}

/// The encoded items of an array, or key/value items of an object (`k=v` when `pairs`).
fn items(value: &Value, pairs: bool) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().map(|v| encode(&scalar_text(v))).collect(),
        Value::Object(members) => members
            .iter()
            .filter(|(_, v)| !v.is_null())
            .flat_map(|(k, v)| {
                let v = encode(&scalar_text(v));
                if pairs { vec![format!("{}={v}", encode(k))] } else { vec![encode(k), v] }
            })
            .collect(),
        other => vec![encode(&scalar_text(other))],
    }
}

impl Call {
    pub fn new(method: ::reqwest::Method, accept: &'static str) -> Self {
        Call {
            method,
            path: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            basic: None,
            bearer: None,
            accept,
            error: None,
        }
    }

    fn fail(&mut self, name: &str, reason: String) {
        self.error.get_or_insert_with(|| format!("`{name}`: {reason}"));
    }

    fn value<T: ::serde::Serialize>(&mut self, name: &str, value: &T) -> Option<Value> {
        json_of(value).unwrap_or_else(|reason| {
            self.fail(name, reason);
            None
        })
    }

    /// A literal piece of the path template.
    pub fn literal(&mut self, text: &str) {
        self.path.push_str(text);
    }

    /// A path parameter in the simple, label or matrix style.
    pub fn path<T: ::serde::Serialize>(&mut self, style: Style, explode: bool, name: &'static str, value: &T, json: bool) {
        let Some(value) = self.value(name, value) else { return };
        if json {
            self.path.push_str(&encode(&value.to_string()));
            return;
        }
        let object = value.is_object();
        let text = match style {
            Style::Label => {
                let separator = if explode { "." } else { "," };
                format!(".{}", items(&value, explode && object).join(separator))
            }
            Style::Matrix => match &value {
                Value::Array(_) if explode => {
                    items(&value, false).iter().map(|v| format!(";{name}={v}")).collect::<String>()
                }
                Value::Object(_) if explode => items(&value, true).iter().map(|kv| format!(";{kv}")).collect(),
                _ => format!(";{name}={}", items(&value, false).join(",")),
            },
            _ => items(&value, explode && object).join(","),
        };
        self.path.push_str(&text);
    }

    /// A query parameter in the form, spaceDelimited, pipeDelimited or deepObject style.
    pub fn query<T: ::serde::Serialize>(&mut self, style: Style, explode: bool, name: &'static str, value: &T, json: bool) {
        let Some(value) = self.value(name, value) else { return };
        let key = encode(name);
        if json {
            self.query.push(format!("{key}={}", encode(&value.to_string())));
            return;
        }
        match (&value, style) {
            (Value::Object(members), Style::DeepObject) => {
                for (k, v) in members.iter().filter(|(_, v)| !v.is_null()) {
                    let k = encode(k);
                    match v {
                        Value::Array(list) => {
                            for item in list {
                                self.query.push(format!("{key}%5B{k}%5D={}", encode(&scalar_text(item))));
                            }
                        }
                        other => self.query.push(format!("{key}%5B{k}%5D={}", encode(&scalar_text(other)))),
                    }
                }
            }
            (Value::Array(_), Style::Form | Style::DeepObject) if explode => {
                for item in items(&value, false) {
                    self.query.push(format!("{key}={item}"));
                }
            }
            (Value::Object(_), Style::Form) if explode => self.query.extend(items(&value, true)),
            (Value::Array(_) | Value::Object(_), _) => {
                let separator = match style {
                    Style::SpaceDelimited => "%20",
                    Style::PipeDelimited => "|",
                    _ => ",",
                };
                self.query.push(format!("{key}={}", items(&value, false).join(separator)));
            }
            (scalar, _) => self.query.push(format!("{key}={}", encode(&scalar_text(scalar)))),
        }
    }

    /// A header parameter (simple style).
    pub fn header<T: ::serde::Serialize>(&mut self, name: &'static str, explode: bool, value: &T, json: bool) {
        let Some(value) = self.value(name, value) else { return };
        let text = if json { value.to_string() } else { simple_text(&value, explode) };
        self.headers.push((name, text));
    }

    /// A cookie parameter (form style).
    pub fn cookie<T: ::serde::Serialize>(&mut self, name: &'static str, explode: bool, value: &T, json: bool) {
        let Some(value) = self.value(name, value) else { return };
        if json {
            self.cookies.push(format!("{name}={}", encode(&value.to_string())));
            return;
        }
        match &value {
            Value::Array(_) if explode => {
                for item in items(&value, false) {
                    self.cookies.push(format!("{name}={item}"));
                }
            }
            Value::Object(_) if explode => self.cookies.extend(items(&value, true)),
            _ => self.cookies.push(format!("{name}={}", items(&value, false).join(","))),
        }
    }

    pub fn json<T: ::serde::Serialize>(&mut self, media: &'static str, body: &T) {
        match ::serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some((media.to_owned(), bytes)),
            Err(e) => self.fail("body", e.to_string()),
        }
    }

    /// An `application/x-www-form-urlencoded` body: members as pairs, arrays as repeated keys,
    /// nested objects as JSON text.
    pub fn form<T: ::serde::Serialize>(&mut self, media: &'static str, body: &T) {
        let Some(value) = self.value("body", body) else { return };
        self.body = Some((media.to_owned(), encode_form(&value).into_bytes()));
    }

    pub fn multipart(&mut self, body: &Multipart) {
        let media = format!("multipart/form-data; boundary={}", super::http::BOUNDARY);
        self.body = Some((media, encode_multipart(body)));
    }

    pub fn text(&mut self, media: &'static str, body: &str) {
        self.body = Some((media.to_owned(), body.as_bytes().to_vec()));
    }

    pub fn bytes(&mut self, media: &'static str, body: &[u8]) {
        self.body = Some((media.to_owned(), body.to_vec()));
    }

    /// Sends a credential the way its scheme says.
    pub fn secret(&mut self, secret: Secret<'_>) {
        match secret {
            Secret::Header(name, value) => self.headers.push((name, value.to_owned())),
            Secret::Query(name, value) => self.query.push(format!("{}={}", encode(name), encode(value))),
            Secret::Cookie(name, value) => self.cookies.push(format!("{name}={}", encode(value))),
            Secret::Basic(basic) => self.basic = Some(basic.clone()),
            Secret::Bearer(token) => self.bearer = Some(token.to_owned()),
        }
    }

    /// Writes `tamper`'s defect into the call.
    fn tamper(&mut self, tamper: &Tamper) {
        match tamper {
            Tamper::Omit(name) => {
                let key = encode(name);
                let deep = format!("{key}%5B");
                self.query.retain(|item| {
                    let item_key = item.split('=').next().unwrap_or("");
                    item_key != key && !item_key.starts_with(&deep)
                });
                self.headers.retain(|(header, _)| !header.eq_ignore_ascii_case(name));
                let cookie = format!("{name}=");
                self.cookies.retain(|c| !c.starts_with(&cookie));
            }
            Tamper::ContentType(media) => {
                if let Some((declared, _)) = &mut self.body {
                    *declared = (*media).to_owned();
                }
            }
            Tamper::Body(media, bytes) => self.body = Some(((*media).to_owned(), bytes.clone())),
        }
    }

    /// Sends the call and decodes the response with `decode`: the async part of every
    /// operation's method, so generated methods are plain functions returning this future.
    pub async fn send_with<T>(self, transport: &Transport, decode: fn(Received) -> Result<T, Error>) -> Result<T, Error> {
        decode(self.send(transport).await?)
    }

    /// Sends the call to the transport's base URL (the server URL the path is relative to) and
    /// reads the response.
    pub async fn send(mut self, transport: &Transport) -> Result<Received, Error> {
        if let Some(reason) = self.error.take() {
            return Err(Error::Request(reason));
        }
        if let Some(tamper) = &transport.tamper {
            self.tamper(tamper);
        }
        let (http, base) = (&transport.http, transport.base.as_str());
        let mut url = format!("{}{}", base.trim_end_matches('/'), self.path);
        if !self.query.is_empty() {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&self.query.join("&"));
        }
        let url = ::reqwest::Url::parse(&url).map_err(|e| Error::Request(format!("`{url}` is not a URL: {e}")))?;
        let mut request = http.request(self.method, url);
        if !self.accept.is_empty() {
            request = request.header(::reqwest::header::ACCEPT, self.accept);
        }
        for (name, value) in self.headers {
            request = request.header(name, value);
        }
        if !self.cookies.is_empty() {
            request = request.header(::reqwest::header::COOKIE, self.cookies.join("; "));
        }
        if let Some(basic) = &self.basic {
            request = request.basic_auth(&basic.user, basic.password.as_ref());
        }
        if let Some(token) = &self.bearer {
            request = request.bearer_auth(token);
        }
        if let Some((media, body)) = self.body {
            request = request.header(::reqwest::header::CONTENT_TYPE, media).body(body);
        }
        let response = request.send().await.map_err(|e| {
            if e.is_builder() { Error::Request(e.to_string()) } else { Error::Transport(e) }
        })?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Error::Transport)?.to_vec();
        Ok(Received { status, headers, body, checked: transport.validate })
    }
}

/// A header value in the simple style.
fn simple_text(value: &Value, explode: bool) -> String {
    let pairs = explode && value.is_object();
    match value {
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        Value::Object(members) => members
            .iter()
            .filter(|(_, v)| !v.is_null())
            .flat_map(|(k, v)| if pairs { vec![format!("{k}={}", scalar_text(v))] } else { vec![k.clone(), scalar_text(v)] })
            .collect::<Vec<_>>()
            .join(","),
        other => scalar_text(other),
    }
}
