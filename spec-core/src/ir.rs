//! The IR: one resolved, normalized model of a contract's types and operations.
//!
//! Every generator (types, server, client, tests) reads only this. It is built once per spec by
//! [`crate::lower`], holds no `$ref`s (references are resolved to [`TypeId`]s), keeps spec order,
//! and records where every item came from ([`Origin`]) so diagnostics, doc comments and traces can
//! point back into the spec.

use serde_json::Value;

pub use crate::diag::Origin;

/// Index into [`Ir::string_formats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FormatId(pub u32);

/// Index into [`Ir::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// Which dialect the root document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    OpenApi30,
    OpenApi31,
    JsonSchema,
}

#[derive(Debug, Clone)]
pub struct Ir {
    pub dialect: Dialect,
    /// `info.title` (or the JSON Schema's title / file stem).
    pub title: String,
    /// `info.version`, verbatim: it is not semver in half the real specs.
    pub version: Option<String>,
    pub description: Option<String>,
    /// Named types in a deterministic order: component schemas in document order first, then
    /// inline schemas in the order the spec walk met them.
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
    pub servers: Vec<Server>,
    pub security_schemes: Vec<SecurityScheme>,
    /// The document-wide default (`security` at the root); operations may override it.
    pub security: Vec<SecurityRequirement>,
    /// Names of the string formats met (`uri`, `email`, custom ones), indexed by [`FormatId`].
    pub string_formats: Vec<String>,
}

impl Ir {
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

/// Human documentation carried from the spec into doc comments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
}

/// A named Rust item the generator emits.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust identifier (PascalCase, unique in the output, never a keyword or std prelude name
    /// that our own generated code uses unqualified).
    pub name: String,
    /// The name the spec gave (component key), if any.
    pub spec_name: Option<String>,
    pub origin: Origin,
    pub docs: Docs,
    /// Schema-level `example` / `examples` values, for generated tests.
    pub examples: Vec<Value>,
    /// Which request/response view of a schema with readOnly/writeOnly members this is.
    pub view: View,
    pub kind: TypeKind,
}

/// Schemas with `readOnly` or `writeOnly` members get one type per direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum View {
    /// The schema has no direction-dependent members: one type serves both.
    Both,
    /// What a server sends: `writeOnly` members removed.
    Response,
    /// What a client sends: `readOnly` members removed.
    Request,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(StructDef),
    /// A string enum: each variant serializes to its `value`.
    Enum(EnumDef),
    /// `oneOf` / `anyOf` (or a 3.1 `type` list) as a Rust enum.
    Union(UnionDef),
    /// A wrapper that enforces constraints on deserialization and construction.
    Newtype(NewtypeDef),
    /// A component that is only a reference to, or a plain unconstrained use of, another type.
    Alias(TypeRef),
}

#[derive(Debug, Clone)]
pub struct StructDef {
    pub fields: Vec<Field>,
    pub additional: Additional,
}

/// What a struct does with properties it does not name.
#[derive(Debug, Clone, PartialEq)]
pub enum Additional {
    /// `additionalProperties` absent or `true` with no schema: unknown members are ignored.
    Ignore,
    /// `additionalProperties: false`: unknown members are rejected.
    Deny,
    /// A schema (or `patternProperties`): kept in a flattened map beside the named fields.
    Map(Box<TypeRef>),
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust field name (snake_case, unique in the struct, raw-identifier free).
    pub name: String,
    /// The JSON member name.
    pub json_name: String,
    pub ty: TypeRef,
    pub required: bool,
    /// `null` is an allowed value (3.0 `nullable`, 3.1 `type: [.., "null"]`).
    pub nullable: bool,
    /// The schema's `default`, when one is given and it fits the type.
    pub default: Option<Value>,
    pub read_only: bool,
    pub write_only: bool,
    pub docs: Docs,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct EnumDef {
    pub variants: Vec<EnumVariant>,
}

#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// PascalCase Rust name, unique in the enum.
    pub name: String,
    /// The string on the wire.
    pub value: String,
    pub docs: Docs,
}

#[derive(Debug, Clone)]
pub struct UnionDef {
    pub variants: Vec<UnionVariant>,
    /// With a discriminator, variants are chosen by a property's value instead of by trying each.
    pub discriminator: Option<Discriminator>,
    /// `oneOf` (exactly one) or `anyOf` (at least one): both deserialize to the first match.
    pub any_of: bool,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    /// Discriminator values that select this variant (empty without a discriminator).
    pub tags: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Discriminator {
    pub property: String,
}

#[derive(Debug, Clone)]
pub struct NewtypeDef {
    pub inner: TypeRef,
    pub constraints: Constraints,
}

/// Validation keywords the generated code enforces. Bounds are kept as the spec wrote them;
/// generators adapt them to the inner type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// An ECMA-262 pattern known to compile with the `regress` crate.
    pub pattern: Option<String>,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub multiple_of: Option<f64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub min_properties: Option<u64>,
    pub max_properties: Option<u64>,
    /// `enum` / `const` over non-string values: the value must equal one of these.
    pub allowed: Option<Vec<Value>>,
}

impl Constraints {
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub value: serde_json::Number,
    pub exclusive: bool,
}

/// How a value's type is written: a named type or a structural one around it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    Named(TypeId),
    Primitive(Primitive),
    /// A JSON array.
    List(Box<TypeRef>),
    /// A JSON object used as a map from string keys.
    Map(Box<TypeRef>),
    /// A JSON array with fixed positions (3.1 `prefixItems`).
    Tuple(Vec<TypeRef>),
    /// `null` is allowed.
    Nullable(Box<TypeRef>),
    /// Any JSON object.
    Object,
    /// Any JSON value.
    Any,
}

impl TypeRef {
    pub fn nullable(self) -> TypeRef {
        match self {
            TypeRef::Nullable(_) | TypeRef::Any => self,
            other => TypeRef::Nullable(Box::new(other)),
        }
    }
}

/// Scalar types, after `format` has been applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Primitive {
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
    String,
    /// `format: date-time` (RFC 3339).
    DateTime,
    /// `format: date` (RFC 3339 full-date).
    Date,
    Uuid,
    /// `format: byte`: base64 text carrying bytes.
    Base64,
    /// `format: binary`: raw bytes (request/response bodies); plain text inside JSON.
    Binary,
    /// A string with any other `format` (`uri`, `email`, `google-datetime`…): a `String` unless the
    /// user maps that format to a type of their own.
    Formatted(FormatId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// snake_case Rust name: from `operationId`, else derived from method and path; unique.
    pub name: String,
    pub operation_id: Option<String>,
    pub method: Method,
    /// The path template as written (`/pets/{petId}`).
    pub path: String,
    /// `true` for entries under `webhooks` (3.1): the API calls the user, not the other way round.
    pub webhook: bool,
    pub summary: Option<String>,
    pub docs: Docs,
    pub tags: Vec<String>,
    /// Path-item and operation parameters merged (operation wins), in spec order.
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// `None`: the document default applies. `Some(vec![])`: explicitly no security.
    pub security: Option<Vec<SecurityRequirement>>,
    pub servers: Vec<Server>,
    pub origin: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamStyle {
    Matrix,
    Label,
    Form,
    Simple,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    /// snake_case Rust name, unique among the operation's parameters.
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub style: ParamStyle,
    pub explode: bool,
    pub allow_reserved: bool,
    pub ty: TypeRef,
    /// Set when the parameter uses `content` instead of `schema`.
    pub media_type: Option<String>,
    pub default: Option<Value>,
    pub examples: Vec<Example>,
    pub docs: Docs,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub required: bool,
    pub contents: Vec<Content>,
    pub docs: Docs,
    pub origin: Origin,
}

/// How a media type's payload is encoded; generators choose (de)serializers by this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// `application/json`, `text/json`, `*/*+json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/*`.
    Multipart,
    /// `text/plain` and other `text/*` that are not structured.
    Text,
    /// `application/xml`, `text/xml`, `*+xml`: carried as text (no XML mapping yet).
    Xml,
    /// Anything else: bytes.
    Binary,
}

impl MediaKind {
    pub fn of(media_type: &str) -> MediaKind {
        let essence = essence(media_type);
        let (top, sub) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
        if sub == "json" || sub.ends_with("+json") {
            MediaKind::Json
        } else if essence == "application/x-www-form-urlencoded" {
            MediaKind::Form
        } else if top == "multipart" {
            MediaKind::Multipart
        } else if sub == "xml" || sub.ends_with("+xml") {
            MediaKind::Xml
        } else if top == "text" {
            MediaKind::Text
        } else {
            MediaKind::Binary
        }
    }
}

/// A media type without its parameters, lower case: `Application/JSON; charset=utf-8` is
/// `application/json`.
pub fn essence(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()
}

#[derive(Debug, Clone)]
pub struct Content {
    pub media_type: String,
    pub kind: MediaKind,
    /// `None` when the media type has no schema.
    pub ty: Option<TypeRef>,
    pub examples: Vec<Example>,
    /// Multipart / form `encoding` per property: (property, content type).
    pub encoding: Vec<(String, String)>,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Example {
    /// The key in a named `examples` map; `None` for a bare `example`.
    pub name: Option<String>,
    pub summary: Option<String>,
    /// `None` for an `externalValue` example (its URL is in `external`).
    pub value: Option<Value>,
    pub external: Option<String>,
    pub origin: Origin,
}

/// Which status codes a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusSpec {
    Code(u16),
    /// `4XX`: the hundreds digit.
    Range(u8),
    Default,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: StatusSpec,
    pub description: String,
    pub contents: Vec<Content>,
    pub headers: Vec<Header>,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Header {
    pub name: String,
    pub rust_name: String,
    pub required: bool,
    pub ty: TypeRef,
    pub docs: Docs,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Server {
    /// The URL template as written (may contain `{variables}`).
    pub url: String,
    pub description: Option<String>,
    /// Variables with their default values, in spec order.
    pub variables: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// The key under `components/securitySchemes`.
    pub key: String,
    pub rust_name: String,
    pub kind: SecurityKind,
    pub description: Option<String>,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SecurityKind {
    ApiKey {
        name: String,
        location: ParamLocation,
    },
    /// `http` with scheme `basic`.
    Basic,
    /// `http` with scheme `bearer`; also how oauth2 and openIdConnect tokens arrive.
    Bearer {
        format: Option<String>,
    },
    OAuth2 {
        scopes: Vec<String>,
    },
    OpenIdConnect {
        url: String,
    },
    /// `mutualTLS` or a non-standard http scheme: kept so requirements still resolve.
    Other {
        scheme: String,
    },
}

/// A set of schemes that must all be satisfied; a list of these means "any one of".
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityRequirement {
    /// (scheme key, required scopes).
    pub schemes: Vec<(String, Vec<String>)>,
}
