//! Stable names: the Rust names one run gave each type and operation, keyed by where they come
//! from in the spec, so a later run on a revised spec keeps them (the data of `spec-gen.lock`;
//! the file format and where it lives are the generator's business).
//!
//! Lowering names items from the spec alone: a component by its key, an inline schema by its
//! place, and a collision gives the later claimant a numbered name (`Pet2`). So a revision can
//! rename items it did not touch: a new component `PetStatus` takes that name from the inline enum
//! of `Pet.status` (which becomes `PetStatus2`), reordered components swap their numbers, an inline
//! schema moved elsewhere takes a name from its new place. [`pin`] gives back every name [`Pins`]
//! recorded for an item still there, found by location or, for an inline schema that moved, by
//! its content; a newcomer that wanted a pinned name gets the next free one instead.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::SourceSet;
use crate::ir::{Ir, TypeKind, TypeRef, View};
use crate::lower::names::{RESERVED_TYPES, Scope, is_keyword};
use crate::lower::schema::ContentHash;

/// The names of one root spec's items, by key (see [`type_keys`] and [`operation_key`]).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pins {
    pub types: BTreeMap<String, Pin>,
    pub operations: BTreeMap<String, Pin>,
}

/// One pinned name; `shape` (inline schemas only) identifies the schema's content, so the name
/// follows the schema when it moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    pub name: String,
    pub shape: Option<String>,
}

/// The key of every type, in type order: its [`place`], then ` request` or ` response` for the
/// two views of one schema, then ` #2`, ` #3`… for further types lowered from the same place
/// (a polymorphic component's `…Base`).
pub fn type_keys(ir: &Ir, src: &SourceSet) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    ir.types
        .iter()
        .map(|t| {
            let mut key = place(src, &t.origin);
            match t.view {
                View::Both => {}
                View::Request => key.push_str(" request"),
                View::Response => key.push_str(" response"),
            }
            let n = seen.entry(key.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                key.push_str(&format!(" #{n}"));
            }
            key
        })
        .collect()
}

/// The key of an operation: its [`place`] (`#/paths/~1pets/get`).
pub fn operation_key(op: &crate::ir::Operation, src: &SourceSet) -> String {
    place(src, &op.origin)
}

/// Where an item is declared: `#pointer` in the root spec (so renaming the root file keeps the
/// pins valid), `file#pointer` in another file, named relative to the root spec's folder.
pub fn place(src: &SourceSet, origin: &crate::Origin) -> String {
    if origin.file.0 == 0 {
        format!("#{}", origin.pointer)
    } else {
        format!("{}#{}", src.file(origin.file).display, origin.pointer)
    }
}

/// The names `ir` has now, as pins.
pub fn record(ir: &Ir, src: &SourceSet) -> Pins {
    let types = type_keys(ir, src)
        .into_iter()
        .zip(&ir.types)
        .map(|(key, t)| {
            let shape = if t.spec_name.is_none() { shape_of(src, &t.origin) } else { None };
            (key, Pin { name: t.name.clone(), shape })
        })
        .collect();
    let operations =
        ir.operations.iter().map(|op| (operation_key(op, src), Pin { name: op.name.clone(), shape: None })).collect();
    Pins { types, operations }
}

/// Puts the pinned names back on `ir`'s types and operations. A pin naming something that no
/// longer exists is ignored, as is one that is not a usable identifier or that another pin
/// already holds (a hand-edited lock), so the result is always a valid set of unique names.
pub fn pin(ir: &mut Ir, src: &SourceSet, pins: &Pins) {
    let keys = type_keys(ir, src);
    let mut wanted: Vec<Option<&str>> = keys.iter().map(|k| pins.types.get(k).map(|p| p.name.as_str())).collect();
    follow_moves(ir, src, pins, &keys, &mut wanted);
    let names = settle(ir.types.iter().map(|t| t.name.as_str()).collect(), wanted, false);
    let mut renamed: HashMap<usize, (String, String)> = HashMap::new();
    for (i, name) in names.into_iter().enumerate() {
        if name != ir.types[i].name {
            let old = std::mem::replace(&mut ir.types[i].name, name.clone());
            renamed.insert(i, (old, name));
        }
    }
    rename_union_variants(ir, &renamed);

    let wanted =
        ir.operations.iter().map(|op| pins.operations.get(&operation_key(op, src)).map(|p| p.name.as_str())).collect();
    let names = settle(ir.operations.iter().map(|o| o.name.as_str()).collect(), wanted, true);
    for (op, name) in ir.operations.iter_mut().zip(names) {
        op.name = name;
    }
}

/// Inline schemas whose pinned location is gone: when exactly one unpinned inline type has the
/// content a vanished pin recorded, and no other vanished pin recorded it too, the name follows.
fn follow_moves<'p>(ir: &Ir, src: &SourceSet, pins: &'p Pins, keys: &[String], wanted: &mut [Option<&'p str>]) {
    let present: HashSet<&str> = keys.iter().map(String::as_str).collect();
    // By content and view: the request and response views of one schema have the same content.
    let mut vanished: HashMap<(&str, View), Vec<&str>> = HashMap::new();
    for (key, p) in &pins.types {
        if let (false, Some(shape)) = (present.contains(key.as_str()), &p.shape) {
            vanished.entry((shape.as_str(), view_of_key(key))).or_default().push(p.name.as_str());
        }
    }
    if vanished.is_empty() {
        return;
    }
    let mut candidates: HashMap<(String, View), Vec<usize>> = HashMap::new();
    for (i, t) in ir.types.iter().enumerate() {
        if wanted[i].is_none() && t.spec_name.is_none() {
            if let Some(shape) = shape_of(src, &t.origin) {
                if vanished.contains_key(&(shape.as_str(), t.view)) {
                    candidates.entry((shape, t.view)).or_default().push(i);
                }
            }
        }
    }
    for ((shape, view), ids) in candidates {
        if let ([id], [name]) = (ids.as_slice(), vanished[&(shape.as_str(), view)].as_slice()) {
            wanted[*id] = Some(name);
        }
    }
}

/// The view a type key names (see [`type_keys`]).
fn view_of_key(key: &str) -> View {
    let key = match key.rsplit_once(" #") {
        Some((rest, n)) if n.bytes().all(|b| b.is_ascii_digit()) => rest,
        _ => key,
    };
    if key.ends_with(" request") {
        View::Request
    } else if key.ends_with(" response") {
        View::Response
    } else {
        View::Both
    }
}

/// Final names: each wanted name that is usable and not wanted earlier, then every other item
/// keeps its current name when free, or takes the next free numbered one.
fn settle(current: Vec<&str>, mut wanted: Vec<Option<&str>>, snake: bool) -> Vec<String> {
    let mut held = HashSet::new();
    for w in wanted.iter_mut() {
        if let Some(name) = *w {
            if !usable(name, snake) || !held.insert(name) {
                *w = None;
            }
        }
    }
    let mut scope = Scope::with_reserved(held.iter().copied());
    current
        .into_iter()
        .zip(wanted)
        .map(|(now, want)| match want {
            Some(name) => name.to_owned(),
            None => scope.claim(now.to_owned(), snake),
        })
        .collect()
}

/// Whether a hand-edited pin is still an identifier lowering could have produced.
fn usable(name: &str, snake: bool) -> bool {
    let mut chars = name.chars();
    let first_ok = match chars.next() {
        Some(c) if snake => c.is_ascii_lowercase() || c == '_',
        Some(c) => c.is_ascii_uppercase() || c == '_',
        None => false,
    };
    let rest_ok = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let case_ok = if snake { !name.chars().any(|c| c.is_ascii_uppercase()) } else { true };
    first_ok && rest_ok && case_ok && name != "_" && !is_keyword(name) && (snake || !RESERVED_TYPES.contains(&name))
}

/// A union variant named after its type follows the type's new name (unless another variant of
/// the same union has that name).
fn rename_union_variants(ir: &mut Ir, renamed: &HashMap<usize, (String, String)>) {
    if renamed.is_empty() {
        return;
    }
    for t in &mut ir.types {
        let TypeKind::Union(u) = &mut t.kind else { continue };
        for i in 0..u.variants.len() {
            let TypeRef::Named(id) = u.variants[i].ty else { continue };
            let Some((old, new)) = renamed.get(&id.0) else { continue };
            if u.variants[i].name == *old && !u.variants.iter().any(|v| v.name == *new) {
                u.variants[i].name = new.clone();
            }
        }
    }
}

/// The content digest of the schema at `origin`, as 16 hex digits.
fn shape_of(src: &SourceSet, origin: &crate::Origin) -> Option<String> {
    let value = src.file(origin.file).value.pointer(&origin.pointer)?;
    Some(format!("{:016x}", ContentHash::of(value).0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_their_view() {
        assert_eq!(view_of_key("#/components/schemas/Pet/properties/name request"), View::Request);
        assert_eq!(view_of_key("#/components/schemas/Pet response #2"), View::Response);
        assert_eq!(view_of_key("#/components/schemas/Pet #2"), View::Both);
        assert_eq!(view_of_key("#/components/schemas/a request #x"), View::Both);
    }

    #[test]
    fn settle_gives_pinned_names_first_and_numbers_newcomers() {
        // A newcomer (0) derived `PetStatus`, which the lock gives to item 1 (now `PetStatus2`).
        let names = settle(vec!["PetStatus", "PetStatus2"], vec![None, Some("PetStatus")], false);
        assert_eq!(names, ["PetStatus2", "PetStatus"]);
        // Two pins on one name (a hand-edited lock): the first keeps it.
        let names = settle(vec!["A", "B"], vec![Some("C"), Some("C")], false);
        assert_eq!(names, ["C", "B"]);
        // Pins that are not identifiers are ignored.
        let names = settle(vec!["a", "b"], vec![Some("not a name"), Some("fn")], true);
        assert_eq!(names, ["a", "b"]);
    }
}
