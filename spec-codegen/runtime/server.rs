//! HTTP runtime of generated servers: reading a request against its operation's contract, turning
//! every problem into one RFC 9457 response, authentication plumbing and panic containment.
//!
//! This file is copied verbatim into generated crates (as `runtime::server`) beside
//! `runtime::schema` and `runtime::http`; the per-operation code the generator writes is a list of calls into it, so
//! the generated crate stays small and fast to compile. It may only use std, `::axum`,
//! `::serde`, `::serde_json`, `::base64`, `::form_urlencoded` and `::percent_encoding`.

use ::axum::body::{Body, Bytes};
use ::axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use ::axum::response::{IntoResponse, Response};
use ::serde_json::Value;

use super::http::{Multipart, essence, media_index, parse_multipart, scalar_text};
use super::schema::{NodeId, ParamSpec, Schema};

/// Limits a generated router enforces.
#[derive(Debug, Clone)]
pub struct Config {
    /// Request bodies longer than this are refused with 413 before they are read further.
    pub body_limit: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config { body_limit: 2 * 1024 * 1024 }
    }
}

/// Why a request body could not be read.
enum BodyError {
    /// Longer than the limit: declared so (refused before reading) or found so while reading.
    TooLarge,
    /// Truncated, malformed chunking, or the connection failed.
    Broken,
}

/// The request body, read only up to `limit` bytes. `axum::body::to_bytes` reports a body over
/// the limit and a broken one with the same error type; the answers differ (413 and 400).
async fn read_body(mut body: Body, limit: usize) -> Result<Bytes, BodyError> {
    use ::axum::body::HttpBody as _;
    if body.size_hint().lower() > limit as u64 {
        return Err(BodyError::TooLarge);
    }
    // Most bodies arrive in one frame, which is kept as it is; later frames are appended.
    let (mut first, mut rest): (Option<Bytes>, Vec<u8>) = (None, Vec::new());
    let mut length = 0;
    while let Some(frame) = ::std::future::poll_fn(|cx| ::std::pin::Pin::new(&mut body).poll_frame(cx)).await {
        let Ok(frame) = frame else { return Err(BodyError::Broken) };
        let Ok(data) = frame.into_data() else { continue };
        length += data.len();
        if length > limit {
            return Err(BodyError::TooLarge);
        }
        match &first {
            None => first = Some(data),
            Some(head) => {
                if rest.is_empty() {
                    rest.extend_from_slice(head);
                }
                rest.extend_from_slice(&data);
            }
        }
    }
    Ok(if rest.is_empty() { first.unwrap_or_default() } else { Bytes::from(rest) })
}

/// Where a problem was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
    Body,
}

impl Location {
    fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
            Location::Body => "body",
        }
    }
}

/// One thing wrong with a request.
#[derive(Debug, Clone)]
pub struct Problem {
    pub location: Location,
    /// The parameter's name; empty for the body.
    pub name: &'static str,
    /// JSON pointer inside the parameter's or body's value (`""` for the whole value).
    pub pointer: String,
    pub reason: String,
}

/// An `application/problem+json` response (RFC 9457) listing `problems` under `errors`.
pub fn problem_response(status: StatusCode, detail: &str, problems: &[Problem]) -> Response {
    let errors: Vec<Value> = problems
        .iter()
        .map(|p| {
            let mut error = ::serde_json::Map::new();
            error.insert("in".into(), Value::from(p.location.as_str()));
            if !p.name.is_empty() {
                error.insert("name".into(), Value::from(p.name));
            }
            error.insert("pointer".into(), Value::from(p.pointer.as_str()));
            error.insert("detail".into(), Value::from(p.reason.as_str()));
            Value::Object(error)
        })
        .collect();
    let mut body = ::serde_json::Map::new();
    body.insert("type".into(), Value::from("about:blank"));
    body.insert("title".into(), Value::from(status.canonical_reason().unwrap_or("Error")));
    body.insert("status".into(), Value::from(status.as_u16()));
    body.insert("detail".into(), Value::from(detail));
    if !errors.is_empty() {
        body.insert("errors".into(), Value::Array(errors));
    }
    let text = ::serde_json::to_vec(&Value::Object(body)).unwrap_or_default();
    let mut response = (status, text).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    response
}

/// The answer to a route the contract does not have.
pub async fn not_found() -> Response {
    problem_response(StatusCode::NOT_FOUND, "no operation of this API has this path", &[])
}

/// The answer to a known path with a method the contract does not declare on it.
pub async fn method_not_allowed() -> Response {
    problem_response(StatusCode::METHOD_NOT_ALLOWED, "the path does not accept this method", &[])
}

/// The answer when user code panicked: the connection stays up and the client learns it failed.
pub fn panic_response() -> Response {
    problem_response(StatusCode::INTERNAL_SERVER_ERROR, "the handler of this operation failed", &[])
}

/// One segment of a path template.
#[derive(Debug)]
pub enum Segment {
    Literal(&'static str),
    /// The whole segment is the parameter.
    Param(&'static str),
    /// Literals and parameters inside one segment (`{name}.{ext}`).
    Mixed(&'static [Piece]),
}

#[derive(Debug)]
pub enum Piece {
    Literal(&'static str),
    Param(&'static str),
}

/// What the runtime needs to know of an operation before its parameters are read.
#[derive(Debug)]
pub struct Operation {
    pub template: &'static [Segment],
    /// Media types of the responses, for `Accept` negotiation (406). Empty: anything goes.
    pub produces: &'static [&'static str],
}

/// Whether `path` (as received, percent-encoded) fits `template`; returns the decoded parameters.
pub fn match_template(template: &[Segment], path: &str) -> Option<Vec<(&'static str, String)>> {
    let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    if segments.len() != template.len() {
        return None;
    }
    let mut values = Vec::new();
    for (segment, raw) in template.iter().zip(segments) {
        let decoded = ::percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
        match segment {
            Segment::Literal(text) => {
                if *text != decoded {
                    return None;
                }
            }
            Segment::Param(name) => values.push((*name, decoded.into_owned())),
            Segment::Mixed(pieces) => match_pieces(pieces, &decoded, &mut values)?,
        }
    }
    Some(values)
}

/// Matches literals exactly; each parameter takes the text up to the next literal's first
/// occurrence (or the rest of the segment), and must not be empty.
fn match_pieces(pieces: &[Piece], mut text: &str, values: &mut Vec<(&'static str, String)>) -> Option<()> {
    let mut i = 0;
    while i < pieces.len() {
        match &pieces[i] {
            Piece::Literal(lit) => text = text.strip_prefix(lit)?,
            Piece::Param(name) => {
                let end = match pieces.get(i + 1) {
                    Some(Piece::Literal(next)) => text.find(next)?,
                    _ => text.len(),
                };
                if end == 0 {
                    return None;
                }
                values.push((*name, text[..end].to_owned()));
                text = &text[end..];
            }
        }
        i += 1;
    }
    text.is_empty().then_some(())
}

/// A request read against its operation: parameters split out, body in memory, problems collected.
pub struct Incoming {
    pub headers: HeaderMap,
    path: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    cookies: Vec<(String, String)>,
    body: Bytes,
    content_type: Option<String>,
    problems: Vec<Problem>,
    /// The status the collected problems call for (400 unless only the body's content broke its schema).
    status: StatusCode,
}

impl Incoming {
    /// Reads `request` for `operation`: refuses an unacceptable `Accept` (406) and a body over the
    /// limit (413) at once; anything else is collected as a problem for [`Incoming::reject`].
    pub async fn read(
        request: ::axum::extract::Request,
        operation: &Operation,
        config: &Config,
    ) -> Result<Incoming, Response> {
        let (parts, body) = request.into_parts();
        let path = match_template(operation.template, parts.uri.path()).unwrap_or_default();
        if !acceptable(&parts.headers, operation.produces) {
            let detail = format!("this operation responds with {}", operation.produces.join(", "));
            return Err(problem_response(StatusCode::NOT_ACCEPTABLE, &detail, &[]));
        }
        let query = parts
            .uri
            .query()
            .map(|q| ::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
            .unwrap_or_default();
        let cookies = cookies(&parts.headers);
        let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let body = match read_body(body, config.body_limit).await {
            Ok(bytes) => bytes,
            Err(BodyError::TooLarge) => {
                let detail = format!("the request body is larger than {} bytes", config.body_limit);
                return Err(problem_response(StatusCode::PAYLOAD_TOO_LARGE, &detail, &[]));
            }
            Err(BodyError::Broken) => {
                // Rarely seen by the client (it broke the body, often by going away).
                let detail = "the request body ended before its declared length, or is not valid chunked data";
                return Err(problem_response(StatusCode::BAD_REQUEST, detail, &[]));
            }
        };
        Ok(Incoming {
            headers: parts.headers,
            path,
            query,
            cookies,
            body,
            content_type,
            problems: Vec::new(),
            status: StatusCode::BAD_REQUEST,
        })
    }

    /// Records a problem.
    pub fn problem(&mut self, location: Location, name: &'static str, pointer: String, reason: String) {
        self.problems.push(Problem { location, name, pointer, reason });
    }

    /// A parameter as `T` (which is `Option<_>` for optional parameters): `None` when it is
    /// missing, malformed or breaks its schema, with every reason recorded.
    pub fn param<T: ::serde::de::DeserializeOwned>(
        &mut self,
        schema: &Schema,
        location: Location,
        spec: &'static ParamSpec,
        required: bool,
        default: Option<&str>,
    ) -> Option<T> {
        let parsed = match location {
            Location::Path => self
                .path
                .iter()
                .find(|(n, _)| *n == spec.name)
                .map(|(_, raw)| super::schema::parse_single(schema, spec, raw).map(Some)),
            Location::Query => Some(super::schema::parse_query(schema, spec, &self.query)),
            Location::Header => {
                let values: Vec<&str> =
                    self.headers.get_all(spec.name).iter().filter_map(|v| v.to_str().ok()).collect();
                (!values.is_empty()).then(|| super::schema::parse_single(schema, spec, &values.join(",")).map(Some))
            }
            // Cookies are `form` style: exploded arrays and objects repeat cookies like query pairs.
            Location::Cookie => Some(super::schema::parse_query(schema, spec, &self.cookies)),
            Location::Body => None,
        };
        let value = match parsed.unwrap_or(Ok(None)) {
            Err(reason) => {
                self.problem(location, spec.name, String::new(), reason);
                return None;
            }
            Ok(Some(value)) => value,
            Ok(None) if required => {
                self.problem(location, spec.name, String::new(), "is required".into());
                return None;
            }
            Ok(None) => match default.map(::serde_json::from_str::<Value>) {
                Some(Ok(value)) => value,
                _ => Value::Null,
            },
        };
        if !value.is_null() {
            let violations = schema.validate(spec.node, &value);
            if !violations.is_empty() {
                for v in violations {
                    self.problem(location, spec.name, v.pointer, v.reason);
                }
                return None;
            }
        }
        match ::serde_json::from_value::<T>(integral(value)) {
            Ok(value) => Some(value),
            Err(e) => {
                self.problem(location, spec.name, String::new(), e.to_string());
                None
            }
        }
    }

    /// Which of `media` (the operation's request media types, in spec order) the body is sent as.
    /// A missing body is `Absent` (a problem when `required`); an undeclared type is answered 415.
    pub fn media(&mut self, media: &[&str], required: bool) -> Media {
        let Some(content_type) = self.content_type.as_deref() else {
            if self.body.is_empty() {
                if required {
                    self.problem(Location::Body, "", String::new(), "a request body is required".into());
                    return Media::Refused;
                }
                return Media::Absent;
            }
            // A body without a type: the only type the operation takes, if it takes one.
            if media.len() == 1 {
                return Media::Index(0);
            }
            self.refuse_media("none", media);
            return Media::Refused;
        };
        if self.body.is_empty() && !required {
            return Media::Absent;
        }
        match media_index(content_type, media) {
            Some(i) => Media::Index(i),
            None => {
                let content_type = content_type.to_owned();
                self.refuse_media(&content_type, media);
                Media::Refused
            }
        }
    }

    fn refuse_media(&mut self, got: &str, media: &[&str]) {
        self.status = StatusCode::UNSUPPORTED_MEDIA_TYPE;
        let reason = format!("content type `{got}` is not accepted; send one of {}", media.join(", "));
        self.problem(Location::Header, "content-type", String::new(), reason);
    }

    /// The body as JSON conforming to `node`, then as `T`.
    pub fn json<T: ::serde::de::DeserializeOwned>(&mut self, schema: &Schema, node: NodeId) -> Option<T> {
        let value: Value = match ::serde_json::from_slice(&self.body) {
            Ok(value) => value,
            Err(e) => {
                self.problem(Location::Body, "", String::new(), format!("the body is not valid JSON: {e}"));
                return None;
            }
        };
        self.conforming(schema, node, value)
    }

    /// An `application/x-www-form-urlencoded` body conforming to `node`, then as `T`.
    pub fn form<T: ::serde::de::DeserializeOwned>(&mut self, schema: &Schema, node: NodeId) -> Option<T> {
        let pairs: Vec<(String, String)> = ::form_urlencoded::parse(&self.body).into_owned().collect();
        let value = super::schema::parse_form(schema, node, &pairs);
        self.conforming(schema, node, value)
    }

    fn conforming<T: ::serde::de::DeserializeOwned>(&mut self, schema: &Schema, node: NodeId, value: Value) -> Option<T> {
        let violations = schema.validate(node, &value);
        if !violations.is_empty() {
            if self.problems.is_empty() {
                self.status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            for v in violations {
                self.problem(Location::Body, "", v.pointer, v.reason);
            }
            return None;
        }
        match ::serde_json::from_value(integral(value)) {
            Ok(value) => Some(value),
            Err(e) => {
                self.status = StatusCode::UNPROCESSABLE_ENTITY;
                self.problem(Location::Body, "", String::new(), e.to_string());
                None
            }
        }
    }

    /// A text body (`text/plain`, XML), which must be UTF-8.
    pub fn text(&mut self) -> Option<String> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) => Some(text),
            Err(_) => {
                self.problem(Location::Body, "", String::new(), "the body is not UTF-8 text".into());
                None
            }
        }
    }

    /// A binary body, as sent.
    pub fn bytes(&mut self) -> Option<Vec<u8>> {
        Some(self.body.to_vec())
    }

    /// A `multipart/form-data` body: its parts, with the text parts checked against the properties
    /// of `node` (required parts present, values conforming).
    pub fn multipart(&mut self, schema: &Schema, node: NodeId) -> Option<Multipart> {
        let content_type = self.content_type.clone().unwrap_or_default();
        let parts = match parse_multipart(&content_type, &self.body) {
            Ok(parts) => parts,
            Err(reason) => {
                self.problem(Location::Body, "", String::new(), reason);
                return None;
            }
        };
        // A schema that is not an object (jira gives a multipart body `type: string, format:
        // binary`) describes the payload as a whole, not its parts: there is nothing to check.
        use super::schema::Node;
        if matches!(schema.container(node), Node::String(_) | Node::List(_) | Node::Tuple(_)) {
            return Some(Multipart { parts });
        }
        // Text parts are checked like a form, parts sent as JSON as the JSON they hold; file
        // parts only for presence.
        let mut pairs = Vec::new();
        let mut json_parts = Vec::new();
        for part in &parts {
            let is_json = part.content_type.as_deref().is_some_and(|t| {
                let t = essence(t);
                t == "application/json" || t.ends_with("+json")
            });
            let text = if part.file_name.is_some() { "file".to_owned() } else { String::from_utf8_lossy(&part.data).into_owned() };
            if is_json && part.file_name.is_none() {
                if let Ok(value) = ::serde_json::from_str::<Value>(&text) {
                    json_parts.push((part.name.clone(), value));
                }
            }
            pairs.push((part.name.clone(), text));
        }
        let mut value = super::schema::parse_form(schema, node, &pairs);
        if let Value::Object(members) = &mut value {
            for (name, json) in json_parts {
                members.insert(name, json);
            }
        }
        let violations: Vec<_> = schema
            .validate(node, &value)
            .into_iter()
            .filter(|v| !parts.iter().any(|p| p.file_name.is_some() && v.pointer == format!("/{}", p.name)))
            .collect();
        if !violations.is_empty() {
            self.status = StatusCode::UNPROCESSABLE_ENTITY;
            for v in violations {
                self.problem(Location::Body, "", v.pointer, v.reason);
            }
            return None;
        }
        Some(Multipart { parts })
    }

    /// Whether anything was wrong; then the problem response to send.
    pub fn reject(&mut self) -> Option<Response> {
        if self.problems.is_empty() {
            return None;
        }
        let detail = match self.problems.len() {
            1 => "the request has 1 problem".to_owned(),
            n => format!("the request has {n} problems"),
        };
        Some(problem_response(self.status, &detail, &self.problems))
    }

    /// A credential as `kind` says it is sent, if the request carries it.
    pub fn credential(&self, kind: &SchemeKind) -> Option<Credential> {
        match kind {
            SchemeKind::ApiKey(Location::Header, name) => {
                self.headers.get(*name).and_then(|v| v.to_str().ok()).map(|v| Credential::ApiKey(v.to_owned()))
            }
            SchemeKind::ApiKey(Location::Query, name) => {
                self.query.iter().find(|(k, _)| k == name).map(|(_, v)| Credential::ApiKey(v.clone()))
            }
            SchemeKind::ApiKey(Location::Cookie, name) => {
                self.cookies.iter().find(|(k, _)| k == name).map(|(_, v)| Credential::ApiKey(v.clone()))
            }
            SchemeKind::ApiKey(..) => None,
            SchemeKind::Bearer => {
                authorization(&self.headers, "bearer").map(|token| Credential::Bearer(token.to_owned()))
            }
            SchemeKind::Basic => {
                use ::base64::Engine as _;
                let encoded = authorization(&self.headers, "basic")?;
                let decoded = ::base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
                let text = String::from_utf8(decoded).ok()?;
                let (username, password) = text.split_once(':')?;
                Some(Credential::Basic { username: username.to_owned(), password: password.to_owned() })
            }
            SchemeKind::Unverifiable => Some(Credential::Unverifiable),
        }
    }

    /// The requirement sets (any one suffices) whose every scheme has a credential in the request,
    /// in spec order, with those credentials.
    pub fn presented<S: Copy>(&self, sets: &'static [&'static [Requirement<S>]]) -> Vec<Vec<Presented<S>>> {
        sets.iter()
            .filter(|set| !set.is_empty())
            .filter_map(|set| {
                set.iter()
                    .map(|r| {
                        self.credential(&r.kind).map(|credential| Presented {
                            scheme: r.scheme,
                            credential,
                            scopes: r.scopes,
                        })
                    })
                    .collect::<Option<Vec<_>>>()
            })
            .collect()
    }
}

/// `3.0` → `3`, everywhere in `value`. JSON Schema counts a number with a zero fraction as an
/// integer (validation accepted it), but serde's integer types refuse floats; float fields take
/// integers, so the conversion is lossless for every target type.
fn integral(mut value: Value) -> Value {
    fn walk(value: &mut Value, depth: usize) {
        match value {
            Value::Number(n) if n.is_f64() => {
                if let Some(f) = n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15) {
                    *value = Value::from(f as i64);
                }
            }
            Value::Array(items) if depth < 128 => items.iter_mut().for_each(|v| walk(v, depth + 1)),
            Value::Object(members) if depth < 128 => members.values_mut().for_each(|v| walk(v, depth + 1)),
            _ => {}
        }
    }
    walk(&mut value, 0);
    value
}

/// Which body media type was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    Absent,
    Index(usize),
    Refused,
}

/// How a security scheme's credential travels.
#[derive(Debug)]
pub enum SchemeKind {
    ApiKey(Location, &'static str),
    /// `Authorization: Bearer …` (http bearer, oauth2, openIdConnect).
    Bearer,
    /// `Authorization: Basic …`.
    Basic,
    /// mutualTLS and unknown http schemes: the server cannot see them; the hook decides.
    Unverifiable,
}

/// One scheme of a requirement set, with the scopes the operation needs.
#[derive(Debug)]
pub struct Requirement<S: 'static> {
    pub scheme: S,
    pub kind: SchemeKind,
    pub scopes: &'static [&'static str],
}

/// A credential the request carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    ApiKey(String),
    Bearer(String),
    Basic { username: String, password: String },
    /// For schemes the HTTP layer cannot check (mutualTLS).
    Unverifiable,
}

impl Credential {
    /// Whether the credential is one of `accepted`: an api key or bearer token as sent, basic
    /// credentials as `user:password`. Schemes HTTP cannot show are accepted.
    pub fn is_one_of(&self, accepted: &[&str]) -> bool {
        match self {
            Credential::ApiKey(secret) | Credential::Bearer(secret) => accepted.contains(&secret.as_str()),
            Credential::Basic { username, password } => {
                accepted.iter().any(|a| a.split_once(':') == Some((username.as_str(), password.as_str())))
            }
            Credential::Unverifiable => true,
        }
    }
}

/// A credential presented for a scheme, and the scopes the operation requires of it.
#[derive(Debug, Clone)]
pub struct Presented<S> {
    pub scheme: S,
    pub credential: Credential,
    pub scopes: &'static [&'static str],
}

/// Why an authentication hook refused a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// The credentials are not valid (401).
    Unauthorized(String),
    /// Valid credentials without the rights the operation needs (403).
    Forbidden(String),
}

/// The response to a refused or missing credential.
pub fn auth_response(error: Option<AuthError>, sets: &[&[Requirement<impl Copy>]]) -> Response {
    let mut challenges: Vec<&str> = sets
        .iter()
        .flat_map(|set| set.iter())
        .map(|r| match r.kind {
            SchemeKind::Basic => "Basic",
            _ => "Bearer",
        })
        .collect();
    challenges.dedup();
    let (status, detail) = match error {
        Some(AuthError::Forbidden(reason)) => (StatusCode::FORBIDDEN, reason),
        Some(AuthError::Unauthorized(reason)) => (StatusCode::UNAUTHORIZED, reason),
        None => (StatusCode::UNAUTHORIZED, "this operation requires credentials".to_owned()),
    };
    let mut response = problem_response(status, &detail, &[]);
    if status == StatusCode::UNAUTHORIZED {
        if let Ok(value) = HeaderValue::from_str(&challenges.join(", ")) {
            if !challenges.is_empty() {
                response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
            }
        }
    }
    response
}

fn authorization<'h>(headers: &'h HeaderMap, scheme: &str) -> Option<&'h str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (given, rest) = value.split_once(' ')?;
    given.eq_ignore_ascii_case(scheme).then(|| rest.trim())
}

fn cookies(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| {
            let value = ::percent_encoding::percent_decode_str(v.trim()).decode_utf8_lossy().into_owned();
            (k.trim().to_owned(), value)
        })
        .collect()
}

/// Whether the `Accept` header admits one of `produces` (no header, or nothing declared: yes).
fn acceptable(headers: &HeaderMap, produces: &[&str]) -> bool {
    if produces.is_empty() {
        return true;
    }
    let accepts: Vec<String> = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter(|range| !range.split(';').skip(1).any(|p| p.trim().replace(' ', "") == "q=0"))
        .map(essence)
        .collect();
    if accepts.is_empty() {
        return true;
    }
    accepts.iter().any(|range| {
        range == "*/*"
            || produces.iter().any(|p| {
                let p = essence(p);
                p == *range
                    || range.strip_suffix("/*").is_some_and(|top| p.split('/').next() == Some(top))
                    || p.strip_suffix("/*").is_some_and(|top| range.split('/').next() == Some(top))
                    || p == "*/*"
            })
    })
}

/// Runs user code, turning a panic into `Err` instead of a dropped connection.
pub async fn contain<F: ::std::future::Future>(future: F) -> Result<F::Output, ()> {
    let mut future = ::std::pin::pin!(future);
    ::std::future::poll_fn(move |cx| {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(::std::task::Poll::Ready(output)) => ::std::task::Poll::Ready(Ok(output)),
            Ok(::std::task::Poll::Pending) => ::std::task::Poll::Pending,
            Err(_) => ::std::task::Poll::Ready(Err(())),
        }
    })
    .await
}

/// A response with a JSON body.
pub fn json_response<T: ::serde::Serialize>(status: StatusCode, media: &'static str, body: &T) -> Response {
    match ::serde_json::to_vec(body) {
        Ok(bytes) => with_type(status, media, Body::from(bytes)),
        Err(e) => problem_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("the response body could not be serialized: {e}"),
            &[],
        ),
    }
}

/// A response with a body already in its wire form.
pub fn with_type(status: StatusCode, media: &'static str, body: Body) -> Response {
    let mut response = (status, body).into_response();
    // `from_static` shares the spec's text instead of copying it per response; it accepts only
    // visible ASCII, which is checked first.
    let value = if media.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Some(HeaderValue::from_static(media))
    } else {
        HeaderValue::from_str(media).ok()
    };
    if let Some(value) = value {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

/// A status for a range or `default` response chosen by user code; out-of-range numbers become 500.
pub fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// Adds a response header from a value serialized with the `simple` style.
pub fn set_header<T: ::serde::Serialize>(response: &mut Response, name: &'static str, value: &T) {
    let text = match ::serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        Ok(Value::Null) | Err(_) => return,
        Ok(Value::Array(items)) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        Ok(other) => scalar_text(&other),
    };
    if let (Ok(name), Ok(value)) =
        (::axum::http::HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(&text))
    {
        response.headers_mut().append(name, value);
    }
}

/// A response with an `application/x-www-form-urlencoded` body.
pub fn form_response<T: ::serde::Serialize>(status: StatusCode, media: &'static str, body: &T) -> Response {
    let value = ::serde_json::to_value(body).unwrap_or(Value::Null);
    with_type(status, media, Body::from(super::http::encode_form(&value)))
}

/// A `multipart/form-data` response carrying `body`'s parts.
pub fn multipart_response(status: StatusCode, body: Multipart) -> Response {
    let mut response = (status, super::http::encode_multipart(&body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("multipart/form-data; boundary={}", super::http::BOUNDARY)) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

