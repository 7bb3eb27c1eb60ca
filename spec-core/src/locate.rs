//! Finds where JSON pointers point in a spec's source text, for diagnostics: one scan of the
//! text answers every pointer, and a pointer that does not exist is answered with its deepest
//! existing ancestor, so "missing property" diagnostics still point somewhere useful.
//!
//! The parsed `serde_json::Value` carries no positions (keeping them would cost memory on every
//! run, while positions are needed only when something is reported), so the text is scanned
//! again here. JSON gets a small hand-written scanner, because specs of tens of megabytes exist
//! and only the few paths that lead to a requested pointer are worth decoding; YAML is walked
//! through `saphyr-parser` events. Neither recurses: both keep an explicit stack, so deep or
//! malformed text can at worst end the scan early, never overflow the stack or panic.
//!
//! A mapping member is located at its key (more helpful than the value, which may be a line
//! below), an array element and the root at the first character of the value. When a key occurs
//! twice, the first occurrence is reported.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

use crate::diag::Position;
use crate::source::Format;
use crate::yaml::{LineIndex, key_text};

/// For each RFC 6901 pointer (without the leading `#`; `""` is the whole document), where its
/// value starts in `text`, or where its deepest existing ancestor does. `None` only when not
/// even the root can be found (an empty or hopelessly malformed text).
pub fn locate(text: &str, format: Format, pointers: &[&str]) -> Vec<Option<Position>> {
    if pointers.is_empty() {
        return Vec::new();
    }
    let mut trie = Trie::new(pointers);
    match format {
        Format::Json => {
            scan_json(text, &mut trie);
            trie.fill_json_lines(text);
        }
        Format::Yaml => scan_yaml(text, &mut trie),
    }
    trie.answers()
}

const ROOT: usize = 0;

/// The requested pointers merged into a tree of path segments, so the scanners compare each key
/// only against the segments that can still lead to a requested pointer.
struct Trie {
    nodes: Vec<TrieNode>,
    /// The node each requested pointer ends at, in request order.
    targets: Vec<usize>,
    /// Requested nodes not found yet; the scan stops when this reaches zero.
    remaining: usize,
}

#[derive(Default)]
struct TrieNode {
    parent: Option<usize>,
    /// Children by member name (already unescaped from `~0`/`~1`).
    by_key: HashMap<String, usize>,
    /// The same children by array index, for segments that are valid RFC 6901 indices.
    by_index: HashMap<usize, usize>,
    wanted: bool,
    found: Option<Position>,
}

impl Trie {
    fn new(pointers: &[&str]) -> Self {
        let mut trie = Trie { nodes: vec![TrieNode::default()], targets: Vec::new(), remaining: 0 };
        for pointer in pointers {
            let mut node = ROOT;
            // Tolerate the fragment form `#/a/b`; anything else not starting with `/` has no
            // segments we can follow, so it is answered with the root.
            let pointer = pointer.strip_prefix('#').unwrap_or(pointer);
            if let Some(path) = pointer.strip_prefix('/') {
                for raw in path.split('/') {
                    node = trie.child_or_insert(node, unescape_segment(raw));
                }
            }
            if let Some(target) = trie.nodes.get_mut(node)
                && !target.wanted
            {
                target.wanted = true;
                trie.remaining += 1;
            }
            trie.targets.push(node);
        }
        trie
    }

    fn child_or_insert(&mut self, parent: usize, segment: String) -> usize {
        if let Some(&child) = self.nodes.get(parent).and_then(|n| n.by_key.get(&segment)) {
            return child;
        }
        let child = self.nodes.len();
        self.nodes.push(TrieNode { parent: Some(parent), ..TrieNode::default() });
        if let Some(node) = self.nodes.get_mut(parent) {
            if let Some(index) = array_index(&segment) {
                node.by_index.insert(index, child);
            }
            node.by_key.insert(segment, child);
        }
        child
    }

    /// `node` if a requested pointer passes through or below it, i.e. if descending into its
    /// value can find anything.
    fn descend(&self, node: Option<usize>) -> Option<usize> {
        node.filter(|&n| self.nodes.get(n).is_some_and(|n| !n.by_key.is_empty()))
    }

    fn key_child(&self, node: usize, key: &str) -> Option<usize> {
        self.nodes.get(node).and_then(|n| n.by_key.get(key).copied())
    }

    fn index_child(&self, node: usize, index: usize) -> Option<usize> {
        self.nodes.get(node).and_then(|n| n.by_index.get(&index).copied())
    }

    /// Records the first position seen for `node`; `true` once every requested pointer has been
    /// found and the scan can stop.
    fn record(&mut self, node: usize, position: Position) -> bool {
        if let Some(n) = self.nodes.get_mut(node)
            && n.found.is_none()
        {
            n.found = Some(position);
            if n.wanted {
                self.remaining = self.remaining.saturating_sub(1);
            }
        }
        self.remaining == 0
    }

    /// The JSON scanner records byte offsets only; lines and columns are filled in here by one
    /// sweep over the text up to the last recorded offset.
    fn fill_json_lines(&mut self, text: &str) {
        let mut spots: Vec<(usize, usize)> =
            self.nodes.iter().enumerate().filter_map(|(i, n)| n.found.map(|p| (p.offset, i))).collect();
        spots.sort_unstable();
        let bytes = text.as_bytes();
        let (mut line, mut column, mut cursor) = (1usize, 1usize, 0usize);
        for (offset, node) in spots {
            let offset = offset.min(bytes.len());
            for &b in bytes.get(cursor..offset).unwrap_or(&[]) {
                if b == b'\n' {
                    line += 1;
                    column = 1;
                } else if b & 0xC0 != 0x80 {
                    // Count characters, not bytes: UTF-8 continuation bytes are not new columns.
                    column += 1;
                }
            }
            cursor = cursor.max(offset);
            if let Some(n) = self.nodes.get_mut(node) {
                n.found = Some(Position { line, column, offset });
            }
        }
    }

    fn answers(&self) -> Vec<Option<Position>> {
        self.targets
            .iter()
            .map(|&target| {
                // Walk up to the deepest ancestor that was found; the trie has no cycles, and the
                // walk is bounded by its size anyway.
                let mut node = Some(target);
                for _ in 0..self.nodes.len() {
                    let n = self.nodes.get(node?)?;
                    if n.found.is_some() {
                        return n.found;
                    }
                    node = n.parent;
                }
                None
            })
            .collect()
    }
}

/// RFC 6901 unescaping: `~1` is `/`, `~0` is `~`; any other `~` is kept as it is.
fn unescape_segment(raw: &str) -> String {
    if !raw.contains('~') {
        return raw.to_owned();
    }
    raw.replace("~1", "/").replace("~0", "~")
}

/// A segment usable as an array index: `0`, or digits without a leading zero.
fn array_index(segment: &str) -> Option<usize> {
    let valid = !segment.is_empty()
        && segment.bytes().all(|b| b.is_ascii_digit())
        && (segment == "0" || !segment.starts_with('0'));
    if valid { segment.parse().ok() } else { None }
}

/// An open JSON container during the scan.
struct JsonFrame {
    object: bool,
    /// The trie node of this container, if some requested pointer lies below it.
    node: Option<usize>,
    /// Index of the current element (arrays only).
    index: usize,
}

/// Scans JSON text, recording the positions of requested pointers. Containers that cannot hold
/// a requested pointer are skipped by bracket counting, without any per-key work.
fn scan_json(text: &str, trie: &mut Trie) {
    // `None` means the text ended or is malformed: the positions found so far stand.
    let _ = scan_json_inner(text, trie);
}

fn scan_json_inner(text: &str, trie: &mut Trie) -> Option<()> {
    let bytes = text.as_bytes();
    let mut pos = skip_ws(bytes, 0);
    let mut stack: Vec<JsonFrame> = Vec::new();
    let mut key_buf = String::new();
    // The trie node of the value about to be scanned, and whether to record its position there
    // (members were already recorded at their key).
    let mut value_node = Some(ROOT);
    let mut record = true;
    loop {
        // Keys record themselves in `scan_member`, so whether everything has been found is
        // checked here, once per value, rather than at every place that records.
        if trie.remaining == 0 {
            return Some(());
        }
        // A value starts at `pos`.
        pos = skip_ws(bytes, pos);
        let first = *bytes.get(pos)?;
        if record && let Some(node) = value_node {
            trie.record(node, at_offset(pos));
        }
        let descend = trie.descend(value_node);
        match first {
            b'{' | b'[' if descend.is_none() => pos = skip_container(bytes, pos)?,
            b'{' => {
                stack.push(JsonFrame { object: true, node: descend, index: 0 });
                pos = skip_ws(bytes, pos + 1);
                if bytes.get(pos) == Some(&b'}') {
                    stack.pop();
                    pos += 1;
                } else {
                    (pos, value_node) = scan_member(text, pos, descend, trie, &mut key_buf)?;
                    record = false;
                    continue;
                }
            }
            b'[' => {
                stack.push(JsonFrame { object: false, node: descend, index: 0 });
                pos = skip_ws(bytes, pos + 1);
                if bytes.get(pos) == Some(&b']') {
                    stack.pop();
                    pos += 1;
                } else {
                    value_node = descend.and_then(|n| trie.index_child(n, 0));
                    record = true;
                    continue;
                }
            }
            b'"' => pos = skip_string(bytes, pos)?.0,
            _ => {
                let end = skip_scalar(bytes, pos);
                if end == pos {
                    return None;
                }
                pos = end;
            }
        }
        // After a value: close containers until one continues with a comma.
        loop {
            let frame = stack.last_mut()?;
            pos = skip_ws(bytes, pos);
            match *bytes.get(pos)? {
                b',' if frame.object => {
                    let node = frame.node;
                    (pos, value_node) = scan_member(text, pos + 1, node, trie, &mut key_buf)?;
                    record = false;
                    break;
                }
                b',' => {
                    frame.index += 1;
                    value_node = frame.node.and_then(|n| trie.index_child(n, frame.index));
                    record = true;
                    pos += 1;
                    break;
                }
                b'}' if frame.object => {
                    stack.pop();
                    pos += 1;
                }
                b']' if !frame.object => {
                    stack.pop();
                    pos += 1;
                }
                _ => return None,
            }
        }
    }
}

/// Reads `"key":` starting at (or after whitespace before) `pos`, records the key's position if
/// it is on a requested path, and returns the position after the colon and the member's node.
fn scan_member(
    text: &str,
    pos: usize,
    object: Option<usize>,
    trie: &mut Trie,
    key_buf: &mut String,
) -> Option<(usize, Option<usize>)> {
    let bytes = text.as_bytes();
    let start = skip_ws(bytes, pos);
    if bytes.get(start) != Some(&b'"') {
        return None;
    }
    let (end, escaped) = skip_string(bytes, start)?;
    let mut child = None;
    if let Some(object) = object {
        // The key text between the quotes; quotes are ASCII, so these are char boundaries.
        let raw = text.get(start + 1..end - 1)?;
        let key = if escaped {
            unescape_json(raw, key_buf);
            key_buf.as_str()
        } else {
            raw
        };
        child = trie.key_child(object, key);
        if let Some(child) = child {
            trie.record(child, at_offset(start));
        }
    }
    let colon = skip_ws(bytes, end);
    if bytes.get(colon) != Some(&b':') {
        return None;
    }
    Some((colon + 1, child))
}

/// A position known only by its byte offset until [`Trie::fill_json_lines`] runs.
fn at_offset(offset: usize) -> Position {
    Position { line: 0, column: 0, offset }
}

fn skip_ws(bytes: &[u8], pos: usize) -> usize {
    let rest = bytes.get(pos..).unwrap_or(&[]);
    // A byte order mark before the root is skipped like whitespace.
    let (rest, bom) = match rest.strip_prefix("\u{feff}".as_bytes()) {
        Some(after) if pos == 0 => (after, 3),
        _ => (rest, 0),
    };
    pos + bom + rest.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r')).unwrap_or(rest.len())
}

/// Skips a string starting at its opening quote; returns the position after the closing quote
/// and whether the string contains escapes.
fn skip_string(bytes: &[u8], start: usize) -> Option<(usize, bool)> {
    let mut pos = start + 1;
    let mut escaped = false;
    loop {
        let rest = bytes.get(pos..)?;
        let hit = rest.iter().position(|&b| b == b'"' || b == b'\\')?;
        pos += hit;
        if bytes.get(pos) == Some(&b'"') {
            return Some((pos + 1, escaped));
        }
        escaped = true;
        pos += 2;
    }
}

/// Skips a number, `true`, `false` or `null`.
fn skip_scalar(bytes: &[u8], start: usize) -> usize {
    let rest = bytes.get(start..).unwrap_or(&[]);
    start
        + rest
            .iter()
            .position(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}' | b':'))
            .unwrap_or(rest.len())
}

/// Skips a whole object or array by counting brackets outside strings.
fn skip_container(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut pos = start;
    loop {
        let rest = bytes.get(pos..)?;
        pos += rest.iter().position(|b| matches!(b, b'"' | b'[' | b']' | b'{' | b'}'))?;
        match bytes.get(pos)? {
            b'"' => pos = skip_string(bytes, pos)?.0,
            b'[' | b'{' => {
                depth += 1;
                pos += 1;
            }
            _ => {
                depth = depth.saturating_sub(1);
                pos += 1;
                if depth == 0 {
                    return Some(pos);
                }
            }
        }
    }
}

/// Decodes the JSON escapes of a key into `out`; malformed escapes become U+FFFD, which no
/// requested key is expected to contain, so they simply do not match.
fn unescape_json(raw: &str, out: &mut String) {
    out.clear();
    let mut chars = raw.chars();
    while let Some(ch) = chars.next() {
        if ch != '\\' {
            out.push(ch);
            continue;
        }
        let decoded = match chars.next() {
            Some('"') => '"',
            Some('\\') => '\\',
            Some('/') => '/',
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('u') => decode_unicode_escape(&mut chars),
            _ => char::REPLACEMENT_CHARACTER,
        };
        out.push(decoded);
    }
}

/// Decodes the `XXXX` after `\u`, combining a surrogate pair written as two escapes.
fn decode_unicode_escape(chars: &mut std::str::Chars<'_>) -> char {
    let Some(first) = hex4(chars) else {
        return char::REPLACEMENT_CHARACTER;
    };
    if !(0xD800..0xDC00).contains(&first) {
        return char::from_u32(first).unwrap_or(char::REPLACEMENT_CHARACTER);
    }
    // A high surrogate must be followed by `\u` and a low surrogate.
    let mut lookahead = chars.clone();
    if lookahead.next() != Some('\\') || lookahead.next() != Some('u') {
        return char::REPLACEMENT_CHARACTER;
    }
    match hex4(&mut lookahead) {
        Some(second) if (0xDC00..0xE000).contains(&second) => {
            *chars = lookahead;
            let combined = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
            char::from_u32(combined).unwrap_or(char::REPLACEMENT_CHARACTER)
        }
        _ => char::REPLACEMENT_CHARACTER,
    }
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
    let mut value = 0;
    for _ in 0..4 {
        value = value * 16 + chars.next()?.to_digit(16)?;
    }
    Some(value)
}

/// An open YAML collection during the event walk.
enum YamlFrame {
    Seq {
        node: Option<usize>,
        index: usize,
    },
    Map {
        node: Option<usize>,
        /// `None` while a key is expected; `Some(child)` once the key was read and its value
        /// (located under `child`) comes next.
        value: Option<Option<usize>>,
    },
}

/// Walks the first YAML document's events, recording the positions of requested pointers.
/// Aliases are not followed: what they point to is located at the anchor.
fn scan_yaml(text: &str, trie: &mut Trie) {
    let lines = LineIndex::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<YamlFrame> = Vec::new();
    let mut root_seen = false;
    while let Some(Ok((event, span))) = parser.next_event() {
        let starts_node =
            matches!(event, Event::Scalar(..) | Event::Alias(_) | Event::SequenceStart(..) | Event::MappingStart(..));
        if !starts_node {
            match event {
                Event::SequenceEnd | Event::MappingEnd => {
                    stack.pop();
                }
                // Later documents are not part of the spec.
                Event::DocumentEnd | Event::StreamEnd => return,
                _ => {}
            }
            continue;
        }
        let position = || lines.position(span.start.line(), span.start.col());
        // Which trie node this node is, and whether to record it here (members are recorded at
        // their key instead).
        let (node, record) = match stack.last_mut() {
            None if root_seen => return,
            None => {
                root_seen = true;
                (Some(ROOT), true)
            }
            Some(YamlFrame::Seq { node, index }) => {
                let child = node.and_then(|n| trie.index_child(n, *index));
                *index += 1;
                (child, true)
            }
            Some(YamlFrame::Map { node, value: slot @ None }) => {
                // This node is a key. Scalar keys are stringified as the tree builder does;
                // sequence, mapping and alias keys lead nowhere a pointer can name.
                let child = match (&event, *node) {
                    (Event::Scalar(raw, style, _, tag), Some(map)) => {
                        trie.key_child(map, &key_text(raw, *style, tag.as_deref()))
                    }
                    _ => None,
                };
                *slot = Some(child);
                if let Some(child) = child
                    && trie.record(child, position())
                {
                    return;
                }
                match event {
                    Event::SequenceStart(..) => stack.push(YamlFrame::Seq { node: None, index: 0 }),
                    Event::MappingStart(..) => stack.push(YamlFrame::Map { node: None, value: None }),
                    _ => {}
                }
                continue;
            }
            Some(YamlFrame::Map { value: slot @ Some(_), .. }) => (slot.take().flatten(), false),
        };
        if record
            && let Some(node) = node
            && trie.record(node, position())
        {
            return;
        }
        let descend = trie.descend(node);
        match event {
            Event::SequenceStart(..) => stack.push(YamlFrame::Seq { node: descend, index: 0 }),
            Event::MappingStart(..) => stack.push(YamlFrame::Map { node: descend, value: None }),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn pos(line: usize, column: usize, offset: usize) -> Option<Position> {
        Some(Position { line, column, offset })
    }

    /// The position of the first occurrence of `needle` in `text`, computed independently.
    fn find(text: &str, needle: &str) -> Option<Position> {
        let offset = text.find(needle)?;
        Some(crate::source::position_of_offset(text, offset))
    }

    const JSON: &str = r#"{
  "openapi": "3.1.0",
  "paths": {
    "/pets": {
      "get": {"operationId": "listPets", "tags": ["a", "b", {"deep": [10, 20]}]}
    },
    "/pets/{id}": {"delete": {}}
  },
  "components": {
    "schemas": {
      "we\"ird\\key": {"type": "string"},
      "t~ilde": {"type": "integer"},
      "caf\u00e9": {"type": "boolean"},
      "smile\ud83d\ude00": {"type": "null"}
    }
  }
}"#;

    #[test]
    fn json_members_are_located_at_their_keys() {
        let got = locate(
            JSON,
            Format::Json,
            &["", "/openapi", "/paths/~1pets/get", "/paths/~1pets~1{id}/delete", "/components/schemas"],
        );
        assert_eq!(got[0], pos(1, 1, 0));
        assert_eq!(got[1], find(JSON, "\"openapi\""));
        assert_eq!(got[2], find(JSON, "\"get\""));
        assert_eq!(got[3], find(JSON, "\"delete\""));
        assert_eq!(got[4], find(JSON, "\"schemas\""));
    }

    #[test]
    fn json_array_elements_are_located_at_their_values() {
        let got = locate(
            JSON,
            Format::Json,
            &["/paths/~1pets/get/tags/0", "/paths/~1pets/get/tags/1", "/paths/~1pets/get/tags/2/deep/1"],
        );
        assert_eq!(got[0], find(JSON, "\"a\""));
        assert_eq!(got[1], find(JSON, "\"b\""));
        assert_eq!(got[2], find(JSON, "20]"));
    }

    #[test]
    fn json_keys_with_escapes_and_pointer_escapes() {
        let got = locate(
            JSON,
            Format::Json,
            &[
                "/components/schemas/we\"ird\\key/type",
                "/components/schemas/t~0ilde",
                "/components/schemas/café/type",
                "/components/schemas/smile\u{1F600}",
            ],
        );
        let weird = JSON.find("\"we\\\"ird").unwrap();
        let weird_type = JSON[weird..].find("\"type\"").unwrap() + weird;
        assert_eq!(got[0], Some(crate::source::position_of_offset(JSON, weird_type)));
        assert_eq!(got[1], find(JSON, "\"t~ilde\""));
        let cafe = JSON.find("\"caf\\u00e9\"").unwrap();
        let cafe_type = JSON[cafe..].find("\"type\"").unwrap() + cafe;
        assert_eq!(got[2], Some(crate::source::position_of_offset(JSON, cafe_type)));
        assert_eq!(got[3], find(JSON, "\"smile"));
    }

    #[test]
    fn missing_pointers_fall_back_to_the_deepest_ancestor() {
        let got = locate(
            JSON,
            Format::Json,
            &[
                "/paths/~1pets/get/responses",
                "/paths/~1pets/get/tags/7",
                "/paths/~1pets/get/tags/-",
                "/paths/~1pets/get/tags/01",
                "/nope/deeper",
                "/openapi/x",
                "not-a-pointer",
            ],
        );
        let get = find(JSON, "\"get\"");
        assert_eq!(got[0], get);
        let tags = find(JSON, "\"tags\"");
        assert_eq!(got[1], tags);
        assert_eq!(got[2], tags);
        // `01` is not an array index.
        assert_eq!(got[3], tags);
        assert_eq!(got[4], pos(1, 1, 0));
        assert_eq!(got[5], find(JSON, "\"openapi\""));
        assert_eq!(got[6], pos(1, 1, 0));
    }

    #[test]
    fn json_columns_count_characters() {
        let text = "{\"ünï\": 1, \"cödé\": {\"x\": [true, null]}}";
        let got = locate(text, Format::Json, &["/cödé/x/1", "/ünï"]);
        let null = text.find("null").unwrap();
        assert_eq!(got[0], pos(1, text[..null].chars().count() + 1, null));
        assert_eq!(got[0], Some(crate::source::position_of_offset(text, null)));
        assert_eq!(got[1], pos(1, 2, 1));
    }

    #[test]
    fn json_duplicate_pointers_and_empty_requests() {
        assert!(locate(JSON, Format::Json, &[]).is_empty());
        let got = locate(JSON, Format::Json, &["/openapi", "/openapi", "#/openapi"]);
        assert_eq!(got[0], got[1]);
        assert_eq!(got[0], got[2]);
    }

    #[test]
    fn json_root_scalars_and_odd_texts() {
        assert_eq!(locate("  42", Format::Json, &["", "/a"]), vec![pos(1, 3, 2), pos(1, 3, 2)]);
        assert_eq!(locate("", Format::Json, &["", "/a"]), vec![None, None]);
        assert_eq!(locate("   \n ", Format::Json, &[""]), vec![None]);
        assert_eq!(locate("\u{feff}{\"a\": 1}", Format::Json, &["/a"]), vec![pos(1, 3, 4)]);
    }

    #[test]
    fn malformed_json_returns_what_was_found() {
        let text = "{\"a\": {\"b\": 1, \"c\": [1, 2";
        let got = locate(text, Format::Json, &["/a/b", "/a/c/1", "/a/d", "/z"]);
        assert_eq!(got[0], find(text, "\"b\""));
        assert_eq!(got[1], find(text, "2"));
        assert_eq!(got[2], find(text, "\"a\""));
        assert_eq!(got[3], pos(1, 1, 0));
        // Garbage of every kind: no panic, and the root is where the text starts.
        for text in
            ["{", "[", "\"", "{\"a\"", "{\"a\":", "{\"a\" 1}", "[1 2]", "}", "{\"a\\", "{,}", "[[[[", "\u{feff}"]
        {
            let got = locate(text, Format::Json, &["", "/a", "/0/0"]);
            assert_eq!(got.len(), 3);
        }
    }

    #[test]
    fn json_mutations_do_not_panic() {
        let pointers = ["", "/paths/~1pets/get/tags/2/deep/1", "/components/schemas/t~0ilde/type"];
        for end in 0..=JSON.len() {
            if let Some(prefix) = JSON.get(..end) {
                let _ = locate(prefix, Format::Json, &pointers);
            }
        }
        let chars: Vec<char> = JSON.chars().collect();
        for i in 0..chars.len() {
            for s in ['{', '}', '[', ']', '"', '\\', ',', ':', 'u'] {
                let mut mutated = chars.clone();
                mutated[i] = s;
                let text: String = mutated.into_iter().collect();
                let _ = locate(&text, Format::Json, &pointers);
            }
        }
    }

    #[test]
    fn deep_json_does_not_overflow() {
        let depth = 200_000;
        let text = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let deep = "/0".repeat(depth);
        let got = locate(&text, Format::Json, &[deep.as_str(), "/1"]);
        assert_eq!(got[0], pos(1, depth + 1, depth));
        assert_eq!(got[1], pos(1, 1, 0));
        // The same depth where nothing is requested goes through the bracket-counting skip.
        let text = format!("{{\"a\": {}1{}, \"b\": 2}}", "[".repeat(depth), "]".repeat(depth));
        let got = locate(&text, Format::Json, &["/b"]);
        assert_eq!(got[0], find(&text, "\"b\""));
    }

    #[test]
    fn large_json_is_fast() {
        // About 5 MB: many operations with nested schemas; the targets sit near the end.
        let mut text = String::from("{\"paths\": {");
        let count = 20_000;
        for i in 0..count {
            if i > 0 {
                text.push(',');
            }
            text.push_str(&format!(
                "\n  \"/items/{i}\": {{\"get\": {{\"operationId\": \"op{i}\", \"tags\": [\"t\\u0041\", \"x\"], \
                 \"responses\": {{\"200\": {{\"description\": \"ok ü\", \"content\": {{\"application/json\": \
                 {{\"schema\": {{\"type\": \"object\", \"properties\": {{\"id\": {{\"type\": \"integer\"}}, \
                 \"name\": {{\"type\": \"string\", \"maxLength\": 100}}}}}}}}}}}}}}}}}}"
            ));
        }
        text.push_str("\n}}\n");
        assert!(text.len() > 4_000_000, "{}", text.len());
        assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
        let last = count - 1;
        let pointers = [
            format!("/paths/~1items~1{last}/get/responses/200/content/application~1json/schema/properties/name"),
            format!("/paths/~1items~1{last}/get/tags/1"),
            "/paths/~1items~1123/get/missing".to_owned(),
            "/paths/~1nothing".to_owned(),
        ];
        let refs: Vec<&str> = pointers.iter().map(String::as_str).collect();
        let started = Instant::now();
        let got = locate(&text, Format::Json, &refs);
        let elapsed = started.elapsed();
        assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");
        let op = text.find(&format!("\"/items/{last}\"")).unwrap();
        let name = text[op..].find("\"name\"").unwrap() + op;
        assert_eq!(got[0], Some(crate::source::position_of_offset(&text, name)));
        let x = text[op..].find("\"x\"").unwrap() + op;
        assert_eq!(got[1], Some(crate::source::position_of_offset(&text, x)));
        let op123 = text.find("\"/items/123\"").unwrap();
        let get123 = text[op123..].find("\"get\"").unwrap() + op123;
        assert_eq!(got[2], Some(crate::source::position_of_offset(&text, get123)));
        assert_eq!(got[3], find(&text, "\"paths\""));
    }

    const YAML: &str = "\
openapi: 3.1.0
paths:
  /pets:
    get:
      operationId: listPets
      tags: [a, b, {deep: [10, 20]}]
      parameters:
        - name: limit
          in: query
        - name: 'offset'
  /pets/{id}: {delete: {}}
components:
  responses:
    200: {description: ok}
    'x~y': {description: tilde}
";

    #[test]
    fn yaml_block_style() {
        let got = locate(
            YAML,
            Format::Yaml,
            &[
                "",
                "/openapi",
                "/paths/~1pets/get",
                "/paths/~1pets/get/parameters/0",
                "/paths/~1pets/get/parameters/1/name",
                "/components/responses/200/description",
                "/components/responses/x~0y",
            ],
        );
        assert_eq!(got[0], pos(1, 1, 0));
        assert_eq!(got[1], pos(1, 1, 0));
        assert_eq!(got[2], find(YAML, "get:"));
        assert_eq!(got[3], find(YAML, "name: limit"));
        assert_eq!(got[4], find(YAML, "name: 'offset'"));
        assert_eq!(got[5], find(YAML, "description: ok"));
        assert_eq!(got[6], find(YAML, "'x~y'"));
    }

    #[test]
    fn yaml_flow_style() {
        let got = locate(
            YAML,
            Format::Yaml,
            &["/paths/~1pets/get/tags/1", "/paths/~1pets/get/tags/2/deep/1", "/paths/~1pets~1{id}/delete"],
        );
        assert_eq!(got[0], find(YAML, "b,"));
        assert_eq!(got[1], find(YAML, "20]"));
        assert_eq!(got[2], find(YAML, "delete"));
        let flow = "{a: [1, {b: x}], 'c': \"d\"}";
        let got = locate(flow, Format::Yaml, &["/a/1/b", "/c", "/a/5"]);
        assert_eq!(got[0], pos(1, 10, 9));
        assert_eq!(got[1], pos(1, 18, 17));
        assert_eq!(got[2], pos(1, 2, 1));
    }

    #[test]
    fn yaml_missing_pointers_fall_back() {
        let got = locate(YAML, Format::Yaml, &["/paths/~1pets/get/summary", "/paths/~1cats", "/x"]);
        assert_eq!(got[0], find(YAML, "get:"));
        assert_eq!(got[1], find(YAML, "paths:"));
        assert_eq!(got[2], pos(1, 1, 0));
    }

    #[test]
    fn yaml_multibyte_characters_before_the_target() {
        let text = "títle: ünïcödé\nnäme: {kéy: [x, ÿ]}\n";
        let got = locate(text, Format::Yaml, &["/näme/kéy/1", "/näme"]);
        let offset = text.find('ÿ').unwrap();
        assert_eq!(got[0], pos(2, 17, offset));
        assert_eq!(got[0], Some(crate::source::position_of_offset(text, offset)));
        assert_eq!(got[1], pos(2, 1, text.find("näme").unwrap()));
    }

    #[test]
    fn yaml_complex_keys_and_aliases_do_not_confuse_paths() {
        let text = "a: &x {k: 1}\n? [p, q]\n: {k: 2}\nb: *x\nc:\n  k: 3\n";
        let got = locate(text, Format::Yaml, &["/c/k", "/b/k", "/a/k"]);
        assert_eq!(got[0], find(text, "k: 3"));
        // Aliases are not followed; the alias itself stands for its content.
        assert_eq!(got[1], find(text, "b: *x"));
        assert_eq!(got[2], find(text, "k: 1"));
    }

    #[test]
    fn yaml_only_the_first_document_counts_and_errors_stop_quietly() {
        let text = "a: 1\n---\nb: 2\n";
        assert_eq!(locate(text, Format::Yaml, &["/b", "/a"]), vec![pos(1, 1, 0), pos(1, 1, 0)]);
        let text = "a:\n  b: 1\n  c: [1, 2\nd: 3\n";
        let got = locate(text, Format::Yaml, &["/a/b", "/d"]);
        assert_eq!(got[0], find(text, "b: 1"));
        assert_eq!(got[1], pos(1, 1, 0));
        assert_eq!(locate("", Format::Yaml, &[""]), vec![None]);
        assert_eq!(locate("# nothing\n", Format::Yaml, &["/a"]), vec![None]);
        let chars: Vec<char> = YAML.chars().collect();
        for i in 0..chars.len() {
            for s in ['{', '}', '[', ']', '"', ':', '-', '&', '*', '\n', ' ', '?'] {
                let mut mutated = chars.clone();
                mutated[i] = s;
                let text: String = mutated.into_iter().collect();
                let _ = locate(&text, Format::Yaml, &["/paths/~1pets/get/tags/1", "/components"]);
            }
        }
    }

    #[test]
    fn yaml_non_string_keys_match_their_string_form() {
        let text = "responses:\n  200:\n    description: ok\n  default: {}\nflags:\n  true: 1\n  ~: 2\n";
        let got = locate(text, Format::Yaml, &["/responses/200/description", "/flags/true", "/flags/null"]);
        assert_eq!(got[0], find(text, "description"));
        assert_eq!(got[1], find(text, "true: 1"));
        assert_eq!(got[2], find(text, "~: 2"));
    }

    #[test]
    fn segment_helpers() {
        assert_eq!(unescape_segment("a~1b~0c"), "a/b~c");
        assert_eq!(unescape_segment("~01"), "~1");
        assert_eq!(array_index("0"), Some(0));
        assert_eq!(array_index("12"), Some(12));
        assert_eq!(array_index("012"), None);
        assert_eq!(array_index("-"), None);
        assert_eq!(array_index(""), None);
        assert_eq!(array_index("99999999999999999999999"), None);
        let mut out = String::new();
        unescape_json(r#"a\"b\\c\/d\n\u00e9\ud83d\ude00\ud83dx\uZZZZ\q"#, &mut out);
        assert_eq!(out, "a\"b\\c/d\né\u{1F600}\u{FFFD}x\u{FFFD}ZZZ\u{FFFD}");
    }
}
