//! What generated servers and clients share: multipart bodies, media type matching, the text
//! form of scalars, and data built from the spec (its examples, or values synthesized from a
//! schema) for mocks and example requests.
//!
//! This file is copied verbatim into generated crates (as `runtime::http`) beside
//! `runtime::schema`. It may only use std, `::serde`, `::serde_json` and `::form_urlencoded`.

use ::serde_json::Value;

use super::schema::{NodeId, Schema};

/// The parts of a `multipart/form-data` body (RFC 7578). Header lines are read leniently (names may
/// hold raw UTF-8, as RFC 7578 allows); the structure (boundary, blank line after headers) is not.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Result<Vec<Part>, String> {
    let boundary = content_type
        .split(';')
        .skip(1)
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"').to_owned())
        .filter(|b| !b.is_empty())
        .ok_or("the multipart content type has no boundary")?;
    let delimiter = format!("--{boundary}").into_bytes();
    let find = |haystack: &[u8], from: usize| -> Option<usize> {
        haystack.get(from..)?.windows(delimiter.len()).position(|w| w == delimiter.as_slice()).map(|i| i + from)
    };
    let mut at = find(body, 0).ok_or("the body does not start with the multipart boundary")? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        let rest = body.get(at..).unwrap_or_default();
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        let start = at + if rest.starts_with(b"\r\n") { 2 } else { 0 };
        let next = find(body, start).ok_or("a multipart part is not closed by the boundary")?;
        // The part ends before the CRLF that precedes the next delimiter.
        let end = if next >= 2 && body.get(next - 2..next) == Some(b"\r\n") { next - 2 } else { next };
        let part = body.get(start..end).unwrap_or_default();
        let split = part.windows(4).position(|w| w == b"\r\n\r\n").ok_or("a multipart part has no blank line after its headers")?;
        let (head, data) = (&part[..split], &part[split + 4..]);
        let head = String::from_utf8_lossy(head);
        let mut name = None;
        let mut file_name = None;
        let mut part_type = None;
        for line in head.split("\r\n") {
            let Some((key, value)) = line.split_once(':') else { continue };
            if key.trim().eq_ignore_ascii_case("content-disposition") {
                name = disposition_param(value, "name");
                file_name = disposition_param(value, "filename");
            } else if key.trim().eq_ignore_ascii_case("content-type") {
                part_type = Some(value.trim().to_owned());
            }
        }
        let name = name.ok_or("a multipart part has no name in its Content-Disposition")?;
        parts.push(Part { name, file_name, content_type: part_type, data: data.to_vec() });
        at = next + delimiter.len();
    }
}

/// `name` in `form-data; name="field"; filename="a.png"` (quoted or not).
fn disposition_param(value: &str, key: &str) -> Option<String> {
    let mut rest = value;
    while let Some(i) = rest.find(';') {
        rest = &rest[i + 1..];
        let item = rest.trim_start();
        let Some(after) = item.strip_prefix(key).map(str::trim_start).and_then(|a| a.strip_prefix('=')) else { continue };
        let after = after.trim_start();
        return Some(match after.strip_prefix('"') {
            Some(quoted) => {
                let mut out = String::new();
                let mut chars = quoted.chars();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => out.extend(chars.next()),
                        other => out.push(other),
                    }
                }
                out
            }
            None => after.split(';').next().unwrap_or("").trim().to_owned(),
        });
    }
    None
}

/// A `multipart/form-data` body, sent or received.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Multipart {
    pub parts: Vec<Part>,
}

impl Multipart {
    /// The first part named `name`.
    pub fn part(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.name == name)
    }

    /// The first part named `name` as text.
    pub fn text(&self, name: &str) -> Option<String> {
        self.part(name).map(|p| String::from_utf8_lossy(&p.data).into_owned())
    }
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}


/// The essence of a media type: `Application/JSON; charset=utf-8` → `application/json`.
pub fn essence(media: &str) -> String {
    media.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

/// The first declared media type the sent `content_type` fits (exact, then `type/*`, then `*/*`).
pub fn media_index(content_type: &str, media: &[&str]) -> Option<usize> {
    let sent_raw = content_type.split(';').next().unwrap_or("").trim();
    // The common case, compared without allocating: the exact type, in any letter case.
    if let Some(i) = media.iter().position(|m| m.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case(sent_raw)) {
        return Some(i);
    }
    let sent = essence(content_type);
    let top = sent.split('/').next().unwrap_or("");
    media.iter().position(|m| essence(m) == sent).or_else(|| {
        media.iter().position(|m| {
            let m = essence(m);
            m == "*/*" || m.strip_suffix("/*").is_some_and(|t| t == top)
        })
    })
}


pub fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}


/// Example data for a request or a mock response: the spec's example when it conforms, else a
/// value synthesized with every optional property set (so that it exercises every member, and a
/// client or a contract check reading it sees every member the schema describes).
pub fn example_json<T: ::serde::de::DeserializeOwned>(schema: &Schema, node: NodeId, example: Option<&str>) -> Option<T> {
    if let Some(value) = example.and_then(|text| ::serde_json::from_str::<Value>(text).ok()) {
        if schema.validate(node, &value).is_empty() {
            if let Ok(typed) = ::serde_json::from_value(value) {
                return Some(typed);
            }
        }
    }
    if let Ok(typed) = ::serde_json::from_value(schema.synthesize_all(node)) {
        return Some(typed);
    }
    // Setting every optional member can spend the synthesis budget on a wide schema, or reach a
    // member no value fits; the required members alone may still make a value.
    ::serde_json::from_value(schema.synthesize(node)).ok()
}

/// Mock text: the spec's example when it is a string, else a placeholder.
pub fn mock_text(example: Option<&str>) -> String {
    match example.and_then(|text| ::serde_json::from_str::<Value>(text).ok()) {
        Some(Value::String(s)) => s,
        Some(other) => other.to_string(),
        None => "example".to_owned(),
    }
}

/// An `application/x-www-form-urlencoded` body: object members as pairs, arrays as repeated
/// keys, nested objects as JSON text.
pub fn encode_form(value: &Value) -> String {
    let mut form = ::form_urlencoded::Serializer::new(String::new());
    if let Value::Object(members) = value {
        for (key, member) in members {
            match member {
                Value::Null => {}
                Value::Array(items) => {
                    for item in items {
                        form.append_pair(key, &scalar_text(item));
                    }
                }
                other => {
                    form.append_pair(key, &scalar_text(other));
                }
            }
        }
    }
    form.finish()
}

/// The boundary spec-gen writes multipart bodies with.
pub const BOUNDARY: &str = "spec-gen-boundary-7MA4YWxkTrZu0gW";

/// `body` in its wire form, to be sent as `multipart/form-data; boundary=`[`BOUNDARY`].
pub fn encode_multipart(body: &Multipart) -> Vec<u8> {
    let mut out = Vec::new();
    for part in &body.parts {
        out.extend_from_slice(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{}\"", quoted(&part.name)).as_bytes());
        if let Some(file_name) = &part.file_name {
            out.extend_from_slice(format!("; filename=\"{}\"", quoted(file_name)).as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        if let Some(content_type) = &part.content_type {
            out.extend_from_slice(format!("Content-Type: {content_type}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&part.data);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    out
}

/// A disposition parameter's text with `"` and `\` escaped, and line breaks (which would end the
/// header) replaced.
fn quoted(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"").replace(['\r', '\n'], " ")
}

/// A multipart body holding `value` (an object of the schema `node`) as parts, for example data:
/// binary members as file parts (named after the member), strings as text, other scalars as
/// their JSON text, objects as JSON parts, arrays as one part per item.
pub fn multipart_of(schema: &Schema, node: NodeId, value: &Value) -> Multipart {
    fn part(name: &str, value: &Value, file: bool) -> Option<Part> {
        let (content_type, data) = match value {
            Value::Null => return None,
            _ if file => (Some("application/octet-stream".to_owned()), scalar_text(value)),
            Value::Object(_) | Value::Array(_) => (Some("application/json".to_owned()), value.to_string()),
            other => (None, scalar_text(other)),
        };
        let file_name = file.then(|| format!("{name}.bin"));
        Some(Part { name: name.to_owned(), file_name, content_type, data: data.into_bytes() })
    }
    let mut parts = Vec::new();
    if let Value::Object(members) = value {
        for (name, member) in members {
            let file = schema.binary_member(node, name);
            match member {
                Value::Array(items) => parts.extend(items.iter().filter_map(|item| part(name, item, file))),
                other => parts.extend(part(name, other, file)),
            }
        }
    }
    Multipart { parts }
}

/// A declared status of an operation's response, for choosing which one a mock answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Code(u16),
    /// `4XX`: the hundreds digit.
    Range(u16),
    Default,
}

impl Status {
    /// Whether a response with this declaration may carry `code`.
    pub fn admits(self, code: u16) -> bool {
        match self {
            Status::Code(c) => c == code,
            Status::Range(d) => code / 100 == d,
            Status::Default => true,
        }
    }
}

/// The first candidate (in the mock's order) that can be built: among those admitting `prefer`
/// first, when given.
pub fn mock_pick<R>(prefer: Option<u16>, candidates: &[(Status, fn(Option<u16>) -> Option<R>)]) -> Option<R> {
    if let Some(code) = prefer {
        // An exact declaration beats a range, a range beats `default`.
        for wanted in [0, 1, 2] {
            for (status, build) in candidates {
                let rank = match status {
                    Status::Code(_) => 0,
                    Status::Range(_) => 1,
                    Status::Default => 2,
                };
                if rank == wanted && status.admits(code) {
                    if let Some(response) = build(Some(code)) {
                        return Some(response);
                    }
                }
            }
        }
    }
    // Unasked, success first (whatever order the spec lists its responses in), then redirects,
    // `default`, errors, and informational statuses last.
    let class = |status: &Status| match status {
        Status::Code(200..=299) | Status::Range(2) => 0,
        Status::Code(300..=399) | Status::Range(3) => 1,
        Status::Default => 2,
        Status::Code(100..=199) | Status::Range(1) => 4,
        _ => 3,
    };
    (0..=4).find_map(|wanted| {
        candidates.iter().filter(|(status, _)| class(status) == wanted).find_map(|(_, build)| build(None))
    })
}
