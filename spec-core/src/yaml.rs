//! YAML text → `serde_json::Value`: the YAML 1.2 core schema, anchors, aliases and merge keys,
//! with limits that keep hostile documents (billion laughs, deep nesting) from exhausting memory
//! or the stack.
//!
//! The tree is built from `saphyr-parser` events with an explicit stack, never by recursion, so
//! the nesting limit is a plain counter check. Everything a spec needs to stay faithful is kept:
//! mapping key order, integers of any size (through `arbitrary_precision`) and the original
//! digits of floats.
//!
//! Limits:
//! - at most [`MAX_DEPTH`] nested sequences and mappings, counting those that alias expansion
//!   splices in;
//! - every node copied for an anchor or an alias counts against a budget of
//!   [`ALIAS_BUDGET_BASE`] + [`ALIAS_BUDGET_PER_EVENT`] × (parser events read so far). A node is
//!   copied once when an anchored node is completed (to keep it for later aliases) and once more
//!   each time an alias to it is expanded. A document without aliases never comes near the
//!   budget, because a node can only be as large as the events that produced it.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Tag};
use serde_json::{Map, Number, Value};

use crate::diag::Position;

/// The deepest nesting of sequences and mappings a document may have.
pub const MAX_DEPTH: usize = 1_000;

/// Nodes that alias expansion may copy regardless of document size.
pub const ALIAS_BUDGET_BASE: usize = 100_000;

/// Further nodes alias expansion may copy per parser event read so far.
pub const ALIAS_BUDGET_PER_EVENT: usize = 10;

/// Hex and octal integer literals longer than this stay strings: converting them to decimal
/// takes time quadratic in their length, and no spec needs a 4096-digit literal.
const MAX_RADIX_DIGITS: usize = 4_096;

/// Why a YAML text could not be turned into a value, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Byte offset into the text.
    pub offset: usize,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {}, column {}", self.message, self.line, self.column)
    }
}

impl std::error::Error for YamlError {}

/// Parses one YAML document into a JSON value.
///
/// # Errors
/// Syntax errors, a stream with no document or with several, duplicate keys, keys that are
/// sequences or mappings, unknown or self-containing aliases, malformed merge keys, values that
/// contradict their core-schema tag, and documents over the depth or alias budget.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    build(text).map_err(|failure| failure.into_error(text))
}

/// An error still holding the parser's marker; turned into line, column and offset only when
/// it is reported, because that needs a scan of the text.
struct Failure {
    message: String,
    at: Marker,
}

impl Failure {
    fn new(message: impl Into<String>, at: Marker) -> Self {
        Failure { message: message.into(), at }
    }

    fn from_scan(error: &ScanError) -> Self {
        // saphyr-parser counts flow nesting in a `u8`; its message for overflowing that does not
        // say what was too deep.
        let message = match error.info() {
            "recursion limit exceeded" => {
                "flow sequences and mappings (`[...]`, `{...}`) nest deeper than 255 levels".to_owned()
            }
            info => info.to_owned(),
        };
        Failure { message, at: *error.marker() }
    }

    fn into_error(self, text: &str) -> YamlError {
        let position = LineIndex::new(text).position(self.at.line(), self.at.col());
        YamlError { message: self.message, line: position.line, column: position.column, offset: position.offset }
    }
}

fn build(text: &str) -> Result<Value, Failure> {
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder::default();
    let mut documents = 0usize;
    let mut last = Marker::new(0, 1, 0);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| Failure::from_scan(&e))?;
        last = span.start;
        builder.events = builder.events.saturating_add(1);
        match event {
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(Failure::new("several YAML documents in one file; a spec is one document", span.start));
                }
            }
            Event::Scalar(raw, style, anchor, tag) => {
                builder.scalar(&raw, style, anchor, tag.as_deref(), span.start)?;
            }
            Event::SequenceStart(anchor, _) => {
                builder.open(Collection::Seq(Vec::new()), anchor, span.start)?;
            }
            Event::MappingStart(anchor, _) => {
                builder.open(Collection::Map(MapFrame::default()), anchor, span.start)?;
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close(span.start)?,
            Event::Alias(id) => builder.alias(id, span.start)?,
        }
    }
    if !builder.stack.is_empty() {
        // The parser reports truncated input itself; this only guards against a stream that
        // stops without saying why.
        return Err(Failure::new("unexpected end of the YAML stream", last));
    }
    builder.root.map(|node| node.value).ok_or_else(|| Failure::new("empty document", last))
}

/// A finished value together with the facts the limits need about it.
struct Node {
    value: Value,
    /// How many values the tree holds (mapping keys are not counted).
    nodes: usize,
    /// 0 for a scalar, otherwise 1 + the height of the highest child.
    height: usize,
}

enum Collection {
    Seq(Vec<Value>),
    Map(MapFrame),
}

#[derive(Default)]
struct MapFrame {
    map: Map<String, Value>,
    /// The key read last, waiting for its value.
    key: Option<PendingKey>,
    /// Mappings pulled in by `<<`, with the number of explicit entries that preceded the merge
    /// key, so merged entries can be placed where the `<<` stood.
    merges: Vec<(usize, Vec<Map<String, Value>>)>,
    has_merge_key: bool,
}

struct PendingKey {
    text: String,
    merge: bool,
}

struct Frame {
    collection: Collection,
    anchor: usize,
    start: Marker,
    nodes: usize,
    height: usize,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Node>,
    /// Completed anchored nodes by the parser's anchor id; an id that the parser knows but this
    /// map lacks belongs to a node still being built, i.e. one that contains the alias.
    anchors: HashMap<usize, Node>,
    events: usize,
    copied: usize,
}

impl Builder {
    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame { collection: Collection::Map(MapFrame { key: None, .. }), .. }))
    }

    fn scalar(
        &mut self,
        raw: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        at: Marker,
    ) -> Result<(), Failure> {
        let value = resolve_scalar(raw, style, tag).map_err(|message| Failure::new(message, at))?;
        let node = Node { value, nodes: 1, height: 0 };
        if anchor != 0 {
            self.remember(anchor, &node, at)?;
        }
        if self.expects_key() {
            // Only a plain, untagged `<<` is a merge key; `"<<"` is an ordinary key.
            let merge = style == ScalarStyle::Plain && tag.is_none() && raw == "<<";
            return self.set_key(node.value, merge, at);
        }
        self.attach(node, at)
    }

    fn open(&mut self, collection: Collection, anchor: usize, at: Marker) -> Result<(), Failure> {
        if self.expects_key() {
            return Err(Failure::new("a mapping key must be a scalar, not a sequence or mapping", at));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(Failure::new(format!("sequences and mappings nest deeper than {MAX_DEPTH} levels"), at));
        }
        self.stack.push(Frame { collection, anchor, start: at, nodes: 1, height: 1 });
        Ok(())
    }

    fn close(&mut self, at: Marker) -> Result<(), Failure> {
        let Some(frame) = self.stack.pop() else {
            return Err(Failure::new("end of a collection that was never started", at));
        };
        let value = match frame.collection {
            Collection::Seq(items) => Value::Array(items),
            Collection::Map(map) => {
                if map.key.is_some() {
                    // The parser always supplies a value (an empty scalar if need be), so this
                    // only fires if that ever changes.
                    return Err(Failure::new("mapping key without a value", at));
                }
                Value::Object(finish_map(map.map, map.merges))
            }
        };
        let node = Node { value, nodes: frame.nodes, height: frame.height };
        if frame.anchor != 0 {
            self.remember(frame.anchor, &node, frame.start)?;
        }
        self.attach(node, frame.start)
    }

    fn alias(&mut self, id: usize, at: Marker) -> Result<(), Failure> {
        let key = self.expects_key();
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(Failure::new("alias refers to a node that contains it (recursive alias)", at));
        };
        if key && anchored.height > 0 {
            return Err(Failure::new("a mapping key must be a scalar, but this alias names a sequence or mapping", at));
        }
        if self.stack.len().saturating_add(anchored.height) > MAX_DEPTH {
            return Err(Failure::new(
                format!("alias expansion nests sequences and mappings deeper than {MAX_DEPTH} levels"),
                at,
            ));
        }
        let (nodes, height) = (anchored.nodes, anchored.height);
        self.charge(nodes, at)?;
        let value = self.anchors.get(&id).map_or(Value::Null, |a| a.value.clone());
        if key {
            return self.set_key(value, false, at);
        }
        self.attach(Node { value, nodes, height }, at)
    }

    /// Keeps a copy of an anchored node for later aliases.
    fn remember(&mut self, anchor: usize, node: &Node, at: Marker) -> Result<(), Failure> {
        self.charge(node.nodes, at)?;
        let copy = Node { value: node.value.clone(), nodes: node.nodes, height: node.height };
        self.anchors.insert(anchor, copy);
        Ok(())
    }

    /// Counts `nodes` copies against the alias budget before they are made, so an exponential
    /// document is refused before it allocates anything large.
    fn charge(&mut self, nodes: usize, at: Marker) -> Result<(), Failure> {
        self.copied = self.copied.saturating_add(nodes);
        let budget = ALIAS_BUDGET_BASE.saturating_add(ALIAS_BUDGET_PER_EVENT.saturating_mul(self.events));
        if self.copied > budget {
            return Err(Failure::new("alias expansion exceeds budget (possible billion-laughs document)", at));
        }
        Ok(())
    }

    fn set_key(&mut self, key: Value, merge: bool, at: Marker) -> Result<(), Failure> {
        let text = match key_string(key) {
            Some(text) => text,
            None => {
                return Err(Failure::new("a mapping key must be a scalar, not a sequence or mapping", at));
            }
        };
        let Some(Frame { collection: Collection::Map(map), .. }) = self.stack.last_mut() else {
            return Err(Failure::new("a key outside of a mapping", at));
        };
        if merge {
            if map.has_merge_key {
                return Err(Failure::new("duplicate merge key `<<` in one mapping", at));
            }
            map.has_merge_key = true;
        } else if map.map.contains_key(&text) {
            return Err(Failure::new(format!("duplicate key `{text}` (a key may appear only once in a mapping)"), at));
        }
        map.key = Some(PendingKey { text, merge });
        Ok(())
    }

    /// Puts a finished node into the collection being built, or makes it the document root.
    fn attach(&mut self, node: Node, at: Marker) -> Result<(), Failure> {
        let Some(frame) = self.stack.last_mut() else {
            if self.root.is_some() {
                return Err(Failure::new("more than one root node in a document", at));
            }
            self.root = Some(node);
            return Ok(());
        };
        frame.nodes = frame.nodes.saturating_add(node.nodes);
        frame.height = frame.height.max(node.height.saturating_add(1));
        match &mut frame.collection {
            Collection::Seq(items) => items.push(node.value),
            Collection::Map(map) => match map.key.take() {
                None => return Err(Failure::new("a mapping value without a key", at)),
                Some(PendingKey { merge: true, .. }) => {
                    let Some(sources) = merge_sources(node.value) else {
                        return Err(Failure::new(
                            "the value of a merge key `<<` must be a mapping or a sequence of mappings",
                            at,
                        ));
                    };
                    map.merges.push((map.map.len(), sources));
                }
                Some(PendingKey { text, merge: false }) => {
                    map.map.insert(text, node.value);
                }
            },
        }
        Ok(())
    }
}

/// The string a scalar key becomes: JSON object keys are strings, and `200:` must still find the
/// `"200"` response. `None` for sequences and mappings, which cannot be keys.
fn key_string(key: Value) -> Option<String> {
    match key {
        Value::String(text) => Some(text),
        Value::Null => Some("null".to_owned()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// The key string of a scalar as the tree builder would make it, for [`crate::locate`]; the raw
/// text when the scalar contradicts its tag (the builder would have refused the document).
pub(crate) fn key_text<'a>(raw: &'a str, style: ScalarStyle, tag: Option<&Tag>) -> Cow<'a, str> {
    // Most keys are quoted or plain words; they need neither resolution nor allocation.
    if tag.is_none() && (style != ScalarStyle::Plain || !may_be_special(raw)) {
        return Cow::Borrowed(raw);
    }
    match resolve_scalar(raw, style, tag).ok().and_then(key_string) {
        Some(text) if text == raw => Cow::Borrowed(raw),
        Some(text) => Cow::Owned(text),
        None => Cow::Borrowed(raw),
    }
}

/// Whether a plain scalar could resolve to something other than a string.
fn may_be_special(raw: &str) -> bool {
    match raw.as_bytes().first() {
        None => true,
        Some(b) => matches!(b, b'0'..=b'9' | b'+' | b'-' | b'.' | b'~' | b'n' | b'N' | b't' | b'T' | b'f' | b'F'),
    }
}

/// Merges `<<` mappings into the explicit ones: explicit keys win, an earlier merged mapping wins
/// over a later one, and merged entries take the place where the `<<` key stood.
fn finish_map(explicit: Map<String, Value>, merges: Vec<(usize, Vec<Map<String, Value>>)>) -> Map<String, Value> {
    if merges.is_empty() {
        return explicit;
    }
    let mut taken: HashSet<String> = HashSet::new();
    let mut slots: Vec<(usize, Vec<(String, Value)>)> = Vec::with_capacity(merges.len());
    for (position, sources) in merges {
        let mut kept = Vec::new();
        for source in sources {
            for (key, value) in source {
                if explicit.contains_key(&key) || taken.contains(&key) {
                    continue;
                }
                taken.insert(key.clone());
                kept.push((key, value));
            }
        }
        slots.push((position, kept));
    }
    let mut out = Map::new();
    let mut slots = slots.into_iter().peekable();
    for (index, (key, value)) in explicit.into_iter().enumerate() {
        while let Some((_, kept)) = slots.next_if(|(position, _)| *position <= index) {
            out.extend(kept);
        }
        out.insert(key, value);
    }
    for (_, kept) in slots {
        out.extend(kept);
    }
    out
}

/// The mappings a `<<` value names: one mapping, or a sequence of them.
fn merge_sources(value: Value) -> Option<Vec<Map<String, Value>>> {
    match value {
        Value::Object(map) => Some(vec![map]),
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::Object(map) => Some(map),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// Resolves one scalar by its tag and style; the error is a message for a scalar that
/// contradicts its core-schema tag.
fn resolve_scalar(raw: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    if let Some(tag) = tag {
        if tag.is_yaml_core_schema() {
            let resolved = match tag.suffix.as_str() {
                "str" => Some(Value::String(raw.to_owned())),
                "null" => is_null(raw).then_some(Value::Null),
                "bool" => parse_bool(raw).map(Value::Bool),
                "int" => parse_int(raw).map(Value::Number),
                "float" => parse_float(raw, true),
                // `!!map`, `!!seq`, `!!binary`, `!!timestamp`, ...: keep the value as written.
                _ => return Ok(resolve_untagged(raw, style)),
            };
            return resolved.ok_or_else(|| format!("`{raw}` is not a valid !!{}", tag.suffix));
        }
        // The non-specific tag `!` means "not a plain scalar": the value is a string.
        if tag.handle.is_empty() && tag.suffix == "!" {
            return Ok(Value::String(raw.to_owned()));
        }
        // Unknown (local or global) tags carry no meaning for a spec; the value stays as it is.
    }
    Ok(resolve_untagged(raw, style))
}

fn resolve_untagged(raw: &str, style: ScalarStyle) -> Value {
    if style != ScalarStyle::Plain || !may_be_special(raw) {
        return Value::String(raw.to_owned());
    }
    if is_null(raw) {
        return Value::Null;
    }
    if let Some(b) = parse_bool(raw) {
        return Value::Bool(b);
    }
    if let Some(n) = parse_int(raw) {
        return Value::Number(n);
    }
    parse_float(raw, false).unwrap_or_else(|| Value::String(raw.to_owned()))
}

fn is_null(raw: &str) -> bool {
    matches!(raw, "" | "~" | "null" | "Null" | "NULL")
}

fn parse_bool(raw: &str) -> Option<bool> {
    match raw {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Core-schema integers: `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`, of any size.
fn parse_int(raw: &str) -> Option<Number> {
    if let Some(hex) = raw.strip_prefix("0x") {
        return radix_to_number(hex, 16);
    }
    if let Some(octal) = raw.strip_prefix("0o") {
        return radix_to_number(octal, 8);
    }
    let (negative, digits) = split_sign(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // JSON forbids leading zeros, YAML allows them.
    let digits = digits.trim_start_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let mut text = String::with_capacity(digits.len() + 1);
    if negative {
        text.push('-');
    }
    text.push_str(digits);
    number(&text)
}

fn split_sign(raw: &str) -> (bool, &str) {
    if let Some(rest) = raw.strip_prefix('-') {
        (true, rest)
    } else if let Some(rest) = raw.strip_prefix('+') {
        (false, rest)
    } else {
        (false, raw)
    }
}

/// Builds a number from JSON number syntax; with `arbitrary_precision` the digits are kept as
/// they are, so nothing is rounded.
fn number(text: &str) -> Option<Number> {
    serde_json::from_str::<Number>(text).ok()
}

/// Converts hex or octal digits to a decimal number of any size.
fn radix_to_number(digits: &str, radix: u32) -> Option<Number> {
    if digits.is_empty() || digits.len() > MAX_RADIX_DIGITS {
        return None;
    }
    if let Ok(small) = u128::from_str_radix(digits, radix) {
        return number(&small.to_string());
    }
    // Little-endian limbs in base 10⁹, so the decimal text falls out directly.
    const LIMB: u64 = 1_000_000_000;
    let mut limbs: Vec<u64> = vec![0];
    for ch in digits.chars() {
        let mut carry = u64::from(ch.to_digit(radix)?);
        for limb in &mut limbs {
            let total = *limb * u64::from(radix) + carry;
            *limb = total % LIMB;
            carry = total / LIMB;
        }
        while carry > 0 {
            limbs.push(carry % LIMB);
            carry /= LIMB;
        }
    }
    let mut text = String::with_capacity(limbs.len() * 9);
    let mut iter = limbs.iter().rev();
    if let Some(top) = iter.next() {
        text.push_str(&top.to_string());
    }
    for limb in iter {
        text.push_str(&format!("{limb:09}"));
    }
    number(&text)
}

/// Core-schema floats. Infinities and NaN have no JSON form, so they stay strings as written
/// (`.inf`), which keeps the spec loadable. `tagged` adds `.0` to an integer-looking `!!float`
/// so it stays a float.
fn parse_float(raw: &str, tagged: bool) -> Option<Value> {
    let (negative, body) = split_sign(raw);
    if matches!(body, ".inf" | ".Inf" | ".INF") || matches!(raw, ".nan" | ".NaN" | ".NAN") {
        return Some(Value::String(raw.to_owned()));
    }
    // [0-9]* ( . [0-9]* )? ( [eE] [-+]? [0-9]+ )?, with at least one digit before the exponent.
    let int_len = body.bytes().take_while(u8::is_ascii_digit).count();
    let int_part = body.get(..int_len)?;
    let rest = body.get(int_len..)?;
    let (frac_part, rest) = match rest.strip_prefix('.') {
        Some(after) => {
            let len = after.bytes().take_while(u8::is_ascii_digit).count();
            (Some(after.get(..len)?), after.get(len..)?)
        }
        None => (None, rest),
    };
    if int_part.is_empty() && frac_part.is_none_or(str::is_empty) {
        return None;
    }
    let exponent = match rest.strip_prefix(['e', 'E']) {
        Some(after) => {
            let (exp_negative, digits) = split_sign(after);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Some((exp_negative, digits))
        }
        None if rest.is_empty() => None,
        None => return None,
    };
    let int_part = int_part.trim_start_matches('0');
    let mut text = String::with_capacity(raw.len() + 3);
    if negative {
        text.push('-');
    }
    text.push_str(if int_part.is_empty() { "0" } else { int_part });
    match frac_part {
        Some(frac) if !frac.is_empty() => {
            text.push('.');
            text.push_str(frac);
        }
        // `1.` is a float in YAML; `1.0` keeps it one in JSON.
        Some(_) => text.push_str(".0"),
        None if tagged && exponent.is_none() => text.push_str(".0"),
        None => {}
    }
    if let Some((exp_negative, digits)) = exponent {
        text.push('e');
        if exp_negative {
            text.push('-');
        }
        text.push_str(digits);
    }
    number(&text).map(Value::Number)
}

/// Line starts of a text, to turn the parser's line and character column into a [`Position`]
/// with a byte offset. Line breaks are `\n`, `\r\n` and a lone `\r`, as the YAML scanner counts
/// them.
pub(crate) struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let mut starts = vec![0];
        let mut bytes = text.bytes().enumerate().peekable();
        while let Some((i, b)) = bytes.next() {
            match b {
                b'\n' => starts.push(i + 1),
                b'\r' => {
                    if bytes.next_if(|&(_, next)| next == b'\n').is_some() {
                        starts.push(i + 2);
                    } else {
                        starts.push(i + 1);
                    }
                }
                _ => {}
            }
        }
        LineIndex { text, starts }
    }

    /// The position of a 1-based `line` and 0-based character `col` as the parser reports them;
    /// markers past the end of a line or of the text are clamped to it.
    pub(crate) fn position(&self, line: usize, col: usize) -> Position {
        let line = line.max(1);
        let Some(&line_start) = self.starts.get(line - 1) else {
            return self.end();
        };
        // The scanner skips a byte order mark without counting it as a column.
        let mut offset = line_start;
        if line == 1 && self.text.starts_with('\u{feff}') {
            offset += '\u{feff}'.len_utf8();
        }
        let mut column = 1;
        for ch in self.text.get(offset..).unwrap_or("").chars().take(col) {
            if ch == '\n' || ch == '\r' {
                break;
            }
            offset += ch.len_utf8();
            column += 1;
        }
        Position { line, column, offset }
    }

    fn end(&self) -> Position {
        let line_start = self.starts.last().copied().unwrap_or(0);
        let column = self.text.get(line_start..).map_or(0, |rest| rest.chars().count()) + 1;
        Position { line: self.starts.len(), column, offset: self.text.len() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::{Duration, Instant};

    fn ok(text: &str) -> Value {
        match parse(text) {
            Ok(value) => value,
            Err(e) => panic!("unexpected error for {text:?}: {e}"),
        }
    }

    fn err(text: &str) -> YamlError {
        match parse(text) {
            Ok(value) => panic!("expected an error for {text:?}, got {value}"),
            Err(e) => e,
        }
    }

    #[test]
    fn core_schema_nulls_and_booleans() {
        let v = ok("a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: true\ng: True\nh: TRUE\ni: false\nj: False\nk: FALSE\n");
        assert_eq!(
            v,
            json!({"a": null, "b": null, "c": null, "d": null, "e": null,
                   "f": true, "g": true, "h": true, "i": false, "j": false, "k": false})
        );
    }

    #[test]
    fn yaml_1_1_words_stay_strings() {
        let v = ok("a: yes\nb: no\nc: on\nd: off\ne: nULL\nf: tRUE\ng: 1_000\nh: 0b101\n");
        assert_eq!(
            v,
            json!({"a": "yes", "b": "no", "c": "on", "d": "off", "e": "nULL", "f": "tRUE",
                   "g": "1_000", "h": "0b101"})
        );
    }

    #[test]
    fn integers() {
        let v = ok("a: 42\nb: -7\nc: +3\nd: 0x1F\ne: 0o17\nf: 007\ng: 0\nh: -0\n");
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"a":42,"b":-7,"c":3,"d":31,"e":15,"f":7,"g":0,"h":-0}"#);
        // Prefix without digits, signs on hex, or stray characters are strings.
        let v = ok("a: 0x\nb: -0x1\nc: 0o8\nd: 12a\ne: '12'\n");
        assert_eq!(v, json!({"a": "0x", "b": "-0x1", "c": "0o8", "d": "12a", "e": "12"}));
    }

    #[test]
    fn big_integers_keep_every_digit() {
        let v = ok("big: 123456789012345678901234567890\nneg: -98765432109876543210987654321\n");
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"big":123456789012345678901234567890,"neg":-98765432109876543210987654321}"#
        );
        // Hex beyond u128 goes through the limb conversion: 2^128 = 340282366920938463463374607431768211456.
        let v = ok("x: 0x100000000000000000000000000000000\n");
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"x":340282366920938463463374607431768211456}"#);
        let v = ok("x: 0o4000000000000000000000000000000000000000000\n");
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"x":340282366920938463463374607431768211456}"#);
    }

    #[test]
    fn overlong_hex_stays_a_string() {
        let digits = "f".repeat(MAX_RADIX_DIGITS + 1);
        let v = ok(&format!("x: 0x{digits}\n"));
        assert_eq!(v["x"], Value::String(format!("0x{digits}")));
    }

    #[test]
    fn floats() {
        let v = ok("a: 1.5\nb: -0.25\nc: .5\nd: 1.\ne: 1e3\nf: 2.5E-3\ng: +1.0\nh: 00.5\ni: 1.50\n");
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"a":1.5,"b":-0.25,"c":0.5,"d":1.0,"e":1e+3,"f":2.5e-3,"g":1.0,"h":0.5,"i":1.50}"#
        );
        let v = ok("a: .\nb: 1e\nc: 1.2.3\nd: e5\ne: '1.5'\n");
        assert_eq!(v, json!({"a": ".", "b": "1e", "c": "1.2.3", "d": "e5", "e": "1.5"}));
    }

    #[test]
    fn non_finite_floats_become_their_text() {
        let v = ok("a: .inf\nb: -.Inf\nc: +.INF\nd: .nan\ne: .NaN\nf: -.nan\n");
        assert_eq!(v, json!({"a": ".inf", "b": "-.Inf", "c": "+.INF", "d": ".nan", "e": ".NaN", "f": "-.nan"}));
    }

    #[test]
    fn quoted_and_block_scalars_are_strings() {
        let v = ok("a: 'true'\nb: \"42\"\nc: \"\"\nd: |\n  null\ne: >\n  1.5\n");
        assert_eq!(v, json!({"a": "true", "b": "42", "c": "", "d": "null\n", "e": "1.5\n"}));
    }

    #[test]
    fn tags() {
        let v = ok(concat!(
            "a: !!str 42\nb: !!int \"42\"\nc: !!float 3\nd: !!bool \"true\"\ne: !!null ''\n",
            "f: !custom 7\ng: ! 7\nh: !!map {x: 1}\ni: !!binary aGk=\nj: !!float '0.5'\n",
        ));
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"a":"42","b":42,"c":3.0,"d":true,"e":null,"f":7,"g":"7","h":{"x":1},"i":"aGk=","j":0.5}"#
        );
        let e = err("a: 1\nb: !!int nope\n");
        assert!(e.message.contains("!!int"), "{e}");
        assert_eq!((e.line, e.column), (2, 4));
        assert!(err("a: !!bool yes\n").message.contains("!!bool"));
        assert!(err("a: !!null x\n").message.contains("!!null"));
        assert!(err("a: !!float x\n").message.contains("!!float"));
    }

    #[test]
    fn non_string_keys_are_stringified() {
        let v = ok("200: ok\n404: missing\ntrue: yes\n~: nothing\n1.5: f\n0x10: hex\n");
        assert_eq!(
            v,
            json!({"200": "ok", "404": "missing", "true": "yes", "null": "nothing", "1.5": "f", "16": "hex"})
        );
        let v = ok("{200: a, '201': b}");
        assert_eq!(v, json!({"200": "a", "201": "b"}));
    }

    #[test]
    fn collection_keys_are_errors_at_the_key() {
        let e = err("a: 1\n? [x, y]\n: 2\n");
        assert!(e.message.contains("key must be a scalar"), "{e}");
        assert_eq!((e.line, e.column, e.offset), (2, 3, 7));
        let e = err("a: 1\n? {x: 1}\n: 2\n");
        assert!(e.message.contains("key must be a scalar"), "{e}");
        assert_eq!(e.line, 2);
        let e = err("a: &s [1]\n? *s\n: 2\n");
        assert!(e.message.contains("key must be a scalar"), "{e}");
        assert_eq!((e.line, e.column), (2, 3));
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = err("openapi: 3.1.0\ninfo:\n  title: x\n  title: y\n");
        assert!(e.message.contains("duplicate key `title`"), "{e}");
        assert_eq!((e.line, e.column, e.offset), (4, 3, 34));
        // Keys that resolve to the same string are duplicates too.
        let e = err("200: a\n'200': b\n");
        assert!(e.message.contains("duplicate key `200`"), "{e}");
        assert_eq!(e.line, 2);
        let e = err("{a: 1, a: 2}");
        assert!(e.message.contains("duplicate key `a`"), "{e}");
        assert_eq!((e.line, e.column), (1, 8));
        // The same key in different mappings is fine.
        ok("a: {x: 1}\nb: {x: 2}\n");
    }

    #[test]
    fn anchors_and_aliases() {
        let v =
            ok("base: &b {type: string, maxLength: 3}\ncopy: *b\nlist: [&n 1, *n, *n]\nkey: &k name\n*k : aliased\n");
        assert_eq!(
            v,
            json!({"base": {"type": "string", "maxLength": 3}, "copy": {"type": "string", "maxLength": 3},
                   "list": [1, 1, 1], "key": "name", "name": "aliased"})
        );
        // An anchor may be redefined; aliases see the latest definition.
        let v = ok("a: &x 1\nb: *x\nc: &x 2\nd: *x\n");
        assert_eq!(v, json!({"a": 1, "b": 1, "c": 2, "d": 2}));
    }

    #[test]
    fn unknown_and_recursive_aliases_are_errors() {
        let e = err("a: 1\nb: *nope\n");
        assert_eq!(e.line, 2, "{e}");
        let e = err("a: &x [1, *x]\n");
        assert!(e.message.contains("recursive alias"), "{e}");
        assert_eq!((e.line, e.column), (1, 11));
    }

    #[test]
    fn merge_keys() {
        let text = "\
defaults: &d {a: 1, b: 2}
extra: &e {b: 20, c: 30}
one:
  <<: *d
  x: 9
two:
  z: 0
  <<: [*d, *e]
  a: 100
three:
  <<: {m: 1}
";
        let v = ok(text);
        assert_eq!(v["one"], json!({"a": 1, "b": 2, "x": 9}));
        // Explicit `a` wins even though it comes after the merge; `*d`'s `b` wins over `*e`'s.
        assert_eq!(v["two"], json!({"z": 0, "a": 100, "b": 2, "c": 30}));
        assert_eq!(v["three"], json!({"m": 1}));
        // Merged entries sit where the `<<` stood.
        let keys: Vec<&String> = v["two"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["z", "b", "c", "a"]);
        // A quoted "<<" is an ordinary key.
        assert_eq!(ok("\"<<\": 1\n"), json!({"<<": 1}));
    }

    #[test]
    fn bad_merge_keys_are_errors() {
        assert!(err("a:\n  <<: 1\n").message.contains("merge key"));
        assert!(err("a:\n  <<: [{x: 1}, 2]\n").message.contains("merge key"));
        assert!(err("d: &d {x: 1}\na:\n  <<: *d\n  <<: *d\n").message.contains("duplicate merge key"));
    }

    #[test]
    fn key_order_is_preserved() {
        let v = ok("zeta: 1\nalpha: 2\nmid: 3\nbeta: {z: 1, a: 2}\n");
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["zeta", "alpha", "mid", "beta"]);
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"zeta":1,"alpha":2,"mid":3,"beta":{"z":1,"a":2}}"#);
    }

    #[test]
    fn petstore_fragment() {
        let text = r##"openapi: "3.0.0"
info:
  version: 1.0.0
  title: Swagger Petstore
  license:
    name: MIT
servers:
  - url: http://petstore.swagger.io/v1
paths:
  /pets:
    get:
      summary: List all pets
      operationId: listPets
      tags:
        - pets
      parameters:
        - name: limit
          in: query
          description: How many items to return at one time (max 100)
          required: false
          schema:
            type: integer
            maximum: 100
            format: int32
      responses:
        '200':
          description: A paged array of pets
          headers:
            x-next:
              description: A link to the next page of responses
              schema:
                type: string
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Pets"
        default:
          description: unexpected error
components:
  schemas:
    Pet:
      type: object
      required:
        - id
        - name
      properties:
        id:
          type: integer
          format: int64
        name:
          type: string
    Pets:
      type: array
      maxItems: 100
      items:
        $ref: "#/components/schemas/Pet"
"##;
        let v = ok(text);
        assert_eq!(v["openapi"], json!("3.0.0"));
        // Unquoted `1.0.0` is not a float; it stays a string.
        assert_eq!(v["info"]["version"], json!("1.0.0"));
        let get = &v["paths"]["/pets"]["get"];
        assert_eq!(get["parameters"][0]["required"], json!(false));
        assert_eq!(get["parameters"][0]["schema"]["maximum"], json!(100));
        assert_eq!(
            get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            json!("#/components/schemas/Pets")
        );
        assert_eq!(v["components"]["schemas"]["Pet"]["required"], json!(["id", "name"]));
        let top: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(top, ["openapi", "info", "servers", "paths", "components"]);
    }

    #[test]
    fn billion_laughs_is_refused_quickly() {
        let mut text = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for pair in names.windows(2) {
            let (prev, next) = (pair[0], pair[1]);
            let refs = vec![format!("*{prev}"); 9].join(", ");
            text.push_str(&format!("{next}: &{next} [{refs}]\n"));
        }
        let started = Instant::now();
        let e = err(&text);
        assert!(e.message.contains("alias expansion exceeds budget"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    }

    #[test]
    fn moderate_alias_use_fits_the_budget() {
        // A 2,000-node schema referenced 30 times: 60,000 copies, well within the base budget.
        let props: Vec<String> = (0..1000).map(|i| format!("p{i}: {{type: string}}")).collect();
        let mut text = format!("base: &b {{{}}}\n", props.join(", "));
        for i in 0..30 {
            text.push_str(&format!("use{i}: *b\n"));
        }
        let v = ok(&text);
        assert_eq!(v["use29"]["p999"], json!({"type": "string"}));
    }

    #[test]
    fn deep_flow_collections_are_refused_without_overflow() {
        // saphyr-parser itself stops flow nesting at 255 levels, before our limit is reached.
        let depth = 10_000;
        let started = Instant::now();
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let e = err(&text);
        assert!(e.message.contains("deeper than 255"), "{e}");
        assert_eq!((e.line, e.column, e.offset), (1, 256, 255));
        let text = format!("{}1{}", "{a: ".repeat(depth), "}".repeat(depth));
        assert!(err(&text).message.contains("deeper than 255"));
        // Flow inside block nesting: our own limit applies to the sum.
        let text = format!("{}{}x{}", "- ".repeat(900), "[".repeat(200), "]".repeat(200));
        let e = err(&text);
        assert!(e.message.contains("deeper than 1000"), "{e}");
        assert_eq!((e.line, e.column), (1, 1901));
        assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    }

    #[test]
    fn deep_block_collections_are_refused_without_overflow() {
        // Compact block sequences nest one level per `- ` on a single line.
        let text = format!("{}x\n", "- ".repeat(10_000));
        let e = err(&text);
        assert!(e.message.contains("deeper than 1000"), "{e}");
        assert_eq!((e.line, e.column, e.offset), (1, 2001, 2000));
        // Block mappings need one more column of indentation per level.
        let mut text = String::new();
        for level in 0..1_500 {
            text.push_str(&" ".repeat(level));
            text.push_str("a:\n");
        }
        let e = err(&text);
        assert!(e.message.contains("deeper than 1000"), "{e}");
        assert_eq!(e.line, 1_001);
    }

    #[test]
    fn exactly_the_depth_limit_is_accepted() {
        let text = format!("{}x\n", "- ".repeat(MAX_DEPTH));
        let v = ok(&text);
        let mut depth = 0;
        let mut cursor = &v;
        while let Some(inner) = cursor.as_array() {
            depth += 1;
            match inner.first() {
                Some(next) => cursor = next,
                None => break,
            }
        }
        assert_eq!(depth, MAX_DEPTH);
        assert_eq!(cursor, &json!("x"));
        // Serializing and dropping a value this deep must not overflow a test thread's stack.
        assert!(serde_json::to_string(&v).is_ok());
        let text = format!("{}x\n", "- ".repeat(MAX_DEPTH + 1));
        err(&text);
    }

    #[test]
    fn aliases_cannot_exceed_the_depth_limit() {
        let text = format!("a: &a\n{}x\nb:\n{}*a\n", "- ".repeat(600), "- ".repeat(500));
        let e = err(&text);
        assert!(e.message.contains("deeper than 1000"), "{e}");
        assert_eq!((e.line, e.column), (4, 1001));
        // The same alias with less around it fits.
        let text = format!("a: &a\n{}x\nb:\n{}*a\n", "- ".repeat(600), "- ".repeat(300));
        ok(&text);
    }

    #[test]
    fn documents() {
        assert_eq!(err("").message, "empty document");
        assert_eq!(err("# only a comment\n").message, "empty document");
        let e = err("a: 1\n---\nb: 2\n");
        assert!(e.message.contains("several YAML documents"), "{e}");
        assert_eq!((e.line, e.column), (2, 1));
        assert_eq!(ok("---\na: 1\n...\n"), json!({"a": 1}));
        assert_eq!(ok("just text"), json!("just text"));
        assert_eq!(ok("---\n"), Value::Null);
    }

    #[test]
    fn syntax_errors_carry_positions() {
        let e = err("a: [1, 2\nb: 3\n");
        assert!(e.line >= 1 && e.column >= 1, "{e}");
        let e = err("a: b: c\n");
        assert_eq!((e.line, e.column, e.offset), (1, 5, 4));
        let e = err("k: v\nk2: \"unterminated\n");
        assert_eq!(e.line, 2, "{e}");
        // Columns count characters, offsets count bytes.
        let e = err("é: ü: x\n");
        assert_eq!((e.line, e.column, e.offset), (1, 5, 6));
    }

    #[test]
    fn line_index_handles_crlf_bom_and_overruns() {
        let text = "ab\r\ncé\rx\n";
        let index = LineIndex::new(text);
        assert_eq!(index.position(1, 1), Position { line: 1, column: 2, offset: 1 });
        assert_eq!(index.position(2, 1), Position { line: 2, column: 2, offset: 5 });
        assert_eq!(index.position(2, 2), Position { line: 2, column: 3, offset: 7 });
        assert_eq!(index.position(3, 0), Position { line: 3, column: 1, offset: 8 });
        // Past the end of a line: clamped to the line break.
        assert_eq!(index.position(1, 50), Position { line: 1, column: 3, offset: 2 });
        // Past the last line: the end of the text.
        assert_eq!(index.position(99, 0), Position { line: 4, column: 1, offset: text.len() });
        let bom = LineIndex::new("\u{feff}a: 1");
        assert_eq!(bom.position(1, 0).offset, 3);
        assert_eq!(LineIndex::new("").position(0, 0), Position { line: 1, column: 1, offset: 0 });
    }

    #[test]
    fn crlf_documents_parse() {
        assert_eq!(ok("a: 1\r\nb:\r\n  - x\r\n"), json!({"a": 1, "b": ["x"]}));
        let e = err("a: 1\r\na: 2\r\n");
        assert_eq!((e.line, e.column, e.offset), (2, 1, 6));
    }

    #[test]
    fn key_text_matches_the_tree() {
        assert_eq!(key_text("200", ScalarStyle::Plain, None), "200");
        assert_eq!(key_text("~", ScalarStyle::Plain, None), "null");
        assert_eq!(key_text("True", ScalarStyle::Plain, None), "true");
        assert_eq!(key_text("0x10", ScalarStyle::Plain, None), "16");
        assert_eq!(key_text("0x10", ScalarStyle::SingleQuoted, None), "0x10");
        assert_eq!(key_text("name", ScalarStyle::Plain, None), "name");
        assert!(matches!(key_text("name", ScalarStyle::Plain, None), Cow::Borrowed(_)));
    }

    #[test]
    fn arbitrary_inputs_do_not_panic() {
        // A cheap deterministic fuzz: every prefix and many byte-level mutations of a document
        // that uses most features must parse or fail cleanly.
        let base = "a: &x {b: [1, 'two', \"three\"], c: !!int 4}\n<<: *x\nd: |\n  text\ne: - f\n? g\n: *x\n";
        for end in 0..=base.len() {
            if let Some(prefix) = base.get(..end) {
                let _ = parse(prefix);
            }
        }
        let specials = ['[', ']', '{', '}', ':', '-', '&', '*', '!', '|', '>', '\'', '"', '\n', ' ', '#', '?', ','];
        let chars: Vec<char> = base.chars().collect();
        for i in 0..chars.len() {
            for s in specials {
                let mut mutated = chars.clone();
                mutated[i] = s;
                let text: String = mutated.into_iter().collect();
                let _ = parse(&text);
            }
        }
    }
}
