//! Comparing the types two versions use at the same place: constraints, nullability, scalar
//! types, and, for named types, their members. Named type pairs go through a work list (each
//! pair and direction once), so recursive types terminate and deep specs never recurse deeply.

use std::collections::{HashMap, HashSet};

use super::{Breaks, ChangeKind, Differ, Item, Side};
use crate::diag::Origin;
use crate::ir::{
    Additional, Bound, Constraints, Ir, Primitive, StructDef, TypeDef, TypeId, TypeKind, TypeRef, UnionDef,
};

/// Which way values of a type travel, which decides who a change breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Flow {
    /// Clients write, servers read.
    Request,
    /// Servers write, clients read.
    Response,
    /// No operation uses the type: both sides may do either.
    Model,
}

impl Flow {
    /// More values are valid: the reader may meet values it does not handle.
    pub(super) fn widened(self) -> Breaks {
        match self {
            Flow::Request => Breaks::SERVER,
            Flow::Response => Breaks::CLIENT,
            Flow::Model => Breaks::BOTH,
        }
    }

    /// Fewer values are valid: what the writer sends may now be refused.
    pub(super) fn narrowed(self) -> Breaks {
        match self {
            Flow::Request => Breaks::CLIENT,
            Flow::Response => Breaks::SERVER,
            Flow::Model => Breaks::BOTH,
        }
    }

    fn changed(self) -> Breaks {
        self.widened().or(self.narrowed())
    }
}

/// Where a type is used: what to call the place in messages, and its locations.
pub(super) struct Site<'s> {
    pub what: String,
    pub operation: Option<String>,
    pub old: &'s Origin,
    pub new: &'s Origin,
    pub items: Vec<Item>,
}

/// A named type pair waiting to be compared.
struct Pair {
    old: TypeId,
    new: TypeId,
    flow: Flow,
    /// The operation whose inline schema this is, for messages.
    operation: Option<String>,
}

/// A type reference seen through aliases and constraint wrappers.
struct Shape<'a> {
    base: Base<'a>,
    nullable: bool,
    constraints: Constraints,
}

enum Base<'a> {
    /// A struct, enum or union.
    Def(TypeId),
    Primitive(Primitive),
    List(&'a TypeRef),
    Map(&'a TypeRef),
    Tuple(&'a [TypeRef]),
    Object,
    Any,
}

/// Alias chains are short; a budget keeps a malformed IR from looping.
const ALIAS_BUDGET: usize = 64;

/// The type an alias component stands for, through aliases, nullability and one level of list or
/// map (`Diff = Vec<Item>` → `Item`); `None` for a component that is not such an alias.
fn element_of(ir: &Ir, id: TypeId) -> Option<TypeId> {
    let TypeKind::Alias(target) = &ir.ty(id).kind else { return None };
    let mut r: &TypeRef = target;
    for _ in 0..ALIAS_BUDGET {
        r = match r {
            TypeRef::Nullable(inner) | TypeRef::List(inner) | TypeRef::Map(inner) => inner,
            TypeRef::Named(next) => match &ir.ty(*next).kind {
                TypeKind::Alias(target) => target,
                _ => return Some(*next),
            },
            _ => return None,
        };
    }
    None
}

fn shape<'a>(ir: &'a Ir, mut r: &'a TypeRef) -> Shape<'a> {
    let mut nullable = false;
    let mut constraints = Constraints::default();
    for _ in 0..ALIAS_BUDGET {
        let base = match r {
            TypeRef::Nullable(inner) => {
                nullable = true;
                r = inner;
                continue;
            }
            TypeRef::Named(id) => match &ir.ty(*id).kind {
                TypeKind::Alias(target) => {
                    r = target;
                    continue;
                }
                TypeKind::Newtype(n) => {
                    fill(&mut constraints, &n.constraints);
                    r = &n.inner;
                    continue;
                }
                _ => Base::Def(*id),
            },
            TypeRef::Primitive(p) => Base::Primitive(*p),
            TypeRef::List(inner) => Base::List(inner),
            TypeRef::Map(inner) => Base::Map(inner),
            TypeRef::Tuple(items) => Base::Tuple(items),
            TypeRef::Object => Base::Object,
            TypeRef::Any => Base::Any,
        };
        return Shape { base, nullable, constraints };
    }
    Shape { base: Base::Any, nullable, constraints }
}

/// Fills keywords `outer` leaves open from an inner wrapper's.
fn fill(outer: &mut Constraints, inner: &Constraints) {
    macro_rules! or {
        ($($f:ident),*) => { $( if outer.$f.is_none() { outer.$f = inner.$f.clone(); } )* };
    }
    or!(
        min_length,
        max_length,
        pattern,
        minimum,
        maximum,
        multiple_of,
        min_items,
        max_items,
        min_properties,
        max_properties,
        allowed
    );
    outer.unique_items |= inner.unique_items;
}

/// Where a type is defined, comparable across versions: file, pointer and view. The root file
/// is named by its role, not its name, so `v1.yaml` and `v2.yaml` compare.
fn identity(sources: &crate::source::SourceSet, def: &TypeDef) -> (String, String, crate::ir::View) {
    let file = if def.origin.file.0 == 0 { String::new() } else { sources.file(def.origin.file).display.clone() };
    (file, def.origin.pointer.clone(), def.view)
}

impl<'a> Differ<'a> {
    /// Compares the types at one site (a parameter, a body, a field…), then every named type
    /// pair that comparison reached.
    pub(super) fn compare_refs<'r>(
        &mut self,
        old: &'r TypeRef,
        new: &'r TypeRef,
        old_nullable: bool,
        new_nullable: bool,
        flow: Flow,
        site: &Site,
    ) {
        let mut work = Vec::new();
        self.compare_at(old, new, old_nullable, new_nullable, flow, site, &mut work);
        self.drain(work);
    }

    fn drain(&mut self, mut work: Vec<Pair>) {
        while let Some(pair) = work.pop() {
            self.compare_defs(pair, &mut work);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn compare_at<'r>(
        &mut self,
        old: &'r TypeRef,
        new: &'r TypeRef,
        old_nullable: bool,
        new_nullable: bool,
        flow: Flow,
        site: &Site,
        work: &mut Vec<Pair>,
    ) {
        let (a, b) = (shape(self.old, old), shape(self.new, new));
        let (was_null, is_null) = (a.nullable || old_nullable, b.nullable || new_nullable);
        if was_null != is_null {
            let (kind, breaks, note) = if is_null {
                (ChangeKind::NullableAdded, flow.widened(), "may now be null")
            } else {
                (ChangeKind::NullableRemoved, flow.narrowed(), "may no longer be null")
            };
            self.at_site(site, kind, breaks, format!("{} {note}", site.what));
        }
        self.constraints(&a.constraints, &b.constraints, flow, site);
        match (&a.base, &b.base) {
            (Base::Def(x), Base::Def(y)) => {
                let key = (*x, *y, flow);
                if !self.compared.contains(&key) {
                    work.push(Pair { old: *x, new: *y, flow, operation: site.operation.clone() });
                }
            }
            (Base::Primitive(x), Base::Primitive(y)) => {
                let (x, y) = (*x, *y);
                if let Some(step) = self.primitive_step(x, y) {
                    let (from, to) = (self.describe(Side::Old, &a), self.describe(Side::New, &b));
                    let (kind, breaks) = match step {
                        Step::Wider => (ChangeKind::TypeWidened, flow.widened()),
                        Step::Narrower => (ChangeKind::TypeNarrowed, flow.narrowed()),
                        Step::Other => (ChangeKind::TypeChanged, flow.changed()),
                    };
                    self.at_site(site, kind, breaks, format!("{}: {from} → {to}", site.what));
                }
            }
            (Base::List(x), Base::List(y)) | (Base::Map(x), Base::Map(y)) => {
                let inner = Site {
                    what: format!("{} items", site.what),
                    operation: site.operation.clone(),
                    old: site.old,
                    new: site.new,
                    items: site.items.clone(),
                };
                self.compare_at(x, y, false, false, flow, &inner, work);
            }
            (Base::Tuple(x), Base::Tuple(y)) => {
                for (i, (p, q)) in x.iter().zip(y.iter()).enumerate() {
                    let inner = Site {
                        what: format!("{} item {i}", site.what),
                        operation: site.operation.clone(),
                        old: site.old,
                        new: site.new,
                        items: site.items.clone(),
                    };
                    self.compare_at(p, q, false, false, flow, &inner, work);
                }
                if x.len() != y.len() {
                    self.at_site(
                        site,
                        ChangeKind::TypeChanged,
                        flow.changed(),
                        format!("{}: tuple length {} → {}", site.what, x.len(), y.len()),
                    );
                }
            }
            // A string given an `enum` admits fewer values; an enum opened to any string, more.
            (Base::Primitive(Primitive::String), Base::Def(y)) if matches!(self.new.ty(*y).kind, TypeKind::Enum(_)) => {
                let (from, to) = (self.describe(Side::Old, &a), self.describe(Side::New, &b));
                self.at_site(site, ChangeKind::TypeNarrowed, flow.narrowed(), format!("{}: {from} → {to}", site.what));
            }
            (Base::Def(x), Base::Primitive(Primitive::String)) if matches!(self.old.ty(*x).kind, TypeKind::Enum(_)) => {
                let (from, to) = (self.describe(Side::Old, &a), self.describe(Side::New, &b));
                self.at_site(site, ChangeKind::TypeWidened, flow.widened(), format!("{}: {from} → {to}", site.what));
            }
            (Base::Object, Base::Object) | (Base::Any, Base::Any) => {}
            (_, Base::Any) | (Base::Def(_) | Base::Map(_), Base::Object) => {
                let (from, to) = (self.describe(Side::Old, &a), self.describe(Side::New, &b));
                self.at_site(site, ChangeKind::TypeWidened, flow.widened(), format!("{}: {from} → {to}", site.what));
            }
            (Base::Any, _) | (Base::Object, Base::Def(_) | Base::Map(_)) => {
                let (from, to) = (self.describe(Side::Old, &a), self.describe(Side::New, &b));
                self.at_site(site, ChangeKind::TypeNarrowed, flow.narrowed(), format!("{}: {from} → {to}", site.what));
            }
            _ => {
                let (from, to) = (self.describe(Side::Old, &a), self.describe(Side::New, &b));
                self.at_site(site, ChangeKind::TypeChanged, flow.changed(), format!("{}: {from} → {to}", site.what));
            }
        }
    }

    fn at_site(&mut self, site: &Site, kind: ChangeKind, breaks: Breaks, message: String) {
        self.report(kind, breaks, site.operation.clone(), message, Some(site.old), Some(site.new), site.items.clone());
    }

    /// Compares two struct, enum or union definitions met at the same place.
    fn compare_defs(&mut self, pair: Pair, work: &mut Vec<Pair>) {
        if !self.compared.insert((pair.old, pair.new, pair.flow)) {
            return;
        }
        self.compared_any.insert((pair.old, pair.new));
        let (old, new) = (self.old.ty(pair.old), self.new.ty(pair.new));
        // Members of a component are reported as the component's; an inline schema's carry the
        // operation it belongs to.
        let operation = if new.spec_name.is_some() { None } else { pair.operation.clone() };
        let items = vec![Item::Type(Side::Old, pair.old), Item::Type(Side::New, pair.new)];
        if self.became_union_or_variant(&pair, operation.clone(), work) {
            return;
        }
        if old.name != new.name && identity(self.old_sources, old) == identity(self.new_sources, new) {
            // The same schema, named differently by the generator (a collision appeared, or the
            // user renamed it): the wire is unchanged, Rust code that names the type is not.
            self.report(
                ChangeKind::RustNameChanged,
                Breaks::NONE,
                operation.clone(),
                format!("the generated type `{}` is now named `{}`", old.name, new.name),
                Some(&old.origin),
                Some(&new.origin),
                items.clone(),
            );
        }
        if identity(self.old_sources, old) != identity(self.new_sources, new) {
            self.report(
                ChangeKind::RefMoved,
                Breaks::NONE,
                operation.clone(),
                format!("`{}` is now `{}` (moved; its changes, if any, are listed apart)", name_of(old), name_of(new)),
                Some(&old.origin),
                Some(&new.origin),
                items.clone(),
            );
        }
        let ctx = DefContext { pair: &pair, operation, items };
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => self.structs(a, b, &ctx, work),
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                for v in a.variants.iter().filter(|v| !b.variants.iter().any(|w| w.value == v.value)) {
                    self.report(
                        ChangeKind::EnumValueRemoved,
                        pair.flow.narrowed(),
                        ctx.operation.clone(),
                        format!("`{}`: enum value `{}` removed", name_of(new), v.value),
                        Some(&old.origin),
                        Some(&new.origin),
                        vec![Item::Variant(Side::Old, pair.old, v.name.clone())],
                    );
                }
                for v in b.variants.iter().filter(|v| !a.variants.iter().any(|w| w.value == v.value)) {
                    self.report(
                        ChangeKind::EnumValueAdded,
                        pair.flow.widened(),
                        ctx.operation.clone(),
                        format!("`{}`: enum value `{}` added", name_of(new), v.value),
                        Some(&old.origin),
                        Some(&new.origin),
                        vec![Item::Variant(Side::New, pair.new, v.name.clone())],
                    );
                }
            }
            (TypeKind::Union(a), TypeKind::Union(b)) => self.unions(a, b, &ctx, work),
            _ => self.report(
                ChangeKind::TypeChanged,
                pair.flow.changed(),
                ctx.operation.clone(),
                format!("`{}`: {} → {}", name_of(new), kind_name(&old.kind), kind_name(&new.kind)),
                Some(&old.origin),
                Some(&new.origin),
                ctx.items.clone(),
            ),
        }
    }

    /// A type that became a union with it as one variant (more values: wider), or a union that
    /// became one of its variants (narrower); the variant is then compared with the old type.
    fn became_union_or_variant(&mut self, pair: &Pair, operation: Option<String>, work: &mut Vec<Pair>) -> bool {
        let (old, new) = (self.old.ty(pair.old), self.new.ty(pair.new));
        let (widened, union, inner_side) = match (&old.kind, &new.kind) {
            (TypeKind::Union(_), TypeKind::Union(_)) => return false,
            (_, TypeKind::Union(u)) => (true, u, Side::New),
            (TypeKind::Union(u), _) => (false, u, Side::Old),
            _ => return false,
        };
        let ir = if inner_side == Side::New { self.new } else { self.old };
        let found = union.variants.iter().find_map(|v| match shape(ir, &v.ty).base {
            Base::Def(id) => {
                let (o, n) = if widened { (pair.old, id) } else { (id, pair.new) };
                let same_place =
                    identity(self.old_sources, self.old.ty(o)) == identity(self.new_sources, self.new.ty(n));
                (same_place || self.same_shape(&TypeRef::Named(o), &TypeRef::Named(n))).then_some((o, n))
            }
            _ => None,
        });
        let Some((o, n)) = found else { return false };
        let (kind, breaks, note) = if widened {
            (
                ChangeKind::TypeWidened,
                pair.flow.widened(),
                format!("`{}` is now one variant of the union `{}`", name_of(old), name_of(new)),
            )
        } else {
            (
                ChangeKind::TypeNarrowed,
                pair.flow.narrowed(),
                format!("the union `{}` is now only its variant `{}`", name_of(old), name_of(new)),
            )
        };
        self.report(
            kind,
            breaks,
            operation.clone(),
            note,
            Some(&old.origin),
            Some(&new.origin),
            vec![Item::Type(Side::Old, pair.old), Item::Type(Side::New, pair.new)],
        );
        if !self.compared.contains(&(o, n, pair.flow)) {
            work.push(Pair { old: o, new: n, flow: pair.flow, operation });
        }
        true
    }

    fn structs(&mut self, a: &'a StructDef, b: &'a StructDef, ctx: &DefContext, work: &mut Vec<Pair>) {
        let flow = ctx.pair.flow;
        let (old_def, new_def) = (self.old.ty(ctx.pair.old), self.new.ty(ctx.pair.new));
        let type_name = name_of(new_def);
        let by_name: HashMap<&str, usize> =
            b.fields.iter().enumerate().map(|(i, f)| (f.json_name.as_str(), i)).collect();
        let denies_now = b.additional == Additional::Deny;
        for f in a.fields.iter().filter(|f| !by_name.contains_key(f.json_name.as_str())) {
            // Readers that relied on a required member lose it; a closed object now refuses it.
            let mut breaks = if f.required || flow == Flow::Model { flow.widened() } else { Breaks::NONE };
            if denies_now {
                breaks = breaks.or(flow.narrowed());
            }
            self.report(
                ChangeKind::PropertyRemoved,
                breaks,
                ctx.operation.clone(),
                format!(
                    "`{type_name}`: {} property `{}` removed",
                    if f.required { "required" } else { "optional" },
                    f.json_name
                ),
                Some(&f.origin),
                Some(&new_def.origin),
                vec![Item::Field(Side::Old, ctx.pair.old, f.name.clone())],
            );
        }
        for g in &b.fields {
            let Some(f) = a.fields.iter().find(|f| f.json_name == g.json_name) else {
                let (kind, breaks, note) = if g.required {
                    (ChangeKind::RequiredPropertyAdded, flow.narrowed(), "required")
                } else if a.additional == Additional::Deny {
                    (ChangeKind::PropertyAdded, flow.widened(), "optional (the old object refused unknown members)")
                } else {
                    (ChangeKind::PropertyAdded, Breaks::NONE, "optional")
                };
                self.report(
                    kind,
                    breaks,
                    ctx.operation.clone(),
                    format!("`{type_name}`: property `{}` added, {note}", g.json_name),
                    Some(&old_def.origin),
                    Some(&g.origin),
                    vec![Item::Field(Side::New, ctx.pair.new, g.name.clone())],
                );
                continue;
            };
            let items = vec![
                Item::Field(Side::Old, ctx.pair.old, f.name.clone()),
                Item::Field(Side::New, ctx.pair.new, g.name.clone()),
            ];
            if f.required != g.required {
                let (kind, breaks, note) = if g.required {
                    (ChangeKind::PropertyBecameRequired, flow.narrowed(), "required")
                } else {
                    (ChangeKind::PropertyBecameOptional, flow.widened(), "optional")
                };
                self.report(
                    kind,
                    breaks,
                    ctx.operation.clone(),
                    format!("`{type_name}`: property `{}` is now {note}", g.json_name),
                    Some(&f.origin),
                    Some(&g.origin),
                    items.clone(),
                );
            }
            let site = Site {
                what: format!("`{type_name}.{}`", g.json_name),
                operation: ctx.operation.clone(),
                old: &f.origin,
                new: &g.origin,
                items,
            };
            self.compare_at(&f.ty, &g.ty, f.nullable, g.nullable, flow, &site, work);
        }
        let site = Site {
            what: format!("`{type_name}`'s additional properties"),
            operation: ctx.operation.clone(),
            old: &old_def.origin,
            new: &new_def.origin,
            items: ctx.items.clone(),
        };
        match (&a.additional, &b.additional) {
            (Additional::Map(x), Additional::Map(y)) => self.compare_at(x, y, false, false, flow, &site, work),
            (x, y) if x == y => {}
            (x, y) => {
                let wider = matches!((x, y), (Additional::Deny, _) | (Additional::Map(_), Additional::Ignore));
                let breaks = if wider { flow.widened() } else { flow.narrowed() };
                let describe = |a: &Additional| match a {
                    Additional::Ignore => "allowed",
                    Additional::Deny => "refused",
                    Additional::Map(_) => "checked against a schema",
                };
                self.at_site(
                    &site,
                    ChangeKind::AdditionalPropertiesChanged,
                    breaks,
                    format!("`{type_name}`: unknown members were {}, now {}", describe(x), describe(y)),
                );
            }
        }
    }

    fn unions(&mut self, a: &'a UnionDef, b: &'a UnionDef, ctx: &DefContext, work: &mut Vec<Pair>) {
        let flow = ctx.pair.flow;
        let (old_def, new_def) = (self.old.ty(ctx.pair.old), self.new.ty(ctx.pair.new));
        let type_name = name_of(new_def).to_owned();
        let old_tag = a.discriminator.as_ref().map(|d| d.property.as_str());
        let new_tag = b.discriminator.as_ref().map(|d| d.property.as_str());
        if old_tag != new_tag {
            self.report(
                ChangeKind::DiscriminatorChanged,
                Breaks::BOTH,
                ctx.operation.clone(),
                format!("`{type_name}`: discriminator {:?} → {:?}", old_tag, new_tag),
                Some(&old_def.origin),
                Some(&new_def.origin),
                ctx.items.clone(),
            );
        }
        // Variants are matched by discriminator value, else by where their schema is defined,
        // else by having the same shape (a variant schema moved to another name).
        let mut matched: Vec<Option<usize>> = vec![None; a.variants.len()];
        let mut taken = vec![false; b.variants.len()];
        for (i, v) in a.variants.iter().enumerate() {
            let key = self.variant_key(Side::Old, v);
            if let Some(j) =
                (0..b.variants.len()).find(|&j| !taken[j] && self.variant_key(Side::New, &b.variants[j]) == key)
            {
                matched[i] = Some(j);
                taken[j] = true;
            }
        }
        for i in 0..a.variants.len() {
            if matched[i].is_some() {
                continue;
            }
            if let Some(j) =
                (0..b.variants.len()).find(|&j| !taken[j] && self.same_shape(&a.variants[i].ty, &b.variants[j].ty))
            {
                matched[i] = Some(j);
                taken[j] = true;
            }
        }
        for (i, v) in a.variants.iter().enumerate() {
            match matched[i] {
                None => self.report(
                    ChangeKind::VariantRemoved,
                    flow.narrowed(),
                    ctx.operation.clone(),
                    format!("`{type_name}`: variant `{}` removed", v.name),
                    Some(&old_def.origin),
                    Some(&new_def.origin),
                    vec![Item::Variant(Side::Old, ctx.pair.old, v.name.clone())],
                ),
                Some(j) => {
                    let w = &b.variants[j];
                    let site = Site {
                        what: format!("`{type_name}` variant `{}`", w.name),
                        operation: ctx.operation.clone(),
                        old: &old_def.origin,
                        new: &new_def.origin,
                        items: vec![
                            Item::Variant(Side::Old, ctx.pair.old, v.name.clone()),
                            Item::Variant(Side::New, ctx.pair.new, w.name.clone()),
                        ],
                    };
                    self.compare_at(&v.ty, &w.ty, false, false, flow, &site, work);
                }
            }
        }
        for (j, w) in b.variants.iter().enumerate().filter(|(j, _)| !taken[*j]) {
            self.report(
                ChangeKind::VariantAdded,
                flow.widened(),
                ctx.operation.clone(),
                format!("`{type_name}`: variant `{}` added", w.name),
                Some(&old_def.origin),
                Some(&new_def.origin),
                vec![Item::Variant(Side::New, ctx.pair.new, b.variants[j].name.clone())],
            );
        }
    }

    fn variant_key(&self, side: Side, v: &crate::ir::UnionVariant) -> String {
        if !v.tags.is_empty() {
            return format!("tag:{}", v.tags.join(","));
        }
        let (ir, sources) = match side {
            Side::Old => (self.old, self.old_sources),
            Side::New => (self.new, self.new_sources),
        };
        let s = shape(ir, &v.ty);
        match s.base {
            Base::Def(id) => format!("def:{:?}", identity(sources, ir.ty(id))),
            _ => format!("shape:{}", self.describe(side, &s)),
        }
    }

    /// Whether two references describe the same values: compared on a scratch differ, which
    /// finds nothing but moves.
    fn same_shape(&self, old: &'a TypeRef, new: &'a TypeRef) -> bool {
        let mut probe = self.scratch();
        let origin = Origin::new(crate::source::FileId(0), "");
        let site = Site { what: String::new(), operation: None, old: &origin, new: &origin, items: Vec::new() };
        probe.compare_refs(old, new, false, false, Flow::Model, &site);
        probe.changes.list.iter().all(|c| c.kind == ChangeKind::RefMoved)
    }

    fn scratch(&self) -> Differ<'a> {
        Differ {
            old: self.old,
            new: self.new,
            old_sources: self.old_sources,
            new_sources: self.new_sources,
            changes: Default::default(),
            compared: HashSet::new(),
            compared_any: HashSet::new(),
        }
    }

    /// Component schemas no operation reached (data models, or specs of models only): matched
    /// by location and compared as models; the rest are reported added or removed, or moved when
    /// a removed one has the same shape as an added one.
    pub(super) fn unreached_types(&mut self) {
        let new_by_identity: HashMap<_, TypeId> = (0..self.new.types.len())
            .map(TypeId)
            .filter(|&id| self.new.ty(id).spec_name.is_some())
            .map(|id| (identity(self.new_sources, self.new.ty(id)), id))
            .collect();
        let old_used: HashSet<TypeId> = self.compared_any.iter().map(|p| p.0).collect();
        let mut new_used: HashSet<TypeId> = self.compared_any.iter().map(|p| p.1).collect();
        let mut removed = Vec::new();
        for old_id in (0..self.old.types.len()).map(TypeId) {
            let def = self.old.ty(old_id);
            if def.spec_name.is_none() {
                continue;
            }
            match new_by_identity.get(&identity(self.old_sources, def)) {
                Some(&new_id) => {
                    new_used.insert(new_id);
                    // A component that only names a container of another (`Diff: {type: array,
                    // items: {$ref: Item}}`) is not itself compared at the operations, which see
                    // through it; its element pair is, and comparing it again as a model would
                    // add "breaks both" to every change found there.
                    let elements = (element_of(self.old, old_id), element_of(self.new, new_id));
                    let seen_through = matches!(elements, (Some(a), Some(b)) if self.compared_any.contains(&(a, b)));
                    if !seen_through && !self.compared_any.contains(&(old_id, new_id)) {
                        // Through `compare_refs`, so aliases and constrained values compare as
                        // what they stand for.
                        let (a, b) = (TypeRef::Named(old_id), TypeRef::Named(new_id));
                        let items = vec![Item::Type(Side::Old, old_id), Item::Type(Side::New, new_id)];
                        let (old_origin, new_origin) = (def.origin.clone(), self.new.ty(new_id).origin.clone());
                        let site = Site {
                            what: format!("`{}`", name_of(def)),
                            operation: None,
                            old: &old_origin,
                            new: &new_origin,
                            items,
                        };
                        self.compare_refs(&a, &b, false, false, Flow::Model, &site);
                    }
                }
                None if !old_used.contains(&old_id) => removed.push(old_id),
                None => {}
            }
        }
        let models_only = self.old.operations.is_empty() && self.new.operations.is_empty();
        let mut added: Vec<TypeId> = (0..self.new.types.len())
            .map(TypeId)
            .filter(|&id| self.new.ty(id).spec_name.is_some() && !new_used.contains(&id))
            .collect();
        for old_id in removed {
            let old_ref = TypeRef::Named(old_id);
            let moved = added.iter().position(|&new_id| {
                let new_ref = TypeRef::Named(new_id);
                self.same_shape(&old_ref, &new_ref)
            });
            let def = self.old.ty(old_id);
            match moved {
                Some(at) => {
                    let new_id = added.remove(at);
                    let new_def = self.new.ty(new_id);
                    self.report(
                        ChangeKind::RefMoved,
                        Breaks::NONE,
                        None,
                        format!(
                            "`{}` is now `{}` (moved; its changes, if any, are listed apart)",
                            name_of(def),
                            name_of(new_def)
                        ),
                        Some(&def.origin),
                        Some(&new_def.origin),
                        vec![Item::Type(Side::Old, old_id), Item::Type(Side::New, new_id)],
                    );
                }
                None => self.report(
                    ChangeKind::SchemaRemoved,
                    if models_only { Breaks::BOTH } else { Breaks::NONE },
                    None,
                    format!("schema `{}` removed", name_of(def)),
                    Some(&def.origin),
                    None,
                    vec![Item::Type(Side::Old, old_id)],
                ),
            }
        }
        for new_id in added {
            let def = self.new.ty(new_id);
            self.report(
                ChangeKind::SchemaAdded,
                Breaks::NONE,
                None,
                format!("schema `{}` added", name_of(def)),
                None,
                Some(&def.origin),
                vec![Item::Type(Side::New, new_id)],
            );
        }
    }

    fn constraints(&mut self, a: &Constraints, b: &Constraints, flow: Flow, site: &Site) {
        let note = |d: &mut Differ, keyword: &str, step: Step, from: String, to: String| {
            let (kind, breaks) = match step {
                Step::Narrower => (ChangeKind::ConstraintTightened, flow.narrowed()),
                Step::Wider => (ChangeKind::ConstraintLoosened, flow.widened()),
                Step::Other => (ChangeKind::ConstraintTightened, flow.changed()),
            };
            d.at_site(site, kind, breaks, format!("{}: `{keyword}` {from} → {to}", site.what));
        };
        let show = |v: Option<String>| v.unwrap_or_else(|| "none".to_owned());
        for (keyword, x, y, lower) in [
            ("minLength", a.min_length, b.min_length, true),
            ("maxLength", a.max_length, b.max_length, false),
            ("minItems", a.min_items, b.min_items, true),
            ("maxItems", a.max_items, b.max_items, false),
            ("minProperties", a.min_properties, b.min_properties, true),
            ("maxProperties", a.max_properties, b.max_properties, false),
        ] {
            if x != y {
                let step = bound_step(x.map(|v| v as f64), y.map(|v| v as f64), lower, false, false);
                note(self, keyword, step, show(x.map(|v| v.to_string())), show(y.map(|v| v.to_string())));
            }
        }
        for (keyword, x, y, lower) in
            [("minimum", &a.minimum, &b.minimum, true), ("maximum", &a.maximum, &b.maximum, false)]
        {
            if x != y {
                let value = |b: &Option<Bound>| b.as_ref().and_then(|b| b.value.as_f64());
                let exclusive = |b: &Option<Bound>| b.as_ref().is_some_and(|b| b.exclusive);
                let step = bound_step(value(x), value(y), lower, exclusive(x), exclusive(y));
                let text = |b: &Option<Bound>| {
                    b.as_ref()
                        .map(|b| if b.exclusive { format!("{} (exclusive)", b.value) } else { b.value.to_string() })
                };
                note(self, keyword, step, show(text(x)), show(text(y)));
            }
        }
        if a.pattern != b.pattern {
            let step = match (&a.pattern, &b.pattern) {
                (None, Some(_)) => Step::Narrower,
                (Some(_), None) => Step::Wider,
                _ => Step::Other,
            };
            note(self, "pattern", step, show(a.pattern.clone()), show(b.pattern.clone()));
        }
        if a.multiple_of != b.multiple_of {
            let step = match (a.multiple_of, b.multiple_of) {
                (None, Some(_)) => Step::Narrower,
                (Some(_), None) => Step::Wider,
                (Some(x), Some(y)) if (y / x).fract() == 0.0 => Step::Narrower,
                (Some(x), Some(y)) if (x / y).fract() == 0.0 => Step::Wider,
                _ => Step::Other,
            };
            note(
                self,
                "multipleOf",
                step,
                show(a.multiple_of.map(|v| v.to_string())),
                show(b.multiple_of.map(|v| v.to_string())),
            );
        }
        if a.unique_items != b.unique_items {
            let step = if b.unique_items { Step::Narrower } else { Step::Wider };
            note(self, "uniqueItems", step, a.unique_items.to_string(), b.unique_items.to_string());
        }
        match (&a.allowed, &b.allowed) {
            (Some(x), Some(y)) => {
                for v in x.iter().filter(|v| !y.contains(v)) {
                    self.at_site(
                        site,
                        ChangeKind::EnumValueRemoved,
                        flow.narrowed(),
                        format!("{}: enum value `{v}` removed", site.what),
                    );
                }
                for v in y.iter().filter(|v| !x.contains(v)) {
                    self.at_site(
                        site,
                        ChangeKind::EnumValueAdded,
                        flow.widened(),
                        format!("{}: enum value `{v}` added", site.what),
                    );
                }
            }
            (None, Some(_)) => note(self, "enum", Step::Narrower, "none".into(), "a list of values".into()),
            (Some(_), None) => note(self, "enum", Step::Wider, "a list of values".into(), "none".into()),
            (None, None) => {}
        }
    }

    /// How a scalar type changed, or `None` when it did not.
    fn primitive_step(&self, x: Primitive, y: Primitive) -> Option<Step> {
        use Primitive::*;
        if let (Formatted(f), Formatted(g)) = (x, y) {
            let same = self.old.string_formats.get(f.0 as usize) == self.new.string_formats.get(g.0 as usize);
            return (!same).then_some(Step::Other);
        }
        if x == y {
            return None;
        }
        let is_string = |p: Primitive| matches!(p, String | DateTime | Date | Uuid | Base64 | Binary | Formatted(_));
        if is_string(x) && is_string(y) {
            return Some(match (x, y) {
                (_, String) => Step::Wider,
                (String, _) => Step::Narrower,
                _ => Step::Other,
            });
        }
        match (range(x), range(y)) {
            (Some((a0, a1)), Some((b0, b1))) if b0 <= a0 && a1 <= b1 => Some(Step::Wider),
            (Some((a0, a1)), Some((b0, b1))) if a0 <= b0 && b1 <= a1 => Some(Step::Narrower),
            _ => Some(Step::Other),
        }
    }

    fn describe(&self, side: Side, s: &Shape) -> String {
        let ir = match side {
            Side::Old => self.old,
            Side::New => self.new,
        };
        match &s.base {
            Base::Def(id) => format!("`{}`", name_of(ir.ty(*id))),
            Base::Primitive(Primitive::Formatted(f)) => {
                format!("string ({})", ir.string_formats.get(f.0 as usize).map_or("?", String::as_str))
            }
            Base::Primitive(p) => primitive_name(*p).to_owned(),
            Base::List(_) => "array".to_owned(),
            Base::Map(_) => "map".to_owned(),
            Base::Tuple(items) => format!("tuple of {}", items.len()),
            Base::Object => "object".to_owned(),
            Base::Any => "any value".to_owned(),
        }
    }
}

/// What [`Differ::compare_defs`] passes to the member comparisons.
struct DefContext<'p> {
    pair: &'p Pair,
    operation: Option<String>,
    items: Vec<Item>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Wider,
    Narrower,
    Other,
}

/// A lower (`lower`) or upper bound moving: `None` is no bound at all.
fn bound_step(x: Option<f64>, y: Option<f64>, lower: bool, x_excl: bool, y_excl: bool) -> Step {
    match (x, y) {
        (None, Some(_)) => Step::Narrower,
        (Some(_), None) => Step::Wider,
        (Some(a), Some(b)) if a == b => {
            if y_excl && !x_excl {
                Step::Narrower
            } else {
                Step::Wider
            }
        }
        (Some(a), Some(b)) => {
            if (b > a) == lower {
                Step::Narrower
            } else {
                Step::Wider
            }
        }
        (None, None) => Step::Other,
    }
}

/// The values a numeric type holds, as a range (floats as the widest).
fn range(p: Primitive) -> Option<(f64, f64)> {
    use Primitive::*;
    Some(match p {
        I8 => (i8::MIN as f64, i8::MAX as f64),
        I16 => (i16::MIN as f64, i16::MAX as f64),
        I32 => (i32::MIN as f64, i32::MAX as f64),
        I64 => (i64::MIN as f64, i64::MAX as f64),
        U8 => (0.0, u8::MAX as f64),
        U16 => (0.0, u16::MAX as f64),
        U32 => (0.0, u32::MAX as f64),
        U64 => (0.0, u64::MAX as f64),
        // f32 holds fewer distinct values than f64 but its range is what matters on the wire.
        F32 => (f32::MIN as f64, f32::MAX as f64),
        F64 => (f64::MIN, f64::MAX),
        _ => return None,
    })
}

fn primitive_name(p: Primitive) -> &'static str {
    use Primitive::*;
    match p {
        Bool => "boolean",
        I8 => "integer (int8)",
        I16 => "integer (int16)",
        I32 => "integer (int32)",
        I64 => "integer (int64)",
        U8 => "integer (uint8)",
        U16 => "integer (uint16)",
        U32 => "integer (uint32)",
        U64 => "integer (uint64)",
        F32 => "number (float)",
        F64 => "number",
        String => "string",
        DateTime => "string (date-time)",
        Date => "string (date)",
        Uuid => "string (uuid)",
        Base64 => "string (byte)",
        Binary => "string (binary)",
        Formatted(_) => "string",
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "an object",
        TypeKind::Enum(_) => "a string enum",
        TypeKind::Union(_) => "a union",
        TypeKind::Newtype(_) => "a constrained value",
        TypeKind::Alias(_) => "an alias",
    }
}

/// The name users know a type by: the spec's, else the generated one.
fn name_of(def: &TypeDef) -> &str {
    def.spec_name.as_deref().unwrap_or(&def.name)
}
