//! Building the IR from loaded documents: dialect detection, named schemas, operations,
//! security and servers, then whole-IR checks (alias cycles).

pub mod names;
mod ops;
pub(crate) mod schema;
mod split;

use std::collections::HashMap;

use serde_json::Value;

use crate::diag::{Diagnostic, Diagnostics, Origin};
use crate::ir::*;
use crate::lower::names::{Scope, pascal, snake};
use crate::lower::schema::Lowerer;
use crate::lower::split::SplitTable;
use crate::refs::RefTable;
use crate::source::{FileId, SourceSet};

/// Works out which dialect the root document is written in, or says why it cannot be read.
pub fn detect_dialect(root: &Value, origin: &Origin) -> Result<Dialect, Diagnostic> {
    let Value::Object(map) = root else {
        return Err(Diagnostic::error(
            "not-a-spec",
            origin.clone(),
            "the document must be an object (a mapping) at its top level",
        ));
    };
    if let Some(v) = map.get("swagger") {
        return Err(Diagnostic::error(
            "swagger-2",
            origin.child("swagger"),
            format!("Swagger {} is not supported yet; spec-gen reads OpenAPI 3.0 and 3.1", v.as_str().unwrap_or("2.0")),
        )
        .with_help("convert the document first, for example with `npx swagger2openapi spec.json -o openapi.json`"));
    }
    if let Some(v) = map.get("openapi") {
        let version = match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        return if version.starts_with("3.0") {
            Ok(Dialect::OpenApi30)
        } else if version.starts_with("3.1") || version.starts_with("3.2") {
            Ok(Dialect::OpenApi31)
        } else {
            Err(Diagnostic::error(
                "openapi-version",
                origin.child("openapi"),
                format!("unsupported `openapi` version {v}; spec-gen reads 3.0.x and 3.1.x"),
            ))
        };
    }
    let schema_keys =
        ["$schema", "type", "properties", "$defs", "definitions", "allOf", "oneOf", "anyOf", "$ref", "enum"];
    if schema_keys.iter().any(|k| map.contains_key(*k)) {
        return Ok(Dialect::JsonSchema);
    }
    Err(Diagnostic::error(
        "not-a-spec",
        origin.clone(),
        "this is neither an OpenAPI document (no `openapi` key) nor a JSON Schema (no `$schema`, `type`, `properties` or `$defs`)",
    )
    .with_help("an OpenAPI document starts with `openapi: 3.1.0`; a JSON Schema file with `$schema` or `type`"))
}

/// Builds the IR. Returns `None` when the root cannot be read as a spec at all.
pub fn build(src: &SourceSet, refs: &RefTable, diags: &mut Diagnostics) -> Option<Ir> {
    let root = &src.file(FileId(0)).value;
    let root_origin = Origin::new(FileId(0), "");
    let dialect = match detect_dialect(root, &root_origin) {
        Ok(d) => d,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let split = if dialect == Dialect::JsonSchema { SplitTable::disabled() } else { SplitTable::build(src, refs) };
    let mut lw = Lowerer::new(src, refs, dialect, split);
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let mut ir = Ir {
        dialect,
        title: String::new(),
        version: None,
        description: None,
        types: vec![],
        operations: vec![],
        servers: vec![],
        security_schemes: vec![],
        security: vec![],
        string_formats: vec![],
    };
    if dialect == Dialect::JsonSchema {
        ir.title = schema::spec_name_of(src, &root_origin);
        ir.description = text(root, "description");
        let defs: Vec<Origin> = ["$defs", "definitions"]
            .iter()
            .filter_map(|key| root.get(*key).and_then(Value::as_object).map(|m| (key, m)))
            .flat_map(|(key, m)| {
                let base = root_origin.child(key);
                m.keys().map(move |name| base.child(name))
            })
            .collect();
        let root_has_shape = root.as_object().is_some_and(|m| {
            m.keys().any(|k| {
                !matches!(
                    k.as_str(),
                    "$schema" | "$id" | "$defs" | "definitions" | "title" | "description" | "$comment"
                )
            })
        });
        if root_has_shape {
            let name = lw.type_names.claim(pascal(&ir.title, "Root"), false);
            lw.reserved.insert(root_origin.clone(), name);
        }
        reserve(&mut lw, &defs);
        if root_has_shape {
            lw.named(&root_origin, View::Both);
        }
        for d in &defs {
            lw.named(d, View::Both);
        }
    } else {
        let info = root.get("info").unwrap_or(&Value::Null);
        ir.title = text(info, "title").unwrap_or_else(|| "Api".to_owned());
        ir.version = info.get("version").map(|v| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()));
        ir.description = text(info, "description");
        let schemas_origin = root_origin.child("components").child("schemas");
        let components: Vec<Origin> = match root.pointer("/components/schemas") {
            Some(Value::Object(m)) => m.keys().map(|k| schemas_origin.child(k)).collect(),
            _ => vec![],
        };
        reserve(&mut lw, &components);
        lw.all_of_children = all_of_children(&lw, &components);
        for c in &components {
            lw.named(c, View::Both);
        }
        let mut op_names = Scope::default();
        if let Some(paths) = root.get("paths") {
            lw.operations(&root_origin.child("paths"), paths, false, &mut ir.operations, &mut op_names);
        } else if dialect == Dialect::OpenApi30 {
            diags.push(Diagnostic::warning(
                "no-paths",
                root_origin.clone(),
                "OpenAPI 3.0 requires `paths`; none found",
            ));
        }
        if let Some(hooks) = root.get("webhooks") {
            lw.operations(&root_origin.child("webhooks"), hooks, true, &mut ir.operations, &mut op_names);
        }
        ir.servers = ops::servers_of(root.get("servers"));
        if let Some(security) = root.get("security") {
            ir.security = lw.security_requirements(&root_origin.child("security"), security);
        }
        ir.security_schemes = security_schemes(&mut lw, &root_origin);
    }
    ir.types = std::mem::take(&mut lw.types);
    ir.string_formats = std::mem::take(&mut lw.string_formats).into_iter().collect();
    diags.extend(std::mem::take(&mut lw.diags));
    break_alias_cycles(&mut ir, diags);
    wrap_recursive_aliases(&mut ir);
    Some(ir)
}

fn reserve(lw: &mut Lowerer<'_>, origins: &[Origin]) {
    for o in origins {
        let spec_name = schema::spec_name_of(lw.src, o);
        let name = lw.type_names.claim(pascal(&spec_name, "Type"), false);
        lw.reserved.insert(o.clone(), name);
    }
}

fn security_schemes(lw: &mut Lowerer<'_>, root_origin: &Origin) -> Vec<SecurityScheme> {
    let root = &lw.src.file(FileId(0)).value;
    let Some(Value::Object(schemes)) = root.pointer("/components/securitySchemes") else { return vec![] };
    let base = root_origin.child("components").child("securitySchemes");
    let mut names = Scope::default();
    let mut out = Vec::new();
    for (key, s) in schemes {
        let Some((origin, s)) = lw.deref_object(&base.child(key), s) else { continue };
        let text = |k: &str| s.get(k).and_then(Value::as_str).map(str::to_owned);
        let kind = match text("type").as_deref() {
            Some("apiKey") => {
                let location = match text("in").as_deref() {
                    Some("query") => ParamLocation::Query,
                    Some("cookie") => ParamLocation::Cookie,
                    _ => ParamLocation::Header,
                };
                SecurityKind::ApiKey { name: text("name").unwrap_or_default(), location }
            }
            Some("http") => match text("scheme").map(|s| s.to_ascii_lowercase()).as_deref() {
                Some("basic") => SecurityKind::Basic,
                Some("bearer") => SecurityKind::Bearer { format: text("bearerFormat") },
                other => SecurityKind::Other { scheme: other.unwrap_or("http").to_owned() },
            },
            Some("oauth2") => {
                let mut scopes: Vec<String> = Vec::new();
                if let Some(Value::Object(flows)) = s.get("flows") {
                    for flow in flows.values() {
                        if let Some(Value::Object(sc)) = flow.get("scopes") {
                            for k in sc.keys() {
                                if !scopes.contains(k) {
                                    scopes.push(k.clone());
                                }
                            }
                        }
                    }
                }
                SecurityKind::OAuth2 { scopes }
            }
            Some("openIdConnect") => SecurityKind::OpenIdConnect { url: text("openIdConnectUrl").unwrap_or_default() },
            other => SecurityKind::Other { scheme: other.unwrap_or("unknown").to_owned() },
        };
        out.push(SecurityScheme {
            key: key.clone(),
            rust_name: names.claim(snake(key, "scheme"), true),
            kind,
            description: text("description"),
            origin,
        });
    }
    out
}

/// `A: {$ref: B}`, `B: {$ref: A}` has no base case; the generated `type A = B; type B = A;` would
/// not compile, so the cycle is an error at its first member.
fn break_alias_cycles(ir: &mut Ir, diags: &mut Diagnostics) {
    for start in 0..ir.types.len() {
        let mut current = start;
        for _ in 0..=ir.types.len().min(64) {
            match alias_target(&ir.types[current].kind) {
                Some(next) => {
                    current = next.0;
                    if current == start {
                        diags.push(
                            Diagnostic::error(
                                "ref-cycle",
                                ir.types[start].origin.clone(),
                                format!(
                                    "`{}` is defined only by `$ref`s that lead back to itself",
                                    ir.types[start].name
                                ),
                            )
                            .with_help("give one schema in the cycle a real definition"),
                        );
                        ir.types[start].kind = TypeKind::Alias(TypeRef::Any);
                        break;
                    }
                }
                None => break,
            }
        }
    }
}

/// Components that extend another component through `allOf` (OpenAPI's inheritance style:
/// `Dog: allOf: [$ref: Pet, {...}]`), keyed by the parent, in component order. A reference to a
/// parent with a `discriminator` means "the parent or any of its descendants, chosen by the
/// discriminator"; see `Lowerer::polymorphic`.
fn all_of_children(lw: &Lowerer<'_>, components: &[Origin]) -> HashMap<Origin, Vec<Origin>> {
    let known: std::collections::HashSet<&Origin> = components.iter().collect();
    let mut children: HashMap<Origin, Vec<Origin>> = HashMap::new();
    for child in components {
        let Some(Value::Object(obj)) = lw.value(child) else { continue };
        let Some(Value::Array(members)) = obj.get("allOf") else { continue };
        for member in members {
            let Some(reference) = member.get("$ref").and_then(Value::as_str) else { continue };
            let Ok(target) = lw.refs.resolve(lw.src, child.file, reference) else { continue };
            let parent = target.origin();
            if parent != *child && known.contains(&parent) {
                let list = children.entry(parent).or_default();
                if !list.contains(child) {
                    list.push(child.clone());
                }
            }
        }
    }
    children
}

/// Rust type aliases cannot recurse, even through a `Vec` or a map (`Tree = BTreeMap<String, Tree>`).
/// An alias that reaches itself through containers becomes a transparent newtype, which can.
fn wrap_recursive_aliases(ir: &mut Ir) {
    fn refs(t: &TypeRef, out: &mut Vec<TypeId>) {
        match t {
            TypeRef::Named(id) => out.push(*id),
            TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => refs(inner, out),
            TypeRef::Tuple(items) => items.iter().for_each(|i| refs(i, out)),
            TypeRef::Primitive(_) | TypeRef::Object | TypeRef::Any => {}
        }
    }
    for start in 0..ir.types.len() {
        let TypeKind::Alias(target) = &ir.types[start].kind else { continue };
        let mut stack = Vec::new();
        refs(target, &mut stack);
        let mut seen = vec![false; ir.types.len()];
        let mut recursive = false;
        while let Some(id) = stack.pop() {
            if id.0 == start {
                recursive = true;
                break;
            }
            if std::mem::replace(&mut seen[id.0], true) {
                continue;
            }
            if let TypeKind::Alias(next) = &ir.types[id.0].kind {
                refs(next, &mut stack);
            }
        }
        if recursive {
            let kind = &mut ir.types[start].kind;
            if let TypeKind::Alias(inner) = std::mem::replace(kind, TypeKind::Alias(TypeRef::Any)) {
                *kind = TypeKind::Newtype(NewtypeDef { inner, constraints: Constraints::default() });
            }
        }
    }
}

fn alias_target(kind: &TypeKind) -> Option<TypeId> {
    match kind {
        TypeKind::Alias(TypeRef::Named(id)) => Some(*id),
        TypeKind::Alias(TypeRef::Nullable(inner)) => match **inner {
            TypeRef::Named(id) => Some(id),
            _ => None,
        },
        _ => None,
    }
}
