//! Paths and webhooks to IR operations: parameters, request bodies, responses, examples,
//! security requirements. Inline schemas met here are named after the operation.

use serde_json::{Map, Value};

use crate::diag::{Diagnostic, Origin};
use crate::ir::*;
use crate::lower::names::{Scope, pascal, snake};
use crate::lower::schema::{Lowerer, docs_of, ref_of};

impl<'s> Lowerer<'s> {
    /// Follows `$ref`s of non-schema objects (parameters, responses, bodies, headers, path items,
    /// examples) to the object itself and its origin. Errors are reported; `None` skips the item.
    pub(crate) fn deref_object(&mut self, at: &Origin, v: &'s Value) -> Option<(Origin, &'s Map<String, Value>)> {
        let mut origin = at.clone();
        let mut current = v;
        for _ in 0..32 {
            let Some(reference) = ref_of(current) else {
                return match current {
                    Value::Object(m) => Some((origin, m)),
                    _ => {
                        self.diags.push(Diagnostic::warning(
                            "invalid-object",
                            origin,
                            "expected an object here; ignored",
                        ));
                        None
                    }
                };
            };
            match self.refs.resolve(self.src, origin.file, reference) {
                Ok(t) => {
                    origin = t.origin();
                    current = self.value(&origin)?;
                }
                Err(message) => {
                    self.diags.push(Diagnostic::error("unresolved-ref", origin.child("$ref"), message));
                    return None;
                }
            }
        }
        self.diags.push(Diagnostic::error("ref-cycle", at.clone(), "`$ref` chain loops without reaching an object"));
        None
    }

    /// Lowers every operation under `paths` (or `webhooks` when `webhook` is set).
    pub(crate) fn operations(
        &mut self,
        at: &Origin,
        paths: &'s Value,
        webhook: bool,
        out: &mut Vec<Operation>,
        names: &mut Scope,
    ) {
        let Value::Object(paths) = paths else {
            self.diags.push(Diagnostic::warning("invalid-object", at.clone(), "`paths` must be an object; ignored"));
            return;
        };
        for (path, item) in paths {
            if path.starts_with("x-") {
                continue;
            }
            let item_origin = at.child(path);
            let Some((item_origin, item)) = self.deref_object(&item_origin, item) else { continue };
            let shared_params = item.get("parameters");
            for method in Method::ALL {
                let Some(op) = item.get(method.as_str()) else { continue };
                let op_origin = item_origin.child(method.as_str());
                let Value::Object(op) = op else {
                    self.diags.push(Diagnostic::warning(
                        "invalid-object",
                        op_origin,
                        "an operation must be an object; ignored",
                    ));
                    continue;
                };
                let operation =
                    self.operation(&item_origin, &op_origin, path, method, op, shared_params, webhook, names);
                out.push(operation);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        item_origin: &Origin,
        at: &Origin,
        path: &str,
        method: Method,
        op: &'s Map<String, Value>,
        shared_params: Option<&'s Value>,
        webhook: bool,
        names: &mut Scope,
    ) -> Operation {
        let operation_id = op.get("operationId").and_then(Value::as_str).map(str::to_owned);
        let derived = format!("{} {}", method.as_str(), path.replace(['{', '}'], " "));
        let base = snake(operation_id.as_deref().unwrap_or(&derived), "operation");
        if names.contains(&base) && operation_id.is_some() {
            self.diags.push(Diagnostic::warning(
                "duplicate-operation-id",
                at.child("operationId"),
                format!("operation name `{base}` is used more than once; this one gets a numbered name"),
            ));
        }
        let name = names.claim(base, true);
        let hint = pascal(&name, "Operation");

        let mut params: Vec<Param> = Vec::new();
        let mut param_names = Scope::default();
        let mut declared: Vec<(String, ParamLocation, Origin, &'s Map<String, Value>)> = Vec::new();
        for (list, origin) in
            [(shared_params, item_origin.child("parameters")), (op.get("parameters"), at.child("parameters"))]
        {
            let Some(list) = list else { continue };
            let Value::Array(list) = list else {
                self.diags.push(Diagnostic::warning(
                    "invalid-object",
                    origin,
                    "`parameters` must be an array; ignored",
                ));
                continue;
            };
            for (i, p) in list.iter().enumerate() {
                let Some((p_origin, p)) = self.deref_object(&origin.index(i), p) else { continue };
                let Some(pname) = p.get("name").and_then(Value::as_str) else {
                    self.diags.push(Diagnostic::warning(
                        "invalid-parameter",
                        p_origin,
                        "parameter without a `name`; ignored",
                    ));
                    continue;
                };
                let location = match p.get("in").and_then(Value::as_str) {
                    Some("path") => ParamLocation::Path,
                    Some("query") => ParamLocation::Query,
                    Some("header") => ParamLocation::Header,
                    Some("cookie") => ParamLocation::Cookie,
                    other => {
                        self.diags.push(Diagnostic::warning(
                            "invalid-parameter",
                            p_origin.child("in"),
                            format!("parameter `{pname}` has location {other:?}; expected path, query, header or cookie; ignored"),
                        ));
                        continue;
                    }
                };
                // Operation-level parameters override path-level ones with the same name and location.
                declared.retain(|(n, l, _, _)| !(n == pname && *l == location));
                declared.push((pname.to_owned(), location, p_origin, p));
            }
        }
        for (pname, location, p_origin, p) in declared {
            params.push(self.param(&hint, &pname, location, &p_origin, p, &mut param_names));
        }
        for template_name in path_template_names(path) {
            if !webhook && !params.iter().any(|p| p.location == ParamLocation::Path && p.name == template_name) {
                self.diags.push(Diagnostic::warning(
                    "undeclared-path-parameter",
                    at.clone(),
                    format!("path parameter `{template_name}` is not declared; it is generated as a required string"),
                ).with_help(format!("add `{{name: {template_name}, in: path, required: true, schema: {{type: string}}}}` to the operation's parameters")));
                params.push(Param {
                    name: template_name.clone(),
                    rust_name: param_names.claim(snake(&template_name, "param"), true),
                    location: ParamLocation::Path,
                    required: true,
                    style: ParamStyle::Simple,
                    explode: false,
                    allow_reserved: false,
                    ty: TypeRef::Primitive(Primitive::String),
                    media_type: None,
                    default: None,
                    examples: vec![],
                    docs: Docs::default(),
                    origin: at.clone(),
                });
            }
        }

        let body = match op.get("requestBody") {
            Some(b) => self.request_body(&hint, &at.child("requestBody"), b),
            None => None,
        };
        let responses = match op.get("responses") {
            Some(r) => self.responses(&hint, &at.child("responses"), r),
            None => {
                if !webhook {
                    self.diags.push(Diagnostic::warning("no-responses", at.clone(), "operation declares no responses"));
                }
                vec![]
            }
        };
        let security = op.get("security").map(|s| self.security_requirements(&at.child("security"), s));
        let tags = match op.get("tags") {
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            _ => vec![],
        };
        Operation {
            name,
            operation_id,
            method,
            path: path.to_owned(),
            webhook,
            summary: op.get("summary").and_then(Value::as_str).map(str::to_owned),
            docs: docs_of(&Value::Object(Map::from_iter(
                op.iter()
                    .filter(|(k, _)| *k == "description" || *k == "deprecated")
                    .map(|(k, v)| (k.clone(), v.clone())),
            ))),
            tags,
            params,
            body,
            responses,
            security,
            servers: servers_of(op.get("servers")),
            origin: at.clone(),
        }
    }

    fn param(
        &mut self,
        hint: &str,
        pname: &str,
        location: ParamLocation,
        at: &Origin,
        p: &'s Map<String, Value>,
        names: &mut Scope,
    ) -> Param {
        let style = match p.get("style").and_then(Value::as_str) {
            Some("matrix") => ParamStyle::Matrix,
            Some("label") => ParamStyle::Label,
            Some("form") => ParamStyle::Form,
            Some("simple") => ParamStyle::Simple,
            Some("spaceDelimited") => ParamStyle::SpaceDelimited,
            Some("pipeDelimited") => ParamStyle::PipeDelimited,
            Some("deepObject") => ParamStyle::DeepObject,
            Some(other) => {
                self.diags.push(Diagnostic::warning(
                    "invalid-parameter",
                    at.child("style"),
                    format!("unknown style `{other}`; the default style is used"),
                ));
                default_style(location)
            }
            None => default_style(location),
        };
        let explode = p.get("explode").and_then(Value::as_bool).unwrap_or(style == ParamStyle::Form);
        let mut required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
        if location == ParamLocation::Path && !required {
            self.diags.push(Diagnostic::warning(
                "optional-path-parameter",
                at.clone(),
                format!("path parameter `{pname}` must be required; treated as required"),
            ));
            required = true;
        }
        let param_hint = format!("{hint}{}", pascal(pname, "Param"));
        let (ty, media_type) = if let Some(schema) = p.get("schema") {
            (self.schema(&at.child("schema"), schema, &param_hint, View::Request), None)
        } else if let Some(Value::Object(content)) = p.get("content") {
            match content.iter().next() {
                Some((media, m)) => {
                    let ty = match m.get("schema") {
                        Some(schema) => self.schema(
                            &at.child("content").child(media).child("schema"),
                            schema,
                            &param_hint,
                            View::Request,
                        ),
                        None => TypeRef::Any,
                    };
                    (ty, Some(media.clone()))
                }
                None => (TypeRef::Primitive(Primitive::String), None),
            }
        } else {
            self.diags.push(Diagnostic::warning(
                "invalid-parameter",
                at.clone(),
                format!("parameter `{pname}` has neither `schema` nor `content`; generated as a string"),
            ));
            (TypeRef::Primitive(Primitive::String), None)
        };
        let default = p.get("schema").and_then(|s| s.get("default")).cloned();
        Param {
            name: pname.to_owned(),
            rust_name: names.claim(snake(pname, "param"), true),
            location,
            required,
            style,
            explode,
            allow_reserved: p.get("allowReserved").and_then(Value::as_bool).unwrap_or(false),
            ty,
            media_type,
            default,
            examples: self.examples(at, p),
            docs: docs_of(&Value::Object(p.clone())),
            origin: at.clone(),
        }
    }

    fn request_body(&mut self, hint: &str, at: &Origin, b: &'s Value) -> Option<RequestBody> {
        let (origin, b) = self.deref_object(at, b)?;
        let contents = self.contents(&format!("{hint}Body"), &origin, b.get("content"), View::Request);
        Some(RequestBody {
            required: b.get("required").and_then(Value::as_bool).unwrap_or(false),
            contents,
            docs: docs_of(&Value::Object(b.clone())),
            origin,
        })
    }

    fn contents(&mut self, hint: &str, at: &Origin, content: Option<&'s Value>, view: View) -> Vec<Content> {
        let Some(content) = content else { return vec![] };
        let Value::Object(content) = content else {
            self.diags.push(Diagnostic::warning(
                "invalid-object",
                at.child("content"),
                "`content` must be an object; ignored",
            ));
            return vec![];
        };
        let several_schemas = content.values().filter(|m| m.get("schema").is_some()).count() > 1;
        let mut out = Vec::with_capacity(content.len());
        for (media, m) in content {
            let m_origin = at.child("content").child(media);
            let kind = MediaKind::of(media);
            let media_hint = if several_schemas && kind != MediaKind::Json {
                format!("{hint}{}", pascal(media, "Media"))
            } else {
                hint.to_owned()
            };
            let ty = match m.get("schema") {
                Some(schema) => Some(self.schema(&m_origin.child("schema"), schema, &media_hint, view)),
                None => None,
            };
            let encoding = match m.get("encoding") {
                Some(Value::Object(enc)) => enc
                    .iter()
                    .filter_map(|(prop, e)| {
                        e.get("contentType").and_then(Value::as_str).map(|ct| (prop.clone(), ct.to_owned()))
                    })
                    .collect(),
                _ => vec![],
            };
            let examples = match m {
                Value::Object(mm) => self.examples(&m_origin, mm),
                _ => vec![],
            };
            out.push(Content { media_type: media.clone(), kind, ty, examples, encoding, origin: m_origin });
        }
        out
    }

    fn responses(&mut self, hint: &str, at: &Origin, r: &'s Value) -> Vec<Response> {
        let Value::Object(r) = r else {
            self.diags.push(Diagnostic::warning(
                "invalid-object",
                at.clone(),
                "`responses` must be an object; ignored",
            ));
            return vec![];
        };
        let first_success = r.keys().find(|k| k.starts_with('2')).cloned();
        let mut out = Vec::with_capacity(r.len());
        for (status, resp) in r {
            if status.starts_with("x-") {
                continue;
            }
            let r_origin = at.child(status);
            let Some(spec) = parse_status(status) else {
                self.diags.push(Diagnostic::warning(
                    "invalid-status",
                    r_origin,
                    format!("`{status}` is not a status code, a range like `4XX`, or `default`; ignored"),
                ));
                continue;
            };
            let Some((origin, resp)) = self.deref_object(&r_origin, resp) else { continue };
            let resp_hint = if Some(status) == first_success.as_ref() {
                format!("{hint}Response")
            } else {
                format!("{hint}Response{}", pascal(status, "Status"))
            };
            let declares_content = resp.get("content").and_then(Value::as_object).is_some_and(|c| !c.is_empty());
            let contents = if declares_content && !allows_body(spec) {
                // AWS specs, among others, give 204s a (usually empty-object) JSON schema. HTTP
                // sends no body there, so a body type could never be filled: say so, generate none.
                self.diags.push(Diagnostic::warning(
                    "body-on-bodiless-status",
                    origin.child("content"),
                    format!(
                        "a `{status}` response has no body in HTTP (RFC 9110); its declared content is not generated"
                    ),
                ));
                Vec::new()
            } else {
                self.contents(&resp_hint, &origin, resp.get("content"), View::Response)
            };
            let mut headers = Vec::new();
            if let Some(Value::Object(hs)) = resp.get("headers") {
                let mut header_names = Scope::default();
                for (hname, h) in hs {
                    let h_origin = origin.child("headers").child(hname);
                    let Some((h_origin, h)) = self.deref_object(&h_origin, h) else { continue };
                    let ty = match h.get("schema") {
                        Some(schema) => self.schema(
                            &h_origin.child("schema"),
                            schema,
                            &format!("{resp_hint}{}", pascal(hname, "Header")),
                            View::Response,
                        ),
                        None => TypeRef::Primitive(Primitive::String),
                    };
                    headers.push(Header {
                        name: hname.clone(),
                        rust_name: header_names.claim(snake(hname, "header"), true),
                        required: h.get("required").and_then(Value::as_bool).unwrap_or(false),
                        ty,
                        docs: docs_of(&Value::Object(h.clone())),
                        origin: h_origin,
                    });
                }
            }
            out.push(Response {
                status: spec,
                description: resp.get("description").and_then(Value::as_str).unwrap_or_default().to_owned(),
                contents,
                headers,
                origin,
            });
        }
        out
    }

    fn examples(&mut self, at: &Origin, m: &'s Map<String, Value>) -> Vec<Example> {
        let mut out = Vec::new();
        if let Some(v) = m.get("example") {
            out.push(Example {
                name: None,
                summary: None,
                value: Some(v.clone()),
                external: None,
                origin: at.child("example"),
            });
        }
        if let Some(Value::Object(named)) = m.get("examples") {
            for (name, e) in named {
                let Some((origin, e)) = self.deref_object(&at.child("examples").child(name), e) else { continue };
                out.push(Example {
                    name: Some(name.clone()),
                    summary: e.get("summary").and_then(Value::as_str).map(str::to_owned),
                    value: e.get("value").cloned(),
                    external: e.get("externalValue").and_then(Value::as_str).map(str::to_owned),
                    origin,
                });
            }
        }
        out
    }

    pub(crate) fn security_requirements(&mut self, at: &Origin, v: &Value) -> Vec<SecurityRequirement> {
        let Value::Array(list) = v else {
            self.diags.push(Diagnostic::warning(
                "invalid-security",
                at.clone(),
                "`security` must be an array of requirement objects; ignored",
            ));
            return vec![];
        };
        list.iter()
            .filter_map(|req| req.as_object())
            .map(|req| SecurityRequirement {
                schemes: req
                    .iter()
                    .map(|(k, scopes)| {
                        let scopes = scopes
                            .as_array()
                            .map(|s| s.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                            .unwrap_or_default();
                        (k.clone(), scopes)
                    })
                    .collect(),
            })
            .collect()
    }
}

fn default_style(location: ParamLocation) -> ParamStyle {
    match location {
        ParamLocation::Query | ParamLocation::Cookie => ParamStyle::Form,
        ParamLocation::Path | ParamLocation::Header => ParamStyle::Simple,
    }
}

fn parse_status(s: &str) -> Option<StatusSpec> {
    if s == "default" {
        return Some(StatusSpec::Default);
    }
    let upper = s.to_ascii_uppercase();
    if upper.len() == 3 && upper.ends_with("XX") {
        let d = upper.as_bytes()[0];
        return (b'1'..=b'5').contains(&d).then(|| StatusSpec::Range(d - b'0'));
    }
    match s.parse::<u16>() {
        Ok(code) if (100..=599).contains(&code) => Some(StatusSpec::Code(code)),
        _ => None,
    }
}

/// Whether HTTP lets a response with this status carry content: 1xx, 204, 205 and 304 never do.
fn allows_body(status: StatusSpec) -> bool {
    !matches!(status, StatusSpec::Code(100..=199 | 204 | 205 | 304) | StatusSpec::Range(1))
}

/// `{name}` segments of a path template, in order.
pub(crate) fn path_template_names(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !name.is_empty() && !out.iter().any(|n: &String| n == name) {
            out.push(name.to_owned());
        }
        rest = &after[end + 1..];
    }
    out
}

pub(crate) fn servers_of(v: Option<&Value>) -> Vec<Server> {
    let Some(Value::Array(list)) = v else { return vec![] };
    list.iter()
        .filter_map(|s| {
            let url = s.get("url")?.as_str()?.to_owned();
            let variables = match s.get("variables") {
                Some(Value::Object(vars)) => vars
                    .iter()
                    .map(|(k, var)| {
                        (k.clone(), var.get("default").and_then(Value::as_str).unwrap_or_default().to_owned())
                    })
                    .collect(),
                _ => vec![],
            };
            Some(Server {
                url,
                description: s.get("description").and_then(Value::as_str).map(str::to_owned),
                variables,
            })
        })
        .collect()
}
