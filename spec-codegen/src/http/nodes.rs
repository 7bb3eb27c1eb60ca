//! The schema table of a generated server: every type a request or response carries, as static
//! data the runtime (`runtime/schema.rs`) walks to validate, coerce and synthesize values.
//!
//! Data instead of one validation function per type: a table of a few thousand constant entries
//! compiles in a fraction of the time the equivalent code would, and one generic walker can list
//! every violation with its JSON pointer.

use std::collections::HashMap;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use spec_core::ir::{Additional, Bound, Constraints, Ir, Primitive, TypeId, TypeKind, TypeRef};

/// Builds the table; [`NodeTable::node`] returns the index of a type's node, adding it (and
/// everything it reaches) on first use.
pub struct NodeTable<'a> {
    ir: &'a Ir,
    nodes: Vec<TokenStream>,
    by_ref: HashMap<TypeRef, u32>,
    checks: Vec<TokenStream>,
    patterns: Vec<TokenStream>,
    /// Whether patterns carry a generator for proptest (`--with proptest`).
    generators: bool,
}

impl<'a> NodeTable<'a> {
    pub fn new(ir: &'a Ir, generators: bool) -> Self {
        // Check set 0 is empty: aliases point at their target through it.
        NodeTable {
            ir,
            generators,
            nodes: Vec::new(),
            by_ref: HashMap::new(),
            checks: vec![quote!(rt::Checks::NONE)],
            patterns: Vec::new(),
        }
    }

    pub fn node(&mut self, ty: &TypeRef) -> u32 {
        if let Some(&id) = self.by_ref.get(ty) {
            return id;
        }
        // Reserve the slot first: a recursive type reaches itself through its members.
        let id = self.nodes.len() as u32;
        self.nodes.push(TokenStream::new());
        self.by_ref.insert(ty.clone(), id);
        let tokens = match ty {
            TypeRef::Named(tid) => self.named(*tid),
            TypeRef::Primitive(p) => primitive(*p),
            TypeRef::List(inner) => {
                let inner = self.node(inner);
                quote!(rt::Node::List(#inner))
            }
            TypeRef::Map(inner) => {
                let inner = self.node(inner);
                quote!(rt::Node::Map(#inner))
            }
            TypeRef::Tuple(items) => {
                let items: Vec<u32> = items.iter().map(|t| self.node(t)).collect();
                quote!(rt::Node::Tuple(&[#(#items),*]))
            }
            TypeRef::Nullable(inner) => {
                let inner = self.node(inner);
                quote!(rt::Node::Nullable(#inner))
            }
            TypeRef::Object => quote!(rt::Node::Object),
            TypeRef::Any => quote!(rt::Node::Any),
        };
        self.nodes[id as usize] = tokens;
        id
    }

    fn named(&mut self, id: TypeId) -> TokenStream {
        let def = self.ir.ty(id);
        match &def.kind {
            TypeKind::Struct(s) => {
                let fields: Vec<TokenStream> = s
                    .fields
                    .iter()
                    .map(|f| {
                        let node = self.node(&f.ty);
                        let (name, required, nullable) = (&f.json_name, f.required, f.nullable);
                        quote!(rt::Field::new(#name, #node, #required, #nullable))
                    })
                    .collect();
                let additional = match &s.additional {
                    Additional::Ignore => quote!(rt::Additional::Ignore),
                    Additional::Deny => quote!(rt::Additional::Deny),
                    Additional::Map(t) => {
                        let node = self.node(t);
                        quote!(rt::Additional::Map(#node))
                    }
                };
                quote!(rt::Node::Struct(rt::Struct { fields: &[#(#fields),*], additional: #additional }))
            }
            TypeKind::Enum(e) => {
                let values = e.variants.iter().map(|v| &v.value);
                quote!(rt::Node::Enum(&[#(#values),*]))
            }
            TypeKind::Union(u) => {
                let variants: Vec<u32> = u.variants.iter().map(|v| self.node(&v.ty)).collect();
                let discriminator = match &u.discriminator {
                    Some(d) => {
                        let property = &d.property;
                        let tags: Vec<TokenStream> = u
                            .variants
                            .iter()
                            .zip(&variants)
                            .flat_map(|(v, node)| v.tags.iter().map(move |t| quote!((#t, #node))))
                            .collect();
                        quote!(Some((#property, &[#(#tags),*])))
                    }
                    None => quote!(None),
                };
                quote!(rt::Node::Union(rt::Union { variants: &[#(#variants),*], discriminator: #discriminator }))
            }
            TypeKind::Newtype(n) => {
                let inner = self.node(&n.inner);
                let checks = self.checks(&n.constraints);
                quote!(rt::Node::Checked(#inner, #checks))
            }
            TypeKind::Alias(t) => {
                let inner = self.node(t);
                quote!(rt::Node::Checked(#inner, 0))
            }
        }
    }

    fn checks(&mut self, c: &Constraints) -> u32 {
        let int = |v: Option<u64>| v.map(|n| quote!(#n));
        let bound = |b: &Option<Bound>| {
            b.as_ref().map(|b| {
                let value = float(b.value.as_f64().unwrap_or(0.0));
                let exclusive = b.exclusive;
                quote!((#value, #exclusive))
            })
        };
        let pattern = c.pattern.as_ref().map(|p| {
            // The IR keeps only patterns that compile (others are reported as approximations).
            let flags = spec_core::pattern::ecma_flags(p).unwrap_or("");
            let index = self.patterns.len() as u32;
            let sample = match super::pattern_sample::sample(p, flags) {
                Some(text) => quote!(::std::option::Option::Some(#text)),
                None => quote!(::std::option::Option::None),
            };
            let generator = self.generators.then(|| super::pattern_sample::generator(p, flags));
            self.patterns.push(match generator {
                Some(Some(text)) => quote!(rt::Pattern::sampled(#p, #flags, #sample).generated(Some(#text))),
                _ => quote!(rt::Pattern::sampled(#p, #flags, #sample)),
            });
            quote!(#index)
        });
        let multiple_of = c.multiple_of.map(|m| {
            let m = float(m);
            quote!(#m)
        });
        let allowed = c.allowed.as_ref().map(|values| {
            let text = serde_json::to_string(values).unwrap_or_else(|_| "[]".into());
            quote!(#text)
        });
        // Only what the schema sets, over `NONE`: a table entry is one line, not fourteen.
        let options = [
            ("min_length", int(c.min_length)),
            ("max_length", int(c.max_length)),
            ("pattern", pattern),
            ("minimum", bound(&c.minimum)),
            ("maximum", bound(&c.maximum)),
            ("multiple_of", multiple_of),
            ("min_items", int(c.min_items)),
            ("max_items", int(c.max_items)),
            ("min_properties", int(c.min_properties)),
            ("max_properties", int(c.max_properties)),
            ("allowed", allowed),
        ];
        let mut set: Vec<TokenStream> = options
            .into_iter()
            .filter_map(|(field, value)| {
                let field = format_ident!("{field}");
                value.map(|v| quote!(#field: Some(#v)))
            })
            .collect();
        if c.unique_items {
            set.push(quote!(unique_items: true));
        }
        let index = self.checks.len() as u32;
        self.checks.push(quote!(rt::Checks { #(#set,)* ..rt::Checks::NONE }));
        index
    }

    /// The `SCHEMA` static and the tables behind it.
    pub fn items(&self) -> TokenStream {
        let (nodes, checks, patterns) = (&self.nodes, &self.checks, &self.patterns);
        let (n_nodes, n_checks, n_patterns) = (nodes.len(), checks.len(), patterns.len());
        quote! {
            /// Every type a request or response of this API carries, for validation and mock data.
            pub static SCHEMA: rt::Schema = rt::Schema { nodes: &NODES, checks: &CHECKS, patterns: &PATTERNS };
            static NODES: [rt::Node; #n_nodes] = [#(#nodes),*];
            static CHECKS: [rt::Checks; #n_checks] = [#(#checks),*];
            static PATTERNS: [rt::Pattern; #n_patterns] = [#(#patterns),*];
        }
    }
}

fn primitive(p: Primitive) -> TokenStream {
    match p {
        Primitive::Bool => quote!(rt::Node::Bool),
        Primitive::I8 => quote!(rt::Node::Integer(rt::IntKind::I8)),
        Primitive::I16 => quote!(rt::Node::Integer(rt::IntKind::I16)),
        Primitive::I32 => quote!(rt::Node::Integer(rt::IntKind::I32)),
        Primitive::I64 => quote!(rt::Node::Integer(rt::IntKind::I64)),
        Primitive::U8 => quote!(rt::Node::Integer(rt::IntKind::U8)),
        Primitive::U16 => quote!(rt::Node::Integer(rt::IntKind::U16)),
        Primitive::U32 => quote!(rt::Node::Integer(rt::IntKind::U32)),
        Primitive::U64 => quote!(rt::Node::Integer(rt::IntKind::U64)),
        Primitive::F32 | Primitive::F64 => quote!(rt::Node::Number),
        Primitive::DateTime => quote!(rt::Node::String(rt::StringFormat::DateTime)),
        Primitive::Date => quote!(rt::Node::String(rt::StringFormat::Date)),
        Primitive::Uuid => quote!(rt::Node::String(rt::StringFormat::Uuid)),
        Primitive::Base64 => quote!(rt::Node::String(rt::StringFormat::Base64)),
        Primitive::Binary => quote!(rt::Node::String(rt::StringFormat::Binary)),
        Primitive::String | Primitive::Formatted(_) => {
            quote!(rt::Node::String(rt::StringFormat::Plain))
        }
    }
}

/// A float literal that is always valid Rust (`1e300`, never `inf`).
fn float(v: f64) -> Literal {
    Literal::f64_suffixed(if v.is_finite() { v } else { 0.0 })
}
