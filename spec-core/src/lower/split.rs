//! Which schemas need separate request and response types.
//!
//! A schema needs the split when a property inside it is `readOnly` or `writeOnly`, or when it
//! contains (through properties, items, maps or compositions) a schema that needs it. The answer
//! for every `$ref` target is computed once up front by propagating over the reference graph, so
//! recursive schemas get an exact answer instead of a guess cut at the first cycle.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::diag::Origin;
use crate::refs::RefTable;
use crate::source::{FileId, SourceSet};

#[derive(Debug, Default)]
pub struct SplitTable {
    /// `$ref` targets that need the split.
    targets: HashSet<Origin>,
    /// Answers for other schemas (inline ones), computed on demand.
    memo: RefCell<HashMap<Origin, bool>>,
    /// Targets that are themselves marked readOnly/writeOnly at their root.
    marked_roots: HashSet<Origin>,
    enabled: bool,
}

/// What one scan of a schema subtree (not following `$ref`s) finds.
struct Scan {
    direct: bool,
    edges: Vec<Origin>,
}

impl SplitTable {
    /// A table that never splits (JSON Schema documents: readOnly/writeOnly are annotations there).
    pub fn disabled() -> Self {
        SplitTable::default()
    }

    pub fn build(src: &SourceSet, refs: &RefTable) -> Self {
        let mut table = SplitTable { enabled: true, ..Default::default() };
        // Every schema a `$ref` anywhere points at.
        let mut targets: Vec<Origin> = Vec::new();
        let mut seen = HashSet::new();
        for id in src.ids() {
            each_ref(&src.file(id).value, |reference| {
                if let Ok(t) = refs.resolve(src, id, reference) {
                    let origin = t.origin();
                    if seen.insert(origin.clone()) {
                        targets.push(origin);
                    }
                }
            });
        }
        for t in &targets {
            if let Some(v) = value_at(src, t) {
                if is_marked(v) {
                    table.marked_roots.insert(t.clone());
                }
            }
        }
        let mut direct = HashSet::new();
        let mut reverse: HashMap<Origin, Vec<Origin>> = HashMap::new();
        for t in &targets {
            let Some(v) = value_at(src, t) else { continue };
            let scan = table.scan(src, refs, t.file, v);
            if scan.direct {
                direct.insert(t.clone());
            }
            for e in scan.edges {
                reverse.entry(e).or_default().push(t.clone());
            }
        }
        // Propagate "needs split" from each directly marked schema to everything containing it.
        let mut work: Vec<Origin> = direct.iter().cloned().collect();
        work.sort();
        let mut needs = direct;
        while let Some(t) = work.pop() {
            if let Some(parents) = reverse.get(&t) {
                for p in parents {
                    if needs.insert(p.clone()) {
                        work.push(p.clone());
                    }
                }
            }
        }
        table.targets = needs;
        table
    }

    /// Whether the schema at `at` needs request and response views.
    pub fn needs_split_at(&self, src: &SourceSet, refs: &RefTable, at: &Origin) -> bool {
        if !self.enabled {
            return false;
        }
        if self.targets.contains(at) {
            return true;
        }
        if let Some(answer) = self.memo.borrow().get(at) {
            return *answer;
        }
        let answer = match value_at(src, at) {
            Some(v) => {
                let scan = self.scan(src, refs, at.file, v);
                scan.direct || scan.edges.iter().any(|e| self.targets.contains(e))
            }
            None => false,
        };
        self.memo.borrow_mut().insert(at.clone(), answer);
        answer
    }

    fn scan(&self, src: &SourceSet, refs: &RefTable, file: FileId, root: &Value) -> Scan {
        let mut scan = Scan { direct: false, edges: Vec::new() };
        let mut stack: Vec<(&Value, bool)> = vec![(root, true)];
        while let Some((v, is_root)) = stack.pop() {
            match v {
                Value::Object(map) => {
                    if let Some(Value::String(reference)) = map.get("$ref") {
                        if let Ok(t) = refs.resolve(src, file, reference) {
                            let origin = t.origin();
                            if self.marked_roots.contains(&origin) && !is_root {
                                scan.direct = true;
                            }
                            scan.edges.push(origin);
                        }
                        if !is_root {
                            continue;
                        }
                    }
                    if !is_root && is_marked(v) {
                        scan.direct = true;
                    }
                    for (key, child) in map {
                        // Example payloads are data, not schemas.
                        if matches!(key.as_str(), "example" | "examples" | "default" | "enum" | "const") {
                            continue;
                        }
                        stack.push((child, false));
                    }
                }
                Value::Array(items) => stack.extend(items.iter().map(|i| (i, false))),
                _ => {}
            }
        }
        scan
    }
}

fn is_marked(v: &Value) -> bool {
    v.get("readOnly").and_then(Value::as_bool) == Some(true)
        || v.get("writeOnly").and_then(Value::as_bool) == Some(true)
}

fn value_at<'a>(src: &'a SourceSet, at: &Origin) -> Option<&'a Value> {
    src.file(at.file).value.pointer(&at.pointer)
}

/// Calls `f` with every `$ref` string in a document, iteratively.
pub(crate) fn each_ref(root: &Value, mut f: impl FnMut(&str)) {
    let mut stack = vec![root];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    f(r);
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
}
