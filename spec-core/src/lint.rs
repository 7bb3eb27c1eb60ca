//! Lints: what a spec may legally say but a team wants to hear about. `cargo spec-gen validate`
//! runs them after the pipeline; `generate` does not (they change no code).
//!
//! - `missing-operation-id`: the operation's name is derived from method and path, so it changes
//!   when the path does (and with it every generated method and type name of the operation);
//! - `unused-component`: a component of the root document no `$ref` (or discriminator mapping)
//!   reaches;
//! - `example-mismatch`: an example (schema, parameter or media type) that does not fit its own
//!   schema: the spec contradicts itself, and generated tests built from it would fail.

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
    diags
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
            Primitive::F32 | Primitive::F64 if !value.is_number() => wrong(at, "a number"),
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
