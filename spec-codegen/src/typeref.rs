//! How IR type references are written in Rust, including which references must be boxed so
//! recursive types have a finite size.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use spec_core::ir::{Ir, Primitive, TypeId, TypeKind, TypeRef};

use crate::options::{FormatMapping, FormatType};

/// Writes type references; knows the type names and the user's format mapping.
pub struct Typer<'a> {
    pub ir: &'a Ir,
    pub formats: &'a FormatMapping,
    /// (container, contained) pairs that close a cycle of direct containment, computed once per
    /// output by [`recursive_edges`] and shared by every thread's typer.
    boxed: &'a HashSet<(TypeId, TypeId)>,
    /// Primitives written so far, one bit each: decides the support helpers and dependencies the
    /// output needs from what was actually emitted, not from a second walk that could miss a case.
    used: std::cell::Cell<u32>,
    /// Path from the module being written to the types' module (`super::` inside `server`).
    prefix: TokenStream,
    /// Where each type and operation is declared, for doc comments.
    pub lines: &'a crate::docs::SpecLines,
}

impl<'a> Typer<'a> {
    pub fn new(
        ir: &'a Ir,
        formats: &'a FormatMapping,
        boxed: &'a HashSet<(TypeId, TypeId)>,
        lines: &'a crate::docs::SpecLines,
    ) -> Self {
        Typer { ir, formats, boxed, used: std::cell::Cell::new(0), prefix: TokenStream::new(), lines }
    }

    /// A typer for code in a child module of the types (`server`, `client`), naming them `super::X`.
    pub fn for_child_module(&self) -> Typer<'a> {
        Typer { prefix: quote!(super::), used: std::cell::Cell::new(0), ..*self }
    }

    /// Whether `owner` stores `target` behind a `Box` (they are mutually recursive).
    pub fn is_boxed(&self, owner: TypeId, target: TypeId) -> bool {
        self.boxed.contains(&(owner, target))
    }

    pub fn name(&self, id: TypeId) -> proc_macro2::Ident {
        format_ident!("{}", self.ir.ty(id).name)
    }

    /// The Rust type of `ty` used inside the item `owner` (boxed where it would recurse).
    pub fn rust(&self, owner: Option<TypeId>, ty: &TypeRef) -> TokenStream {
        let prefix = &self.prefix;
        match ty {
            TypeRef::Named(id) => {
                let name = self.name(*id);
                let name = quote!(#prefix #name);
                match owner {
                    Some(o) if self.boxed.contains(&(o, *id)) => quote!(::std::boxed::Box<#name>),
                    _ => quote!(#name),
                }
            }
            TypeRef::Primitive(p) => self.primitive(*p),
            TypeRef::List(inner) => {
                let inner = self.rust(None, inner);
                quote!(::std::vec::Vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let inner = self.rust(None, inner);
                quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
            }
            TypeRef::Tuple(items) => {
                let items = items.iter().map(|t| self.rust(owner, t));
                quote!((#(#items,)*))
            }
            TypeRef::Nullable(inner) => {
                let inner = self.rust(owner, inner);
                quote!(::std::option::Option<#inner>)
            }
            TypeRef::Object => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
            TypeRef::Any => quote!(::serde_json::Value),
        }
    }

    /// The primitives used so far (see [`UsedPrimitives`]).
    pub fn used(&self) -> UsedPrimitives {
        UsedPrimitives(self.used.get())
    }

    /// The user's type for a string format, when they mapped it.
    pub fn mapped(&self, p: Primitive) -> Option<&FormatType> {
        let name = match p {
            Primitive::Base64 => "byte",
            Primitive::Binary => "binary",
            Primitive::Formatted(id) => self.ir.string_formats.get(id.0 as usize)?.as_str(),
            _ => return None,
        };
        self.formats.others.get(name)
    }

    pub fn primitive(&self, p: Primitive) -> TokenStream {
        if let Some(mapped) = self.mapped(p) {
            return mapped.tokens();
        }
        self.used.set(self.used.get() | used_bit(p));
        match p {
            Primitive::Bool => quote!(bool),
            Primitive::I8 => quote!(i8),
            Primitive::I16 => quote!(i16),
            Primitive::I32 => quote!(i32),
            Primitive::I64 => quote!(i64),
            Primitive::U8 => quote!(u8),
            Primitive::U16 => quote!(u16),
            Primitive::U32 => quote!(u32),
            Primitive::U64 => quote!(u64),
            Primitive::F32 => quote!(f32),
            Primitive::F64 => quote!(f64),
            Primitive::String | Primitive::Binary | Primitive::Formatted(_) => quote!(::std::string::String),
            Primitive::DateTime => self.formats.date_time.tokens(),
            Primitive::Date => self.formats.date.tokens(),
            Primitive::Uuid => self.formats.uuid.tokens(),
            Primitive::Base64 => {
                let prefix = &self.prefix;
                quote!(#prefix support::Base64)
            }
        }
    }
}

/// The primitives an output's types use, one bit each: they decide the support helpers and the
/// dependencies the output needs. Pieces generated on several threads are merged with `|=`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UsedPrimitives(u32);

impl UsedPrimitives {
    pub fn contains(self, p: Primitive) -> bool {
        self.0 & used_bit(p) != 0
    }
}

impl std::ops::BitOrAssign for UsedPrimitives {
    fn bitor_assign(&mut self, other: Self) {
        self.0 |= other.0;
    }
}

/// One bit per primitive kind, for [`UsedPrimitives`]; all `Formatted` strings share one.
fn used_bit(p: Primitive) -> u32 {
    let index = match p {
        Primitive::Bool => 0,
        Primitive::I8 => 1,
        Primitive::I16 => 2,
        Primitive::I32 => 3,
        Primitive::I64 => 4,
        Primitive::U8 => 5,
        Primitive::U16 => 6,
        Primitive::U32 => 7,
        Primitive::U64 => 8,
        Primitive::F32 => 9,
        Primitive::F64 => 10,
        Primitive::String => 11,
        Primitive::DateTime => 12,
        Primitive::Date => 13,
        Primitive::Uuid => 14,
        Primitive::Base64 => 15,
        Primitive::Binary => 16,
        Primitive::Formatted(_) => 17,
    };
    1 << index
}

/// Types directly contained (stored inline, not behind a Vec or map) by type `id`.
fn direct_children(ir: &Ir, id: TypeId, out: &mut Vec<TypeId>) {
    fn walk(t: &TypeRef, out: &mut Vec<TypeId>) {
        match t {
            TypeRef::Named(id) => out.push(*id),
            TypeRef::Nullable(inner) => walk(inner, out),
            TypeRef::Tuple(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    match &ir.ty(id).kind {
        TypeKind::Struct(s) => s.fields.iter().for_each(|f| walk(&f.ty, out)),
        TypeKind::Union(u) => u.variants.iter().for_each(|v| walk(&v.ty, out)),
        TypeKind::Newtype(n) => walk(&n.inner, out),
        TypeKind::Alias(t) => walk(t, out),
        TypeKind::Enum(_) => {}
    }
}

/// Edges inside a strongly connected component of the direct-containment graph: boxing them
/// breaks every infinite-size cycle (Tarjan's algorithm, iterative so deep graphs cannot
/// overflow the stack).
pub fn recursive_edges(ir: &Ir) -> HashSet<(TypeId, TypeId)> {
    let n = ir.types.len();
    let mut edges: Vec<Vec<TypeId>> = Vec::with_capacity(n);
    for i in 0..n {
        let mut out = Vec::new();
        direct_children(ir, TypeId(i), &mut out);
        edges.push(out);
    }
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut child)) = call.last_mut() {
            if *child < edges[v].len() {
                let w = edges[v][*child].0;
                *child += 1;
                if index[w] == usize::MAX {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        component[w] = next_component;
                        if w == v {
                            break;
                        }
                    }
                    next_component += 1;
                }
            }
        }
    }
    let mut boxed = HashSet::new();
    for (v, targets) in edges.iter().enumerate() {
        for w in targets {
            if component[v] == component[w.0] {
                boxed.insert((TypeId(v), *w));
            }
        }
    }
    boxed
}
