//! IR types to Rust items: structs, enums, unions and constrained newtypes, with their serde
//! impls (the structs' written as laid-out text by `object_impls`).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use spec_core::diag::{Diagnostic, Diagnostics};
use spec_core::ir::*;
use spec_core::source::SourceSet;

use crate::docs::{Declared, doc_attrs};
use crate::layout::Items;
use crate::object_impls::{Member, Object, Read};
use crate::support::SupportNeeds;
use crate::typeref::Typer;

pub struct TypesGen<'a> {
    pub typer: &'a Typer<'a>,
    pub sources: &'a SourceSet,
    pub support: SupportNeeds,
    pub diags: Diagnostics,
    pub derives: Vec<TokenStream>,
    /// Whether serde's derives and `#[serde(…)]` attributes are written (`reads_serde_attributes`).
    pub serde_attributes: bool,
    /// The items generated so far.
    out: Items,
}

impl<'a> TypesGen<'a> {
    pub fn new(typer: &'a Typer<'a>, sources: &'a SourceSet, options: &crate::Options) -> Self {
        // Front ends check derive paths (`options::check_derive`); one that does not lex is skipped.
        let derives = options.extra_derives.iter().filter_map(|d| d.parse::<TokenStream>().ok()).collect();
        let serde_attributes = reads_serde_attributes(&options.extra_derives);
        TypesGen {
            typer,
            sources,
            support: SupportNeeds::default(),
            diags: Diagnostics::default(),
            derives,
            serde_attributes,
            out: Items::default(),
        }
    }

    pub fn items(&mut self) -> Items {
        self.items_in(0..self.typer.ir.types.len())
    }

    /// The items of the types with ids in `range`, in id order.
    pub fn items_in(&mut self, range: std::ops::Range<usize>) -> Items {
        let ir = self.typer.ir;
        for i in range {
            self.item(TypeId(i), &ir.types[i]);
        }
        std::mem::take(&mut self.out)
    }

    fn item(&mut self, id: TypeId, def: &TypeDef) {
        let docs = doc_attrs(
            &def.docs,
            Some(Declared { sources: self.sources, lines: self.typer.lines, origin: &def.origin }),
        );
        let deprecated = deprecated_attr(&def.docs);
        let name = self.typer.name(id);
        let allow = self.allow_deprecated(id);
        let tokens = match &def.kind {
            TypeKind::Struct(s) => return self.struct_item(id, &name, s, docs, deprecated, allow),
            TypeKind::Enum(e) => self.enum_item(&name, e, docs, deprecated, allow),
            TypeKind::Union(u) => self.union_item(id, &name, u, docs, deprecated, allow),
            TypeKind::Newtype(n) => self.newtype_item(id, &name, n, docs, deprecated, allow),
            TypeKind::Alias(t) => {
                let ty = self.typer.rust(None, t);
                quote! { #docs #deprecated #allow pub type #name = #ty; }
            }
        };
        self.out.tokens(tokens);
    }

    /// `#[allow(deprecated)]` where an item mentions a deprecated type, so using the spec's
    /// deprecations does not make the output warn.
    fn allow_deprecated(&self, id: TypeId) -> TokenStream {
        let ir = self.typer.ir;
        let mut mentioned = Vec::new();
        let collect = |t: &TypeRef, out: &mut Vec<TypeId>| named_in(t, out);
        match &ir.ty(id).kind {
            TypeKind::Struct(s) => {
                for f in &s.fields {
                    collect(&f.ty, &mut mentioned);
                }
                if let Additional::Map(t) = &s.additional {
                    collect(t, &mut mentioned);
                }
            }
            TypeKind::Union(u) => u.variants.iter().for_each(|v| collect(&v.ty, &mut mentioned)),
            TypeKind::Newtype(n) => collect(&n.inner, &mut mentioned),
            TypeKind::Alias(t) => collect(t, &mut mentioned),
            TypeKind::Enum(_) => {}
        }
        let struct_has_deprecated_field =
            matches!(&ir.ty(id).kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.docs.deprecated));
        if ir.ty(id).docs.deprecated
            || struct_has_deprecated_field
            || mentioned.iter().any(|m| ir.ty(*m).docs.deprecated)
        {
            quote!(#[allow(deprecated)])
        } else {
            TokenStream::new()
        }
    }

    /// The struct derives: serde's `Serialize` derive only where a user derive may read serde
    /// attributes (see `serde_attributes`).
    fn derive_attr(&self, extra_core: TokenStream) -> TokenStream {
        let derives = &self.derives;
        let serialize = self.serde_attributes.then(|| quote!(::serde::Serialize));
        quote!(#[derive(Debug, Clone, PartialEq, #extra_core #(#derives,)* #serialize)])
    }

    /// `#[serde(…)]` for readers of the struct's wire format, written only with the derive that
    /// makes the attribute legal.
    fn serde_attr(&self, attr: TokenStream) -> TokenStream {
        if self.serde_attributes { quote!(#[serde(#attr)]) } else { TokenStream::new() }
    }

    fn struct_item(
        &mut self,
        id: TypeId,
        name: &proc_macro2::Ident,
        s: &StructDef,
        docs: TokenStream,
        deprecated: TokenStream,
        allow: TokenStream,
    ) {
        let mut fields = Vec::with_capacity(s.fields.len());
        let mut default_fns = Vec::new();
        let mut members = Vec::with_capacity(s.fields.len());
        let mut all_optional = true;
        for f in &s.fields {
            let field_name = format_ident!("{}", f.name);
            let field_docs = doc_attrs(&f.docs, None);
            let field_deprecated = deprecated_attr(&f.docs);
            let json = &f.json_name;
            let rename =
                if f.json_name != f.name { self.serde_attr(quote!(rename = #json)) } else { TokenStream::new() };
            let skip_none = || quote!(default, skip_serializing_if = "::std::option::Option::is_none");
            let base = self.typer.rust(Some(id), &f.ty);
            // The slot is read as `Option<T>` wherever `null` is accepted (an optional member's
            // `null` reads as absent, as serde's derive has it), and `read` turns it into the field.
            let (ty, serde_attr, read) = if f.required {
                all_optional = false;
                let ty = if f.nullable { quote!(::std::option::Option<#base>) } else { base };
                (ty, TokenStream::new(), Read::Required)
            } else if f.nullable {
                (quote!(::std::option::Option<::std::option::Option<#base>>), self.serde_attr(skip_none()), Read::AsIs)
            } else if let Some(literal) = f.default.as_ref().and_then(|d| self.default_literal(&f.ty, d, f)) {
                let fn_name = format_ident!("default_{}", f.name.trim_start_matches('_'));
                let fn_path = format!("{}::{}", name, fn_name);
                default_fns.push(quote! {
                    fn #fn_name() -> #base { #literal }
                });
                all_optional = false;
                (base, self.serde_attr(quote!(default = #fn_path)), Read::Default(fn_name.to_string()))
            } else {
                (quote!(::std::option::Option<#base>), self.serde_attr(skip_none()), Read::Flatten)
            };
            fields.push(quote! {
                #field_docs #field_deprecated #rename #serde_attr
                pub #field_name: #ty
            });
            members.push(Member { field: field_name.to_string(), json: f.json_name.as_str(), read });
        }
        let mut container = TokenStream::new();
        let mut additional = None;
        match &s.additional {
            Additional::Map(t) => {
                let value = self.typer.rust(None, t);
                let field_name = format_ident!("{}", unique_field(s, "additional_properties"));
                let flatten = self.serde_attr(quote!(flatten));
                fields.push(quote! {
                    /// Members not named above (`additionalProperties`).
                    #flatten
                    pub #field_name: ::std::collections::BTreeMap<::std::string::String, #value>
                });
                additional = Some(field_name.to_string());
            }
            Additional::Deny => container = self.serde_attr(quote!(deny_unknown_fields)),
            Additional::Ignore => {}
        }
        let default_derive = if all_optional { quote!(Default,) } else { TokenStream::new() };
        let derive = self.derive_attr(default_derive);
        let defaults = (!default_fns.is_empty()).then(|| quote! { #allow impl #name { #(#default_fns)* } });
        self.out.tokens(quote! {
            #docs #deprecated #derive #container #allow
            pub struct #name { #(#fields,)* }
            #defaults
        });
        let object = Object {
            name: &name.to_string(),
            members: &members,
            additional: additional.as_deref(),
            deny: s.additional == Additional::Deny,
            allow_deprecated: !allow.is_empty(),
        };
        let text = self.out.text();
        if !self.serde_attributes {
            object.serialize(text);
        }
        object.deserialize(text);
        self.support.write_objects |= !self.serde_attributes;
        self.support.objects = true;
        self.support.other_members |= additional.is_some();
    }

    /// A Rust expression for a field default, when the default fits a simple type. Defaults of
    /// other types leave the field optional; that approximation is recorded.
    fn default_literal(&mut self, ty: &TypeRef, value: &Value, f: &Field) -> Option<TokenStream> {
        let literal = self.value_literal(ty, value, 0);
        if literal.is_none() {
            let broken = match ty {
                TypeRef::Named(id) => match &self.typer.ir.ty(*id).kind {
                    TypeKind::Newtype(n) => n.constraints.check(value).err(),
                    _ => None,
                },
                _ => None,
            };
            let message = match ty {
                _ if broken.is_some() => format!(
                    "default {value} breaks the property's own constraints ({}); not applied, the field stays optional",
                    broken.unwrap_or_default()
                ),
                TypeRef::Primitive(_) => format!("default {value} does not fit the property's type; not applied"),
                _ => format!(
                    "default {value} of a structured or constrained type is not applied; the field stays optional"
                ),
            };
            self.diags.push(Diagnostic::approximation("default-not-applied", f.origin.child("default"), message));
        }
        literal
    }

    /// A Rust expression of type `ty` that equals the JSON `value`, when one can be written without
    /// running a fallible conversion: scalars, enum variants, arrays and maps of those, nullable
    /// wrappers, and untyped JSON.
    fn value_literal(&self, ty: &TypeRef, value: &Value, depth: usize) -> Option<TokenStream> {
        if depth > 32 {
            return None;
        }
        let ir = self.typer.ir;
        match (ty, value) {
            (TypeRef::Primitive(Primitive::Bool), Value::Bool(b)) => Some(quote!(#b)),
            (TypeRef::Primitive(Primitive::String), Value::String(s)) => Some(quote!(::std::string::String::from(#s))),
            (TypeRef::Primitive(p @ Primitive::Formatted(_)), Value::String(s)) if self.typer.mapped(*p).is_none() => {
                Some(quote!(::std::string::String::from(#s)))
            }
            (TypeRef::Primitive(p), Value::Number(n)) => int_or_float_literal(*p, n),
            (TypeRef::Nullable(_), Value::Null) => Some(quote!(::std::option::Option::None)),
            (TypeRef::Nullable(inner), v) => {
                let inner = self.value_literal(inner, v, depth + 1)?;
                Some(quote!(::std::option::Option::Some(#inner)))
            }
            (TypeRef::List(inner), Value::Array(items)) => {
                let items =
                    items.iter().map(|item| self.value_literal(inner, item, depth + 1)).collect::<Option<Vec<_>>>()?;
                Some(quote!(::std::vec![#(#items),*]))
            }
            (TypeRef::Map(inner), Value::Object(entries)) => {
                let keys = entries.keys();
                let values =
                    entries.values().map(|v| self.value_literal(inner, v, depth + 1)).collect::<Option<Vec<_>>>()?;
                Some(quote!(::std::collections::BTreeMap::from([#((::std::string::String::from(#keys), #values)),*])))
            }
            // The text is serde_json's own rendering of a JSON value, so parsing it back cannot fail.
            (TypeRef::Any, v) => {
                let text = v.to_string();
                Some(quote!(::serde_json::from_str::<::serde_json::Value>(#text).unwrap_or_default()))
            }
            (TypeRef::Object, v @ Value::Object(_)) => {
                let text = v.to_string();
                Some(
                    quote!(::serde_json::from_str::<::serde_json::Map<::std::string::String, ::serde_json::Value>>(#text).unwrap_or_default()),
                )
            }
            (TypeRef::Named(id), v) => match (&ir.ty(*id).kind, v) {
                (TypeKind::Enum(e), Value::String(s)) => e.variants.iter().find(|v| v.value == *s).map(|v| {
                    let enum_name = self.typer.name(*id);
                    let variant = format_ident!("{}", v.name);
                    quote!(#enum_name::#variant)
                }),
                (TypeKind::Alias(inner), v) => self.value_literal(inner, v, depth + 1),
                // A constrained newtype: built directly (same module, so the field is visible)
                // once the value is known to pass the checks its `TryFrom` would run.
                (TypeKind::Newtype(n), v) if n.constraints.check(v).is_ok() => {
                    let inner = self.value_literal(&n.inner, v, depth + 1)?;
                    let name = self.typer.name(*id);
                    Some(quote!(#name(#inner)))
                }
                _ => None,
            },
            _ => None,
        }
    }

    fn enum_item(
        &mut self,
        name: &proc_macro2::Ident,
        e: &EnumDef,
        docs: TokenStream,
        deprecated: TokenStream,
        allow: TokenStream,
    ) -> TokenStream {
        self.support.unit_enum = true;
        let idents: Vec<proc_macro2::Ident> = e.variants.iter().map(|v| format_ident!("{}", v.name)).collect();
        let values: Vec<&String> = e.variants.iter().map(|v| &v.value).collect();
        let derives = &self.derives;
        // Serde goes through `as_str` and a table of the values: the derives' per-variant
        // visitor code cost more to compile than the rest of the enum.
        let (serialize_derive, variants, serialize) = if self.serde_attributes {
            let variants = e.variants.iter().zip(&idents).map(|(v, ident)| {
                let value = &v.value;
                let rename = (v.name != *value).then(|| quote!(#[serde(rename = #value)]));
                quote!(#rename #ident)
            });
            (quote!(::serde::Serialize), variants.collect::<Vec<_>>(), TokenStream::new())
        } else {
            let serialize = quote! {
                #allow
                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }
            };
            (TokenStream::new(), idents.iter().map(|i| quote!(#i)).collect(), serialize)
        };
        quote! {
            #docs #deprecated
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, #(#derives,)* #serialize_derive)]
            pub enum #name { #(#variants,)* }

            #allow
            impl #name {
                /// The value as it appears on the wire.
                pub const fn as_str(&self) -> &'static str {
                    match self { #(Self::#idents => #values,)* }
                }
            }

            #allow
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            #serialize

            #allow
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    support::unit_enum(deserializer, &[#(#values),*], &[#(Self::#idents),*])
                }
            }
        }
    }

    fn union_item(
        &mut self,
        id: TypeId,
        name: &proc_macro2::Ident,
        u: &UnionDef,
        docs: TokenStream,
        deprecated: TokenStream,
        allow: TokenStream,
    ) -> TokenStream {
        let variants: Vec<TokenStream> = u
            .variants
            .iter()
            .map(|v| {
                let ident = format_ident!("{}", v.name);
                let ty = self.typer.rust(Some(id), &v.ty);
                quote!(#ident(#ty))
            })
            .collect();
        let derives = &self.derives;
        let Some(disc) = &u.discriminator else {
            return quote! {
                #docs #deprecated
                #[derive(Debug, Clone, PartialEq, #(#derives,)* ::serde::Serialize, ::serde::Deserialize)]
                #[serde(untagged)]
                #allow
                pub enum #name { #(#variants,)* }
            };
        };
        self.support.tagged = true;
        let property = &disc.property;
        let ser_arms = u.variants.iter().map(|v| {
            let ident = format_ident!("{}", v.name);
            // A variant that declares the member writes what its value holds: `None` leaves it
            // out, and reading it back tries the variants in order, so a round trip gives back
            // the value sent (GitHub's optional `user_view_type`).
            if declares_member(self.typer.ir, &v.ty, property) {
                return quote!(Self::#ident(value) => ::serde::Serialize::serialize(value, serializer));
            }
            let tag = v.tags.first().cloned().unwrap_or_else(|| v.name.clone());
            quote!(Self::#ident(value) => support::serialize_tagged(serializer, #property, #tag, value))
        });
        let constructor = |v: &spec_core::ir::UnionVariant| {
            let ident = format_ident!("{}", v.name);
            let boxed = matches!(&v.ty, TypeRef::Named(target) if self.typer.is_boxed(id, *target));
            if boxed { quote!(|v| Self::#ident(::std::boxed::Box::new(v))) } else { quote!(Self::#ident) }
        };
        let de_arms = u.variants.iter().filter(|v| !v.tags.is_empty()).map(|v| {
            let tags = &v.tags;
            let constructor = constructor(v);
            quote!(::std::option::Option::Some(#(#tags)|*) => support::variant(json).map(#constructor))
        });
        // Without the discriminator member, the variants in order, as `oneOf` alone reads them
        // (the runtime's validation does the same); a variant that requires the member fails.
        let untagged_tries = u.variants.iter().map(|v| {
            let constructor = constructor(v);
            quote!(|json| support::variant(json).map(#constructor))
        });
        let all_tags: Vec<&String> = u.variants.iter().flat_map(|v| v.tags.iter()).collect();
        quote! {
            #docs #deprecated
            #[derive(Debug, Clone, PartialEq, #(#derives,)*)]
            #allow
            pub enum #name { #(#variants,)* }

            #allow
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    match self { #(#ser_arms,)* }
                }
            }

            #allow
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    let (tag, json) = support::read_tagged(deserializer, #property)?;
                    match tag.as_deref() {
                        #(#de_arms,)*
                        ::std::option::Option::Some(other) => ::std::result::Result::Err(<D::Error as ::serde::de::Error>::unknown_variant(other, &[#(#all_tags),*])),
                        ::std::option::Option::None => support::untagged::<Self, D::Error>(json, #property, &[#(#untagged_tries),*]),
                    }
                }
            }
        }
    }

    fn newtype_item(
        &mut self,
        id: TypeId,
        name: &proc_macro2::Ident,
        n: &NewtypeDef,
        docs: TokenStream,
        deprecated: TokenStream,
        allow: TokenStream,
    ) -> TokenStream {
        let inner = self.typer.rust(Some(id), &n.inner);
        let derives = self.derives.clone();
        if n.constraints.is_empty() {
            // Nothing to check: a transparent wrapper (what a recursive alias becomes).
            let read = quote!(<#inner as ::serde::Deserialize>::deserialize(deserializer).map(Self));
            let (serde_derives, serde_attr, written) = self.newtype_serde(name, &allow, || quote!(transparent), read);
            return quote! {
                #docs #deprecated
                #[derive(Debug, Clone, PartialEq, #(#derives,)* #serde_derives)]
                #serde_attr
                #allow
                pub struct #name(pub #inner);

                #written

                #allow
                impl ::std::ops::Deref for #name {
                    type Target = #inner;
                    fn deref(&self) -> &#inner { &self.0 }
                }

                #allow
                impl ::std::convert::From<#inner> for #name {
                    fn from(value: #inner) -> Self { Self(value) }
                }
            };
        }
        let constraints = self.applicable_constraints(id, &n.inner, &n.constraints);
        let checks = self.checks(&n.inner, &constraints);
        self.support.constraint_error = true;
        let read = quote!(support::checked::<_, #inner, _>(deserializer));
        let try_from = || {
            let inner = inner.to_string().replace(' ', "");
            quote!(try_from = #inner)
        };
        let (serde_derives, serde_attr, written) = self.newtype_serde(name, &allow, try_from, read);
        quote! {
            #docs #deprecated
            #[derive(Debug, Clone, PartialEq, #(#derives,)* #serde_derives)]
            #serde_attr
            #allow
            pub struct #name(#inner);

            #allow
            impl ::std::convert::TryFrom<#inner> for #name {
                type Error = support::ConstraintError;
                fn try_from(value: #inner) -> ::std::result::Result<Self, Self::Error> {
                    #checks
                    ::std::result::Result::Ok(Self(value))
                }
            }

            #written

            #allow
            impl ::std::ops::Deref for #name {
                type Target = #inner;
                fn deref(&self) -> &#inner { &self.0 }
            }

            #allow
            impl ::std::convert::From<#name> for #inner {
                fn from(value: #name) -> Self { value.0 }
            }
        }
    }

    /// A newtype's serde as (derives, attribute, impls): written-out impls that write the wrapped
    /// value and read it with `read`, like the structs'; or, where a user derive reads serde
    /// attributes, serde's derives with `#[serde(attr())]` (`transparent`, `try_from`).
    fn newtype_serde(
        &self,
        name: &proc_macro2::Ident,
        allow: &TokenStream,
        attr: impl FnOnce() -> TokenStream,
        read: TokenStream,
    ) -> (TokenStream, TokenStream, TokenStream) {
        if self.serde_attributes {
            let attr = attr();
            return (quote!(::serde::Serialize, ::serde::Deserialize), quote!(#[serde(#attr)]), TokenStream::new());
        }
        let impls = quote! {
            #allow
            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    ::serde::Serialize::serialize(&self.0, serializer)
                }
            }

            #allow
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    #read
                }
            }
        };
        (TokenStream::new(), TokenStream::new(), impls)
    }

    /// Statements that return early with a `ConstraintError` when `value` breaks a constraint.
    /// Length and pattern checks need a `&str`; a string format the user mapped to a type of their
    /// own has none, so those checks are dropped and the approximation recorded.
    fn applicable_constraints(&mut self, id: TypeId, inner: &TypeRef, c: &Constraints) -> Constraints {
        let TypeRef::Primitive(p) = inner else { return c.clone() };
        let Some(mapped) = self.typer.mapped(*p) else { return c.clone() };
        if mapped.path == "::std::string::String"
            || (c.min_length.is_none() && c.max_length.is_none() && c.pattern.is_none())
        {
            return c.clone();
        }
        let message = format!("length and pattern constraints are not enforced on the mapped type `{}`", mapped.path);
        self.diags.push(Diagnostic::approximation(
            "unenforced-constraint",
            self.typer.ir.ty(id).origin.clone(),
            message,
        ));
        Constraints { min_length: None, max_length: None, pattern: None, ..c.clone() }
    }

    fn checks(&mut self, inner: &TypeRef, c: &Constraints) -> TokenStream {
        let mut out = TokenStream::new();
        let opt_u64 = |v: Option<u64>| match v {
            Some(n) => quote!(::std::option::Option::Some(#n)),
            None => quote!(::std::option::Option::None),
        };
        if c.min_length.is_some() || c.max_length.is_some() {
            self.support.length = true;
            let (min, max) = (opt_u64(c.min_length), opt_u64(c.max_length));
            out.extend(quote!(support::length(&value, #min, #max)?;));
        }
        if let Some(p) = &c.pattern {
            self.support.pattern = true;
            // The IR keeps only patterns that compile (others are reported as approximations).
            let flags = spec_core::pattern::ecma_flags(p).unwrap_or("");
            out.extend(quote! {
                static PATTERN: ::std::sync::OnceLock<::std::option::Option<::regress::Regex>> = ::std::sync::OnceLock::new();
                support::pattern(&value, #p, #flags, &PATTERN)?;
            });
        }
        if c.min_items.is_some() || c.max_items.is_some() {
            self.support.items = true;
            let (min, max) = (opt_u64(c.min_items), opt_u64(c.max_items));
            out.extend(quote!(support::items(value.len(), #min, #max)?;));
        }
        if c.min_properties.is_some() || c.max_properties.is_some() {
            self.support.properties = true;
            let (min, max) = (opt_u64(c.min_properties), opt_u64(c.max_properties));
            out.extend(quote!(support::properties(value.len(), #min, #max)?;));
        }
        if c.unique_items {
            self.support.unique = true;
            out.extend(quote!(support::unique(&value)?;));
        }
        let prim = match inner {
            TypeRef::Primitive(p) => Some(*p),
            _ => None,
        };
        let is_int = prim.is_some_and(is_integer);
        if c.minimum.is_some() || c.maximum.is_some() {
            if is_int {
                self.support.int_range = true;
                let min = int_bound(c.minimum.as_ref(), true);
                let max = int_bound(c.maximum.as_ref(), false);
                out.extend(quote!(support::int_range(i128::from(value), #min, #max)?;));
            } else if prim.is_some() {
                self.support.float_range = true;
                let bound = |b: Option<&Bound>| match b {
                    Some(b) => {
                        let v = Literal::f64_suffixed(b.value.as_f64().unwrap_or(0.0));
                        let e = b.exclusive;
                        quote!(::std::option::Option::Some((#v, #e)))
                    }
                    None => quote!(::std::option::Option::None),
                };
                let (min, max) = (bound(c.minimum.as_ref()), bound(c.maximum.as_ref()));
                // `f64::from` only where the value is not already an f64 (clippy: useless_conversion).
                let value = if prim == Some(Primitive::F64) { quote!(value) } else { quote!(f64::from(value)) };
                out.extend(quote!(support::float_range(#value, #min, #max)?;));
            }
        }
        if let Some(m) = c.multiple_of {
            if is_int && m.fract() == 0.0 && m.abs() < 1e18 {
                self.support.multiple_of_int = true;
                let m = Literal::i128_unsuffixed(m as i128);
                out.extend(quote!(support::multiple_of_int(i128::from(value), #m)?;));
            } else if prim.is_some() {
                self.support.multiple_of_float = true;
                let m = Literal::f64_suffixed(m);
                let value = if is_int {
                    quote!(value as f64)
                } else if prim == Some(Primitive::F64) {
                    quote!(value)
                } else {
                    quote!(f64::from(value))
                };
                out.extend(quote!(support::multiple_of_float(#value, #m)?;));
            }
        }
        if let Some(allowed) = &c.allowed {
            let ints: Option<Vec<i128>> =
                allowed.iter().map(|v| v.as_i64().map(i128::from).or_else(|| v.as_u64().map(i128::from))).collect();
            match ints {
                Some(ints) if is_int => {
                    self.support.one_of_int = true;
                    let ints = ints.iter().map(|i| Literal::i128_unsuffixed(*i));
                    out.extend(quote!(support::one_of_int(i128::from(value), &[#(#ints),*])?;));
                }
                _ => {
                    self.support.one_of_json = true;
                    let json = serde_json::to_string(allowed).unwrap_or_else(|_| "[]".into());
                    out.extend(quote!(support::one_of_json(&value, #json)?;));
                }
            }
        }
        out
    }
}

fn is_integer(p: Primitive) -> bool {
    matches!(
        p,
        Primitive::I8
            | Primitive::I16
            | Primitive::I32
            | Primitive::I64
            | Primitive::U8
            | Primitive::U16
            | Primitive::U32
            | Primitive::U64
    )
}

/// An integer bound adjusted for exclusiveness and fractional spec values: the smallest (or
/// largest) integer the bound admits.
fn int_bound(b: Option<&Bound>, lower: bool) -> TokenStream {
    let Some(b) = b else { return quote!(::std::option::Option::None) };
    let exact = b.value.as_i64().map(i128::from).or_else(|| b.value.as_u64().map(i128::from));
    let v: i128 = match exact {
        Some(i) if b.exclusive => {
            if lower {
                i + 1
            } else {
                i - 1
            }
        }
        Some(i) => i,
        None => {
            let f = b.value.as_f64().unwrap_or(0.0).clamp(-1.0e38, 1.0e38);
            let admitted = if lower { f.floor() + 1.0 } else { f.ceil() - 1.0 };
            let admitted = match (f.fract() == 0.0, b.exclusive) {
                (true, false) => f,
                (true, true) => admitted,
                (false, _) => {
                    if lower {
                        f.ceil()
                    } else {
                        f.floor()
                    }
                }
            };
            admitted as i128
        }
    };
    let lit = Literal::i128_unsuffixed(v);
    quote!(::std::option::Option::Some(#lit))
}

fn int_or_float_literal(p: Primitive, n: &serde_json::Number) -> Option<TokenStream> {
    let int = n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from));
    macro_rules! fits {
        ($t:ty) => {
            int.and_then(|i| <$t>::try_from(i).ok()).map(|v| {
                let lit = Literal::i128_unsuffixed(i128::from(v));
                quote!(#lit)
            })
        };
    }
    match p {
        Primitive::I8 => fits!(i8),
        Primitive::I16 => fits!(i16),
        Primitive::I32 => fits!(i32),
        Primitive::I64 => fits!(i64),
        Primitive::U8 => fits!(u8),
        Primitive::U16 => fits!(u16),
        Primitive::U32 => fits!(u32),
        Primitive::U64 => fits!(u64),
        Primitive::F32 => n.as_f64().filter(|f| f.is_finite()).map(|f| {
            let lit = Literal::f32_suffixed(f as f32);
            quote!(#lit)
        }),
        Primitive::F64 => n.as_f64().filter(|f| f.is_finite()).map(|f| {
            let lit = Literal::f64_suffixed(f);
            quote!(#lit)
        }),
        _ => None,
    }
}

/// A struct field with its JSON member.
/// Whether a user derive may read `#[serde(…)]` attributes (`schemars::JsonSchema` does): any
/// derive but the standard library's. Structs and enums then carry serde's `Serialize` derive and
/// the attributes that say their wire names; otherwise both are left out and `Serialize` is written
/// out, which type-checks in a fraction of the derive's time (ARCHITECTURE.md, profile lessons).
fn reads_serde_attributes(derives: &[String]) -> bool {
    const STD: [&str; 6] = ["Eq", "Hash", "PartialOrd", "Ord", "Default", "Copy"];
    derives.iter().any(|d| {
        let last = d.rsplit("::").next().unwrap_or(d).trim();
        !STD.contains(&last)
    })
}

fn deprecated_attr(docs: &Docs) -> TokenStream {
    if docs.deprecated { quote!(#[deprecated]) } else { TokenStream::new() }
}

fn named_in(t: &TypeRef, out: &mut Vec<TypeId>) {
    match t {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::List(i) | TypeRef::Map(i) | TypeRef::Nullable(i) => named_in(i, out),
        TypeRef::Tuple(items) => items.iter().for_each(|i| named_in(i, out)),
        _ => {}
    }
}

fn unique_field(s: &StructDef, base: &str) -> String {
    let mut name = base.to_owned();
    let mut n = 2;
    while s.fields.iter().any(|f| f.name == name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

/// Whether `ty` is (an alias of) a struct with the JSON member `name`.
fn declares_member(ir: &spec_core::ir::Ir, ty: &TypeRef, name: &str) -> bool {
    let mut ty = ty;
    for _ in 0..16 {
        let TypeRef::Named(id) = ty else { return false };
        match &ir.ty(*id).kind {
            TypeKind::Struct(s) => return s.fields.iter().any(|f| f.json_name == name),
            TypeKind::Alias(inner) => ty = inner,
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::reads_serde_attributes;

    #[test]
    fn only_derives_outside_the_standard_library_switch_to_serde_attributes() {
        let derives = |list: &[&str]| list.iter().map(|d| d.to_string()).collect::<Vec<_>>();
        assert!(!reads_serde_attributes(&derives(&[])));
        assert!(!reads_serde_attributes(&derives(&["Eq", "Hash", "::core::cmp::Ord", "std::hash::Hash"])));
        assert!(reads_serde_attributes(&derives(&["Eq", "schemars::JsonSchema"])));
        assert!(reads_serde_attributes(&derives(&["Validate"])));
    }
}
