//! Generating part of a spec: the operations a user selects by tag or by operationId, and only
//! the types they reach. Large specs (cloud provider APIs with hundreds of operations) are often
//! used for a handful of operations; generating the rest costs the user compile time.

use crate::ir::{Additional, Ir, Operation, TypeId, TypeKind, TypeRef};

/// Which operations to keep: those with any of `tags`, or whose operationId (or, without one,
/// generated snake_case name) is in `operations`. Empty: everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub tags: Vec<String>,
    pub operations: Vec<String>,
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && self.operations.is_empty()
    }

    fn keeps(&self, op: &Operation) -> bool {
        op.tags.iter().any(|t| self.tags.contains(t)) || self.operations.iter().any(|o| is_called(op, o))
    }
}

/// Whether `op` has operationId `name`, or, without one, the generated name `name`.
fn is_called(op: &Operation, name: &str) -> bool {
    op.operation_id.as_deref() == Some(name) || op.name == name
}

/// Keeps the selected operations and the types they reach, in spec order, with their names (so
/// selecting never renames a type). A selector that matches no operation is an error naming the
/// choices, since a typo would otherwise generate an empty API.
pub fn select(ir: &mut Ir, selection: &Selection) -> Result<(), String> {
    if selection.is_empty() {
        return Ok(());
    }
    for tag in &selection.tags {
        if !ir.operations.iter().any(|op| op.tags.contains(tag)) {
            let mut known: Vec<&str> = ir.operations.iter().flat_map(|op| op.tags.iter().map(String::as_str)).collect();
            known.sort_unstable();
            known.dedup();
            return Err(format!("no operation has the tag `{tag}`; the spec's tags: {}", listed(&known)));
        }
    }
    for wanted in &selection.operations {
        if !ir.operations.iter().any(|op| is_called(op, wanted)) {
            let known: Vec<&str> =
                ir.operations.iter().map(|op| op.operation_id.as_deref().unwrap_or(&op.name)).collect();
            return Err(format!("no operation is called `{wanted}`; the spec's operations: {}", listed(&known)));
        }
    }
    ir.operations.retain(|op| selection.keeps(op));
    let kept = reachable(ir);
    let mut new_id = vec![None; ir.types.len()];
    for (next, old) in kept.iter().enumerate() {
        new_id[*old] = Some(TypeId(next));
    }
    let types = std::mem::take(&mut ir.types);
    ir.types = types.into_iter().enumerate().filter(|(i, _)| new_id[*i].is_some()).map(|(_, t)| t).collect();
    let mut remap = |r: &mut TypeRef| renumber(r, &new_id);
    for def in &mut ir.types {
        each_ref_of_kind(&mut def.kind, &mut remap);
    }
    for op in &mut ir.operations {
        each_ref_of_operation(op, &mut remap);
    }
    Ok(())
}

fn listed(names: &[&str]) -> String {
    const SHOWN: usize = 20;
    let mut text = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    if text.is_empty() { "none".to_owned() } else { text }
}

/// The indexes of the types the operations reach, directly or through other types, ascending.
fn reachable(ir: &mut Ir) -> Vec<usize> {
    let mut seen = vec![false; ir.types.len()];
    let mut work = Vec::new();
    let mut visit = |r: &mut TypeRef| named_in(r, &mut work);
    for op in &mut ir.operations {
        each_ref_of_operation(op, &mut visit);
    }
    while let Some(id) = work.pop() {
        if std::mem::replace(&mut seen[id], true) {
            continue;
        }
        let mut found = Vec::new();
        each_ref_of_kind(&mut ir.types[id].kind, &mut |r: &mut TypeRef| named_in(r, &mut found));
        work.extend(found.into_iter().filter(|&i| !seen[i]));
    }
    (0..seen.len()).filter(|&i| seen[i]).collect()
}

fn named_in(r: &TypeRef, out: &mut Vec<usize>) {
    match r {
        TypeRef::Named(id) => out.push(id.0),
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => named_in(inner, out),
        TypeRef::Tuple(items) => items.iter().for_each(|i| named_in(i, out)),
        TypeRef::Primitive(_) | TypeRef::Object | TypeRef::Any => {}
    }
}

fn renumber(r: &mut TypeRef, new_id: &[Option<TypeId>]) {
    match r {
        // Every reachable type was kept, so a reference always finds its new index.
        TypeRef::Named(id) => *id = new_id[id.0].unwrap_or(*id),
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => renumber(inner, new_id),
        TypeRef::Tuple(items) => items.iter_mut().for_each(|i| renumber(i, new_id)),
        TypeRef::Primitive(_) | TypeRef::Object | TypeRef::Any => {}
    }
}

/// Calls `f` on every type reference a type definition holds.
fn each_ref_of_kind(kind: &mut TypeKind, f: &mut impl FnMut(&mut TypeRef)) {
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter_mut().for_each(|field| f(&mut field.ty));
            if let Additional::Map(value) = &mut s.additional {
                f(value);
            }
        }
        TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| f(&mut v.ty)),
        TypeKind::Newtype(n) => f(&mut n.inner),
        TypeKind::Alias(target) => f(target),
        TypeKind::Enum(_) => {}
    }
}

/// Calls `f` on every type reference an operation holds: parameters, bodies, response bodies
/// and response headers.
fn each_ref_of_operation(op: &mut Operation, f: &mut impl FnMut(&mut TypeRef)) {
    op.params.iter_mut().for_each(|p| f(&mut p.ty));
    let bodies = op.body.iter_mut().flat_map(|b| b.contents.iter_mut());
    let responses = op.responses.iter_mut().flat_map(|r| r.contents.iter_mut());
    bodies.chain(responses).filter_map(|c| c.ty.as_mut()).for_each(&mut *f);
    op.responses.iter_mut().flat_map(|r| r.headers.iter_mut()).for_each(|h| f(&mut h.ty));
}
