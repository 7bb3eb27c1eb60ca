//! Schemas to IR types: the JSON Schema dialects of OpenAPI 3.0 and 3.1 (and standalone JSON
//! Schema) lowered into named types and type references.
//!
//! The walk is lenient by design: a keyword with an invalid value is reported with its location
//! and ignored, and a construct with no faithful Rust form is approximated and recorded, so one bad
//! corner never costs a user the whole spec.

use std::collections::{HashMap, HashSet};

use indexmap::{IndexMap, IndexSet};
use serde_json::{Map, Value};

use crate::diag::{Diagnostic, Diagnostics, Origin};
use crate::ir::*;
use crate::lower::names::{Scope, pascal, snake};
use crate::lower::split::SplitTable;
use crate::refs::RefTable;
use crate::source::{FileId, SourceSet};

/// How deep inline schemas may nest before the walk gives up on a branch (JSON depth is already
/// bounded by the parsers; this bounds the lowering's own recursion).
const MAX_DEPTH: usize = 96;

/// Keywords that only annotate a schema; a schema made of these alone adds no shape.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "nullable",
    "default",
    "externalDocs",
    "xml",
    "$comment",
    "$schema",
    "$id",
    "discriminator",
    "format",
];

/// Whether an inline schema is worth looking up by content: objects that can become a named type.
/// Small scalar schemas (`{type: string}`) are cheaper to lower again than to hash.
fn dedupable(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.len() > 1 || m.contains_key("enum") || m.contains_key("properties"),
        _ => false,
    }
}

/// A 128-bit digest of a JSON value's content (two independently keyed SipHash runs), so equal
/// schemas can be found without keeping their text. Deterministic: the keys are fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ContentHash(pub(crate) u64, pub(crate) u64);

impl ContentHash {
    pub(crate) fn of(v: &Value) -> Self {
        #[allow(deprecated)]
        use std::hash::{Hasher, SipHasher};
        fn feed(h: &mut impl Hasher, v: &Value) {
            match v {
                Value::Null => h.write_u8(0),
                Value::Bool(b) => h.write_u8(if *b { 1 } else { 2 }),
                Value::Number(n) => {
                    h.write_u8(3);
                    h.write(n.as_str().as_bytes());
                    h.write_u8(0xff);
                }
                Value::String(s) => {
                    h.write_u8(4);
                    h.write_usize(s.len());
                    h.write(s.as_bytes());
                }
                Value::Array(items) => {
                    h.write_u8(5);
                    h.write_usize(items.len());
                    items.iter().for_each(|i| feed(h, i));
                }
                Value::Object(m) => {
                    h.write_u8(6);
                    h.write_usize(m.len());
                    for (k, v) in m {
                        h.write_usize(k.len());
                        h.write(k.as_bytes());
                        feed(h, v);
                    }
                }
            }
        }
        #[allow(deprecated)]
        let (mut a, mut b) =
            (SipHasher::new_with_keys(0x5eed_0001, 0x0a11), SipHasher::new_with_keys(0x5eed_0002, 0x0b22));
        feed(&mut a, v);
        feed(&mut b, v);
        ContentHash(a.finish(), b.finish())
    }
}

/// What a schema needs to become: a reference to an existing or structural type, or a new item.
pub(crate) enum Shape {
    Ref(TypeRef),
    Def(TypeKind),
}

pub(crate) struct Lowerer<'s> {
    pub src: &'s SourceSet,
    pub refs: &'s RefTable,
    pub dialect: Dialect,
    pub types: Vec<TypeDef>,
    pub type_names: Scope,
    /// Names claimed up front for named schemas (components, `$defs`), so spec names win over
    /// names made up for inline schemas.
    pub reserved: HashMap<Origin, String>,
    pub by_origin: HashMap<(Origin, View), TypeId>,
    /// Inline schemas by content: a schema written out identically many times (Microsoft Graph
    /// repeats the same `$select` enum in thousands of operations) becomes one type, named after
    /// its first occurrence. Keyed by file too, since relative `$ref`s inside resolve per file.
    by_content: HashMap<(FileId, View, ContentHash), TypeId>,
    /// String formats met so far, in first-seen order (`Primitive::Formatted` indexes them).
    pub string_formats: IndexSet<String>,
    /// Components extending another component through `allOf`, by parent.
    pub all_of_children: HashMap<Origin, Vec<Origin>>,
    pub diags: Diagnostics,
    pub split: SplitTable,
    depth: usize,
}

/// Properties gathered from an object schema and its `allOf` members, in first-seen order.
#[derive(Default)]
struct ObjectParts<'s> {
    props: IndexMap<String, (Origin, &'s Value)>,
    required: HashSet<String>,
    additional: Option<(Origin, &'s Value)>,
    deny_unknown: bool,
}

impl<'s> Lowerer<'s> {
    pub fn new(src: &'s SourceSet, refs: &'s RefTable, dialect: Dialect, split: SplitTable) -> Self {
        Lowerer {
            src,
            refs,
            dialect,
            types: Vec::new(),
            type_names: Scope::default(),
            reserved: HashMap::new(),
            by_origin: HashMap::new(),
            by_content: HashMap::new(),
            all_of_children: HashMap::new(),
            string_formats: IndexSet::new(),
            diags: Diagnostics::default(),
            split,
            depth: 0,
        }
    }

    pub fn value(&self, at: &Origin) -> Option<&'s Value> {
        self.src.file(at.file).value.pointer(&at.pointer)
    }

    fn approx(&mut self, at: &Origin, code: &'static str, message: impl Into<String>) {
        self.diags.push(Diagnostic::approximation(code, at.clone(), message));
    }

    fn warn(&mut self, at: &Origin, code: &'static str, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(code, at.clone(), message));
    }

    /// Lowers the schema `v` found at `at`, used in a place whose inline types are named `hint`.
    pub fn schema(&mut self, at: &Origin, v: &'s Value, hint: &str, view: View) -> TypeRef {
        let nullable = is_nullable(v);
        let ty = if let Some(reference) = ref_of(v) {
            self.ref_siblings(at, v);
            self.named_ref(at, reference, view)
        } else if let Some(id) = self.by_origin.get(&(at.clone(), view)) {
            TypeRef::Named(*id)
        } else {
            let key = dedupable(v).then(|| (at.file, view, ContentHash::of(v)));
            match key.and_then(|k| self.by_content.get(&k)) {
                Some(id) => TypeRef::Named(*id),
                None => match self.shape(at, v, hint, view) {
                    Shape::Ref(r) => r,
                    Shape::Def(kind) => {
                        let id = self.add_def(at, v, hint, view, kind);
                        if let Some(k) = key {
                            self.by_content.insert(k, id);
                        }
                        TypeRef::Named(id)
                    }
                },
            }
        };
        if nullable { ty.nullable() } else { ty }
    }

    /// A new named type for an inline schema.
    fn add_def(&mut self, at: &Origin, v: &'s Value, hint: &str, view: View, kind: TypeKind) -> TypeId {
        let name = self.type_names.claim(pascal(hint, "Type"), false);
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name,
            spec_name: None,
            origin: at.clone(),
            docs: docs_of(v),
            examples: examples_of(v),
            view,
            kind,
        });
        self.by_origin.insert((at.clone(), view), id);
        id
    }

    /// Resolves a `$ref` written at `at` and returns the named type of its target.
    pub fn named_ref(&mut self, at: &Origin, reference: &str, view: View) -> TypeRef {
        match self.refs.resolve(self.src, at.file, reference) {
            Ok(target) => self.named(&target.origin(), view),
            Err(message) => {
                self.diags.push(
                    Diagnostic::error("unresolved-ref", at.child("$ref"), message)
                        .with_help("fix the `$ref` so it names an existing file and JSON pointer"),
                );
                TypeRef::Any
            }
        }
    }

    /// The named type for the schema at `target` (a component, `$defs` entry or any `$ref` target),
    /// created on first use. Recursive references find the reserved id and stop there.
    pub fn named(&mut self, target: &Origin, view: View) -> TypeRef {
        let Some(v) = self.value(target) else {
            return TypeRef::Any;
        };
        let view = self.effective_view(target, view);
        let nullable = is_nullable(v);
        let id = match self.by_origin.get(&(target.clone(), view)) {
            Some(id) => *id,
            None => self.define(target, v, view),
        };
        let ty = TypeRef::Named(id);
        if nullable { ty.nullable() } else { ty }
    }

    fn effective_view(&self, target: &Origin, view: View) -> View {
        if self.dialect == Dialect::JsonSchema || !self.split.needs_split_at(self.src, self.refs, target) {
            View::Both
        } else if view == View::Both {
            View::Response
        } else {
            view
        }
    }

    fn define(&mut self, target: &Origin, v: &'s Value, view: View) -> TypeId {
        let spec_name = spec_name_of(self.src, target);
        let base = match self.reserved.get(target) {
            Some(name) => name.clone(),
            None => self.type_names.claim(pascal(&spec_name, "Type"), false),
        };
        let name = if view == View::Request { self.type_names.claim(format!("{base}Request"), false) } else { base };
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name: name.clone(),
            spec_name: Some(spec_name),
            origin: target.clone(),
            docs: docs_of(v),
            examples: examples_of(v),
            view,
            kind: TypeKind::Alias(TypeRef::Any),
        });
        self.by_origin.insert((target.clone(), view), id);
        let kind = if let Some(reference) = ref_of(v) {
            self.ref_siblings(target, v);
            TypeKind::Alias(strip_nullable(self.named_ref(target, reference, view)))
        } else if let Some(kind) = self.polymorphic(target, v, &name, view) {
            kind
        } else {
            match self.shape(target, v, &name, view) {
                Shape::Ref(r) => TypeKind::Alias(r),
                Shape::Def(kind) => kind,
            }
        };
        self.types[id.0].kind = kind;
        id
    }

    /// A discriminated parent that other components extend through `allOf` becomes a tagged union
    /// of itself (as `<Name>Base`, its own properties) and every descendant, each under its own
    /// tag (mapping honoured, schema names otherwise). Dispatch is flat: a descendant that is a
    /// discriminated parent itself appears through its base type, so one tag read picks the type.
    /// A direct child that adds nothing (`allOf: [$ref: Parent]` alone) is the base under its tag.
    fn polymorphic(&mut self, target: &Origin, v: &'s Value, name: &str, view: View) -> Option<TypeKind> {
        if !self.all_of_children.contains_key(target) {
            return None;
        }
        let obj = v.as_object()?;
        if obj.contains_key("oneOf") || obj.contains_key("anyOf") {
            return None;
        }
        let discriminator = obj.get("discriminator")?.as_object()?;
        let property = discriminator.get("propertyName")?.as_str()?.to_owned();
        let descendants = self.descendants(target);
        let base_name = self.type_names.claim(format!("{name}Base"), false);
        let base_id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name: base_name.clone(),
            spec_name: None,
            origin: target.clone(),
            docs: Docs::default(),
            examples: vec![],
            view,
            kind: TypeKind::Alias(TypeRef::Any),
        });
        self.types[base_id.0].kind = match self.object_shape(target, obj, &base_name, view) {
            Shape::Def(kind) => kind,
            Shape::Ref(r) => TypeKind::Alias(r),
        };
        let mut scope = Scope::default();
        let mut variants =
            vec![UnionVariant { name: scope.claim(base_name, false), ty: TypeRef::Named(base_id), tags: vec![] }];
        let mut targets = vec![Some((target.clone(), spec_name_of(self.src, target)))];
        let mut base_aliases = Vec::new();
        for (child, parent) in descendants {
            let Some(child_value) = self.value(&child) else { continue };
            let adds_nothing = child_value.as_object().is_some_and(|c| {
                !c.contains_key("properties")
                    && !c.contains_key("additionalProperties")
                    && c.get("allOf")
                        .and_then(Value::as_array)
                        .is_some_and(|members| members.iter().filter(|m| !is_annotation_only(m)).count() == 1)
            });
            if adds_nothing && parent == *target {
                base_aliases.push(self.default_tag(&child, &spec_name_of(self.src, &child)));
                continue;
            }
            let TypeRef::Named(mut id) = strip_nullable(self.named(&child, view)) else { continue };
            // A descendant that is itself polymorphic is dispatched here directly: use its base.
            if let TypeKind::Union(u) = &self.types[id.0].kind {
                if u.discriminator.is_some() && self.all_of_children.contains_key(&child) {
                    if let Some(TypeRef::Named(base)) = u.variants.first().map(|v| &v.ty) {
                        id = *base;
                    }
                }
            }
            let variant_name = scope.claim(self.types[id.0].name.clone(), false);
            variants.push(UnionVariant { name: variant_name, ty: TypeRef::Named(id), tags: vec![] });
            targets.push(Some((child.clone(), spec_name_of(self.src, &child))));
        }
        self.assign_tags(target, discriminator, &targets, &mut variants);
        variants[0].tags.extend(base_aliases);
        Some(TypeKind::Union(UnionDef { variants, discriminator: Some(Discriminator { property }), any_of: false }))
    }

    /// Every component that extends `root` through `allOf`, directly or not, breadth first, with
    /// the parent it extends.
    fn descendants(&self, root: &Origin) -> Vec<(Origin, Origin)> {
        let mut out: Vec<(Origin, Origin)> = Vec::new();
        let mut seen: HashSet<Origin> = HashSet::from([root.clone()]);
        let mut next = 0;
        let mut queue = vec![root.clone()];
        while next < queue.len() {
            let parent = queue[next].clone();
            next += 1;
            for child in self.all_of_children.get(&parent).into_iter().flatten() {
                if seen.insert(child.clone()) {
                    out.push((child.clone(), parent.clone()));
                    queue.push(child.clone());
                }
            }
        }
        out
    }

    /// 3.1 allows keywords beside `$ref`; annotations are fine, shaping keywords are not merged.
    fn ref_siblings(&mut self, at: &Origin, v: &Value) {
        if let Value::Object(m) = v {
            let mut shaping: Vec<&str> = m
                .keys()
                .map(String::as_str)
                .filter(|k| *k != "$ref" && !ANNOTATIONS.contains(k) && !k.starts_with("x-"))
                .collect();
            // `type` beside a `$ref` mostly restates the target's type (1,592 corpus cases):
            // only a type that disagrees with the target's is worth a note. The target is looked
            // up only then, not for every `$ref`.
            if shaping.contains(&"type") {
                let target_type = ref_of(v)
                    .and_then(|r| self.refs.resolve(self.src, at.file, r).ok())
                    .and_then(|t| self.value(&t.origin()))
                    .map(|t| t.get("type"));
                let restates = match target_type {
                    Some(None) => true,
                    Some(Some(t)) => m.get("type") == Some(t),
                    None => false,
                };
                if restates {
                    shaping.retain(|k| *k != "type");
                }
            }
            if !shaping.is_empty() {
                self.approx(
                    at,
                    "ref-siblings",
                    format!("keywords beside `$ref` are not applied: {}", shaping.join(", ")),
                );
            }
        }
    }

    /// Decides what the schema becomes, creating nested types as needed.
    pub fn shape(&mut self, at: &Origin, v: &'s Value, hint: &str, view: View) -> Shape {
        let obj = match v {
            Value::Object(m) => m,
            Value::Bool(true) => return Shape::Ref(TypeRef::Any),
            Value::Bool(false) => {
                self.approx(at, "false-schema", "schema `false` (no value is valid) is generated as any value");
                return Shape::Ref(TypeRef::Any);
            }
            _ => {
                self.warn(at, "invalid-schema", "a schema must be an object or a boolean; generated as any value");
                return Shape::Ref(TypeRef::Any);
            }
        };
        if self.depth >= MAX_DEPTH {
            self.approx(
                at,
                "too-deep",
                format!("inline schemas nest deeper than {MAX_DEPTH} levels; generated as any value"),
            );
            return Shape::Ref(TypeRef::Any);
        }
        self.depth += 1;
        let shape = self.shape_object(at, obj, v, hint, view);
        self.depth -= 1;
        shape
    }

    fn shape_object(
        &mut self,
        at: &Origin,
        obj: &'s Map<String, Value>,
        v: &'s Value,
        hint: &str,
        view: View,
    ) -> Shape {
        if let Some(reference) = ref_of(v) {
            return Shape::Ref(strip_nullable(self.named_ref(at, reference, view)));
        }
        for unsupported in ["not", "if", "dependentSchemas", "unevaluatedProperties", "propertyNames", "contains"] {
            if obj.contains_key(unsupported) {
                self.approx(
                    at,
                    "unsupported-keyword",
                    format!("`{unsupported}` is not enforced by the generated code"),
                );
            }
        }
        if let Some(values) = obj.get("enum") {
            return self.enum_shape(at, obj, values);
        }
        if let Some(value) = obj.get("const") {
            return self.enum_shape(at, obj, &Value::Array(vec![value.clone()]));
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(members) = obj.get(key) {
                if let Some(shape) = self.union_shape(at, obj, members, key, hint, view) {
                    return shape;
                }
            }
        }
        if obj.contains_key("allOf") {
            return self.all_of_shape(at, obj, hint, view);
        }
        let types = type_list(obj);
        match types.as_slice() {
            [] => {
                let inferred = infer_type(obj);
                match inferred {
                    Some(t) => self.typed_shape(at, obj, t, hint, view),
                    None => Shape::Ref(TypeRef::Any),
                }
            }
            [one] => self.typed_shape(at, obj, one, hint, view),
            many => {
                // 3.1 `type: [string, integer]`: one variant per type.
                let mut names = Scope::default();
                let mut variants = Vec::new();
                for t in many.iter().copied() {
                    let sub_hint = format!("{hint}{}", pascal(t, "Value"));
                    let ty = match self.typed_shape(at, obj, t, &sub_hint, view) {
                        Shape::Ref(r) => r,
                        Shape::Def(kind) => {
                            let sub_origin = at.child("type").child(t);
                            TypeRef::Named(self.add_def(&sub_origin, v, &sub_hint, view, kind))
                        }
                    };
                    variants.push(UnionVariant { name: names.claim(pascal(t, "Value"), false), ty, tags: vec![] });
                }
                Shape::Def(TypeKind::Union(UnionDef { variants, discriminator: None, any_of: false }))
            }
        }
    }

    fn typed_shape(&mut self, at: &Origin, obj: &'s Map<String, Value>, t: &str, hint: &str, view: View) -> Shape {
        match t {
            "object" => self.object_shape(at, obj, hint, view),
            "array" => self.array_shape(at, obj, hint, view),
            "string" => self.string_shape(at, obj),
            "integer" => self.number_shape(at, obj, true),
            "number" => self.number_shape(at, obj, false),
            "boolean" => Shape::Ref(TypeRef::Primitive(Primitive::Bool)),
            "null" => {
                self.approx(at, "null-type", "`type: null` alone is generated as any value");
                Shape::Ref(TypeRef::Any)
            }
            other => {
                self.warn(at, "unknown-type", format!("unknown type `{other}`; generated as any value"));
                Shape::Ref(TypeRef::Any)
            }
        }
    }

    fn object_shape(&mut self, at: &Origin, obj: &'s Map<String, Value>, hint: &str, view: View) -> Shape {
        let mut parts = ObjectParts::default();
        self.collect_object(at, obj, &mut parts, 0);
        self.struct_from_parts(at, obj, parts, hint, view)
    }

    fn struct_from_parts(
        &mut self,
        at: &Origin,
        obj: &'s Map<String, Value>,
        parts: ObjectParts<'s>,
        hint: &str,
        view: View,
    ) -> Shape {
        let count = |key: &str| obj.get(key).and_then(Value::as_u64);
        let (min_properties, max_properties) = (count("minProperties"), count("maxProperties"));
        let additional = match &parts.additional {
            Some((origin, schema)) => match schema {
                Value::Bool(true) => None,
                Value::Bool(false) => None,
                _ => Some(self.schema(origin, schema, &format!("{hint}Value"), view)),
            },
            None => None,
        };
        let additional = match (additional, obj.get("patternProperties")) {
            (Some(t), _) => Some(t),
            (None, Some(Value::Object(patterns))) if !patterns.is_empty() => {
                self.approx(
                    at,
                    "pattern-properties",
                    "`patternProperties` becomes a map; key patterns are not enforced",
                );
                let origin = at.child("patternProperties");
                if patterns.len() == 1 {
                    let (key, schema) = patterns.iter().next().expect("len checked");
                    Some(self.schema(&origin.child(key), schema, &format!("{hint}Value"), view))
                } else {
                    Some(TypeRef::Any)
                }
            }
            _ => None,
        };
        if parts.props.is_empty() {
            let inner = match additional {
                Some(t) => TypeRef::Map(Box::new(t)),
                None if parts.deny_unknown => {
                    return Shape::Def(TypeKind::Struct(StructDef { fields: vec![], additional: Additional::Deny }));
                }
                None => TypeRef::Object,
            };
            // A map's member count is checked by a newtype, like an array's item count.
            if min_properties.is_none() && max_properties.is_none() {
                return Shape::Ref(inner);
            }
            let constraints = Constraints { min_properties, max_properties, ..Constraints::default() };
            return Shape::Def(TypeKind::Newtype(NewtypeDef { inner, constraints }));
        }
        for key in ["minProperties", "maxProperties"] {
            if obj.contains_key(key) {
                self.approx(at, "unenforced-constraint", format!("`{key}` is not enforced on objects with properties"));
            }
        }
        let mut scope = Scope::with_reserved([]);
        let mut fields = Vec::with_capacity(parts.props.len());
        for (json_name, (origin, schema)) in &parts.props {
            let (read_only, write_only) = self.direction(origin.file, schema);
            let skip = match view {
                View::Response => write_only,
                View::Request => read_only,
                View::Both => false,
            };
            if skip {
                continue;
            }
            let field_hint = format!("{hint}{}", pascal(json_name, "Field"));
            let ty = self.schema(origin, schema, &field_hint, view);
            let (ty, nullable) = match ty {
                TypeRef::Nullable(inner) => (*inner, true),
                other => (other, false),
            };
            let default = schema.as_object().and_then(|m| m.get("default")).cloned();
            fields.push(Field {
                name: scope.claim(snake(json_name, "field"), true),
                json_name: json_name.clone(),
                ty,
                required: parts.required.contains(json_name),
                nullable,
                default,
                read_only,
                write_only,
                docs: docs_of(schema),
                origin: origin.clone(),
            });
        }
        let additional = match additional {
            Some(t) => Additional::Map(Box::new(t)),
            None if parts.deny_unknown => Additional::Deny,
            None => Additional::Ignore,
        };
        Shape::Def(TypeKind::Struct(StructDef { fields, additional }))
    }

    /// readOnly / writeOnly of a property, looking through a bare `$ref` to its target.
    fn direction(&self, file: crate::source::FileId, schema: &'s Value) -> (bool, bool) {
        let flag = |v: &Value, key: &str| v.get(key).and_then(Value::as_bool).unwrap_or(false);
        let (mut ro, mut wo) = (flag(schema, "readOnly"), flag(schema, "writeOnly"));
        if self.dialect == Dialect::JsonSchema {
            return (ro, wo);
        }
        if !(ro || wo) {
            if let Some(target) = self.peel_refs(file, schema) {
                ro = flag(target, "readOnly");
                wo = flag(target, "writeOnly");
            }
        }
        (ro, wo)
    }

    /// Follows a chain of `$ref`s (bounded) from a schema to the first schema that is not one.
    fn peel_refs(&self, file: crate::source::FileId, schema: &'s Value) -> Option<&'s Value> {
        let mut current = schema;
        let mut file = file;
        for _ in 0..16 {
            let reference = ref_of(current)?;
            let target = self.refs.resolve(self.src, file, reference).ok()?;
            file = target.file;
            current = self.value(&target.origin())?;
            if ref_of(current).is_none() {
                return Some(current);
            }
        }
        None
    }

    /// Gathers properties of an object schema, following `$ref`s and `allOf` members.
    fn collect_object(&mut self, at: &Origin, obj: &'s Map<String, Value>, parts: &mut ObjectParts<'s>, depth: usize) {
        if depth > 32 {
            self.approx(at, "allof-cycle", "`allOf` members refer back to themselves; the cycle is cut here");
            return;
        }
        if let Some(Value::String(reference)) = obj.get("$ref") {
            match self.refs.resolve(self.src, at.file, reference) {
                Ok(target) => {
                    let origin = target.origin();
                    if let Some(Value::Object(m)) = self.value(&origin) {
                        self.collect_object(&origin, m, parts, depth + 1);
                    }
                }
                Err(message) => {
                    self.diags.push(Diagnostic::error("unresolved-ref", at.child("$ref"), message));
                }
            }
        }
        if let Some(members) = obj.get("allOf") {
            match members {
                Value::Array(items) => {
                    for (i, member) in items.iter().enumerate() {
                        if let Value::Object(m) = member {
                            self.collect_object(&at.child("allOf").index(i), m, parts, depth + 1);
                        }
                    }
                }
                _ => self.warn(at, "invalid-keyword", "`allOf` must be an array of schemas; ignored"),
            }
        }
        match obj.get("properties") {
            Some(Value::Object(props)) => {
                let base = at.child("properties");
                for (name, schema) in props {
                    parts.props.insert(name.clone(), (base.child(name), schema));
                }
            }
            Some(_) => self.warn(at, "invalid-keyword", "`properties` must be an object; ignored"),
            None => {}
        }
        match obj.get("required") {
            Some(Value::Array(names)) => {
                parts.required.extend(names.iter().filter_map(|n| n.as_str().map(str::to_owned)))
            }
            Some(Value::Bool(_)) => self.warn(
                at,
                "invalid-keyword",
                "`required` must be a list of property names (a boolean is Swagger 2 style); ignored",
            ),
            Some(_) => self.warn(at, "invalid-keyword", "`required` must be a list of property names; ignored"),
            None => {}
        }
        match obj.get("additionalProperties") {
            Some(Value::Bool(false)) if depth == 0 => parts.deny_unknown = true,
            Some(Value::Bool(_)) => {}
            Some(schema @ Value::Object(_)) => parts.additional = Some((at.child("additionalProperties"), schema)),
            Some(_) => {
                self.warn(at, "invalid-keyword", "`additionalProperties` must be a boolean or a schema; ignored")
            }
            None => {}
        }
    }

    fn all_of_shape(&mut self, at: &Origin, obj: &'s Map<String, Value>, hint: &str, view: View) -> Shape {
        let members: Vec<&'s Value> = match obj.get("allOf") {
            Some(Value::Array(items)) => items.iter().collect(),
            _ => {
                self.warn(at, "invalid-keyword", "`allOf` must be an array of schemas; ignored");
                vec![]
            }
        };
        let own_props = obj.contains_key("properties") || obj.contains_key("additionalProperties");
        let shaped: Vec<(usize, &'s Value)> =
            members.iter().copied().enumerate().filter(|(_, m)| !is_annotation_only(m)).collect();
        let all_objects = shaped.iter().all(|(_, m)| self.is_object_like(at.file, m, 0));
        if all_objects && (shaped.len() > 1 || own_props || shaped.iter().any(|(_, m)| ref_of(m).is_none())) {
            return self.object_shape(at, obj, hint, view);
        }
        if shaped.len() == 1 && !own_props {
            let (i, member) = shaped[0];
            let origin = at.child("allOf").index(i);
            if let Some(reference) = ref_of(member) {
                return Shape::Ref(strip_nullable(self.named_ref(&origin, reference, view)));
            }
            return self.shape(&origin, member, hint, view);
        }
        if shaped.is_empty() {
            return self.typed_or_any(at, obj, hint, view);
        }
        if all_objects {
            return self.object_shape(at, obj, hint, view);
        }
        // Several members that are not all objects (e.g. a string with extra constraints in a
        // second member): keep the first shaped member and say so.
        self.approx(at, "allof-mixed", "`allOf` mixes non-object schemas; only the first is used");
        let (i, member) = shaped[0];
        let origin = at.child("allOf").index(i);
        match ref_of(member) {
            Some(reference) => Shape::Ref(strip_nullable(self.named_ref(&origin, reference, view))),
            None => self.shape(&origin, member, hint, view),
        }
    }

    fn typed_or_any(&mut self, at: &Origin, obj: &'s Map<String, Value>, hint: &str, view: View) -> Shape {
        match type_list(obj).first().copied().or_else(|| infer_type(obj)) {
            Some(t) => self.typed_shape(at, obj, t, hint, view),
            None => Shape::Ref(TypeRef::Any),
        }
    }

    fn is_object_like(&self, file: crate::source::FileId, v: &'s Value, depth: usize) -> bool {
        if depth > 16 {
            return false;
        }
        let Value::Object(m) = v else { return false };
        if ref_of(v).is_some() {
            // Refs inside another file resolve against that file; one level of accuracy is
            // enough here, since this only decides between merging and choosing.
            return self.peel_refs(file, v).is_some_and(|t| self.is_object_like(file, t, depth + 1));
        }
        if m.contains_key("enum") || m.contains_key("oneOf") || m.contains_key("anyOf") || m.contains_key("const") {
            return false;
        }
        if let Some(Value::Array(items)) = m.get("allOf") {
            return items.iter().all(|i| is_annotation_only(i) || self.is_object_like(file, i, depth + 1));
        }
        match type_list(m).as_slice() {
            ["object"] => true,
            [] => {
                m.contains_key("properties")
                    || m.contains_key("additionalProperties")
                    || m.contains_key("required")
                    || m.contains_key("patternProperties")
            }
            _ => false,
        }
    }

    fn array_shape(&mut self, at: &Origin, obj: &'s Map<String, Value>, hint: &str, view: View) -> Shape {
        let item_hint = format!("{hint}Item");
        let element = match obj.get("items") {
            Some(items @ (Value::Object(_) | Value::Bool(true))) => {
                self.schema(&at.child("items"), items, &item_hint, view)
            }
            Some(Value::Array(tuple)) => {
                // Draft-04 tuple form.
                let refs = tuple
                    .iter()
                    .enumerate()
                    .map(|(i, s)| self.schema(&at.child("items").index(i), s, &format!("{item_hint}{i}"), view))
                    .collect();
                TypeRef::Tuple(refs)
            }
            Some(Value::Bool(false)) | None => TypeRef::Any,
            Some(_) => {
                self.warn(at, "invalid-keyword", "`items` must be a schema; items are generated as any value");
                TypeRef::Any
            }
        };
        let ty = match obj.get("prefixItems") {
            Some(Value::Array(prefix)) => {
                if !matches!(obj.get("items"), Some(Value::Bool(false))) {
                    self.approx(
                        at,
                        "prefix-items",
                        "items after `prefixItems` are not accepted by the generated tuple",
                    );
                }
                let refs = prefix
                    .iter()
                    .enumerate()
                    .map(|(i, s)| self.schema(&at.child("prefixItems").index(i), s, &format!("{item_hint}{i}"), view))
                    .collect();
                TypeRef::Tuple(refs)
            }
            _ if matches!(element, TypeRef::Tuple(_)) => element,
            _ => TypeRef::List(Box::new(element)),
        };
        let mut c = Constraints::default();
        c.min_items = self.count_keyword(at, obj, "minItems");
        c.max_items = self.count_keyword(at, obj, "maxItems");
        c.unique_items = obj.get("uniqueItems").and_then(Value::as_bool).unwrap_or(false);
        if c.min_items == Some(0) {
            c.min_items = None;
        }
        if c.is_empty() || matches!(ty, TypeRef::Tuple(_)) {
            Shape::Ref(ty)
        } else {
            Shape::Def(TypeKind::Newtype(NewtypeDef { inner: ty, constraints: c }))
        }
    }

    fn string_shape(&mut self, at: &Origin, obj: &'s Map<String, Value>) -> Shape {
        let primitive = match obj.get("format") {
            Some(Value::String(format)) => match format.as_str() {
                "date-time" => Primitive::DateTime,
                "date" => Primitive::Date,
                "uuid" => Primitive::Uuid,
                "byte" => Primitive::Base64,
                "binary" => Primitive::Binary,
                // `format: ""` says nothing (222 corpus specs write it).
                "" => Primitive::String,
                f => {
                    if !KNOWN_STRING_FORMATS.contains(&f) {
                        self.approx(
                            at,
                            "unknown-format",
                            format!("unknown string format `{f}`; generated as a plain string unless mapped to a type"),
                        );
                    }
                    let (id, _) = self.string_formats.insert_full(f.to_owned());
                    Primitive::Formatted(FormatId(id as u32))
                }
            },
            Some(_) => {
                self.warn(at, "invalid-keyword", "`format` must be a string; ignored");
                Primitive::String
            }
            None => Primitive::String,
        };
        let mut c = Constraints::default();
        c.min_length = self.count_keyword(at, obj, "minLength");
        c.max_length = self.count_keyword(at, obj, "maxLength");
        if c.min_length == Some(0) {
            c.min_length = None;
        }
        match obj.get("pattern") {
            Some(Value::String(p)) => match crate::pattern::ecma_flags(p) {
                Ok(_) => c.pattern = Some(p.clone()),
                Err(e) => self.approx(
                    &at.child("pattern"),
                    "invalid-pattern",
                    format!("pattern is not a valid ECMA-262 regular expression ({e}); not enforced"),
                ),
            },
            Some(_) => self.warn(&at.child("pattern"), "invalid-keyword", "`pattern` must be a string; ignored"),
            None => {}
        }
        if c.is_empty() {
            return Shape::Ref(TypeRef::Primitive(primitive));
        }
        if !matches!(primitive, Primitive::String | Primitive::Formatted(_)) {
            self.approx(
                at,
                "unenforced-constraint",
                "length and pattern constraints on formatted strings are not enforced",
            );
            return Shape::Ref(TypeRef::Primitive(primitive));
        }
        Shape::Def(TypeKind::Newtype(NewtypeDef { inner: TypeRef::Primitive(primitive), constraints: c }))
    }

    fn number_shape(&mut self, at: &Origin, obj: &'s Map<String, Value>, integer: bool) -> Shape {
        let format = obj.get("format").and_then(Value::as_str);
        let primitive = if integer {
            match format {
                Some("int32") => Primitive::I32,
                Some("int64") | None => Primitive::I64,
                Some("int8") => Primitive::I8,
                Some("int16") => Primitive::I16,
                Some("uint8") => Primitive::U8,
                Some("uint16") => Primitive::U16,
                Some("uint32") => Primitive::U32,
                Some("uint64") => Primitive::U64,
                Some(f) => {
                    if !KNOWN_NUMBER_FORMATS.contains(&f) {
                        self.approx(at, "unknown-format", format!("unknown integer format `{f}`; generated as i64"));
                    }
                    Primitive::I64
                }
            }
        } else {
            match format {
                Some("float") => Primitive::F32,
                Some("double") | None => Primitive::F64,
                Some(f) => {
                    if !KNOWN_NUMBER_FORMATS.contains(&f) {
                        self.approx(at, "unknown-format", format!("unknown number format `{f}`; generated as f64"));
                    }
                    Primitive::F64
                }
            }
        };
        let mut c = Constraints::default();
        c.minimum = self.bound(at, obj, "minimum", "exclusiveMinimum");
        c.maximum = self.bound(at, obj, "maximum", "exclusiveMaximum");
        match obj.get("multipleOf") {
            Some(Value::Number(n)) => match n.as_f64() {
                Some(m) if m > 0.0 && m.is_finite() => c.multiple_of = Some(m),
                _ => self.warn(at, "invalid-keyword", "`multipleOf` must be a number above 0; ignored"),
            },
            Some(_) => self.warn(at, "invalid-keyword", "`multipleOf` must be a number; ignored"),
            None => {}
        }
        if c.is_empty() {
            Shape::Ref(TypeRef::Primitive(primitive))
        } else {
            Shape::Def(TypeKind::Newtype(NewtypeDef { inner: TypeRef::Primitive(primitive), constraints: c }))
        }
    }

    /// `minimum` + boolean `exclusiveMinimum` (3.0) or numeric `exclusiveMinimum` (3.1).
    fn bound(&mut self, at: &Origin, obj: &Map<String, Value>, inclusive: &str, exclusive: &str) -> Option<Bound> {
        let number = |v: Option<&Value>| match v {
            Some(Value::Number(n)) if n.as_f64().is_some_and(f64::is_finite) => Some(n.clone()),
            _ => None,
        };
        let excl = obj.get(exclusive);
        if let Some(n) = number(excl) {
            return Some(Bound { value: n, exclusive: true });
        }
        let base = obj.get(inclusive);
        if base.is_some() && number(base).is_none() {
            self.warn(at, "invalid-keyword", format!("`{inclusive}` must be a finite number; ignored"));
        }
        number(base).map(|value| Bound { value, exclusive: matches!(excl, Some(Value::Bool(true))) })
    }

    fn count_keyword(&mut self, at: &Origin, obj: &Map<String, Value>, key: &str) -> Option<u64> {
        match obj.get(key) {
            None => None,
            Some(v) => {
                match v.as_u64().or_else(|| v.as_f64().filter(|f| *f >= 0.0 && f.fract() == 0.0).map(|f| f as u64)) {
                    Some(n) => Some(n),
                    None => {
                        self.warn(at, "invalid-keyword", format!("`{key}` must be a non-negative integer; ignored"));
                        None
                    }
                }
            }
        }
    }

    fn enum_shape(&mut self, at: &Origin, obj: &'s Map<String, Value>, values: &Value) -> Shape {
        let Value::Array(values) = values else {
            self.warn(at, "invalid-keyword", "`enum` must be an array; ignored");
            return Shape::Ref(TypeRef::Any);
        };
        let mut distinct: Vec<&Value> = Vec::new();
        for v in values.iter().filter(|v| !v.is_null()) {
            if !distinct.contains(&v) {
                distinct.push(v);
            }
        }
        if distinct.is_empty() {
            return Shape::Ref(TypeRef::Any);
        }
        if distinct.iter().all(|v| v.is_string()) {
            let mut scope = Scope::default();
            let variants = distinct
                .iter()
                .map(|v| {
                    let value = v.as_str().unwrap_or_default().to_owned();
                    let fallback = if value.is_empty() { "Empty" } else { "Variant" };
                    EnumVariant { name: scope.claim(pascal(&value, fallback), false), value, docs: Docs::default() }
                })
                .collect();
            return Shape::Def(TypeKind::Enum(EnumDef { variants }));
        }
        let inner = if distinct.iter().all(|v| v.is_i64() || v.is_u64()) {
            match self.number_shape(at, obj, true) {
                Shape::Ref(r) => r,
                Shape::Def(TypeKind::Newtype(n)) => n.inner,
                Shape::Def(_) => TypeRef::Primitive(Primitive::I64),
            }
        } else if distinct.iter().all(|v| v.is_number()) {
            TypeRef::Primitive(Primitive::F64)
        } else if distinct.iter().all(|v| v.is_boolean()) {
            TypeRef::Primitive(Primitive::Bool)
        } else {
            TypeRef::Any
        };
        let constraints =
            Constraints { allowed: Some(distinct.into_iter().cloned().collect()), ..Constraints::default() };
        Shape::Def(TypeKind::Newtype(NewtypeDef { inner, constraints }))
    }

    /// `oneOf` / `anyOf`. Returns `None` when the members only constrain the object beside them
    /// (e.g. alternative `required` lists), so the caller lowers the object itself.
    fn union_shape(
        &mut self,
        at: &Origin,
        obj: &'s Map<String, Value>,
        members: &'s Value,
        key: &str,
        hint: &str,
        view: View,
    ) -> Option<Shape> {
        let Value::Array(items) = members else {
            self.warn(at, "invalid-keyword", format!("`{key}` must be an array of schemas; ignored"));
            return None;
        };
        let base = at.child(key);
        let members: Vec<(Origin, &'s Value)> =
            items.iter().enumerate().filter(|(_, m)| !is_null_schema(m)).map(|(i, m)| (base.index(i), m)).collect();
        let has_own_shape = obj.contains_key("properties") || obj.contains_key("allOf");
        if members.iter().all(|(_, m)| is_annotation_only(m) || is_constraint_only(m)) {
            if !members.is_empty() {
                self.approx(
                    at,
                    "union-constraints",
                    format!("`{key}` alternatives that only add constraints are not enforced"),
                );
            }
            if has_own_shape || !type_list(obj).is_empty() {
                return None;
            }
            return Some(Shape::Ref(TypeRef::Any));
        }
        if has_own_shape {
            self.approx(
                at,
                "union-with-properties",
                format!("properties beside `{key}` are not merged into its alternatives"),
            );
        }
        if members.len() == 1 {
            let (origin, member) = &members[0];
            if let Some(reference) = ref_of(member) {
                return Some(Shape::Ref(strip_nullable(self.named_ref(origin, reference, view))));
            }
            return Some(self.shape(origin, member, hint, view));
        }
        let mut scope = Scope::default();
        let mut variants = Vec::with_capacity(members.len());
        let mut targets: Vec<Option<(Origin, String)>> = Vec::with_capacity(members.len());
        for (i, (origin, member)) in members.iter().enumerate() {
            let guess = self.variant_name(member, i);
            let ty = self.schema(origin, member, &format!("{hint}{guess}"), view);
            let name = match &ty {
                TypeRef::Named(id) if ref_of(member).is_some() => self.types[id.0].name.clone(),
                _ => guess,
            };
            let target = ref_of(member).and_then(|r| self.refs.resolve(self.src, origin.file, r).ok()).map(|t| {
                let spec_name = spec_name_of(self.src, &t.origin());
                (t.origin(), spec_name)
            });
            targets.push(target);
            variants.push(UnionVariant { name: scope.claim(name, false), ty, tags: vec![] });
        }
        let discriminator = match obj.get("discriminator") {
            Some(Value::Object(d)) => match d.get("propertyName").and_then(Value::as_str) {
                Some(property) if targets.iter().all(Option::is_some) => {
                    self.assign_tags(at, d, &targets, &mut variants);
                    Some(Discriminator { property: property.to_owned() })
                }
                Some(_) => {
                    self.approx(
                        at,
                        "discriminator-inline",
                        "discriminator over inline alternatives is ignored; alternatives are tried in order",
                    );
                    None
                }
                None => {
                    self.warn(at, "invalid-keyword", "`discriminator` needs a `propertyName`; ignored");
                    None
                }
            },
            _ => None,
        };
        Some(Shape::Def(TypeKind::Union(UnionDef { variants, discriminator, any_of: key == "anyOf" })))
    }

    fn assign_tags(
        &mut self,
        at: &Origin,
        discriminator: &Map<String, Value>,
        targets: &[Option<(Origin, String)>],
        variants: &mut [UnionVariant],
    ) {
        if let Some(Value::Object(mapping)) = discriminator.get("mapping") {
            for (tag, reference) in mapping {
                let Some(reference) = reference.as_str() else { continue };
                // Mapping values are refs or bare schema names.
                let reference = if reference.contains('#') || reference.contains('/') {
                    reference.to_owned()
                } else {
                    format!("#/components/schemas/{reference}")
                };
                match self.refs.resolve(self.src, at.file, &reference) {
                    Ok(t) => {
                        let origin = t.origin();
                        match targets.iter().position(|x| x.as_ref().is_some_and(|(o, _)| *o == origin)) {
                            Some(i) => variants[i].tags.push(tag.clone()),
                            None => self.warn(
                                &at.child("discriminator").child("mapping").child(tag),
                                "discriminator-mapping",
                                format!("mapping `{tag}` names a schema that is not one of the alternatives; ignored"),
                            ),
                        }
                    }
                    Err(message) => self.diags.push(Diagnostic::warning(
                        "discriminator-mapping",
                        at.child("discriminator").child("mapping").child(tag),
                        message,
                    )),
                }
            }
        }
        for (variant, target) in variants.iter_mut().zip(targets) {
            if variant.tags.is_empty() {
                if let Some((origin, spec_name)) = target {
                    variant.tags.push(self.default_tag(origin, spec_name));
                }
            }
        }
    }

    /// The tag of a subtype no mapping names: its schema's name, or the `x-ms-discriminator-value`
    /// Azure's specs (a large share of real ones) give instead of a mapping.
    fn default_tag(&self, origin: &Origin, spec_name: &str) -> String {
        self.value(origin)
            .and_then(|v| v.get("x-ms-discriminator-value"))
            .and_then(Value::as_str)
            .map_or_else(|| spec_name.to_owned(), str::to_owned)
    }

    fn variant_name(&self, member: &'s Value, index: usize) -> String {
        if let Some(title) = member.get("title").and_then(Value::as_str) {
            return pascal(title, "Variant");
        }
        if let Some(reference) = ref_of(member) {
            let last = reference.rsplit('/').next().unwrap_or(reference);
            return pascal(last, "Variant");
        }
        let m = member.as_object();
        match m.map(|m| type_list(m)).as_deref() {
            Some(["string"]) => "String".into(),
            Some(["integer"]) => "Integer".into(),
            Some(["number"]) => "Number".into(),
            Some(["boolean"]) => "Boolean".into(),
            Some(["array"]) => "Array".into(),
            Some(["object"]) => format!("Object{index}"),
            _ => format!("Variant{index}"),
        }
    }
}

/// String formats that are annotations over plain strings (no dedicated Rust type by default).
const KNOWN_STRING_FORMATS: &[&str] = &[
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
    "time",
    "duration",
    "password",
    "string",
    "url",
    "int64",
    "int32",
    "decimal",
    "double",
    "float",
    "html",
    "markdown",
    "phone",
    "byte-string",
];

/// Number formats that need no note (their base type is the right mapping).
const KNOWN_NUMBER_FORMATS: &[&str] = &["int32", "int64", "float", "double", "decimal", "number", "integer"];

pub(crate) fn ref_of(v: &Value) -> Option<&str> {
    v.as_object()?.get("$ref")?.as_str()
}

fn strip_nullable(t: TypeRef) -> TypeRef {
    match t {
        TypeRef::Nullable(inner) => *inner,
        other => other,
    }
}

/// The `type` keyword as a list, without `"null"`.
fn type_list(obj: &Map<String, Value>) -> Vec<&str> {
    match obj.get("type") {
        Some(Value::String(t)) if t != "null" => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect(),
        _ => vec![],
    }
}

fn infer_type(obj: &Map<String, Value>) -> Option<&'static str> {
    let has = |k: &str| obj.contains_key(k);
    if has("properties") || has("additionalProperties") || has("patternProperties") || has("required") {
        Some("object")
    } else if has("items") || has("prefixItems") {
        Some("array")
    } else if has("pattern") || has("minLength") || has("maxLength") || has("format") {
        Some("string")
    } else if has("minimum")
        || has("maximum")
        || has("multipleOf")
        || has("exclusiveMinimum")
        || has("exclusiveMaximum")
    {
        Some("number")
    } else {
        None
    }
}

/// `null` is a valid value: 3.0 `nullable`, a 3.1 `type` list with `"null"`, `enum` with null, or
/// a `oneOf`/`anyOf` member that is the null type.
pub(crate) fn is_nullable(v: &Value) -> bool {
    let Some(obj) = v.as_object() else { return false };
    if obj.get("nullable").and_then(Value::as_bool) == Some(true) {
        return true;
    }
    match obj.get("type") {
        Some(Value::Array(ts)) if ts.iter().any(|t| t == "null") => return true,
        _ => {}
    }
    if let Some(Value::Array(values)) = obj.get("enum") {
        if values.iter().any(Value::is_null) {
            return true;
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = obj.get(key) {
            if members.iter().any(is_null_schema) {
                return true;
            }
        }
    }
    false
}

/// A union member that only says "or null": `{type: "null"}` (3.1), or the 3.0 idiom for a
/// nullable reference, `anyOf: [{$ref: X}, {type: object, nullable: true}]` (Microsoft Graph uses
/// it on every reference), where the second member has no shape of its own.
fn is_null_schema(v: &Value) -> bool {
    let Some(m) = v.as_object() else { return false };
    if m.get("type").and_then(Value::as_str) == Some("null") {
        return m.len() <= 3;
    }
    m.get("nullable").and_then(Value::as_bool) == Some(true)
        && m.keys().all(|k| matches!(k.as_str(), "nullable" | "type" | "description" | "title"))
        && matches!(m.get("type").and_then(Value::as_str), None | Some("object"))
}

fn is_annotation_only(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.keys().all(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-")),
        Value::Bool(true) => true,
        _ => false,
    }
}

/// Members like `{required: [a]}` or `{minLength: 3}` that narrow values without giving a shape.
fn is_constraint_only(v: &Value) -> bool {
    const SHAPING: &[&str] = &[
        "$ref",
        "type",
        "properties",
        "items",
        "enum",
        "const",
        "allOf",
        "oneOf",
        "anyOf",
        "additionalProperties",
        "prefixItems",
    ];
    match v {
        Value::Object(m) => !m.keys().any(|k| SHAPING.contains(&k.as_str())),
        _ => false,
    }
}

pub(crate) fn docs_of(v: &Value) -> Docs {
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    Docs {
        title: text("title"),
        description: text("description"),
        deprecated: v.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
    }
}

fn examples_of(v: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(e) = v.get("example") {
        out.push(e.clone());
    }
    if let Some(Value::Array(es)) = v.get("examples") {
        out.extend(es.iter().cloned());
    }
    out
}

/// The last segment of a pointer, unescaped; the file stem for a whole-file target.
pub(crate) fn spec_name_of(src: &SourceSet, at: &Origin) -> String {
    match at.pointer.rsplit_once('/') {
        Some((_, last)) if !last.is_empty() => last.replace("~1", "/").replace("~0", "~"),
        _ => {
            let file = src.file(at.file);
            let title = file.value.get("title").and_then(Value::as_str);
            title.map(str::to_owned).unwrap_or_else(|| {
                file.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "Root".into())
            })
        }
    }
}
