//! Lints: what a spec may legally say but a team wants to hear about. `cargo spec-gen validate`
//! runs them after the pipeline; `generate` does not (they change no code).
//!
//! - `missing-operation-id`: the operation's name is derived from method and path, so it changes
//!   when the path does (and with it every generated method and type name of the operation);
//! - `unused-component`: a component of the root document no `$ref` (or discriminator mapping)
//!   reaches;
//! - `example-mismatch`: an example (schema, parameter or media type) that does not fit its own
//!   schema: the spec contradicts itself, and generated tests built from it would fail;
//! - `unsatisfiable`: a schema no finite value satisfies (it requires a non-nullable member of its
//!   own type, directly or around a cycle): no request or response can carry it.

use serde_json::Value;

use crate::Loaded;
use crate::diag::{Diagnostic, Diagnostics, Origin, push_escaped};
use crate::ir::{Additional, Ir, Primitive, TypeId, TypeKind, TypeRef};
use crate::source::FileId;

/// Every lint finding, unlocated (the caller locates them with the rest).
pub fn lint(ir: &Ir, loaded: &Loaded) -> Diagnostics {
    let mut diags = Diagnostics::default();
    missing_operation_ids(ir, &mut diags);
    // In a document without operations (data models only) the components are the point.
    if !ir.operations.is_empty() {
        unused_components(loaded, &mut diags);
    }
    example_mismatches(ir, &mut diags);
    unsatisfiable(ir, &mut diags);
    diags
}

fn unsatisfiable(ir: &Ir, diags: &mut Diagnostics) {
    let known = inhabited(ir);
    for (def, _) in ir.types.iter().zip(&known).filter(|(_, ok)| !**ok) {
        let members: Vec<String> = match &def.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter(|f| f.required && !f.nullable && !satisfiable(&known, &f.ty))
                .map(|f| format!("`{}`", f.json_name))
                .collect(),
            _ => Vec::new(),
        };
        let why = if members.is_empty() {
            "every alternative refers back to it".to_owned()
        } else {
            format!("its required member {} refers back to it and is not nullable", members.join(", "))
        };
        diags.push(Diagnostic::warning(
            "unsatisfiable",
            def.origin.clone(),
            format!("no finite value satisfies `{}`: {why}; make the member optional or nullable", def.name),
        ));
    }
}

/// Per named type, whether some finite JSON value satisfies it. A struct that requires a
/// non-nullable member of its own type (directly or around a cycle) admits none, and neither does
/// whatever requires it; found as the least fixpoint of "has a value".
pub fn inhabited(ir: &Ir) -> Vec<bool> {
    let mut known = vec![false; ir.types.len()];
    loop {
        let mut changed = false;
        for (index, def) in ir.types.iter().enumerate() {
            if known[index] {
                continue;
            }
            let has_value = match &def.kind {
                TypeKind::Struct(s) => {
                    s.fields.iter().filter(|f| f.required && !f.nullable).all(|f| satisfiable(&known, &f.ty))
                }
                TypeKind::Enum(_) => true,
                TypeKind::Union(u) => u.variants.is_empty() || u.variants.iter().any(|v| satisfiable(&known, &v.ty)),
                TypeKind::Newtype(n) => satisfiable(&known, &n.inner),
                TypeKind::Alias(t) => satisfiable(&known, t),
            };
            if has_value {
                known[index] = true;
                changed = true;
            }
        }
        if !changed {
            return known;
        }
    }
}

/// Whether a value of `ty` exists, given which named types have one (an empty list or map and
/// `null` always do).
pub fn satisfiable(known: &[bool], ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => known.get(id.0).copied().unwrap_or(true),
        TypeRef::Tuple(items) => items.iter().all(|item| satisfiable(known, item)),
        _ => true,
    }
}

fn missing_operation_ids(ir: &Ir, diags: &mut Diagnostics) {
    for op in ir.operations.iter().filter(|o| o.operation_id.is_none()) {
        diags.push(
            Diagnostic::warning(
                "missing-operation-id",
                op.origin.clone(),
                format!(
                    "`{} {}` has no operationId; its generated name `{}` comes from the method and path and changes with them",
                    op.method.as_str().to_uppercase(),
                    op.path,
                    op.name
                ),
            )
            .with_help("give it an `operationId`"),
        );
    }
}

/// The component sections a `$ref` can name.
const SECTIONS: [&str; 9] =
    ["schemas", "parameters", "responses", "requestBodies", "headers", "examples", "links", "callbacks", "pathItems"];

fn unused_components(loaded: &Loaded, diags: &mut Diagnostics) {
    let root = FileId(0);
    let Some(components) = loaded.sources.files.first().and_then(|f| f.value.get("components")) else { return };
    // Every pointer into the root file that a `$ref` (or a discriminator mapping) names.
    let mut targets: Vec<String> = Vec::new();
    for id in loaded.sources.ids() {
        let mut refs = Vec::new();
        collect_refs(&loaded.sources.file(id).value, &mut refs, 0);
        for reference in refs {
            // A bare mapping value (`Dog`) names a schema of the root document.
            let reference = if reference.contains('#') || reference.contains('/') || reference.contains('.') {
                reference
            } else {
                format!("#/components/schemas/{reference}")
            };
            if let Ok(target) = loaded.refs.resolve(&loaded.sources, id, &reference) {
                if target.file == root {
                    targets.push(target.pointer);
                }
            }
        }
    }
    for section in SECTIONS {
        let Some(Value::Object(entries)) = components.get(section) else { continue };
        for key in entries.keys() {
            let mut pointer = format!("/components/{section}/");
            push_escaped(&mut pointer, key);
            let prefix = format!("{pointer}/");
            if !targets.iter().any(|t| *t == pointer || t.starts_with(&prefix)) {
                diags.push(Diagnostic::warning(
                    "unused-component",
                    Origin::new(root, pointer.clone()),
                    format!("`{section}/{key}` is not referenced anywhere in the spec"),
                ));
            }
        }
    }
}

/// `$ref` values and discriminator mapping values, anywhere in `value`.
fn collect_refs(value: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 256 {
        return;
    }
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                match (key.as_str(), member) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    ("mapping", Value::Object(mapping)) => {
                        out.extend(mapping.values().filter_map(Value::as_str).map(str::to_owned));
                    }
                    _ => collect_refs(member, out, depth + 1),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, out, depth + 1)),
        _ => {}
    }
}

fn example_mismatches(ir: &Ir, diags: &mut Diagnostics) {
    let mut report = |origin: Origin, ty: &TypeRef, value: &Value| {
        if let Err((pointer, reason)) = conforms(ir, ty, value, String::new(), 0) {
            let at = if pointer.is_empty() { String::new() } else { format!(" at `{pointer}`") };
            diags.push(Diagnostic::warning(
                "example-mismatch",
                origin,
                format!("this example does not fit its schema{at}: {reason}"),
            ));
        }
    };
    // A schema with readOnly/writeOnly members has two views; its examples are checked once.
    let viewed = ir.types.iter().enumerate().filter(|(_, d)| d.view != crate::ir::View::Request);
    for (index, def) in viewed {
        let ty = TypeRef::Named(TypeId(index));
        for value in &def.examples {
            report(def.origin.child("example"), &ty, value);
        }
    }
    for op in &ir.operations {
        for p in &op.params {
            for e in p.examples.iter().filter(|e| e.value.is_some()) {
                report(e.origin.clone(), &p.ty, e.value.as_ref().unwrap_or(&Value::Null));
            }
        }
        let bodies = op.body.iter().flat_map(|b| &b.contents);
        let responses = op.responses.iter().flat_map(|r| &r.contents);
        for c in bodies.chain(responses).filter(|c| c.kind == crate::ir::MediaKind::Json) {
            let Some(ty) = &c.ty else { continue };
            for e in &c.examples {
                if let Some(value) = &e.value {
                    report(e.origin.clone(), ty, value);
                }
            }
        }
    }
}

type Mismatch = (String, String);

/// `Ok` when `value` fits `ty`; else the JSON pointer (in the value) and reason of the first misfit.
/// Members marked readOnly or writeOnly are not required: an example shows one direction.
pub fn conforms(ir: &Ir, ty: &TypeRef, value: &Value, at: String, depth: usize) -> Result<(), Mismatch> {
    if depth > 64 {
        return Ok(());
    }
    let wrong = |at: String, wanted: &str| -> Result<(), Mismatch> {
        Err((at, format!("expected {wanted}, found {}", kind(value))))
    };
    match ty {
        TypeRef::Any => Ok(()),
        TypeRef::Nullable(inner) => {
            if value.is_null() {
                Ok(())
            } else {
                conforms(ir, inner, value, at, depth + 1)
            }
        }
        TypeRef::Object => {
            if value.is_object() {
                Ok(())
            } else {
                wrong(at, "an object")
            }
        }
        TypeRef::Primitive(p) => match p {
            Primitive::Bool if !value.is_boolean() => wrong(at, "a boolean"),
            Primitive::I8 | Primitive::I16 | Primitive::I32 | Primitive::I64 if !value.is_i64() => {
                wrong(at, "an integer")
            }
            Primitive::U8 | Primitive::U16 | Primitive::U32 | Primitive::U64 if !value.is_u64() => {
                wrong(at, "a non-negative integer")
            }
            Primitive::I8 | Primitive::I16 | Primitive::I32 | Primitive::U8 | Primitive::U16 | Primitive::U32
                if !fits_width(*p, value) =>
            {
                Err((at, format!("{value} is out of the range of its integer format ({p:?})")))
            }
            Primitive::F32 | Primitive::F64 if !value.is_number() => wrong(at, "a number"),
            Primitive::DateTime | Primitive::Date | Primitive::Uuid
                if value.as_str().is_some_and(|text| !fits_format(*p, text)) =>
            {
                let format = match p {
                    Primitive::DateTime => "an RFC 3339 date-time",
                    Primitive::Date => "an RFC 3339 full-date (YYYY-MM-DD)",
                    _ => "a UUID",
                };
                Err((at, format!("{value} is not {format}")))
            }
            Primitive::String
            | Primitive::DateTime
            | Primitive::Date
            | Primitive::Uuid
            | Primitive::Base64
            | Primitive::Binary
            | Primitive::Formatted(_)
                if !value.is_string() =>
            {
                wrong(at, "a string")
            }
            _ => Ok(()),
        },
        TypeRef::List(item) => match value {
            Value::Array(items) => {
                items.iter().enumerate().try_for_each(|(i, v)| conforms(ir, item, v, format!("{at}/{i}"), depth + 1))
            }
            _ => wrong(at, "an array"),
        },
        TypeRef::Tuple(items) => match value {
            Value::Array(values) => items
                .iter()
                .zip(values)
                .enumerate()
                .try_for_each(|(i, (t, v))| conforms(ir, t, v, format!("{at}/{i}"), depth + 1)),
            _ => wrong(at, "an array"),
        },
        TypeRef::Map(inner) => match value {
            Value::Object(members) => {
                members.iter().try_for_each(|(k, v)| conforms(ir, inner, v, member(&at, k), depth + 1))
            }
            _ => wrong(at, "an object"),
        },
        TypeRef::Named(id) => {
            let def = ir.ty(*id);
            match &def.kind {
                TypeKind::Alias(t) => conforms(ir, t, value, at, depth + 1),
                TypeKind::Newtype(n) => {
                    conforms(ir, &n.inner, value, at.clone(), depth + 1)?;
                    n.constraints.check(value).map_err(|reason| (at, reason))
                }
                TypeKind::Enum(e) => match value.as_str() {
                    Some(s) if e.variants.iter().any(|v| v.value == s) => Ok(()),
                    Some(s) => Err((at, format!("`{s}` is not one of the enum's values"))),
                    None => wrong(at, "a string"),
                },
                TypeKind::Union(u) => {
                    let mut first = None;
                    for variant in &u.variants {
                        match conforms(ir, &variant.ty, value, at.clone(), depth + 1) {
                            Ok(()) => return Ok(()),
                            Err(e) => {
                                first.get_or_insert(e);
                            }
                        }
                    }
                    Err(first.unwrap_or((at, "no variant fits".into())))
                }
                TypeKind::Struct(s) => {
                    let Value::Object(members) = value else { return wrong(at, "an object") };
                    for f in &s.fields {
                        match members.get(&f.json_name) {
                            None if f.required && !f.read_only && !f.write_only => {
                                return Err((at, format!("the required member `{}` is missing", f.json_name)));
                            }
                            None => {}
                            Some(Value::Null) if f.nullable => {}
                            Some(v) => conforms(ir, &f.ty, v, member(&at, &f.json_name), depth + 1)?,
                        }
                    }
                    for (key, v) in members.iter().filter(|(k, _)| !s.fields.iter().any(|f| &f.json_name == *k)) {
                        match &s.additional {
                            Additional::Deny => {
                                return Err((
                                    at,
                                    format!("`{key}` is not a property and additionalProperties is false"),
                                ));
                            }
                            Additional::Map(t) => conforms(ir, t, v, member(&at, key), depth + 1)?,
                            Additional::Ignore => {}
                        }
                    }
                    Ok(())
                }
            }
        }
    }
}

fn member(at: &str, key: &str) -> String {
    let mut pointer = format!("{at}/");
    push_escaped(&mut pointer, key);
    pointer
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Whether an integer fits the width its `format` gave it (`int32` → `i32`).
fn fits_width(p: Primitive, value: &Value) -> bool {
    let (low, high): (i128, i128) = match p {
        Primitive::I8 => (i8::MIN.into(), i8::MAX.into()),
        Primitive::I16 => (i16::MIN.into(), i16::MAX.into()),
        Primitive::I32 => (i32::MIN.into(), i32::MAX.into()),
        Primitive::U8 => (0, u8::MAX.into()),
        Primitive::U16 => (0, u16::MAX.into()),
        Primitive::U32 => (0, u32::MAX.into()),
        _ => return true,
    };
    let n = value.as_i64().map(i128::from).or_else(|| value.as_u64().map(i128::from));
    n.is_none_or(|n| (low..=high).contains(&n))
}

/// Whether text has the shape of its format: `2024-01-02`, `2024-01-02T03:04:05.6Z` (or an
/// offset), `123e4567-e89b-42d3-a456-426614174000`. Shape only: the calendar is the type's business.
fn fits_format(p: Primitive, text: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let date = |s: &str| {
        let parts: Vec<&str> = s.split('-').collect();
        parts.len() == 3 && digits(parts[0], 4) && digits(parts[1], 2) && digits(parts[2], 2)
    };
    match p {
        Primitive::Date => date(text),
        Primitive::DateTime => {
            let Some((day, time)) = text.split_once(['T', 't', ' ']) else { return false };
            let (clock, zone) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
                (clock, None)
            } else {
                match time.rfind(['+', '-']) {
                    Some(i) => (&time[..i], Some(&time[i + 1..])),
                    None => return false,
                }
            };
            let clock = clock.split_once('.').map_or(clock, |(whole, fraction)| {
                if digits(fraction, fraction.len()) && !fraction.is_empty() { whole } else { "" }
            });
            let hms: Vec<&str> = clock.split(':').collect();
            let zone_ok = zone.is_none_or(|z| {
                let hm: Vec<&str> = z.split(':').collect();
                hm.len() == 2 && digits(hm[0], 2) && digits(hm[1], 2)
            });
            date(day) && hms.len() == 3 && hms.iter().all(|part| digits(part, 2)) && zone_ok
        }
        Primitive::Uuid => {
            let groups: Vec<&str> = text.split('-').collect();
            groups.len() == 5
                && groups
                    .iter()
                    .zip([8, 4, 4, 4, 12])
                    .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_widths_are_checked_by_shape() {
        assert!(fits_format(Primitive::Date, "2024-01-02"));
        assert!(!fits_format(Primitive::Date, "2024-01-02T00:00:00Z"), "a date-time is not a date");
        assert!(fits_format(Primitive::DateTime, "2024-01-02T03:04:05Z"));
        assert!(fits_format(Primitive::DateTime, "2024-01-02T03:04:05.678+01:00"));
        assert!(!fits_format(Primitive::DateTime, "1524085349.095"), "epoch seconds are not RFC 3339");
        assert!(!fits_format(Primitive::DateTime, "2024-01-02T03:04:05"), "a zone is required");
        assert!(fits_format(Primitive::Uuid, "123e4567-e89b-42d3-a456-426614174000"));
        assert!(!fits_format(Primitive::Uuid, "123e4567"));
        assert!(fits_width(Primitive::I32, &Value::from(2_147_483_647)));
        assert!(!fits_width(Primitive::I32, &Value::from(1_418_556_477_882_i64)));
        assert!(!fits_width(Primitive::U8, &Value::from(256)));
        assert!(fits_width(Primitive::I64, &Value::from(1_418_556_477_882_i64)));
    }
}
