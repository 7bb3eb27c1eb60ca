//! Schema runtime of generated servers (and mocks): a table of schema nodes the generator emits as
//! static data, and the generic code that walks it. One table serves three jobs:
//! - validating a request's JSON (body or parameter) and listing *every* violation with its JSON
//!   pointer, before serde builds the typed value (serde stops at the first error and has no pointer);
//! - turning the raw strings of path, query, header and cookie parameters into JSON values, following
//!   the parameter's OpenAPI style, coercing scalars to the schema's type;
//! - synthesizing a value that satisfies a schema, for mock responses.
//!
//! This file is copied verbatim into generated crates (as `runtime::schema`), so it may only use
//! `std`, `serde_json`, `regress`, `base64` and `form_urlencoded`/`percent_encoding`, always by
//! absolute path (`::serde_json`).

use ::serde_json::{Map, Value};

/// Index of a node in [`Schema::nodes`].
pub type NodeId = u32;

/// A generated crate's schema table.
pub struct Schema {
    pub nodes: &'static [Node],
    pub checks: &'static [Checks],
    pub patterns: &'static [Pattern],
}

/// What a value must look like.
#[derive(Debug)]
pub enum Node {
    /// Any JSON value.
    Any,
    Bool,
    Integer(IntKind),
    /// Any JSON number (`f32`/`f64`).
    Number,
    String(StringFormat),
    /// An array whose items are the node.
    List(NodeId),
    /// An object used as a map: every member's value is the node.
    Map(NodeId),
    /// A fixed-length array (3.1 `prefixItems`).
    Tuple(&'static [NodeId]),
    /// `null` or the node.
    Nullable(NodeId),
    /// Any JSON object.
    Object,
    Struct(Struct),
    /// A string that must be one of these.
    Enum(&'static [&'static str]),
    Union(Union),
    /// The node, plus the constraint checks at this index of [`Schema::checks`].
    Checked(NodeId, u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntKind {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringFormat {
    /// No format the server checks.
    Plain,
    /// RFC 3339 date-time.
    DateTime,
    /// RFC 3339 full-date.
    Date,
    Uuid,
    /// Standard base64.
    Base64,
    /// `format: binary`: raw bytes (a file part in multipart bodies); not checked.
    Binary,
}

#[derive(Debug)]
pub struct Struct {
    pub fields: &'static [Field],
    pub additional: Additional,
}

#[derive(Debug)]
pub struct Field {
    /// The JSON member name.
    pub name: &'static str,
    pub node: NodeId,
    pub required: bool,
    /// `null` is allowed besides the node.
    pub nullable: bool,
}

impl Field {
    /// A table entry on one line (generated tables hold thousands).
    pub const fn new(name: &'static str, node: NodeId, required: bool, nullable: bool) -> Field {
        Field { name, node, required, nullable }
    }
}

#[derive(Debug)]
pub enum Additional {
    /// Unknown members are ignored.
    Ignore,
    /// Unknown members are a violation.
    Deny,
    /// Unknown members must match the node.
    Map(NodeId),
}

#[derive(Debug)]
pub struct Union {
    pub variants: &'static [NodeId],
    /// With a discriminator: the property, and which node each tag value selects.
    pub discriminator: Option<(&'static str, &'static [(&'static str, NodeId)])>,
}

/// Constraint keywords; bounds already as the spec wrote them.
#[derive(Debug, Default)]
pub struct Checks {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// Index into [`Schema::patterns`].
    pub pattern: Option<u32>,
    /// (bound, exclusive)
    pub minimum: Option<(f64, bool)>,
    pub maximum: Option<(f64, bool)>,
    pub multiple_of: Option<f64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    /// Non-string `enum`/`const`: a JSON array of the allowed values, as text.
    pub allowed: Option<&'static str>,
}

impl Checks {
    /// No constraint: generated entries set only what their schema says, over this.
    pub const NONE: Checks = Checks {
        min_length: None,
        max_length: None,
        pattern: None,
        minimum: None,
        maximum: None,
        multiple_of: None,
        min_items: None,
        max_items: None,
        unique_items: false,
        min_properties: None,
        max_properties: None,
        allowed: None,
    };
}

/// An ECMA-262 pattern, compiled on first use.
pub struct Pattern {
    pub source: &'static str,
    pub flags: &'static str,
    /// A string the generator built to match the pattern (it may be empty: `^$|…`); synthesis
    /// tries it first, and keeps it only if it does match.
    pub sample: Option<&'static str>,
    /// The pattern rewritten for proptest's generator (anchors dropped, classes kept to printable
    /// ASCII where they offer it), when property tests are generated and the pattern allows it.
    pub generator: Option<&'static str>,
    pub compiled: ::std::sync::OnceLock<Option<::regress::Regex>>,
}

impl Pattern {
    pub const fn new(source: &'static str, flags: &'static str) -> Pattern {
        Pattern::sampled(source, flags, None)
    }

    pub const fn sampled(source: &'static str, flags: &'static str, sample: Option<&'static str>) -> Pattern {
        Pattern { source, flags, sample, generator: None, compiled: ::std::sync::OnceLock::new() }
    }

    pub const fn generated(mut self, generator: Option<&'static str>) -> Pattern {
        self.generator = generator;
        self
    }
}

impl ::std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.source)
    }
}

/// One way a value broke its schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// JSON pointer (RFC 6901, escaped) from the validated value's root, e.g. `/pets/0/name`.
    pub pointer: String,
    /// What is wrong, in words a client developer understands: `must be at least 3 characters long, got 1`.
    pub reason: String,
}

impl Schema {
    /// Every violation of `node` by `value`; empty when it conforms. Never panics, whatever the table
    /// or value (deep nesting is bounded: values nested deeper than 64 levels are reported, not walked).
    pub fn validate(&self, node: NodeId, value: &Value) -> Vec<Violation> {
        let mut walker = Walker {
            schema: self,
            pointer: String::new(),
            trials: 0,
            steps: 0,
            quick: 0,
            known: ::std::collections::HashMap::new(),
            explained: ::std::collections::HashMap::new(),
        };
        let mut out = Vec::new();
        walker.walk(node, value, 0, &mut out);
        // A broken pattern or an exhausted budget says the same thing wherever it is met: once is enough.
        let mut seen: Vec<String> = Vec::new();
        out.retain(|violation| {
            if !(violation.reason.starts_with(BAD_PATTERN) || violation.reason == TOO_COMPLEX) {
                return true;
            }
            if seen.contains(&violation.reason) {
                return false;
            }
            seen.push(violation.reason.clone());
            true
        });
        out
    }

    /// A parameter value's raw text as the JSON value the node wants: `"12"` → `12` for integers,
    /// `"true"` → `true`, strings stay strings; for `Nullable`, `Checked` and unions, the inner or the
    /// first variant that accepts the text. Text that cannot be coerced stays a JSON string, so
    /// [`Schema::validate`] reports it with its reason ("must be an integer").
    pub fn coerce(&self, node: NodeId, raw: &str) -> Value {
        let mut id = node;
        for _ in 0..=MAX_DEPTH {
            match self.node(id) {
                Node::Nullable(inner) | Node::Checked(inner, _) => id = *inner,
                Node::Integer(_) | Node::Number => {
                    return json_number(raw).map_or_else(|| text(raw), Value::Number);
                }
                Node::Bool => return json_bool(raw).unwrap_or_else(|| text(raw)),
                Node::Any => return coerce_any(raw),
                // An object or array where the style has no way to write one (an array item of a
                // simple-style header): clients write it as JSON text.
                Node::Struct(_) | Node::Map(_) | Node::Object | Node::List(_) | Node::Tuple(_) => {
                    return match ::serde_json::from_str::<Value>(raw) {
                        Ok(value @ (Value::Object(_) | Value::Array(_))) => value,
                        _ => text(raw),
                    };
                }
                Node::Union(_) => {
                    // The first reading (integer or number, boolean, string) some variant accepts.
                    let candidates = [json_number(raw).map(Value::Number), json_bool(raw), Some(text(raw))];
                    for candidate in candidates.into_iter().flatten() {
                        if self.validate(id, &candidate).is_empty() {
                            return candidate;
                        }
                    }
                    return coerce_any(raw);
                }
                _ => return text(raw),
            }
        }
        text(raw)
    }

    /// The shape (scalar, array, object) a node takes once `Nullable`/`Checked` are looked through;
    /// parameter parsing uses it to decide how to split raw text.
    pub fn shape(&self, node: NodeId) -> Shape {
        match self.container(node) {
            Node::List(_) | Node::Tuple(_) => Shape::Array,
            Node::Struct(_) | Node::Map(_) | Node::Object => Shape::Object,
            _ => Shape::Scalar,
        }
    }

    /// Whether `node` is a union with a variant that is neither an array nor an object, beside
    /// the container variant [`Schema::shape`] reports.
    pub fn admits_scalar(&self, node: NodeId) -> bool {
        let mut id = node;
        for _ in 0..=MAX_DEPTH {
            match self.node(id) {
                Node::Nullable(inner) | Node::Checked(inner, _) => id = *inner,
                Node::Union(union) => {
                    return union.variants.iter().any(|variant| {
                        !matches!(
                            self.container(*variant),
                            Node::List(_) | Node::Tuple(_) | Node::Struct(_) | Node::Map(_) | Node::Object
                        )
                    });
                }
                _ => return false,
            }
        }
        false
    }

    /// A value satisfying `node`: every required member, bounds, lengths, patterns (a value is
    /// searched for among simple candidates; when none matches, the closest is returned), enums,
    /// item counts. Deterministic. Recursion is cut at optional members and bounded in depth.
    pub fn synthesize(&self, node: NodeId) -> Value {
        let mut synth = Synth {
            schema: self,
            budget: SYNTH_BUDGET,
            stack: Vec::new(),
            optional: false,
            chosen: Default::default(),
        };
        synth.value(node, 0)
    }

    /// [`Schema::synthesize`], with optional properties set too (except where they would recurse):
    /// an example that exercises every member.
    pub fn synthesize_all(&self, node: NodeId) -> Value {
        let mut synth =
            Synth { schema: self, budget: SYNTH_BUDGET, stack: Vec::new(), optional: true, chosen: Default::default() };
        synth.value(node, 0)
    }
}

impl Schema {
    /// A value `node` rejects, with what is wrong with it (the validator's own words and pointer),
    /// for contract checks that a server refuses it. Built from a synthesized valid value by
    /// breaking, in this order of preference: a constraint of the value or of one of its members
    /// (a length, a bound, a pattern, an enum, an item count), a required member left out, the
    /// value's type. `None` when the node accepts anything tried (`Any`).
    pub fn violating(&self, node: NodeId) -> Option<(String, Value)> {
        let valid = self.synthesize(node);
        let mut candidates = self.broken_constraints(node, &valid);
        if let (Node::Struct(s), Value::Object(members)) = (self.container(node), &valid) {
            for field in s.fields {
                if let Some(member) = members.get(field.name) {
                    for broken in self.broken_constraints(field.node, member) {
                        let mut copy = members.clone();
                        copy.insert(field.name.to_owned(), broken);
                        candidates.push(Value::Object(copy));
                    }
                }
            }
            for field in s.fields.iter().filter(|f| f.required) {
                let mut copy = members.clone();
                copy.remove(field.name);
                candidates.push(Value::Object(copy));
            }
        }
        candidates.extend([Value::Array(Vec::new()), Value::Bool(true), Value::String("?".into())]);
        candidates.into_iter().find_map(|candidate| {
            let first = self.validate(node, &candidate).into_iter().next()?;
            let what = if first.pointer.is_empty() {
                format!("the value {}", first.reason)
            } else {
                format!("`{}` {}", first.pointer, first.reason)
            };
            Some((what, candidate))
        })
    }

    /// Values like `valid` that break one of the constraints on `node` itself.
    fn broken_constraints(&self, node: NodeId, valid: &Value) -> Vec<Value> {
        self.constraint_values(node, valid).into_iter().filter_map(|(value, breaks)| breaks.then_some(value)).collect()
    }

    /// Values like `valid` at the edge of each constraint on `node` itself: just inside a bound
    /// (`false`) and just outside it (`true`, meant to break it). [`Schema::validate`] has the last
    /// word on each; these are only candidates.
    fn constraint_values(&self, node: NodeId, valid: &Value) -> Vec<(Value, bool)> {
        let (target, checks) = self.resolve(node);
        let mut out = Vec::new();
        if let Node::Enum(allowed) = target {
            out.push((Value::String("not-one-of-the-allowed-values".into()), true));
            out.extend(allowed.iter().map(|a| (Value::String((*a).into()), false)));
        }
        let text = |n: u64| Value::String("x".repeat(n.min(MAX_SYNTH_LEN) as usize));
        // Integers are written as integers: `9.0` is not what a client sends for one.
        let integer = matches!(target, Node::Integer(_));
        let number = |n: f64| {
            if integer && n.fract() == 0.0 && n.abs() < 9.0e15 {
                Some(Value::from(n as i64))
            } else {
                ::serde_json::Number::from_f64(n).map(Value::Number)
            }
        };
        for c in checks {
            if let Some(max) = c.max_length.filter(|m| *m < MAX_SYNTH_LEN) {
                out.push((text(max + 1), true));
                out.push((text(max), false));
            }
            if let Some(min) = c.min_length.filter(|m| *m < MAX_SYNTH_LEN) {
                if min > 0 {
                    out.push((text(min - 1), true));
                }
                out.push((text(min), false));
            }
            if c.pattern.is_some() {
                out.extend(["", " ", "\u{1}"].map(|t| (Value::String(t.into()), true)));
            }
            if let Some((max, exclusive)) = c.maximum {
                out.extend(number(if exclusive { max } else { max + 1.0 }).map(|v| (v, true)));
                out.extend(number(max.floor() + 1.0).map(|v| (v, true)));
                if !exclusive {
                    out.extend(number(max).map(|v| (v, false)));
                }
            }
            if let Some((min, exclusive)) = c.minimum {
                out.extend(number(if exclusive { min } else { min - 1.0 }).map(|v| (v, true)));
                out.extend(number(min.ceil() - 1.0).map(|v| (v, true)));
                if !exclusive {
                    out.extend(number(min).map(|v| (v, false)));
                }
            }
            if let Some(step) = c.multiple_of.filter(|m| *m > 0.0) {
                out.extend(number(step * 1.5).map(|v| (v, true)));
                out.extend(number(step).map(|v| (v, false)));
            }
            if let Value::Array(items) = valid {
                if let Some(first) = items.first() {
                    if let Some(max) = c.max_items.filter(|m| *m < MAX_SYNTH_ITEMS) {
                        out.push((Value::Array(vec![first.clone(); max as usize + 1]), true));
                    }
                    if c.unique_items {
                        out.push((Value::Array(vec![first.clone(), first.clone()]), true));
                    }
                }
            }
            if c.min_items.is_some_and(|m| m > 0) {
                out.push((Value::Array(Vec::new()), true));
            }
        }
        out
    }

    /// Values to test a type's constraints with, each with what [`Schema::validate`] says of it:
    /// the synthesized valid value, then values just inside and just outside each constraint of
    /// the node and of its members, a required member left out, an unknown member where none is
    /// allowed. Each is described by what it tries (a value that meant to break a constraint but
    /// does not, or meant to keep it but breaks another, is dropped).
    pub fn constraint_cases(&self, node: NodeId) -> Vec<(String, Value, bool)> {
        let valid = self.synthesize(node);
        if !self.validate(node, &valid).is_empty() {
            return Vec::new();
        }
        let mut candidates: Vec<(String, Value, bool)> = Vec::new();
        let describe = |pointer: &str, value: &Value| {
            let shown = value.to_string();
            let shown = if shown.len() > 40 {
                format!("{}…", &shown[..shown.char_indices().nth(40).map_or(shown.len(), |(i, _)| i)])
            } else {
                shown
            };
            if pointer.is_empty() { format!("the value {shown}") } else { format!("`{pointer}` = {shown}") }
        };
        for (value, breaks) in self.constraint_values(node, &valid) {
            candidates.push((describe("", &value), value, breaks));
        }
        if let (Node::Struct(s), Value::Object(members)) = (self.container(node), &valid) {
            for field in s.fields {
                let pointer = format!("/{}", field.name.replace('~', "~0").replace('/', "~1"));
                if let Some(member) = members.get(field.name) {
                    for (broken, breaks) in self.constraint_values(field.node, member) {
                        let mut copy = members.clone();
                        copy.insert(field.name.to_owned(), broken.clone());
                        candidates.push((describe(&pointer, &broken), Value::Object(copy), breaks));
                    }
                }
                if field.required {
                    let mut copy = members.clone();
                    copy.remove(field.name);
                    candidates.push((
                        format!("the object without its required member `{}`", field.name),
                        Value::Object(copy),
                        true,
                    ));
                }
            }
            if let Additional::Deny = s.additional {
                let mut copy = members.clone();
                copy.insert("spec-gen-unknown-member".into(), Value::Bool(true));
                candidates.push(("an unknown member where none is allowed".into(), Value::Object(copy), true));
            }
        }
        let mut out = vec![("the synthesized value".to_owned(), valid, true)];
        for (what, value, breaks) in candidates {
            let accepted = self.validate(node, &value).is_empty();
            if accepted != breaks {
                out.push((what, value, accepted));
            }
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Scalar,
    Array,
    Object,
}

/// How a parameter is serialized (OpenAPI `style` and `explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Matrix,
    Label,
    Form,
    Simple,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// Where a parameter is, how it is written and what it must be.
#[derive(Debug)]
pub struct ParamSpec {
    pub name: &'static str,
    pub style: Style,
    pub explode: bool,
    pub node: NodeId,
    /// `content: application/json` parameters: the raw text is JSON.
    pub json: bool,
}

/// A path, header or cookie parameter's raw (already percent-decoded) text as JSON, by style:
/// simple (`a,b` / `k,v,k2,v2` / exploded `k=v,k2=v2`), label (`.a.b`), matrix (`;id=1,2` /
/// `;id=1;id=2`). `Err` says why the text does not fit the style.
pub fn parse_single(schema: &Schema, spec: &ParamSpec, raw: &str) -> Result<Value, String> {
    if spec.json {
        return ::serde_json::from_str(raw).map_err(|e| format!("is not valid JSON: {e}"));
    }
    let shape = schema.shape(spec.node);
    match scalar_reading(schema, spec, shape, Some(raw)) {
        None => parse_single_by_shape(schema, spec, shape, raw),
        Some((scalar, false)) => Ok(scalar),
        Some((scalar, true)) => {
            Ok(prefer_fitting(schema, spec, parse_single_by_shape(schema, spec, shape, raw).ok(), scalar))
        }
    }
}

fn parse_single_by_shape(schema: &Schema, spec: &ParamSpec, shape: Shape, raw: &str) -> Result<Value, String> {
    if raw.is_empty() {
        match shape {
            Shape::Array => return Ok(Value::Array(Vec::new())),
            Shape::Object => return Ok(Value::Object(Map::new())),
            Shape::Scalar => {}
        }
    }
    match spec.style {
        Style::Simple | Style::Form => split_value(schema, spec.node, shape, raw, ',', spec.explode),
        Style::SpaceDelimited => split_value(schema, spec.node, shape, raw, ' ', false),
        Style::PipeDelimited => split_value(schema, spec.node, shape, raw, '|', false),
        Style::Label => {
            let rest = raw.strip_prefix('.').ok_or_else(|| "expected a `.`-prefixed label value".to_owned())?;
            let separator = if spec.explode { '.' } else { ',' };
            split_value(schema, spec.node, shape, rest, separator, spec.explode)
        }
        Style::Matrix => parse_matrix(schema, spec, shape, raw),
        Style::DeepObject => Err("the deepObject style is only for query parameters".to_owned()),
    }
}

/// A query parameter from the whole decoded query (`pairs`, in order), by style: form exploded
/// (`id=1&id=2`, object members as their own keys), form not exploded (`id=1,2`), spaceDelimited,
/// pipeDelimited, deepObject (`id[role]=admin`). `Ok(None)` when the parameter is absent.
pub fn parse_query(schema: &Schema, spec: &ParamSpec, pairs: &[(String, String)]) -> Result<Option<Value>, String> {
    let name = spec.name;
    let node = spec.node;
    let shape = schema.shape(node);
    let mut given = pairs.iter().filter(|(key, _)| key == name);
    let single = match (given.next(), given.next()) {
        (Some((_, raw)), None) => Some(raw.as_str()),
        _ => None,
    };
    match scalar_reading(schema, spec, shape, single) {
        None => parse_query_by_shape(schema, spec, shape, pairs),
        Some((scalar, false)) => Ok(Some(scalar)),
        Some((scalar, true)) => {
            let listed = parse_query_by_shape(schema, spec, shape, pairs).ok().flatten();
            Ok(Some(prefer_fitting(schema, spec, listed, scalar)))
        }
    }
}

fn parse_query_by_shape(
    schema: &Schema,
    spec: &ParamSpec,
    shape: Shape,
    pairs: &[(String, String)],
) -> Result<Option<Value>, String> {
    let name = spec.name;
    let node = spec.node;
    // Only exploded arrays and objects spread over several pairs. A single-valued parameter given
    // twice is refused: which value the caller meant is a guess, and proxies and servers that
    // guess differently let a request mean two things.
    let spread = !spec.json
        && match shape {
            Shape::Scalar => false,
            Shape::Array => spec.explode || spec.style == Style::DeepObject,
            Shape::Object => {
                spec.style == Style::DeepObject
                    || (spec.explode && !matches!(spec.style, Style::SpaceDelimited | Style::PipeDelimited))
            }
        };
    let mut given = pairs.iter().filter(|(key, _)| key == name).map(|(_, value)| value.as_str());
    let first = given.next();
    if !spread && given.next().is_some() {
        return Err("is given more than once; it takes one value".to_owned());
    }
    if spec.json {
        return match first {
            None => Ok(None),
            Some(raw) => ::serde_json::from_str(raw).map(Some).map_err(|e| format!("is not valid JSON: {e}")),
        };
    }
    let separator = match spec.style {
        Style::SpaceDelimited => ' ',
        Style::PipeDelimited => '|',
        _ => ',',
    };
    match shape {
        Shape::Scalar => Ok(first.map(|raw| schema.coerce(node, raw))),
        Shape::Array if spread => {
            // `id=1&id=2`; `id[]=1&id[]=2` is accepted as a courtesy to PHP-style clients.
            let bracketed = format!("{name}[]");
            let items: Vec<&str> = pairs
                .iter()
                .filter(|(key, _)| key == name || *key == bracketed)
                .map(|(_, value)| value.as_str())
                .collect();
            Ok(if items.is_empty() { None } else { Some(array_of(schema, node, &items)) })
        }
        // `status=` is ambiguous (an empty list and a list of one empty string serialize alike);
        // it is read as the empty list, as RFC 6570 expands it.
        Shape::Array => Ok(first.map(|raw| array_of(schema, node, &split_list(raw, separator)))),
        Shape::Object => match spec.style {
            Style::DeepObject => parse_deep_object(schema, spec, pairs),
            Style::SpaceDelimited | Style::PipeDelimited => {
                first.map(|raw| object_of_pairs(schema, node, &split_list(raw, separator))).transpose()
            }
            _ if spec.explode => Ok(exploded_object(schema, node, pairs)),
            _ => first.map(|raw| object_of_pairs(schema, node, &split_list(raw, ','))).transpose(),
        },
    }
}

/// An `application/x-www-form-urlencoded` body (decoded pairs) as the JSON object the node wants:
/// each property from its key (repeated keys make arrays), scalars coerced by the property's node.
pub fn parse_form(schema: &Schema, node: NodeId, pairs: &[(String, String)]) -> Value {
    let container = schema.container(node);
    let mut members = Map::new();
    // Keys made arrays by repetition (not by their node), so that a third value is appended.
    let mut repeated: ::std::collections::HashSet<&str> = ::std::collections::HashSet::new();
    for (key, raw) in pairs {
        let member = member_node(container, key);
        let shape = member.map_or(Shape::Scalar, |m| schema.shape(m));
        if shape == Shape::Array {
            let list = member.map_or(&Node::Any, |m| schema.container(m));
            let entry = members.entry(key.as_str()).or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(items) = entry {
                items.push(schema.coerce(item_node(list, items.len()), raw));
            }
            continue;
        }
        let value = form_value(schema, member, shape, raw);
        match members.get_mut(key.as_str()) {
            None => {
                members.insert(key.clone(), value);
            }
            Some(Value::Array(items)) if repeated.contains(key.as_str()) => items.push(value),
            Some(existing) => {
                let previous = existing.take();
                *existing = Value::Array(vec![previous, value]);
                repeated.insert(key.as_str());
            }
        }
    }
    Value::Object(members)
}

// ---------------------------------------------------------------------------------------------
// Implementation.

/// How deep values (and chains of nodes) are walked; deeper is reported or cut, never recursed into.
const MAX_DEPTH: usize = 64;
/// A node id no table has: looked up, it is [`Node::Any`].
const ANY: NodeId = NodeId::MAX;
/// Node visits allowed while trying the variants of unions without a discriminator: nested unions
/// would otherwise make validation exponential in the depth of the value.
const TRIAL_BUDGET: u64 = 1_000_000;
/// Node visits allowed to one synthesis (a table whose required members form a cycle).
const SYNTH_BUDGET: u32 = 100_000;
/// Synthesized strings, arrays and objects are not made longer than this, whatever the bounds say.
const MAX_SYNTH_LEN: u64 = 65_536;
const MAX_SYNTH_ITEMS: u64 = 4_096;
const BAD_PATTERN: &str = "cannot be checked: the server cannot compile the pattern";
const TOO_COMPLEX: &str = "is too complex to validate";

/// Standard base64, padding optional.
const LENIENT_BASE64: ::base64::engine::GeneralPurpose = ::base64::engine::GeneralPurpose::new(
    &::base64::alphabet::STANDARD,
    ::base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(::base64::engine::DecodePaddingMode::Indifferent),
);

impl Schema {
    /// The node at `id`; a missing one is `Any`.
    pub fn node(&self, id: NodeId) -> &'static Node {
        match self.nodes.get(id as usize) {
            Some(node) => node,
            None => &Node::Any,
        }
    }

    /// The node once `Nullable`/`Checked` are looked through, with the checks met on the way.
    pub fn resolve(&self, node: NodeId) -> (&'static Node, Vec<&'static Checks>) {
        let mut checks = Vec::new();
        let mut id = node;
        for _ in 0..=MAX_DEPTH {
            match self.node(id) {
                Node::Checked(inner, index) => {
                    if let Some(c) = self.checks.get(*index as usize) {
                        checks.push(c);
                    }
                    id = *inner;
                }
                Node::Nullable(inner) => id = *inner,
                other => return (other, checks),
            }
        }
        (&Node::Any, checks)
    }

    /// Whether member `name` of the object `node` holds raw bytes (`format: binary`, or a list of
    /// them): in a multipart body, a file part.
    pub fn binary_member(&self, node: NodeId, name: &str) -> bool {
        let Some(member) = member_node(self.container(node), name) else { return false };
        let target = match self.container(member) {
            Node::List(item) => *item,
            _ => member,
        };
        matches!(self.resolve(target).0, Node::String(StringFormat::Binary))
    }

    /// The array or object node a node stands for (looking through `Nullable`, `Checked` and to the
    /// first union variant that is one), or the scalar node it resolves to.
    pub fn container(&self, node: NodeId) -> &'static Node {
        let mut budget: u32 = 1_024;
        self.container_at(node, 0, &mut budget)
    }

    fn container_at(&self, node: NodeId, depth: usize, budget: &mut u32) -> &'static Node {
        if depth > MAX_DEPTH || *budget == 0 {
            return &Node::Any;
        }
        *budget -= 1;
        match self.node(node) {
            Node::Nullable(inner) | Node::Checked(inner, _) => self.container_at(*inner, depth + 1, budget),
            Node::Union(union) => {
                let mapped: &[(&str, NodeId)] = match union.discriminator {
                    Some((_, mapping)) => mapping,
                    None => &[],
                };
                let ids = union.variants.iter().copied().chain(mapped.iter().map(|(_, id)| *id));
                for id in ids {
                    let found = self.container_at(id, depth + 1, budget);
                    if matches!(found, Node::List(_) | Node::Tuple(_) | Node::Struct(_) | Node::Map(_) | Node::Object) {
                        return found;
                    }
                }
                &Node::Any
            }
            other => other,
        }
    }
}

// ---- validation --------------------------------------------------------------------------------

struct Walker<'s> {
    schema: &'s Schema,
    /// The pointer of the value being walked.
    pointer: String,
    /// How many union trials (walks that collect a failing variant's violations) are under way.
    trials: u32,
    /// Node visits made during trials.
    steps: u64,
    /// How many yes/no walks are under way: they stop at the first violation and skip the details.
    quick: u32,
    /// Whether a (node, value, depth) conforms, as found by yes/no walks. Values are keyed by address:
    /// the validated value is borrowed for the whole walk. This keeps nested unions without a
    /// discriminator linear on values that conform.
    known: ::std::collections::HashMap<(NodeId, usize, usize), bool>,
    /// The violations of a (node, value, depth) that does not conform, for the same reason (a value's
    /// pointer depends only on where it is, so they can be reused as they are).
    explained: ::std::collections::HashMap<(NodeId, usize, usize), Vec<Violation>>,
}

impl Walker<'_> {
    fn report(&self, out: &mut Vec<Violation>, reason: String) {
        out.push(Violation { pointer: self.pointer.clone(), reason });
    }

    fn report_at(&mut self, out: &mut Vec<Violation>, member: &str, reason: String) {
        let mark = self.enter(member);
        self.report(out, reason);
        self.pointer.truncate(mark);
    }

    fn enter(&mut self, member: &str) -> usize {
        let mark = self.pointer.len();
        push_segment(&mut self.pointer, member);
        mark
    }

    fn enter_index(&mut self, index: usize) -> usize {
        let mark = self.pointer.len();
        self.pointer.push('/');
        let _ = ::std::fmt::Write::write_fmt(&mut self.pointer, format_args!("{index}"));
        mark
    }

    /// In a yes/no walk, once something is wrong nothing more needs looking at.
    fn done(&self, out: &[Violation]) -> bool {
        self.quick > 0 && !out.is_empty()
    }

    /// Whether `value` conforms to `node`, memoized.
    fn conforms(&mut self, node: NodeId, value: &Value, depth: usize) -> bool {
        let key = (node, value as *const Value as usize, depth);
        if let Some(known) = self.known.get(&key) {
            return *known;
        }
        let mut found = Vec::new();
        self.quick += 1;
        self.walk(node, value, depth, &mut found);
        self.quick -= 1;
        let conforms = found.is_empty();
        self.known.insert(key, conforms);
        conforms
    }

    /// Every violation of `node` by `value`, memoized.
    fn violations(&mut self, node: NodeId, value: &Value, depth: usize) -> Vec<Violation> {
        let key = (node, value as *const Value as usize, depth);
        if let Some(found) = self.explained.get(&key) {
            return found.clone();
        }
        let mut found = Vec::new();
        self.trials += 1;
        self.walk(node, value, depth, &mut found);
        self.trials -= 1;
        self.explained.insert(key, found.clone());
        found
    }

    /// Array items (each with its node) at `/0`, `/1`, …, until the walk is done.
    fn walk_items<'v>(
        &mut self,
        items: impl Iterator<Item = (NodeId, &'v Value)>,
        depth: usize,
        out: &mut Vec<Violation>,
    ) {
        for (index, (node, value)) in items.enumerate() {
            if self.done(out) {
                break;
            }
            let mark = self.enter_index(index);
            self.walk(node, value, depth + 1, out);
            self.pointer.truncate(mark);
        }
    }

    fn walk(&mut self, node: NodeId, value: &Value, depth: usize, out: &mut Vec<Violation>) {
        if depth > MAX_DEPTH {
            self.report(out, "is nested too deeply".to_owned());
            return;
        }
        if self.trials > 0 && self.quick == 0 {
            self.steps += 1;
            if self.steps > TRIAL_BUDGET {
                self.report(out, TOO_COMPLEX.to_owned());
                return;
            }
        }
        // The check sets met on the way to the base node; almost always fewer than four, kept
        // off the heap (this runs for every value of every request).
        let mut few = [0u32; 4];
        let mut count = 0;
        let mut more: Vec<u32> = Vec::new();
        let mut id = node;
        let mut base: &Node = &Node::Any;
        for _ in 0..=MAX_DEPTH {
            match self.schema.node(id) {
                Node::Checked(inner, index) => {
                    if count < few.len() {
                        few[count] = *index;
                        count += 1;
                    } else {
                        more.push(*index);
                    }
                    id = *inner;
                }
                // `null` is what a nullable node allows besides its inner node.
                Node::Nullable(_) if value.is_null() => break,
                Node::Nullable(inner) => id = *inner,
                other => {
                    base = other;
                    break;
                }
            }
        }
        match base {
            Node::Any | Node::Nullable(_) | Node::Checked(..) => {}
            Node::Bool => {
                if !value.is_boolean() {
                    self.report(out, format!("must be a boolean, got {}", describe(value)));
                }
            }
            Node::Integer(kind) => self.integer(*kind, value, out),
            Node::Number => {
                if !value.is_number() {
                    self.report(out, format!("must be a number, got {}", describe(value)));
                }
            }
            Node::String(format) => self.string(*format, value, out),
            Node::Enum(allowed) => match value {
                Value::String(s) if allowed.contains(&s.as_str()) => {}
                _ => {
                    let list = backticked(allowed.iter().map(|a| (*a).to_owned()));
                    self.report(out, format!("must be one of {list}, got {}", describe(value)));
                }
            },
            Node::List(item) => match value {
                Value::Array(items) => self.walk_items(items.iter().map(|v| (*item, v)), depth, out),
                _ => self.report(out, format!("must be an array, got {}", describe(value))),
            },
            Node::Tuple(nodes) => match value {
                Value::Array(items) => {
                    if items.len() != nodes.len() {
                        let expected = plural(nodes.len() as u64, "item", "items");
                        self.report(out, format!("must have exactly {expected}, got {}", items.len()));
                    }
                    self.walk_items(nodes.iter().copied().zip(items), depth, out);
                }
                _ => self.report(out, format!("must be an array, got {}", describe(value))),
            },
            Node::Map(item) => match value {
                Value::Object(members) => {
                    for (name, member) in members {
                        if self.done(out) {
                            break;
                        }
                        let mark = self.enter(name);
                        self.walk(*item, member, depth + 1, out);
                        self.pointer.truncate(mark);
                    }
                }
                _ => self.report(out, format!("must be an object, got {}", describe(value))),
            },
            Node::Object => {
                if !value.is_object() {
                    self.report(out, format!("must be an object, got {}", describe(value)));
                }
            }
            Node::Struct(structure) => self.structure(structure, value, depth, out),
            Node::Union(union) => self.union(union, value, depth, out),
        }
        for index in few[..count].iter().chain(&more) {
            self.checks(*index, value, out);
        }
    }

    fn integer(&self, kind: IntKind, value: &Value, out: &mut Vec<Violation>) {
        let Value::Number(n) = value else {
            self.report(out, format!("must be an integer, got {}", describe(value)));
            return;
        };
        let Some(i) = integer_of(n) else {
            self.report(out, format!("must be an integer, got {}", describe(value)));
            return;
        };
        let (low, high) = int_range(kind);
        if i < low {
            self.report(out, format!("must be at least {low}, got {}", describe(value)));
        } else if i > high {
            self.report(out, format!("must be at most {high}, got {}", describe(value)));
        }
    }

    fn string(&self, format: StringFormat, value: &Value, out: &mut Vec<Violation>) {
        let Value::String(s) = value else {
            self.report(out, format!("must be a string, got {}", describe(value)));
            return;
        };
        let (ok, expected) = match format {
            StringFormat::Plain | StringFormat::Binary => (true, ""),
            StringFormat::DateTime => (is_date_time(s), "an RFC 3339 date-time like 2024-01-02T03:04:05Z"),
            StringFormat::Date => (is_date(s.as_bytes()), "a date like 2024-01-02"),
            StringFormat::Uuid => (is_uuid(s), "a UUID"),
            StringFormat::Base64 => (::base64::Engine::decode(&LENIENT_BASE64, s).is_ok(), "base64"),
        };
        if !ok {
            self.report(out, format!("must be {expected}, got {}", describe(value)));
        }
    }

    fn structure(&mut self, structure: &Struct, value: &Value, depth: usize, out: &mut Vec<Violation>) {
        let Value::Object(members) = value else {
            self.report(out, format!("must be an object, got {}", describe(value)));
            return;
        };
        for field in structure.fields {
            if self.done(out) {
                return;
            }
            match members.get(field.name) {
                None if field.required => self.report_at(out, field.name, "is required".to_owned()),
                None => {}
                Some(Value::Null) if field.nullable => {}
                Some(member) => {
                    let mark = self.enter(field.name);
                    self.walk(field.node, member, depth + 1, out);
                    self.pointer.truncate(mark);
                }
            }
        }
        let known = |name: &str| structure.fields.iter().any(|field| field.name == name);
        match structure.additional {
            Additional::Ignore => {}
            Additional::Deny => {
                for name in members.keys().filter(|name| !known(name)) {
                    self.report_at(out, name, "is not allowed here (additionalProperties: false)".to_owned());
                }
            }
            Additional::Map(node) => {
                for (name, member) in members.iter().filter(|(name, _)| !known(name)) {
                    if self.done(out) {
                        break;
                    }
                    let mark = self.enter(name);
                    self.walk(node, member, depth + 1, out);
                    self.pointer.truncate(mark);
                }
            }
        }
    }

    fn union(&mut self, union: &Union, value: &Value, depth: usize, out: &mut Vec<Violation>) {
        if let Some((property, mapping)) = union.discriminator {
            let members = match value {
                Value::Object(members) => Some(members),
                // A value that is no object has no tag: the listed variants decide (GitHub's
                // contents union maps `array` to a variant that is a list).
                _ if !union.variants.is_empty() => None,
                _ => {
                    self.report(out, format!("must be an object, got {}", describe(value)));
                    return;
                }
            };
            match members.and_then(|members| members.get(property)) {
                // Without its discriminator an object is checked against the listed variants, as
                // `oneOf` alone would be: GitHub's `user_view_type` is optional in both user
                // schemas, and its own examples leave it out. Each variant that requires the
                // property still says so.
                None if !union.variants.is_empty() => {}
                None => {
                    self.report_at(out, property, "is required".to_owned());
                    return;
                }
                Some(Value::String(tag)) => {
                    match mapping.iter().find(|(known, _)| *known == tag.as_str()) {
                        Some((_, target)) => self.walk(*target, value, depth + 1, out),
                        None => {
                            let tags = backticked(mapping.iter().map(|(known, _)| (*known).to_owned()));
                            let got = describe(&Value::String(tag.clone()));
                            self.report_at(out, property, format!("must be one of {tags}, got {got}"));
                        }
                    }
                    return;
                }
                Some(other) => {
                    self.report_at(out, property, format!("must be a string, got {}", describe(other)));
                    return;
                }
            }
        }
        if union.variants.is_empty() {
            return;
        }
        for variant in union.variants {
            if self.conforms(*variant, value, depth + 1) {
                return;
            }
        }
        let alternatives = plural(union.variants.len() as u64, "alternative", "alternatives");
        self.report(out, format!("does not match any of the {alternatives}"));
        if self.quick > 0 {
            return;
        }
        // Nothing matches: show the violations of the closest variant.
        let mut best: Option<Vec<Violation>> = None;
        for variant in union.variants {
            let found = self.violations(*variant, value, depth + 1);
            let better = match &best {
                Some(best) => found.len() < best.len(),
                None => true,
            };
            if better {
                best = Some(found);
            }
        }
        out.extend(best.unwrap_or_default());
    }

    fn checks(&self, index: u32, value: &Value, out: &mut Vec<Violation>) {
        let Some(checks) = self.schema.checks.get(index as usize) else {
            return;
        };
        match value {
            Value::String(s) => {
                if checks.min_length.is_some() || checks.max_length.is_some() {
                    let length = s.chars().count() as u64;
                    if let Some(min) = checks.min_length.filter(|min| length < *min) {
                        let min = plural(min, "character", "characters");
                        self.report(out, format!("must be at least {min} long, got {length}"));
                    }
                    if let Some(max) = checks.max_length.filter(|max| length > *max) {
                        let max = plural(max, "character", "characters");
                        self.report(out, format!("must be at most {max} long, got {length}"));
                    }
                }
                if let Some(pattern) = checks.pattern.and_then(|i| self.schema.patterns.get(i as usize)) {
                    match pattern
                        .compiled
                        .get_or_init(|| ::regress::Regex::with_flags(pattern.source, pattern.flags).ok())
                    {
                        Some(regex) => {
                            if regex.find(s).is_none() {
                                let got = describe(value);
                                self.report(out, format!("must match the pattern `{}`, got {got}", pattern.source));
                            }
                        }
                        None => self.report(out, format!("{BAD_PATTERN} `{}`", pattern.source)),
                    }
                }
            }
            Value::Number(n) => {
                if let Some((bound, exclusive)) = checks.minimum {
                    match (compare(n, bound), exclusive) {
                        (Some(::std::cmp::Ordering::Less), false) => {
                            self.report(out, format!("must be at least {bound}, got {n}"));
                        }
                        (Some(::std::cmp::Ordering::Less | ::std::cmp::Ordering::Equal), true) => {
                            self.report(out, format!("must be greater than {bound}, got {n}"));
                        }
                        _ => {}
                    }
                }
                if let Some((bound, exclusive)) = checks.maximum {
                    match (compare(n, bound), exclusive) {
                        (Some(::std::cmp::Ordering::Greater), false) => {
                            self.report(out, format!("must be at most {bound}, got {n}"));
                        }
                        (Some(::std::cmp::Ordering::Greater | ::std::cmp::Ordering::Equal), true) => {
                            self.report(out, format!("must be less than {bound}, got {n}"));
                        }
                        _ => {}
                    }
                }
                if let Some(m) = checks.multiple_of.filter(|m| *m > 0.0 && m.is_finite() && !is_multiple(n, *m)) {
                    self.report(out, format!("must be a multiple of {m}, got {n}"));
                }
            }
            Value::Array(items) => {
                let count = items.len() as u64;
                if let Some(min) = checks.min_items.filter(|min| count < *min) {
                    self.report(out, format!("must have at least {}, got {count}", plural(min, "item", "items")));
                }
                if let Some(max) = checks.max_items.filter(|max| count > *max) {
                    self.report(out, format!("must have at most {}, got {count}", plural(max, "item", "items")));
                }
                if checks.unique_items && items.len() <= 8 {
                    // Few items: compare pairs of plain strings directly, no canonical keys.
                    'pairs: for (index, item) in items.iter().enumerate() {
                        for (first, earlier) in items[..index].iter().enumerate() {
                            let same = match (earlier, item) {
                                (Value::String(a), Value::String(b)) => a == b,
                                (a, b) => canonical(a).is_some_and(|a| canonical(b).is_some_and(|b| a == b)),
                            };
                            if same {
                                self.report(
                                    out,
                                    format!("must not contain duplicate items (items {first} and {index} are equal)"),
                                );
                                break 'pairs;
                            }
                        }
                    }
                } else if checks.unique_items {
                    let mut seen: ::std::collections::HashMap<String, usize> = ::std::collections::HashMap::new();
                    for (index, item) in items.iter().enumerate() {
                        let Some(key) = canonical(item) else {
                            continue;
                        };
                        if let Some(first) = seen.get(&key) {
                            self.report(
                                out,
                                format!("must not contain duplicate items (items {first} and {index} are equal)"),
                            );
                            break;
                        }
                        seen.insert(key, index);
                    }
                }
            }
            Value::Object(members) => {
                let count = members.len() as u64;
                if let Some(min) = checks.min_properties.filter(|min| count < *min) {
                    let min = plural(min, "property", "properties");
                    self.report(out, format!("must have at least {min}, got {count}"));
                }
                if let Some(max) = checks.max_properties.filter(|max| count > *max) {
                    let max = plural(max, "property", "properties");
                    self.report(out, format!("must have at most {max}, got {count}"));
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
        if let Some(allowed) = checks.allowed.and_then(allowed_values) {
            let key = canonical(value);
            let found = key.is_some() && allowed.iter().any(|candidate| canonical(candidate) == key);
            if !found {
                let list = backticked(allowed.iter().map(|candidate| candidate.to_string()));
                self.report(out, format!("must be one of {list}, got {}", describe(value)));
            }
        }
    }
}

/// Appends `/member` to a JSON pointer, escaped as RFC 6901 says.
fn push_segment(pointer: &mut String, member: &str) {
    pointer.push('/');
    for c in member.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// A value as a message shows it: short scalars as JSON, the rest by kind.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => {
            let text = n.to_string();
            if text.len() <= 40 { text } else { "a number".to_owned() }
        }
        Value::String(s) => {
            let length = s.chars().count();
            if length <= 40 { value.to_string() } else { format!("a string of {length} characters") }
        }
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// `` `a`, `b`, `c` ``, cut after twenty.
fn backticked(items: impl IntoIterator<Item = String>) -> String {
    let mut out = String::new();
    for (index, item) in items.into_iter().enumerate() {
        if index == 20 {
            out.push_str(", ...");
            break;
        }
        if index > 0 {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(&item);
        out.push('`');
    }
    out
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn allowed_values(text: &str) -> Option<Vec<Value>> {
    match ::serde_json::from_str::<Value>(text) {
        Ok(Value::Array(values)) => Some(values),
        _ => None,
    }
}

fn int_range(kind: IntKind) -> (i128, i128) {
    match kind {
        IntKind::I8 => (i128::from(i8::MIN), i128::from(i8::MAX)),
        IntKind::I16 => (i128::from(i16::MIN), i128::from(i16::MAX)),
        IntKind::I32 => (i128::from(i32::MIN), i128::from(i32::MAX)),
        IntKind::I64 => (i128::from(i64::MIN), i128::from(i64::MAX)),
        IntKind::U8 => (0, i128::from(u8::MAX)),
        IntKind::U16 => (0, i128::from(u16::MAX)),
        IntKind::U32 => (0, i128::from(u32::MAX)),
        IntKind::U64 => (0, i128::from(u64::MAX)),
    }
}

/// The number exactly, when JSON wrote it as an integer that fits 64 bits.
fn exact_integer(n: &::serde_json::Number) -> Option<i128> {
    n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from))
}

/// The number as an integer, when it is one (`3.0` is); huge values saturate.
fn integer_of(n: &::serde_json::Number) -> Option<i128> {
    if let Some(i) = exact_integer(n) {
        return Some(i);
    }
    let f = n.as_f64()?;
    if f.is_finite() && f.fract() == 0.0 { Some(f as i128) } else { None }
}

/// How a number compares with a bound; integers are compared exactly with integral bounds.
fn compare(n: &::serde_json::Number, bound: f64) -> Option<::std::cmp::Ordering> {
    if bound.is_nan() {
        return None;
    }
    match exact_integer(n) {
        Some(i) if bound.is_finite() && bound.fract() == 0.0 => Some(i.cmp(&(bound as i128))),
        Some(i) => (i as f64).partial_cmp(&bound),
        None => n.as_f64()?.partial_cmp(&bound),
    }
}

fn is_multiple(n: &::serde_json::Number, m: f64) -> bool {
    match exact_integer(n) {
        Some(i) => integer_is_multiple(i, m),
        None => n.as_f64().is_none_or(|v| float_is_multiple(v, m)),
    }
}

fn integer_is_multiple(i: i128, m: f64) -> bool {
    if m.fract() == 0.0 && (1.0..9.0e18).contains(&m) {
        return i % (m as i128) == 0;
    }
    float_is_multiple(i as f64, m)
}

/// `v / m` is an integer, give or take float error (1e-9, or a few ulps of large quotients).
fn float_is_multiple(v: f64, m: f64) -> bool {
    let quotient = v / m;
    if !quotient.is_finite() {
        return true;
    }
    let tolerance = f64::max(1e-9, quotient.abs() * 8.0 * f64::EPSILON);
    (quotient - quotient.round()).abs() <= tolerance
}

/// A text equal for JSON-equal values (numbers compared by value, members in any order); `None`
/// past the depth limit.
fn canonical(value: &Value) -> Option<String> {
    let mut out = String::new();
    if canonical_into(value, 0, &mut out) { Some(out) } else { None }
}

fn canonical_into(value: &Value, depth: usize, out: &mut String) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match value {
        Value::Null => out.push('n'),
        Value::Bool(b) => out.push(if *b { 't' } else { 'f' }),
        Value::Number(n) => {
            out.push('#');
            out.push_str(&number_key(n));
            out.push(';');
        }
        Value::String(s) => push_counted(out, s),
        Value::Array(items) => {
            out.push('[');
            for item in items {
                if !canonical_into(item, depth + 1, out) {
                    return false;
                }
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (name, member) in sorted {
                push_counted(out, name);
                if !canonical_into(member, depth + 1, out) {
                    return false;
                }
            }
            out.push('}');
        }
    }
    true
}

fn push_counted(out: &mut String, s: &str) {
    out.push('s');
    out.push_str(&s.len().to_string());
    out.push(':');
    out.push_str(s);
}

fn number_key(n: &::serde_json::Number) -> String {
    if let Some(i) = exact_integer(n) {
        return i.to_string();
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1.0e38 => (f as i128).to_string(),
        Some(f) => format!("{f:?}"),
        None => n.to_string(),
    }
}

/// Up to four ASCII digits as a number.
fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 4 {
        return None;
    }
    let mut n = 0;
    for b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(b - b'0');
    }
    Some(n)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        _ => 0,
    }
}

/// RFC 3339 `full-date`.
fn is_date(b: &[u8]) -> bool {
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return false;
    }
    let year = b.get(0..4).and_then(digits);
    let month = b.get(5..7).and_then(digits);
    let day = b.get(8..10).and_then(digits);
    match (year, month, day) {
        (Some(year), Some(month), Some(day)) => {
            (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
        }
        _ => false,
    }
}

/// RFC 3339 `date-time` (`T` and `Z` in either case).
fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    if !b.get(..10).is_some_and(is_date) || !matches!(b.get(10), Some(b'T' | b't')) {
        return false;
    }
    let Some(offset) = b.get(11..).and_then(partial_time) else {
        return false;
    };
    match offset {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h0, h1, b':', m0, m1] => {
            matches!((digits(&[*h0, *h1]), digits(&[*m0, *m1])), (Some(h), Some(m)) if h <= 23 && m <= 59)
        }
        _ => false,
    }
}

/// `HH:MM:SS[.frac]` at the start of `b`; what follows it.
fn partial_time(b: &[u8]) -> Option<&[u8]> {
    let [h0, h1, b':', m0, m1, b':', s0, s1] = b.get(..8)? else {
        return None;
    };
    let (hour, minute, second) = (digits(&[*h0, *h1])?, digits(&[*m0, *m1])?, digits(&[*s0, *s1])?);
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let rest = b.get(8..)?;
    match rest.split_first() {
        Some((b'.', fraction)) => {
            let count = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
            if count == 0 { None } else { fraction.get(count..) }
        }
        _ => Some(rest),
    }
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(
            |(i, c)| {
                if matches!(i, 8 | 13 | 18 | 23) { c == b'-' } else { c.is_ascii_hexdigit() }
            },
        )
}

// ---- coercion ----------------------------------------------------------------------------------

fn text(raw: &str) -> Value {
    Value::String(raw.to_owned())
}

fn json_bool(raw: &str) -> Option<Value> {
    match raw {
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        _ => None,
    }
}

/// The text as a number when it is exactly a JSON number (no sign `+`, spaces or leading zeros).
fn json_number(raw: &str) -> Option<::serde_json::Number> {
    if !is_json_number(raw.as_bytes()) {
        return None;
    }
    ::serde_json::from_str(raw).ok()
}

fn is_json_number(b: &[u8]) -> bool {
    let b = b.strip_prefix(b"-").unwrap_or(b);
    let integral = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if integral == 0 || (integral > 1 && b.first() == Some(&b'0')) {
        return false;
    }
    let Some(mut rest) = b.get(integral..) else {
        return false;
    };
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        match fraction.get(count..) {
            Some(after) if count > 0 => rest = after,
            _ => return false,
        }
    }
    if let Some(exponent) = rest.strip_prefix(b"e").or_else(|| rest.strip_prefix(b"E")) {
        let exponent = exponent.strip_prefix(b"+").or_else(|| exponent.strip_prefix(b"-")).unwrap_or(exponent);
        let count = exponent.iter().take_while(|c| c.is_ascii_digit()).count();
        match exponent.get(count..) {
            Some(after) if count > 0 => rest = after,
            _ => return false,
        }
    }
    rest.is_empty()
}

/// Text for a node that takes anything: a number, a boolean, else the string (`null` stays one).
fn coerce_any(raw: &str) -> Value {
    json_number(raw).map(Value::Number).or_else(|| json_bool(raw)).unwrap_or_else(|| text(raw))
}

// ---- parameters --------------------------------------------------------------------------------

/// The node of item `index` of an array node.
fn item_node(container: &Node, index: usize) -> NodeId {
    match container {
        Node::List(item) => *item,
        Node::Tuple(items) => items.get(index).copied().unwrap_or(ANY),
        _ => ANY,
    }
}

/// The node of member `name` of an object node; `None` for members kept as strings.
fn member_node(container: &Node, name: &str) -> Option<NodeId> {
    match container {
        Node::Struct(structure) => match structure.fields.iter().find(|field| field.name == name) {
            Some(field) => Some(field.node),
            None => match structure.additional {
                Additional::Map(node) => Some(node),
                Additional::Ignore | Additional::Deny => None,
            },
        },
        Node::Map(node) => Some(*node),
        _ => None,
    }
}

fn coerce_member(schema: &Schema, member: Option<NodeId>, raw: &str) -> Value {
    match member {
        Some(node) => schema.coerce(node, raw),
        None => text(raw),
    }
}

/// A form body's or exploded query object's member: objects may come as JSON text.
fn form_value(schema: &Schema, member: Option<NodeId>, shape: Shape, raw: &str) -> Value {
    match (member, shape) {
        (Some(_), Shape::Object) => match ::serde_json::from_str::<Value>(raw) {
            Ok(value @ Value::Object(_)) => value,
            _ => text(raw),
        },
        (member, _) => coerce_member(schema, member, raw),
    }
}

/// The parts of a delimited list; an empty text is an empty list.
fn split_list(raw: &str, separator: char) -> Vec<&str> {
    if raw.is_empty() { Vec::new() } else { raw.split(separator).collect() }
}

fn array_of(schema: &Schema, node: NodeId, parts: &[&str]) -> Value {
    let container = schema.container(node);
    Value::Array(
        parts.iter().enumerate().map(|(index, part)| schema.coerce(item_node(container, index), part)).collect(),
    )
}

/// `k,v,k2,v2`.
fn object_of_pairs(schema: &Schema, node: NodeId, parts: &[&str]) -> Result<Value, String> {
    if !parts.len().is_multiple_of(2) {
        return Err(format!("expected alternating keys and values, got {} items", parts.len()));
    }
    let container = schema.container(node);
    let mut members = Map::new();
    for pair in parts.chunks(2) {
        if let [name, raw] = pair {
            members.insert((*name).to_owned(), coerce_member(schema, member_node(container, name), raw));
        }
    }
    Ok(Value::Object(members))
}

/// `k=v` parts.
fn object_of_assignments(schema: &Schema, node: NodeId, parts: &[&str]) -> Result<Value, String> {
    let container = schema.container(node);
    let mut members = Map::new();
    for part in parts {
        let (name, raw) = part.split_once('=').ok_or_else(|| format!("expected `key=value`, got `{part}`"))?;
        members.insert(name.to_owned(), coerce_member(schema, member_node(container, name), raw));
    }
    Ok(Value::Object(members))
}

/// Scalar, list or object, from text split at `separator`; exploded objects are `k=v` parts.
fn split_value(
    schema: &Schema,
    node: NodeId,
    shape: Shape,
    raw: &str,
    separator: char,
    explode: bool,
) -> Result<Value, String> {
    let parts = || split_list(raw, separator);
    match shape {
        Shape::Scalar => Ok(schema.coerce(node, raw)),
        Shape::Array => Ok(array_of(schema, node, &parts())),
        Shape::Object if explode => object_of_assignments(schema, node, &parts()),
        Shape::Object => object_of_pairs(schema, node, &parts()),
    }
}

/// A parameter whose schema is a union of a scalar and an array or object (GitHub's `has`: one
/// string, or a list of enum values) is read by the shape of its union's first container
/// variant, which would turn `has=pb_W` into `["pb_W"]` and fail the string variant. Given one
/// value in the simple or form style, the scalar reading, when the schema accepts it, with
/// whether the text is ambiguous: not exploded with a comma in it (`1,2` is a list or a string).
fn scalar_reading(schema: &Schema, spec: &ParamSpec, shape: Shape, raw: Option<&str>) -> Option<(Value, bool)> {
    let raw = raw?;
    if spec.json || shape == Shape::Scalar || !matches!(spec.style, Style::Simple | Style::Form) {
        return None;
    }
    if !schema.admits_scalar(spec.node) {
        return None;
    }
    let value = schema.coerce(spec.node, raw);
    let fits = !value.is_array() && !value.is_object() && schema.validate(spec.node, &value).is_empty();
    let ambiguous = !spec.explode && raw.contains(',');
    fits.then_some((value, ambiguous))
}

/// Of an ambiguous parameter's two readings, the container one when the schema accepts it.
fn prefer_fitting(schema: &Schema, spec: &ParamSpec, container: Option<Value>, scalar: Value) -> Value {
    match container {
        Some(value) if schema.validate(spec.node, &value).is_empty() => value,
        _ => scalar,
    }
}

/// `;name=v`, `;name=a,b` / `;name=a;name=b`, `;name=k,v` / `;k=v;k2=v2`.
fn parse_matrix(schema: &Schema, spec: &ParamSpec, shape: Shape, raw: &str) -> Result<Value, String> {
    let name = spec.name;
    let expected = || format!("expected a matrix value like `;{name}=...`");
    let rest = raw.strip_prefix(';').ok_or_else(expected)?;
    match shape {
        Shape::Array if spec.explode => {
            if rest == name {
                return Ok(Value::Array(Vec::new()));
            }
            let mut items = Vec::new();
            for segment in rest.split(';') {
                let item = match segment.strip_prefix(name) {
                    Some("") => "",
                    Some(after) => after.strip_prefix('=').ok_or_else(expected)?,
                    None => return Err(expected()),
                };
                items.push(item);
            }
            Ok(array_of(schema, spec.node, &items))
        }
        Shape::Object if spec.explode => object_of_assignments(schema, spec.node, &split_list(rest, ';')),
        _ => {
            let after = rest.strip_prefix(name).ok_or_else(expected)?;
            let value = if after.is_empty() { "" } else { after.strip_prefix('=').ok_or_else(expected)? };
            split_value(schema, spec.node, shape, value, ',', false)
        }
    }
}

/// An exploded form object: a struct's members are the keys named like its fields. Maps and free-form
/// objects cannot tell their keys from other parameters', so they take every pair of the query
/// (a documented limitation: declare such parameters with `deepObject` or JSON content instead).
fn exploded_object(schema: &Schema, node: NodeId, pairs: &[(String, String)]) -> Option<Value> {
    match schema.container(node) {
        Node::Struct(structure) => {
            let mut members = Map::new();
            for field in structure.fields {
                let values: Vec<&str> =
                    pairs.iter().filter(|(key, _)| key == field.name).map(|(_, value)| value.as_str()).collect();
                let Some(first) = values.first() else {
                    continue;
                };
                let value = match schema.shape(field.node) {
                    Shape::Array => array_of(schema, field.node, &values),
                    shape => form_value(schema, Some(field.node), shape, first),
                };
                members.insert(field.name.to_owned(), value);
            }
            if members.is_empty() { None } else { Some(Value::Object(members)) }
        }
        _ if pairs.is_empty() => None,
        _ => Some(parse_form(schema, node, pairs)),
    }
}

/// `name[role]=admin&name[address][city]=Paris&name[tags][]=a`.
fn parse_deep_object(schema: &Schema, spec: &ParamSpec, pairs: &[(String, String)]) -> Result<Option<Value>, String> {
    let mut root = Map::new();
    let mut found = false;
    for (key, raw) in pairs {
        let Some(rest) = key.strip_prefix(spec.name).and_then(|rest| rest.strip_prefix('[')) else {
            continue;
        };
        let path =
            bracket_path(rest).ok_or_else(|| format!("`{key}` is not a deepObject key like `{}[name]`", spec.name))?;
        if path.len() > MAX_DEPTH {
            return Err(format!("`{}[...]` is nested too deeply", spec.name));
        }
        found = true;
        insert_deep(schema, spec.node, &mut root, &path, raw)?;
    }
    Ok(if found { Some(Value::Object(root)) } else { None })
}

/// `a][b]` (after the first `[`) as `["a", "b"]`.
fn bracket_path(rest: &str) -> Option<Vec<&str>> {
    let mut path = Vec::new();
    let mut rest = rest;
    loop {
        let (segment, after) = rest.split_once(']')?;
        path.push(segment);
        if after.is_empty() {
            return Some(path);
        }
        rest = after.strip_prefix('[')?;
    }
}

fn insert_deep(
    schema: &Schema,
    node: NodeId,
    members: &mut Map<String, Value>,
    path: &[&str],
    raw: &str,
) -> Result<(), String> {
    let Some((name, rest)) = path.split_first() else {
        return Ok(());
    };
    let member = member_node(schema.container(node), name);
    let is_list = member.is_some_and(|m| schema.shape(m) == Shape::Array);
    match rest {
        // `name[tags][]=a` always appends; `name[tags]=a` does when `tags` is an array.
        [""] | [] if is_list || !rest.is_empty() => {
            let entry = members.entry(*name).or_insert_with(|| Value::Array(Vec::new()));
            let Value::Array(items) = entry else {
                return Err(format!("`{name}` is given both as a value and as an array"));
            };
            let value = match member {
                Some(list) => schema.coerce(item_node(schema.container(list), items.len()), raw),
                None => text(raw),
            };
            items.push(value);
            Ok(())
        }
        [] => {
            // A repeated key: the first value wins, as for scalar parameters.
            if !members.contains_key(*name) {
                members.insert((*name).to_owned(), coerce_member(schema, member, raw));
            }
            Ok(())
        }
        _ => {
            let entry = members.entry(*name).or_insert_with(|| Value::Object(Map::new()));
            let Value::Object(inner) = entry else {
                return Err(format!("`{name}` is given both as a value and as an object"));
            };
            insert_deep(schema, member.unwrap_or(ANY), inner, rest, raw)
        }
    }
}

// ---- synthesis ---------------------------------------------------------------------------------

struct Synth<'s> {
    schema: &'s Schema,
    /// Node visits left.
    budget: u32,
    /// The nodes being synthesized: a nullable member that recurses into one of them is `null`.
    stack: Vec<NodeId>,
    /// Whether optional properties are set too.
    optional: bool,
    /// Per union (by address): the variant chosen, or `None` while it is being chosen (a union
    /// met again inside its own variants takes its first one, so choosing stays linear).
    chosen: ::std::collections::HashMap<usize, Option<usize>>,
}

impl Synth<'_> {
    fn value(&mut self, node: NodeId, depth: usize) -> Value {
        if depth > MAX_DEPTH || self.budget == 0 {
            return Value::Null;
        }
        if matches!(self.schema.node(node), Node::Nullable(inner) if self.stack.contains(inner)) {
            return Value::Null;
        }
        self.budget -= 1;
        self.stack.push(node);
        let value = self.fresh(node, depth);
        self.stack.pop();
        value
    }

    fn fresh(&mut self, node: NodeId, depth: usize) -> Value {
        let (base, checks) = self.schema.resolve(node);
        if let Some(first) = checks.iter().find_map(|c| first_allowed(c)) {
            return first;
        }
        match base {
            // Free-form data: an empty object, not `null`, which a required member could not be
            // (and a form body or a parameter cannot carry at all).
            Node::Any => Value::Object(Map::new()),
            Node::Nullable(_) | Node::Checked(..) => Value::Null,
            Node::Bool => Value::Bool(false),
            Node::Integer(kind) => integer_value(synth_integer(*kind, &checks)),
            Node::Number => synth_number(&checks),
            Node::String(format) => self.string(node, *format, &checks),
            Node::Enum(values) => Value::String(values.first().map_or_else(String::new, |v| (*v).to_owned())),
            Node::List(item) => self.list(*item, &checks, depth),
            Node::Tuple(items) => Value::Array(items.iter().map(|item| self.value(*item, depth + 1)).collect()),
            Node::Map(item) => {
                let count = min_properties(&checks);
                Value::Object((1..=count).map(|i| (format!("key{i}"), self.value(*item, depth + 1))).collect())
            }
            Node::Object => {
                Value::Object((1..=min_properties(&checks)).map(|i| (format!("key{i}"), Value::Null)).collect())
            }
            Node::Struct(structure) => self.structure(structure, &checks, depth),
            Node::Union(union) => self.union(union, depth),
        }
    }

    fn structure(&mut self, structure: &Struct, checks: &[&Checks], depth: usize) -> Value {
        let mut members = Map::new();
        for field in structure.fields.iter().filter(|field| field.required) {
            let recursive = field.nullable && self.stack.contains(&field.node);
            let value = if recursive { Value::Null } else { self.value(field.node, depth + 1) };
            members.insert(field.name.to_owned(), value);
        }
        let wanted = min_properties(checks);
        for field in structure.fields.iter().filter(|field| !field.required) {
            if self.optional {
                if self.stack.contains(&field.node) {
                    continue;
                }
            } else if members.len() >= wanted {
                break;
            }
            let value = self.value(field.node, depth + 1);
            members.insert(field.name.to_owned(), value);
        }
        let mut index = 0;
        while members.len() < wanted && index < wanted + structure.fields.len() {
            index += 1;
            let name = format!("key{index}");
            if members.contains_key(&name) {
                continue;
            }
            let value = match structure.additional {
                Additional::Deny => break,
                Additional::Ignore => Value::Null,
                Additional::Map(node) => self.value(node, depth + 1),
            };
            members.insert(name, value);
        }
        Value::Object(members)
    }

    /// The first variant whose value its own schema accepts, else the first variant's value. A
    /// variant can admit no value: Azure's bases declare their tag property as an enum of their
    /// subtypes' tags, so the base's own tag never fits it. Each union is decided once per run.
    fn union(&mut self, union: &'static Union, depth: usize) -> Value {
        let key = union as *const Union as usize;
        let count = match union.discriminator {
            Some((_, mapping)) if !mapping.is_empty() => mapping.len(),
            _ => union.variants.len(),
        };
        match self.chosen.get(&key).copied() {
            Some(choice) => return self.variant(union, choice.unwrap_or(0), depth).0,
            None => self.chosen.insert(key, None),
        };
        let mut first = None;
        for index in 0..count {
            let (value, node) = self.variant(union, index, depth);
            if node.is_some_and(|node| self.schema.validate(node, &value).is_empty()) {
                self.chosen.insert(key, Some(index));
                return value;
            }
            first.get_or_insert(value);
            if self.budget == 0 {
                break;
            }
        }
        self.chosen.insert(key, Some(0));
        first.unwrap_or(Value::Null)
    }

    /// Variant `index` of `union` (by discriminator tag when it has one), and its node.
    fn variant(&mut self, union: &Union, index: usize, depth: usize) -> (Value, Option<NodeId>) {
        if let Some((property, mapping)) = union.discriminator.filter(|(_, mapping)| !mapping.is_empty()) {
            let Some((tag, target)) = mapping.get(index) else { return (Value::Null, None) };
            let mut value = self.value(*target, depth + 1);
            if let Value::Object(members) = &mut value {
                members.insert(property.to_owned(), Value::String((*tag).to_owned()));
            }
            return (value, Some(*target));
        }
        match union.variants.get(index) {
            Some(variant) => (self.value(*variant, depth + 1), Some(*variant)),
            None => (Value::Null, None),
        }
    }

    fn string(&self, node: NodeId, format: StringFormat, checks: &[&Checks]) -> Value {
        let base = match format {
            StringFormat::Plain | StringFormat::Binary => "string",
            StringFormat::DateTime => "2024-01-01T00:00:00Z",
            StringFormat::Date => "2024-01-01",
            StringFormat::Uuid => "00000000-0000-4000-8000-000000000000",
            StringFormat::Base64 => "AAAA",
        };
        let min = checks.iter().filter_map(|c| c.min_length).max().unwrap_or(0).min(MAX_SYNTH_LEN) as usize;
        let max = checks.iter().filter_map(|c| c.max_length).min().map(|max| max.min(MAX_SYNTH_LEN) as usize);
        let plain = cycle_to(base, min, max);
        if !checks.iter().any(|c| c.pattern.is_some()) {
            return Value::String(plain);
        }
        let conforms = |s: &str| self.schema.validate(node, &Value::String(s.to_owned())).is_empty();
        for candidate in string_candidates(self.schema, base, checks) {
            for fitted in [cycle_to(&candidate, min, max), repeat_last_to(&candidate, min, max)] {
                if conforms(&fitted) {
                    return Value::String(fitted);
                }
            }
        }
        Value::String(plain)
    }

    fn list(&mut self, item: NodeId, checks: &[&Checks], depth: usize) -> Value {
        // Near the root, one item even when none is required: a mock's list should show data
        // (two for an example request: a one-item list reads like a scalar in forms, multipart
        // and exploded queries). Deeper down, only what is required, so recursive schemas stay small.
        let floor = match (depth < 3, self.optional) {
            (true, true) => 2,
            (true, false) => 1,
            (false, _) => 0,
        };
        let max = checks.iter().filter_map(|c| c.max_items).min().unwrap_or(u64::MAX);
        let min = checks.iter().filter_map(|c| c.min_items).max().unwrap_or(0);
        let count = min.max(floor.min(max)).min(MAX_SYNTH_ITEMS) as usize;
        if count == 0 {
            return Value::Array(Vec::new());
        }
        let first = self.value(item, depth + 1);
        if count == 1 || !checks.iter().any(|c| c.unique_items) {
            return Value::Array(vec![first; count]);
        }
        let mut items: Vec<Value> = Vec::new();
        let mut seen: ::std::collections::HashSet<String> = ::std::collections::HashSet::new();
        for k in 0..count * 4 + 16 {
            if items.len() == count {
                break;
            }
            for candidate in self.variants(item, &first, k, 0) {
                let key = canonical(&candidate);
                if key.as_ref().is_some_and(|key| seen.contains(key)) {
                    continue;
                }
                if k == 0 || self.schema.validate(item, &candidate).is_empty() {
                    seen.extend(key);
                    items.push(candidate);
                    break;
                }
            }
        }
        // Not enough distinct values: the count matters more.
        while items.len() < count {
            items.push(first.clone());
        }
        Value::Array(items)
    }

    /// Values like `base` (the synthesized value of `node`) but different for each `k`, to fill
    /// unique arrays; may not satisfy the node (callers validate).
    fn variants(&self, node: NodeId, base: &Value, k: usize, depth: usize) -> Vec<Value> {
        if k == 0 {
            return vec![base.clone()];
        }
        if depth > MAX_DEPTH {
            return Vec::new();
        }
        let (resolved, checks) = self.schema.resolve(node);
        if let Some(allowed) = checks.iter().find_map(|c| c.allowed.and_then(allowed_values)) {
            return allowed.into_iter().nth(k).into_iter().collect();
        }
        let step = checks.iter().find_map(|c| c.multiple_of).filter(|m| *m > 0.0 && m.is_finite());
        match (resolved, base) {
            (Node::Enum(values), _) => values.get(k).map(|v| Value::String((*v).to_owned())).into_iter().collect(),
            (Node::Bool, _) if k == 1 => vec![Value::Bool(true)],
            (Node::Integer(_), Value::Number(n)) => {
                let step = step.filter(|m| m.fract() == 0.0 && *m < 9.0e18).map_or(1, |m| m as i128);
                let candidate = exact_integer(n).map(|i| i.saturating_add(offset(k).saturating_mul(step)));
                candidate.map(integer_value).into_iter().collect()
            }
            (Node::Number, Value::Number(n)) => {
                // Without a multiple to step by, try finer steps too, for narrow bounds.
                let steps = match step {
                    Some(step) => vec![step],
                    None => vec![1.0, 0.1, 0.01],
                };
                let Some(v) = n.as_f64() else {
                    return Vec::new();
                };
                steps.into_iter().map(|step| number_value(v + offset(k) as f64 * step)).collect()
            }
            (Node::String(StringFormat::Date), _) => vec![Value::String(date_after(k))],
            (Node::String(StringFormat::DateTime), _) => vec![Value::String(format!("{}T00:00:00Z", date_after(k)))],
            (Node::String(StringFormat::Uuid), _) => {
                vec![Value::String(format!("00000000-0000-4000-8000-{:012x}", (k as u64) % (1u64 << 48)))]
            }
            (Node::String(StringFormat::Base64), _) => {
                let encoded = ::base64::Engine::encode(&::base64::engine::general_purpose::STANDARD, k.to_string());
                vec![Value::String(encoded)]
            }
            (Node::String(StringFormat::Plain), Value::String(s)) => {
                let (number, letters) = (k.to_string(), letters(k));
                [format!("{s}{number}"), format!("{s}{letters}"), replace_tail(s, &number), replace_tail(s, &letters)]
                    .into_iter()
                    .map(Value::String)
                    .collect()
            }
            (Node::Struct(structure), Value::Object(members)) => {
                // Vary the first member that can be varied.
                for field in structure.fields {
                    let Some(member) = members.get(field.name) else {
                        continue;
                    };
                    let varied = self.variants(field.node, member, k, depth + 1);
                    if !varied.is_empty() {
                        return varied
                            .into_iter()
                            .map(|value| {
                                let mut copy = members.clone();
                                copy.insert(field.name.to_owned(), value);
                                Value::Object(copy)
                            })
                            .collect();
                    }
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}

fn first_allowed(checks: &Checks) -> Option<Value> {
    checks.allowed.and_then(allowed_values).and_then(|values| values.into_iter().next())
}

fn min_properties(checks: &[&Checks]) -> usize {
    checks.iter().filter_map(|c| c.min_properties).max().unwrap_or(0).min(MAX_SYNTH_ITEMS) as usize
}

/// 0, 1, -1, 2, -2, ...
fn offset(k: usize) -> i128 {
    let half = (k as i128 + 1) / 2;
    if k % 2 == 1 { half } else { -half }
}

pub fn integer_value(i: i128) -> Value {
    match (i64::try_from(i), u64::try_from(i)) {
        (Ok(i), _) => Value::from(i),
        (_, Ok(u)) => Value::from(u),
        _ => Value::Null,
    }
}

/// A float, written as an integer when it is a small whole number.
pub fn number_value(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        return Value::from(v as i64);
    }
    ::serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// The smallest and largest integer of `kind` the checks' bounds allow (`low > high`: none).
pub fn integer_bounds(kind: IntKind, checks: &[&Checks]) -> (i128, i128) {
    let (mut low, mut high) = int_range(kind);
    for c in checks {
        if let Some((bound, exclusive)) = c.minimum.filter(|(bound, _)| bound.is_finite()) {
            let bound = if exclusive { (bound.floor() as i128).saturating_add(1) } else { bound.ceil() as i128 };
            low = low.max(bound);
        }
        if let Some((bound, exclusive)) = c.maximum.filter(|(bound, _)| bound.is_finite()) {
            let bound = if exclusive { (bound.ceil() as i128).saturating_sub(1) } else { bound.floor() as i128 };
            high = high.min(bound);
        }
    }
    (low, high)
}

/// 0 clamped into the bounds, moved to a multiple when asked.
fn synth_integer(kind: IntKind, checks: &[&Checks]) -> i128 {
    let (low, high) = integer_bounds(kind, checks);
    // 1 rather than 0 when allowed: ids and counts in real specs often start at 1, and a mock's
    // id is fed back into path parameters (`minimum: 1`) by clients and stateful testers.
    let start = if (low..=high).contains(&1) {
        1
    } else if 0 < low {
        low
    } else if 0 > high {
        high
    } else {
        0
    };
    let multiples: Vec<f64> =
        checks.iter().filter_map(|c| c.multiple_of).filter(|m| *m > 0.0 && m.is_finite()).collect();
    let Some(first) = multiples.first().copied() else {
        return start;
    };
    let fits = |v: i128| v >= low && v <= high && multiples.iter().all(|m| integer_is_multiple(v, *m));
    if first.fract() == 0.0 && (1.0..9.0e18).contains(&first) {
        let m = first as i128;
        let down = start.div_euclid(m).saturating_mul(m);
        let up = if down == start { start } else { down.saturating_add(m) };
        if let Some(found) = [up, down].into_iter().find(|v| fits(*v)) {
            return found;
        }
    }
    (0..2_000).map(|k| start.saturating_add(offset(k))).find(|v| fits(*v)).unwrap_or(start)
}

/// 0 moved into the bounds (just inside exclusive ones), then to a multiple when asked.
fn synth_number(checks: &[&Checks]) -> Value {
    let mut low: Option<(f64, bool)> = None;
    let mut high: Option<(f64, bool)> = None;
    for c in checks {
        if let Some((bound, exclusive)) = c.minimum.filter(|(bound, _)| bound.is_finite()) {
            let tighter = match low {
                Some((current, current_exclusive)) => {
                    bound > current || (bound == current && exclusive && !current_exclusive)
                }
                None => true,
            };
            if tighter {
                low = Some((bound, exclusive));
            }
        }
        if let Some((bound, exclusive)) = c.maximum.filter(|(bound, _)| bound.is_finite()) {
            let tighter = match high {
                Some((current, current_exclusive)) => {
                    bound < current || (bound == current && exclusive && !current_exclusive)
                }
                None => true,
            };
            if tighter {
                high = Some((bound, exclusive));
            }
        }
    }
    let inside = |v: f64| {
        let above = match low {
            Some((bound, true)) => v > bound,
            Some((bound, false)) => v >= bound,
            None => true,
        };
        let below = match high {
            Some((bound, true)) => v < bound,
            Some((bound, false)) => v <= bound,
            None => true,
        };
        v.is_finite() && above && below
    };
    let mut candidates = vec![0.0];
    if let Some((bound, _)) = low {
        candidates.extend([bound, bound + 1.0]);
    }
    if let Some((bound, _)) = high {
        candidates.extend([bound, bound - 1.0]);
    }
    if let (Some((l, _)), Some((h, _))) = (low, high) {
        candidates.push(l / 2.0 + h / 2.0);
    }
    let start = candidates.iter().copied().find(|v| inside(*v)).unwrap_or(0.0);
    let multiples: Vec<f64> =
        checks.iter().filter_map(|c| c.multiple_of).filter(|m| *m > 0.0 && m.is_finite()).collect();
    let Some(m) = multiples.first().copied() else {
        return number_value(start);
    };
    let base = (start / m).floor();
    let found = [0.0, 1.0, -1.0, 2.0, -2.0, 3.0]
        .into_iter()
        .map(|k| (base + k) * m)
        .find(|v| inside(*v) && multiples.iter().all(|m| float_is_multiple(*v, *m)));
    number_value(found.unwrap_or(start))
}

/// Strings a pattern is likely to accept, most specific first.
fn string_candidates(schema: &Schema, base: &str, checks: &[&Checks]) -> Vec<String> {
    const FIXED: &[&str] = &[
        "a",
        "A",
        "0",
        "1",
        "abc",
        "ABC",
        "123",
        "a1",
        "A1",
        "aA1",
        "string",
        "example",
        "2024-01-01",
        "2024-01-01T00:00:00Z",
        "00:00:00",
        "00:00",
        "00000000-0000-4000-8000-000000000000",
        "a@example.com",
        "user@example.com",
        "https://example.com",
        "http://example.com",
        "example.com",
        "127.0.0.1",
        "::1",
        "+10000000000",
        "#000000",
        "1.0.0",
        "a-b",
        "a_b",
        "a.b",
        "a b",
        "AAAA",
        "aGVsbG8=",
        "en",
        "en-US",
        "USD",
        "-1",
        "0.5",
        "true",
    ];
    let mut out = vec![base.to_owned()];
    for c in checks {
        if let Some(pattern) = c.pattern.and_then(|i| schema.patterns.get(i as usize)) {
            out.extend(pattern.sample.map(str::to_owned));
            out.extend(pattern_literals(pattern.source));
        }
    }
    out.extend(FIXED.iter().map(|s| (*s).to_owned()));
    for c in ['a', 'A', '0', '1', 'x'] {
        for n in 2..=16 {
            out.push(c.to_string().repeat(n));
        }
    }
    out
}

/// The alternatives of a pattern that is a plain word, or a group of plain words (`^(cat|dog)$`).
fn pattern_literals(source: &str) -> Vec<String> {
    let body = source.strip_prefix('^').unwrap_or(source);
    let body = match body.strip_suffix('$') {
        Some(inner) if !inner.ends_with('\\') => inner,
        _ => body,
    };
    let body = match body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        Some(group) => group.strip_prefix("?:").unwrap_or(group),
        None => body,
    };
    body.split('|')
        .filter(|alternative| !alternative.is_empty() && !alternative.contains(|c| "\\.[](){}*+?|^$".contains(c)))
        .map(str::to_owned)
        .collect()
}

/// `s` repeated to `min` characters, cut to `max`.
fn cycle_to(s: &str, min: usize, max: Option<usize>) -> String {
    let chars: Vec<char> = if s.is_empty() { vec!['a'] } else { s.chars().collect() };
    let count = s.chars().count();
    let mut out = s.to_owned();
    out.extend(chars.iter().cycle().take(min.saturating_sub(count)));
    cut_to(out, max)
}

/// `s` with its last character repeated to `min` characters, cut to `max`.
fn repeat_last_to(s: &str, min: usize, max: Option<usize>) -> String {
    let last = s.chars().last().unwrap_or('a');
    let mut out = s.to_owned();
    out.extend(::std::iter::repeat_n(last, min.saturating_sub(s.chars().count())));
    cut_to(out, max)
}

fn cut_to(s: String, max: Option<usize>) -> String {
    match max {
        Some(max) if s.chars().count() > max => s.chars().take(max).collect(),
        _ => s,
    }
}

/// `s` with its end replaced by `tail`, keeping its length.
fn replace_tail(s: &str, tail: &str) -> String {
    let keep = s.chars().count().saturating_sub(tail.chars().count());
    let mut out: String = s.chars().take(keep).collect();
    out.push_str(tail);
    out
}

/// 1 → `b`, 25 → `z`, 26 → `aa`, ...
fn letters(k: usize) -> String {
    let mut reversed = Vec::new();
    let mut k = k;
    loop {
        reversed.push(char::from(b'a' + (k % 26) as u8));
        if k < 26 {
            break;
        }
        k = k / 26 - 1;
    }
    reversed.iter().rev().collect()
}

/// The date `days` days after 2024-01-01.
fn date_after(days: usize) -> String {
    let (mut year, mut month, mut day) = (2024u32, 1u32, 1u32);
    let mut left = days.min(1_000_000);
    while left > 0 {
        let room = (days_in_month(year, month) - day) as usize;
        if left <= room {
            day += left as u32;
            left = 0;
        } else {
            left -= room + 1;
            day = 1;
            month += 1;
            if month > 12 {
                month = 1;
                year += 1;
            }
        }
    }
    format!("{year:04}-{month:02}-{day:02}")
}

/// Whether `back` says what `example` says, as JSON data: numbers by value (`10` and `10.0`; at
/// `f32` precision, which `format: float` has), a
/// member `null` on one side and absent on the other, members the example leaves out (defaults
/// filled in), and strings that only differ in how they write one date-time or UUID.
pub fn same(example: &::serde_json::Value, back: &::serde_json::Value, pointer: &mut String) -> Result<(), String> {
    use ::serde_json::Value;
    match (example, back) {
        // `format: float` is an `f32`: an example with more digits comes back at its precision.
        (Value::Number(a), Value::Number(b))
            if a.as_f64() == b.as_f64() || a.as_f64().map(|x| x as f32) == b.as_f64().map(|x| x as f32) =>
        {
            Ok(())
        }
        (Value::String(a), Value::String(b)) if a == b || same_text(a, b) => Ok(()),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                same(x, y, pointer)?;
                pointer.truncate(len);
            }
            Ok(())
        }
        (Value::Object(a), Value::Object(b)) => {
            for (key, x) in a {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                match b.get(key) {
                    Some(y) => same(x, y, pointer)?,
                    None if x.is_null() => {}
                    None => return Err("the member is dropped".into()),
                }
                pointer.truncate(len);
            }
            Ok(())
        }
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("{a} became {b}")),
    }
}

/// One date-time written two ways (any offset, `Z` or `+00:00`, trailing zero fractions: a
/// `DateTime<Utc>` writes the same instant in UTC), or one UUID in two cases.
fn same_text(a: &str, b: &str) -> bool {
    let uuid = |t: &str| t.len() == 36 && t.chars().filter(|c| *c == '-').count() == 4;
    if uuid(a) && uuid(b) {
        return a.eq_ignore_ascii_case(b);
    }
    matches!((utc_instant(a), utc_instant(b)), (Some(x), Some(y)) if x == y)
}

/// An RFC 3339 date-time as (seconds since the Unix epoch, nanoseconds), or `None` if `text` is
/// not one. Leap seconds read as the second before.
fn utc_instant(text: &str) -> Option<(i64, u32)> {
    let bytes = text.as_bytes();
    let digits = |range: ::std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
    };
    if bytes.len() < 20 || bytes[4] != b'-' || bytes[7] != b'-' || !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?.min(59));
    if bytes[13] != b':' || bytes[16] != b':' || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut rest = &text[19..];
    let mut nanos = 0u32;
    if let Some(fraction) = rest.strip_prefix('.') {
        let count = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if count == 0 {
            return None;
        }
        let kept = &fraction[..count.min(9)];
        nanos = kept.parse::<u32>().ok()? * 10u32.pow(9 - kept.len() as u32);
        rest = &fraction[count..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && rest.as_bytes()[3] == b':' => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (h, m) = (rest[1..3].parse::<i64>().ok()?, rest[4..6].parse::<i64>().ok()?);
            sign * (h * 3600 + m * 60)
        }
        _ => return None,
    };
    // Days from the civil date (proleptic Gregorian; Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + hour * 3600 + minute * 60 + second - offset, nanos))
}
