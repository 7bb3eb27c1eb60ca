//! `#[spec_contract(spec = "openapi.yaml", schema = "Pet")] struct Pet { … }`: checks a
//! hand-written struct against a schema of the spec. Each missing, extra, wrongly typed or wrongly
//! optional field is a compile error at that field (a missing one at the struct's name), whose
//! message names the schema's property and its file:line in the spec. Serde renames are honoured;
//! a struct that matches is emitted unchanged.

use heck::{ToKebabCase, ToLowerCamelCase, ToPascalCase, ToShoutyKebabCase, ToShoutySnakeCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use spec_core::diag::{Diagnostic, Origin};
use spec_core::ir::{Additional, Bound, Constraints, Field, Ir, Primitive, TypeDef, TypeKind, TypeRef, View};
use spec_core::source::SourceSet;

/// What the check needs of the spec: its IR and sources (for file:line).
pub struct Spec<'a> {
    pub ir: &'a Ir,
    pub sources: &'a SourceSet,
}

impl Spec<'_> {
    /// `petstore.yaml:134` for a spec location.
    fn place(&self, origin: &Origin) -> String {
        let mut probe = Diagnostic::approximation("place", origin.clone(), "");
        self.sources.locate_all([&mut probe]);
        let line = probe.position.map(|p| format!(":{}", p.line)).unwrap_or_default();
        format!("{}{line}", self.sources.shown(origin.file))
    }

    /// The type generated for component `name`: the view both directions share, else the one a
    /// server sends (it has every member a hand-written model usually holds).
    fn schema(&self, name: &str) -> Option<&TypeDef> {
        let named: Vec<&TypeDef> = self.ir.types.iter().filter(|t| t.spec_name.as_deref() == Some(name)).collect();
        named
            .iter()
            .find(|t| t.view == View::Both)
            .or_else(|| named.iter().find(|t| t.view == View::Response))
            .or(named.first())
            .copied()
    }

    fn schema_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.ir.types.iter().filter_map(|t| t.spec_name.as_deref()).collect();
        names.sort_unstable();
        names.dedup();
        names
    }
}

/// The errors of `item` against schema `name` (empty when it matches).
pub fn check(spec: &Spec, name: &syn::LitStr, item: &syn::ItemStruct) -> Vec<syn::Error> {
    let Some(def) = spec.schema(&name.value()) else {
        let known = spec.schema_names();
        let listed = if known.len() > 12 { format!("{}, …", known[..12].join(", ")) } else { known.join(", ") };
        return vec![syn::Error::new(
            name.span(),
            format!("the spec has no schema `{}`; it has: {listed}", name.value()),
        )];
    };
    let schema = format!("schema `{}`", name.value());
    let schema_at = format!("{schema} ({})", spec.place(&def.origin));
    let TypeKind::Struct(s) = &def.kind else {
        return vec![syn::Error::new(
            name.span(),
            format!("{schema_at} is not an object with properties; only those are checked"),
        )];
    };
    let syn::Fields::Named(fields) = &item.fields else {
        return vec![syn::Error::new_spanned(
            &item.fields,
            format!("{schema_at} has named properties: use a struct with named fields"),
        )];
    };
    let rename_all = serde_value(&item.attrs, "rename_all");
    let mut errors = Vec::new();
    let mut seen = Vec::new();
    for field in &fields.named {
        let Some(ident) = &field.ident else { continue };
        if has_serde_flag(&field.attrs, "skip") || has_serde_flag(&field.attrs, "skip_deserializing") {
            continue;
        }
        if has_serde_flag(&field.attrs, "flatten") {
            if matches!(s.additional, Additional::Ignore | Additional::Deny) {
                let text = format!(
                    "`{ident}` collects extra members, but {schema_at} does not allow any (additionalProperties)"
                );
                errors.push(syn::Error::new(ident.span(), text));
            }
            continue;
        }
        let wire = wire_name(ident, &field.attrs, rename_all.as_deref());
        match s.fields.iter().find(|f| f.json_name == wire) {
            None => {
                let text = format!("`{wire}` is not a property of {schema_at}");
                errors.push(syn::Error::new(ident.span(), text));
            }
            Some(property) => {
                seen.push(wire);
                if let Some(e) = check_field(spec, &schema, property, field) {
                    errors.push(e);
                }
            }
        }
    }
    for property in s.fields.iter().filter(|f| !seen.contains(&f.json_name)) {
        let (required, what) =
            if property.required { ("required", "") } else { ("optional", "; add it as an `Option`") };
        let text = format!(
            "no field for the {required} property `{}` of {schema} ({}){what}",
            property.json_name,
            spec.place(&property.origin)
        );
        errors.push(syn::Error::new(item.ident.span(), text));
    }
    errors
}

/// The type and optionality of one field against its property.
fn check_field(spec: &Spec, schema: &str, property: &Field, field: &syn::Field) -> Option<syn::Error> {
    let place = spec.place(&property.origin);
    let described = describe(spec.ir, &property.ty);
    let (optional_in_spec, how) = match (property.required, property.nullable) {
        (true, false) => (false, "required"),
        (true, true) => (true, "required but nullable"),
        (false, _) if property.default.is_some() => (false, "optional with a default"),
        (false, _) => (true, "optional"),
    };
    let has_default = has_serde_flag(&field.attrs, "default") || serde_value(&field.attrs, "default").is_some();
    let (is_option, inner) = match option_inner(&field.ty) {
        Some(inner) => (true, inner),
        None => (false, &field.ty),
    };
    // An optional property may also be a plain field with `#[serde(default)]`.
    let optional_ok = is_option == optional_in_spec || (!is_option && has_default && !property.required);
    if !optional_ok {
        let text = if optional_in_spec {
            format!(
                "`{}` of {schema} is {how} ({place}): write `Option<{}>`",
                property.json_name,
                inner.to_token_stream().to_string().replace(' ', "")
            )
        } else {
            format!("`{}` of {schema} is {how} ({place}): write it without `Option`", property.json_name)
        };
        return Some(syn::Error::new_spanned(&field.ty, text));
    }
    // `Option<Option<T>>` for an optional nullable property.
    let inner = if property.nullable && !property.required { option_inner(inner).unwrap_or(inner) } else { inner };
    let wanted = match &property.ty {
        TypeRef::Nullable(t) => t.as_ref(),
        t => t,
    };
    if fits(spec.ir, wanted, inner, 0) {
        return None;
    }
    let text = format!(
        "`{}` of {schema} is {described} ({place}); `{}` does not hold that",
        property.json_name,
        inner.to_token_stream().to_string().replace(' ', "")
    );
    Some(syn::Error::new_spanned(inner, text))
}

/// Whether the Rust type `ty` holds values of the spec type `wanted`.
fn fits(ir: &Ir, wanted: &TypeRef, ty: &syn::Type, depth: usize) -> bool {
    if depth > 32 {
        return true;
    }
    let Some((name, args)) = last_segment(ty) else { return false };
    // Indirection the spec cannot see.
    if matches!(name.as_str(), "Box" | "Rc" | "Arc") {
        return args.first().is_some_and(|inner| fits(ir, wanted, inner, depth + 1));
    }
    let json_value = name == "Value";
    match wanted {
        TypeRef::Any => json_value,
        TypeRef::Object => json_value || (is_map(&name) && args.len() == 2),
        TypeRef::Nullable(inner) => match option_inner(ty) {
            Some(t) => fits(ir, inner, t, depth + 1),
            None => fits(ir, inner, ty, depth + 1),
        },
        TypeRef::List(item) => {
            matches!(name.as_str(), "Vec" | "VecDeque" | "HashSet" | "BTreeSet" | "IndexSet")
                && args.first().is_some_and(|t| fits(ir, item, t, depth + 1))
        }
        TypeRef::Tuple(items) => match ty {
            syn::Type::Tuple(tuple) => {
                tuple.elems.len() == items.len()
                    && items.iter().zip(&tuple.elems).all(|(w, t)| fits(ir, w, t, depth + 1))
            }
            _ => json_value,
        },
        TypeRef::Map(value) => is_map(&name) && args.len() == 2 && fits(ir, value, args[1], depth + 1),
        TypeRef::Primitive(p) => primitive_fits(*p, &name),
        TypeRef::Named(id) => {
            let def = ir.ty(*id);
            if name == def.name || def.spec_name.as_deref() == Some(name.as_str()) {
                return true;
            }
            // A constrained or aliased type may be written as what it wraps.
            match &def.kind {
                TypeKind::Newtype(n) => {
                    fits(ir, &n.inner, ty, depth + 1) || bounded_integer_fits(&n.inner, &n.constraints, &name)
                }
                TypeKind::Alias(t) => fits(ir, t, ty, depth + 1),
                TypeKind::Enum(_) => name == "String",
                TypeKind::Struct(_) | TypeKind::Union(_) => json_value,
            }
        }
    }
}

/// An integer with `minimum` and `maximum` fits any integer type that holds both bounds
/// (`status: 100..=599` fits `u16`).
fn bounded_integer_fits(inner: &TypeRef, constraints: &Constraints, name: &str) -> bool {
    let TypeRef::Primitive(
        Primitive::I8
        | Primitive::I16
        | Primitive::I32
        | Primitive::I64
        | Primitive::U8
        | Primitive::U16
        | Primitive::U32
        | Primitive::U64,
    ) = inner
    else {
        return false;
    };
    let bound = |b: &Option<Bound>| b.as_ref().and_then(|b| b.value.as_f64());
    let (Some(low), Some(high)) = (bound(&constraints.minimum), bound(&constraints.maximum)) else { return false };
    let (min, max): (f64, f64) = match name {
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" | "isize" => (i64::MIN as f64, i64::MAX as f64),
        "u8" => (0.0, u8::MAX.into()),
        "u16" => (0.0, u16::MAX.into()),
        "u32" => (0.0, u32::MAX.into()),
        "u64" | "usize" => (0.0, u64::MAX as f64),
        _ => return false,
    };
    min <= low && high <= max
}

fn is_map(name: &str) -> bool {
    matches!(name, "HashMap" | "BTreeMap" | "IndexMap" | "Map")
}

/// Integers fit any integer type at least as wide with the same sign (or a wider signed one);
/// strings with a format fit `String` or the usual crate types for that format.
fn primitive_fits(p: Primitive, name: &str) -> bool {
    let int = |bits: u32, signed: bool| -> bool {
        let (b, s) = match name {
            "i8" => (8, true),
            "i16" => (16, true),
            "i32" => (32, true),
            "i64" => (64, true),
            "i128" => (128, true),
            "isize" => (64, true),
            "u8" => (8, false),
            "u16" => (16, false),
            "u32" => (32, false),
            "u64" => (64, false),
            "u128" => (128, false),
            "usize" => (64, false),
            _ => return false,
        };
        (s == signed && b >= bits) || (s && !signed && b > bits)
    };
    match p {
        Primitive::Bool => name == "bool",
        Primitive::I8 => int(8, true),
        Primitive::I16 => int(16, true),
        Primitive::I32 => int(32, true),
        Primitive::I64 => int(64, true),
        Primitive::U8 => int(8, false),
        Primitive::U16 => int(16, false),
        Primitive::U32 => int(32, false),
        Primitive::U64 => int(64, false),
        Primitive::F32 => matches!(name, "f32" | "f64"),
        Primitive::F64 => name == "f64",
        Primitive::String | Primitive::Binary | Primitive::Formatted(_) => name == "String",
        Primitive::DateTime => matches!(name, "String" | "DateTime" | "OffsetDateTime" | "Timestamp" | "Zoned"),
        Primitive::Date => matches!(name, "String" | "NaiveDate" | "Date"),
        Primitive::Uuid => matches!(name, "String" | "Uuid"),
        Primitive::Base64 => matches!(name, "String" | "Vec"),
    }
}

/// How the spec type reads in a message: `string`, `array of Pet`, `integer (int64)`.
fn describe(ir: &Ir, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => {
            let def = ir.ty(*id);
            if let Some(name) = &def.spec_name {
                return format!("`{name}`");
            }
            // An inline schema: say what it is, not the name spec-gen made up for it.
            match &def.kind {
                TypeKind::Newtype(n) => {
                    let bound = |b: &Option<Bound>| b.as_ref().map(|b| b.value.to_string());
                    match (bound(&n.constraints.minimum), bound(&n.constraints.maximum)) {
                        (Some(low), Some(high)) => format!("{} from {low} to {high}", describe(ir, &n.inner)),
                        _ => describe(ir, &n.inner),
                    }
                }
                TypeKind::Alias(t) => describe(ir, t),
                TypeKind::Enum(e) => {
                    let values: Vec<String> = e.variants.iter().take(6).map(|v| format!("`{}`", v.value)).collect();
                    format!("one of {}", values.join(", "))
                }
                TypeKind::Struct(_) => "an inline object".into(),
                TypeKind::Union(_) => "one of several schemas".into(),
            }
        }
        TypeRef::Primitive(p) => match p {
            Primitive::Bool => "a boolean".into(),
            Primitive::I8 | Primitive::I16 | Primitive::I32 => "an integer (int32)".into(),
            Primitive::I64 => "an integer (int64)".into(),
            Primitive::U8 | Primitive::U16 | Primitive::U32 | Primitive::U64 => "a non-negative integer".into(),
            Primitive::F32 | Primitive::F64 => "a number".into(),
            Primitive::DateTime => "a date-time string".into(),
            Primitive::Date => "a date string".into(),
            Primitive::Uuid => "a uuid string".into(),
            _ => "a string".into(),
        },
        TypeRef::List(item) => format!("an array of {}", describe(ir, item)),
        TypeRef::Map(value) => format!("a map of {}", describe(ir, value)),
        TypeRef::Tuple(items) => format!("a tuple of {} items", items.len()),
        TypeRef::Nullable(inner) => format!("{} or null", describe(ir, inner)),
        TypeRef::Object => "an object".into(),
        TypeRef::Any => "any JSON value".into(),
    }
}

/// `Option<T>` → `T` (by the last path segment, so `std::option::Option` counts too).
fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    match last_segment(ty)? {
        (name, args) if name == "Option" && args.len() == 1 => Some(args[0]),
        _ => None,
    }
}

/// The last path segment's name and its type arguments.
fn last_segment(ty: &syn::Type) -> Option<(String, Vec<&syn::Type>)> {
    let syn::Type::Path(path) = ty else { return None };
    let segment = path.path.segments.last()?;
    let args = match &segment.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((segment.ident.to_string(), args))
}

/// The JSON name serde gives a field: `rename`, else `rename_all` applied, else its name.
fn wire_name(ident: &syn::Ident, attrs: &[syn::Attribute], rename_all: Option<&str>) -> String {
    if let Some(rename) = serde_value(attrs, "rename") {
        return rename;
    }
    let name = ident.to_string().trim_start_matches("r#").to_owned();
    match rename_all {
        Some("lowercase") => name.to_lowercase(),
        Some("UPPERCASE") => name.to_uppercase(),
        Some("PascalCase") => name.to_pascal_case(),
        Some("camelCase") => name.to_lower_camel_case(),
        Some("snake_case") => name.to_snake_case(),
        Some("SCREAMING_SNAKE_CASE") => name.to_shouty_snake_case(),
        Some("kebab-case") => name.to_kebab_case(),
        Some("SCREAMING-KEBAB-CASE") => name.to_shouty_kebab_case(),
        _ => name,
    }
}

/// `#[serde(key = "value")]`.
fn serde_value(attrs: &[syn::Attribute], key: &str) -> Option<String> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(key) {
                if let Ok(value) = meta.value() {
                    if let Ok(lit) = value.parse::<syn::LitStr>() {
                        found = Some(lit.value());
                    }
                }
            } else if meta.input.peek(syn::Token![=]) {
                let _ = meta.value()?.parse::<syn::Expr>();
            } else if meta.input.peek(syn::token::Paren) {
                let _ = meta.parse_nested_meta(|_| Ok(()));
            }
            Ok(())
        });
    }
    found
}

/// `#[serde(flag)]` (or `#[serde(flag = …)]`).
fn has_serde_flag(attrs: &[syn::Attribute], flag: &str) -> bool {
    let mut found = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(flag) {
                found = true;
            }
            if meta.input.peek(syn::Token![=]) {
                let _ = meta.value()?.parse::<syn::Expr>();
            } else if meta.input.peek(syn::token::Paren) {
                let _ = meta.parse_nested_meta(|_| Ok(()));
            }
            Ok(())
        });
    }
    found
}

/// The struct, unchanged, followed by one compile error per finding.
pub fn emit(item: &syn::ItemStruct, errors: Vec<syn::Error>) -> TokenStream {
    let errors = errors.into_iter().map(|e| e.to_compile_error());
    quote!(#item #(#errors)*)
}
