//! What changed between two versions of a contract, and which side each change breaks.
//!
//! Both versions are compared as IRs, so `$ref`s are already resolved, inline and component
//! schemas look alike, and one file split into many compares equal. Operations are matched by
//! method and path template (path parameters by position, so renaming `{id}` to `{petId}` is not a
//! change); types are matched where the wire meets them, so a schema moved to another name or file
//! with the same content is reported once as moved, not as removed and added.
//!
//! Every change is classified by what it does to the values on the wire, from the side of the
//! party that writes them and the one that reads them: a change that lets more values through
//! (an enum value added, a constraint loosened, a property no longer required) breaks the reader,
//! one that lets fewer through (a new required property, a tighter constraint) breaks the writer.
//! In a request the client writes and the server reads; in a response the other way round. A
//! type no operation uses is a plain data model: any change to it breaks both.

mod types;

use std::collections::{HashMap, HashSet};

use crate::diag::Origin;
use crate::ir::{Ir, Operation, ParamLocation, SecurityRequirement, StatusSpec, TypeId};
use crate::source::SourceSet;

/// One version of a contract: its IR and the files it was built from.
pub struct Version<'a> {
    pub ir: &'a Ir,
    pub sources: &'a SourceSet,
}

/// Which of the two versions an [`Item`] or origin belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    Old,
    New,
}

/// A generated Rust item a change touches, in the version it exists in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Item {
    Type(Side, TypeId),
    /// A struct field, by its Rust name.
    Field(Side, TypeId, String),
    /// An enum variant, by its Rust name.
    Variant(Side, TypeId, String),
    /// An operation, by its index in the version's IR.
    Operation(Side, usize),
}

/// Which side of the API a change forces to change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Breaks {
    pub client: bool,
    pub server: bool,
}

impl Breaks {
    pub const NONE: Breaks = Breaks { client: false, server: false };
    pub const CLIENT: Breaks = Breaks { client: true, server: false };
    pub const SERVER: Breaks = Breaks { client: false, server: true };
    pub const BOTH: Breaks = Breaks { client: true, server: true };

    pub fn any(self) -> bool {
        self.client || self.server
    }

    fn or(self, other: Breaks) -> Breaks {
        Breaks { client: self.client || other.client, server: self.server || other.server }
    }
}

macro_rules! kinds {
    ($($variant:ident => $name:literal,)*) => {
        /// What kind of change an entry is; `as_str` is its stable name in JSON output.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ChangeKind { $($variant,)* }

        impl ChangeKind {
            pub const ALL: &'static [ChangeKind] = &[$(ChangeKind::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(ChangeKind::$variant => $name,)* }
            }
        }
    };
}

kinds! {
    OperationRemoved => "operation-removed",
    OperationAdded => "operation-added",
    ParameterRemoved => "parameter-removed",
    ParameterAdded => "parameter-added",
    ParameterBecameRequired => "parameter-became-required",
    ParameterBecameOptional => "parameter-became-optional",
    ParameterStyleChanged => "parameter-style-changed",
    RequestBodyAdded => "request-body-added",
    RequestBodyRemoved => "request-body-removed",
    RequestBodyBecameRequired => "request-body-became-required",
    RequestBodyBecameOptional => "request-body-became-optional",
    ContentTypeAdded => "content-type-added",
    ContentTypeRemoved => "content-type-removed",
    ResponseStatusAdded => "response-status-added",
    ResponseStatusRemoved => "response-status-removed",
    ResponseHeaderAdded => "response-header-added",
    ResponseHeaderRemoved => "response-header-removed",
    ResponseHeaderBecameRequired => "response-header-became-required",
    ResponseHeaderBecameOptional => "response-header-became-optional",
    PropertyAdded => "property-added",
    RequiredPropertyAdded => "required-property-added",
    PropertyRemoved => "property-removed",
    PropertyBecameRequired => "property-became-required",
    PropertyBecameOptional => "property-became-optional",
    AdditionalPropertiesChanged => "additional-properties-changed",
    TypeWidened => "type-widened",
    TypeNarrowed => "type-narrowed",
    TypeChanged => "type-changed",
    NullableAdded => "nullable-added",
    NullableRemoved => "nullable-removed",
    EnumValueAdded => "enum-value-added",
    EnumValueRemoved => "enum-value-removed",
    VariantAdded => "variant-added",
    VariantRemoved => "variant-removed",
    DiscriminatorChanged => "discriminator-changed",
    ConstraintTightened => "constraint-tightened",
    ConstraintLoosened => "constraint-loosened",
    SecurityRequirementAdded => "security-requirement-added",
    SecurityRequirementRemoved => "security-requirement-removed",
    SecuritySchemeChanged => "security-scheme-changed",
    SecuritySchemeRemoved => "security-scheme-removed",
    RefMoved => "ref-moved",
    RustNameChanged => "rust-name-changed",
    SchemaAdded => "schema-added",
    SchemaRemoved => "schema-removed",
}

/// One difference between the versions.
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: ChangeKind,
    pub breaks: Breaks,
    /// `GET /pets/{petId}`, for changes inside one operation.
    pub operation: Option<String>,
    pub message: String,
    /// Where the changed thing is in the old version (`None` when it is new).
    pub old: Option<Origin>,
    /// Where it is in the new version (`None` when it was removed).
    pub new: Option<Origin>,
    /// The generated Rust items it changes, old and new.
    pub items: Vec<Item>,
}

/// Every change from `old` to `new`: operations in the new version's order (removed ones where
/// they stood), then changes inside types, then security schemes and schemas added or removed.
pub fn diff(old: &Version, new: &Version) -> Vec<Change> {
    let mut differ = Differ::new(old, new);
    differ.operations();
    differ.unreached_types();
    differ.security_schemes();
    differ.changes.finish()
}

/// Changes found so far, one entry per (kind, locations, message): a type reached from both a
/// request and a response is compared twice, and its entries merge what each direction breaks.
/// A change to an operation itself (a parameter, a status, a media type, its security) is one
/// entry per operation even where operations share the changed part through `$ref` (a
/// `components/responses` entry removed from twenty operations is twenty changes).
#[derive(Default)]
struct Found {
    list: Vec<Change>,
    index: HashMap<(ChangeKind, Option<Origin>, Option<Origin>, String, Option<String>), usize>,
}

impl Found {
    fn push(&mut self, change: Change) {
        let per_operation = change.items.iter().any(|i| matches!(i, Item::Operation(..)));
        let scope = if per_operation { change.operation.clone() } else { None };
        let key = (change.kind, change.old.clone(), change.new.clone(), change.message.clone(), scope);
        if let Some(&at) = self.index.get(&key) {
            let entry = &mut self.list[at];
            entry.breaks = entry.breaks.or(change.breaks);
            for item in change.items {
                if !entry.items.contains(&item) {
                    entry.items.push(item);
                }
            }
            return;
        }
        self.index.insert(key, self.list.len());
        self.list.push(change);
    }

    fn finish(self) -> Vec<Change> {
        self.list
    }
}

struct Differ<'a> {
    old: &'a Ir,
    new: &'a Ir,
    old_sources: &'a SourceSet,
    new_sources: &'a SourceSet,
    changes: Found,
    /// Type pairs already compared in a direction, so recursive and shared types are compared once.
    compared: HashSet<(TypeId, TypeId, types::Flow)>,
    /// The same pairs in any direction: which types the operations reached.
    compared_any: HashSet<(TypeId, TypeId)>,
}

/// An operation's identity across versions: method, and path with parameter names blanked.
fn operation_key(op: &Operation) -> (bool, &'static str, String) {
    (op.webhook, op.method.as_str(), blank_path_names(&op.path))
}

fn blank_path_names(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_name = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_name = true;
                out.push_str("{}");
            }
            '}' => in_name = false,
            _ if in_name => {}
            _ => out.push(c),
        }
    }
    out
}

/// `GET /pets/{petId}`, or `webhook POST newPet`.
fn operation_label(op: &Operation) -> String {
    let method = op.method.as_str().to_ascii_uppercase();
    if op.webhook { format!("webhook {method} {}", op.path) } else { format!("{method} {}", op.path) }
}

/// A parameter's identity: path parameters by position in the template (their names are only
/// labels), the others by location and name (header names without case).
fn param_key(op: &Operation, index: usize) -> (u8, String) {
    let p = &op.params[index];
    match p.location {
        ParamLocation::Path => {
            let position = path_names(&op.path).iter().position(|n| *n == p.name).unwrap_or(usize::MAX);
            (0, position.to_string())
        }
        ParamLocation::Query => (1, p.name.clone()),
        ParamLocation::Header => (2, p.name.to_ascii_lowercase()),
        ParamLocation::Cookie => (3, p.name.clone()),
    }
}

fn path_names(path: &str) -> Vec<&str> {
    path.split('{').skip(1).filter_map(|rest| rest.split_once('}').map(|(name, _)| name)).collect()
}

fn location_name(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn status_label(status: StatusSpec) -> String {
    match status {
        StatusSpec::Code(code) => code.to_string(),
        StatusSpec::Range(digit) => format!("{digit}XX"),
        StatusSpec::Default => "default".to_owned(),
    }
}

/// One way to satisfy a security requirement, written canonically: `a+b[scope1,scope2]`.
fn alternative_label(requirement: &SecurityRequirement) -> String {
    if requirement.schemes.is_empty() {
        return "anonymous".to_owned();
    }
    let mut schemes: Vec<String> = requirement
        .schemes
        .iter()
        .map(|(scheme, scopes)| {
            let mut scopes = scopes.clone();
            scopes.sort();
            if scopes.is_empty() { scheme.clone() } else { format!("{scheme}[{}]", scopes.join(",")) }
        })
        .collect();
    schemes.sort();
    schemes.join(" + ")
}

impl<'a> Differ<'a> {
    fn new(old: &'a Version, new: &'a Version) -> Self {
        Differ {
            old: old.ir,
            new: new.ir,
            old_sources: old.sources,
            new_sources: new.sources,
            changes: Found::default(),
            compared: HashSet::new(),
            compared_any: HashSet::new(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn report(
        &mut self,
        kind: ChangeKind,
        breaks: Breaks,
        operation: Option<String>,
        message: String,
        old: Option<&Origin>,
        new: Option<&Origin>,
        items: Vec<Item>,
    ) {
        self.changes.push(Change { kind, breaks, operation, message, old: old.cloned(), new: new.cloned(), items });
    }

    fn operations(&mut self) {
        let old_keys: Vec<_> = self.old.operations.iter().map(operation_key).collect();
        let new_keys: Vec<_> = self.new.operations.iter().map(operation_key).collect();
        let old_by_key: HashMap<_, usize> = old_keys.iter().enumerate().map(|(i, k)| (k, i)).collect();
        let new_by_key: HashMap<_, usize> = new_keys.iter().enumerate().map(|(j, k)| (k, j)).collect();
        // Removed operations are reported where they stood: before the next one that survives.
        let mut pending_removed: Vec<usize> = Vec::new();
        let mut removed_before: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, key) in old_keys.iter().enumerate() {
            match new_by_key.get(key) {
                Some(&j) => removed_before.entry(j).or_default().append(&mut pending_removed),
                None => pending_removed.push(i),
            }
        }
        for j in 0..self.new.operations.len() {
            for i in removed_before.remove(&j).unwrap_or_default() {
                self.operation_removed(i);
            }
            let new_op = &self.new.operations[j];
            match old_by_key.get(&new_keys[j]) {
                Some(&i) => self.operation(i, j),
                None => {
                    let label = operation_label(new_op);
                    self.report(
                        ChangeKind::OperationAdded,
                        Breaks::SERVER,
                        Some(label.clone()),
                        format!("operation {label} added: servers must implement it"),
                        None,
                        Some(&new_op.origin),
                        vec![Item::Operation(Side::New, j)],
                    );
                }
            }
        }
        for i in pending_removed {
            self.operation_removed(i);
        }
    }

    fn operation_removed(&mut self, i: usize) {
        let op = &self.old.operations[i];
        let label = operation_label(op);
        self.report(
            ChangeKind::OperationRemoved,
            Breaks::CLIENT,
            Some(label.clone()),
            format!("operation {label} removed: clients calling it fail"),
            Some(&op.origin),
            None,
            vec![Item::Operation(Side::Old, i)],
        );
    }

    /// Compares one operation present in both versions.
    fn operation(&mut self, i: usize, j: usize) {
        let (old, new) = (&self.old.operations[i], &self.new.operations[j]);
        let label = operation_label(new);
        let items = vec![Item::Operation(Side::Old, i), Item::Operation(Side::New, j)];
        self.params(old, new, &label, &items);
        self.request_body(old, new, &label, &items);
        self.responses(old, new, &label, &items);
        self.security(old, new, &label, &items);
    }

    fn params(&mut self, old: &'a Operation, new: &'a Operation, label: &str, items: &[Item]) {
        let old_keys: Vec<_> = (0..old.params.len()).map(|k| param_key(old, k)).collect();
        let new_keys: Vec<_> = (0..new.params.len()).map(|k| param_key(new, k)).collect();
        for (k, key) in old_keys.iter().enumerate() {
            if new_keys.contains(key) {
                continue;
            }
            let p = &old.params[k];
            let place = location_name(p.location);
            self.report(
                ChangeKind::ParameterRemoved,
                Breaks::NONE,
                Some(label.to_owned()),
                format!("{place} parameter `{}` removed (clients that send it are ignored)", p.name),
                Some(&p.origin),
                None,
                items.to_vec(),
            );
        }
        for (k, key) in new_keys.iter().enumerate() {
            let p = &new.params[k];
            let place = location_name(p.location);
            let Some(o) = old_keys.iter().position(|x| x == key) else {
                let (breaks, note) = if p.required {
                    (Breaks::CLIENT, "required: clients must send it")
                } else {
                    (Breaks::NONE, "optional")
                };
                self.report(
                    ChangeKind::ParameterAdded,
                    breaks,
                    Some(label.to_owned()),
                    format!("{place} parameter `{}` added, {note}", p.name),
                    None,
                    Some(&p.origin),
                    items.to_vec(),
                );
                continue;
            };
            let q = &old.params[o];
            if q.required != p.required {
                let (kind, breaks, note) = if p.required {
                    (ChangeKind::ParameterBecameRequired, Breaks::CLIENT, "required: clients must send it")
                } else {
                    (ChangeKind::ParameterBecameOptional, Breaks::SERVER, "optional: servers must do without it")
                };
                self.report(
                    kind,
                    breaks,
                    Some(label.to_owned()),
                    format!("{place} parameter `{}` is now {note}", p.name),
                    Some(&q.origin),
                    Some(&p.origin),
                    items.to_vec(),
                );
            }
            if q.style != p.style || q.explode != p.explode || q.media_type != p.media_type {
                self.report(
                    ChangeKind::ParameterStyleChanged,
                    Breaks::BOTH,
                    Some(label.to_owned()),
                    format!("{place} parameter `{}` is serialized differently (style, explode or content)", p.name),
                    Some(&q.origin),
                    Some(&p.origin),
                    items.to_vec(),
                );
            }
            let site = types::Site {
                what: format!("{place} parameter `{}`", p.name),
                operation: Some(label.to_owned()),
                old: &q.origin,
                new: &p.origin,
                items: items.to_vec(),
            };
            self.compare_refs(&q.ty, &p.ty, false, false, types::Flow::Request, &site);
        }
    }

    fn request_body(&mut self, old: &'a Operation, new: &'a Operation, label: &str, items: &[Item]) {
        match (&old.body, &new.body) {
            (None, None) => {}
            (Some(body), None) => self.report(
                ChangeKind::RequestBodyRemoved,
                Breaks::NONE,
                Some(label.to_owned()),
                "request body removed (servers ignore one sent)".to_owned(),
                Some(&body.origin),
                None,
                items.to_vec(),
            ),
            (None, Some(body)) => {
                let (breaks, note) = if body.required {
                    (Breaks::CLIENT, "required: clients must send it")
                } else {
                    (Breaks::NONE, "optional")
                };
                self.report(
                    ChangeKind::RequestBodyAdded,
                    breaks,
                    Some(label.to_owned()),
                    format!("request body added, {note}"),
                    None,
                    Some(&body.origin),
                    items.to_vec(),
                );
            }
            (Some(a), Some(b)) => {
                if a.required != b.required {
                    let (kind, breaks, note) = if b.required {
                        (ChangeKind::RequestBodyBecameRequired, Breaks::CLIENT, "required: clients must send it")
                    } else {
                        (ChangeKind::RequestBodyBecameOptional, Breaks::SERVER, "optional: servers must do without it")
                    };
                    self.report(
                        kind,
                        breaks,
                        Some(label.to_owned()),
                        format!("request body is now {note}"),
                        Some(&a.origin),
                        Some(&b.origin),
                        items.to_vec(),
                    );
                }
                self.contents(&a.contents, &b.contents, types::Flow::Request, "request body", label, items);
            }
        }
    }

    /// Media types of a request body or a response: removing one narrows what its writer may
    /// send, adding one widens what its reader must take.
    fn contents(
        &mut self,
        old: &'a [crate::ir::Content],
        new: &'a [crate::ir::Content],
        flow: types::Flow,
        what: &str,
        label: &str,
        items: &[Item],
    ) {
        for a in old {
            if !new.iter().any(|b| crate::ir::essence(&b.media_type) == crate::ir::essence(&a.media_type)) {
                self.report(
                    ChangeKind::ContentTypeRemoved,
                    flow.narrowed(),
                    Some(label.to_owned()),
                    format!("{what}: media type `{}` removed", a.media_type),
                    Some(&a.origin),
                    None,
                    items.to_vec(),
                );
            }
        }
        for b in new {
            let Some(a) = old.iter().find(|a| crate::ir::essence(&a.media_type) == crate::ir::essence(&b.media_type))
            else {
                self.report(
                    ChangeKind::ContentTypeAdded,
                    flow.widened(),
                    Some(label.to_owned()),
                    format!("{what}: media type `{}` added", b.media_type),
                    None,
                    Some(&b.origin),
                    items.to_vec(),
                );
                continue;
            };
            let (Some(x), Some(y)) = (&a.ty, &b.ty) else {
                if a.ty.is_some() != b.ty.is_some() {
                    let (kind, breaks) = if b.ty.is_some() {
                        (ChangeKind::TypeNarrowed, flow.narrowed())
                    } else {
                        (ChangeKind::TypeWidened, flow.widened())
                    };
                    let note = if b.ty.is_some() { "now has a schema" } else { "no longer has a schema" };
                    self.report(
                        kind,
                        breaks,
                        Some(label.to_owned()),
                        format!("{what} `{}` {note}", b.media_type),
                        Some(&a.origin),
                        Some(&b.origin),
                        items.to_vec(),
                    );
                }
                continue;
            };
            let site = types::Site {
                what: format!("{what} `{}`", b.media_type),
                operation: Some(label.to_owned()),
                old: &a.origin,
                new: &b.origin,
                items: items.to_vec(),
            };
            self.compare_refs(x, y, false, false, flow, &site);
        }
    }

    fn responses(&mut self, old: &'a Operation, new: &'a Operation, label: &str, items: &[Item]) {
        for a in &old.responses {
            if !new.responses.iter().any(|b| b.status == a.status) {
                self.report(
                    ChangeKind::ResponseStatusRemoved,
                    Breaks::SERVER,
                    Some(label.to_owned()),
                    format!("response {} removed: servers may no longer send it", status_label(a.status)),
                    Some(&a.origin),
                    None,
                    items.to_vec(),
                );
            }
        }
        for b in &new.responses {
            let status = status_label(b.status);
            let Some(a) = old.responses.iter().find(|a| a.status == b.status) else {
                self.report(
                    ChangeKind::ResponseStatusAdded,
                    Breaks::CLIENT,
                    Some(label.to_owned()),
                    format!("response {status} added: clients must handle it"),
                    None,
                    Some(&b.origin),
                    items.to_vec(),
                );
                continue;
            };
            let what = format!("response {status}");
            self.contents(&a.contents, &b.contents, types::Flow::Response, &what, label, items);
            self.headers(a, b, &status, label, items);
        }
    }

    fn headers(
        &mut self,
        old: &'a crate::ir::Response,
        new: &'a crate::ir::Response,
        status: &str,
        label: &str,
        items: &[Item],
    ) {
        let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        for a in &old.headers {
            if !new.headers.iter().any(|b| same(&a.name, &b.name)) {
                let breaks = if a.required { Breaks::CLIENT } else { Breaks::NONE };
                self.report(
                    ChangeKind::ResponseHeaderRemoved,
                    breaks,
                    Some(label.to_owned()),
                    format!("response {status}: header `{}` removed", a.name),
                    Some(&a.origin),
                    None,
                    items.to_vec(),
                );
            }
        }
        for b in &new.headers {
            let Some(a) = old.headers.iter().find(|a| same(&a.name, &b.name)) else {
                let breaks = if b.required { Breaks::SERVER } else { Breaks::NONE };
                self.report(
                    ChangeKind::ResponseHeaderAdded,
                    breaks,
                    Some(label.to_owned()),
                    format!("response {status}: header `{}` added", b.name),
                    None,
                    Some(&b.origin),
                    items.to_vec(),
                );
                continue;
            };
            if a.required != b.required {
                let (kind, breaks) = if b.required {
                    (ChangeKind::ResponseHeaderBecameRequired, Breaks::SERVER)
                } else {
                    (ChangeKind::ResponseHeaderBecameOptional, Breaks::CLIENT)
                };
                let note = if b.required { "required" } else { "optional" };
                self.report(
                    kind,
                    breaks,
                    Some(label.to_owned()),
                    format!("response {status}: header `{}` is now {note}", b.name),
                    Some(&a.origin),
                    Some(&b.origin),
                    items.to_vec(),
                );
            }
            let site = types::Site {
                what: format!("response {status} header `{}`", b.name),
                operation: Some(label.to_owned()),
                old: &a.origin,
                new: &b.origin,
                items: items.to_vec(),
            };
            self.compare_refs(&a.ty, &b.ty, false, false, types::Flow::Response, &site);
        }
    }

    /// The alternatives that satisfy an operation's security: removing one refuses the clients
    /// that used it; adding one asks servers to accept it.
    fn security(&mut self, old: &'a Operation, new: &'a Operation, label: &str, items: &[Item]) {
        let effective = |ir: &'a Ir, op: &'a Operation| -> Vec<String> {
            let mut alts: Vec<String> =
                op.security.as_ref().unwrap_or(&ir.security).iter().map(alternative_label).collect();
            if alts.is_empty() {
                alts.push("anonymous".to_owned());
            }
            alts.sort();
            alts.dedup();
            alts
        };
        let (a, b) = (effective(self.old, old), effective(self.new, new));
        for alt in a.iter().filter(|x| !b.contains(x)) {
            self.report(
                ChangeKind::SecurityRequirementRemoved,
                Breaks::CLIENT,
                Some(label.to_owned()),
                format!("security: `{alt}` no longer accepted (now: {})", b.join(" | ")),
                Some(&old.origin),
                Some(&new.origin),
                items.to_vec(),
            );
        }
        for alt in b.iter().filter(|x| !a.contains(x)) {
            self.report(
                ChangeKind::SecurityRequirementAdded,
                Breaks::SERVER,
                Some(label.to_owned()),
                format!("security: `{alt}` now accepted (was: {})", a.join(" | ")),
                Some(&old.origin),
                Some(&new.origin),
                items.to_vec(),
            );
        }
    }

    /// Security schemes changed in what they ask for, or removed.
    fn security_schemes(&mut self) {
        for a in &self.old.security_schemes {
            match self.new.security_schemes.iter().find(|b| b.key == a.key) {
                None => self.report(
                    ChangeKind::SecuritySchemeRemoved,
                    Breaks::NONE,
                    None,
                    format!("security scheme `{}` removed", a.key),
                    Some(&a.origin),
                    None,
                    Vec::new(),
                ),
                Some(b) if b.kind != a.kind => self.report(
                    ChangeKind::SecuritySchemeChanged,
                    Breaks::BOTH,
                    None,
                    format!(
                        "security scheme `{}` changed how credentials are sent ({:?} → {:?})",
                        a.key, a.kind, b.kind
                    ),
                    Some(&a.origin),
                    Some(&b.origin),
                    Vec::new(),
                ),
                Some(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameter_names_do_not_identify_operations() {
        assert_eq!(blank_path_names("/pets/{id}/toys/{toyId}"), "/pets/{}/toys/{}");
        assert_eq!(path_names("/a/{x}/b/{y}"), ["x", "y"]);
    }

    #[test]
    fn kinds_have_distinct_names() {
        let names: HashSet<&str> = ChangeKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), ChangeKind::ALL.len());
    }
}
