//! What the fuzz targets (`fuzz/`) run, shared with the regression and property tests in
//! `tests/tests/`, so a minimized crash is replayed by exactly the code that found it.
//!
//! - [`check_loader`]: raw bytes through the loader as JSON and as YAML text, then lowering to the
//!   IR, the lints and the diagnostics' location and rendering. Must never panic or hang.
//! - [`check_pipeline`]: a spec file through the whole pipeline the CLI runs; generated code (the
//!   module and both scaffolds) must parse with `syn`, and every error must be located.
//! - [`grammar`]: builds OpenAPI 3.0/3.1 documents from unstructured bytes, for the pipeline
//!   target and the property test.

use std::path::{Path, PathBuf};

use serde_json::Value;
use spec_codegen::pipeline::{self, Deny, Failure};
use spec_codegen::{Options, Parts};
use spec_core::diag::{Diagnostics, Severity};
use spec_core::source::{FileId, SourceSet, parse_text};

/// Every part the generator has, as `--with proptest` completes it.
pub fn all_parts() -> Parts {
    Parts { proptest: true, ..Parts::default() }.completed()
}

/// Raw bytes as the loader sees a file: UTF-8 (lossily, so every input reaches the parsers), parsed
/// once as JSON and once as YAML, each lowered to the IR when it parses.
pub fn check_loader(bytes: &[u8]) {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(bytes);
    let text = String::from_utf8_lossy(bytes).into_owned();
    for name in ["fuzz.json", "fuzz.yaml"] {
        let mut diags = Diagnostics::default();
        let path = Path::new("/fuzz").join(name);
        let file = match parse_text(&path, name.to_owned(), text.clone(), FileId(0)) {
            Ok(file) => file,
            Err(d) => {
                spec_core::render::human(&d, None);
                continue;
            }
        };
        let loaded = spec_core::Loaded {
            sources: SourceSet { files: vec![file], root_dir: "/fuzz".into(), shown_dir: "/fuzz".into() },
            refs: spec_core::RefTable::default(),
        };
        if let Some(ir) = spec_core::build_ir(&loaded, &mut diags) {
            if !diags.has_errors() {
                diags.extend(spec_core::lint::lint(&ir, &loaded));
            }
        }
        loaded.sources.locate_all(diags.iter_mut());
        for d in diags.iter() {
            spec_core::render::human(d, Some(&loaded.sources));
            spec_core::render::json(d, Some(&loaded.sources));
        }
    }
}

/// What [`check_pipeline`] saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Code was generated, and it parses.
    Generated,
    /// The spec was refused with located errors.
    Refused,
}

/// Runs the pipeline on the spec at `path` with `parts`, and panics on anything but parsing
/// code or located errors.
pub fn check_pipeline(path: &Path, parts: Parts) -> Outcome {
    let options = Options { parts, ..Options::default() };
    match pipeline::run(path, &options, Deny::default()) {
        Ok(run) => {
            must_parse(&run.output.code, "the generated module");
            let sources = &run.loaded.sources;
            if parts.server {
                let code = spec_codegen::scaffold_server(&run.ir, sources, &options, "crate::api::server")
                    .unwrap_or_else(|e| panic!("scaffold server failed: {e}"));
                must_parse(&code, "the server scaffold");
            }
            if parts.tests {
                let code = spec_codegen::scaffold_tests(&run.ir, sources, &options, "openapi.yaml", "crate::api", &[])
                    .unwrap_or_else(|e| panic!("scaffold tests failed: {e}"));
                must_parse(&code, "the test scaffold");
            }
            for d in run.diagnostics.iter() {
                spec_core::render::human(d, Some(sources));
            }
            Outcome::Generated
        }
        Err(failure @ Failure::Spec { .. }) => {
            let text = failure.render(path);
            if std::env::var_os("SPEC_GEN_FUZZ_VERBOSE").is_some() {
                eprintln!("{text}");
            }
            let Failure::Spec { diagnostics, .. } = &failure else { unreachable!() };
            if let Some(d) = diagnostics.iter().find(|d| d.severity == Severity::Error && d.origin.is_none()) {
                panic!("an error without a location: {d}");
            }
            Outcome::Refused
        }
        Err(Failure::Generate(e)) => panic!("generation failed: {e}"),
    }
}

fn must_parse(code: &str, what: &str) {
    if let Err(e) = syn::parse_file(code) {
        let keep = std::env::temp_dir().join("spec-gen-fuzz-unparsable.rs");
        let _ = std::fs::write(&keep, code);
        panic!("{what} does not parse as Rust: {e} (the code is in {})", keep.display());
    }
}

/// Writes `doc` as a spec file (JSON text; named `.yaml` when `yaml`, so the YAML parser reads it)
/// in a fresh temporary folder, runs [`check_pipeline`] on it and removes the folder.
pub fn check_document(doc: &Value, yaml: bool, parts: Parts) -> Outcome {
    let dir = scratch_dir();
    let path = dir.join(if yaml { "spec.yaml" } else { "spec.json" });
    std::fs::write(&path, spec_text(doc)).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    let outcome = check_pipeline(&path, parts);
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}

/// The text [`check_document`] writes: pretty JSON, which the YAML parser reads too.
pub fn spec_text(doc: &Value) -> String {
    serde_json::to_string_pretty(doc).expect("a Value serializes")
}

fn scratch_dir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "spec-gen-fuzz-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

/// A small PRNG (splitmix64) to drive [`grammar`] from a seed where there is no fuzzer.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}

pub mod grammar {
    //! OpenAPI documents from unstructured bytes: a small grammar that mostly writes valid specs
    //! (path parameters matching their templates, refs to declared components) with odd corners
    //! mixed in (missing and cyclic refs, colliding and keyword names, every parameter location and
    //! style, media types, status ranges, security schemes, 3.0 and 3.1 keywords).

    use arbitrary::{Result, Unstructured};
    use serde_json::{Map, Value, json};

    const NAMES: &[&str] = &[
        "Pet",
        "pet",
        "PET",
        "Pet_",
        "pet-item",
        "pet.item",
        "Pet Item",
        "type",
        "self",
        "Self",
        "crate",
        "super",
        "fn",
        "async",
        "await",
        "dyn",
        "r#type",
        "",
        " ",
        "_",
        "__",
        "1st",
        "String",
        "Option",
        "Vec",
        "Box",
        "Result",
        "Ok",
        "Err",
        "Some",
        "None",
        "Value",
        "HashMap",
        "std",
        "core",
        "serde",
        "Default",
        "Error",
        "Client",
        "Server",
        "Mock",
        "Api",
        "Response",
        "Request",
        "Credentials",
        "operations",
        "support",
        "Send",
        "Clone",
        "Debug",
        "😀",
        "日本語",
        "a/b",
        "a~b",
        "%20",
        "Ünïcödé",
        "Item",
        "ItemList",
        "Item_List",
        "item_list",
    ];
    const PROPS: &[&str] = &[
        "id", "name", "type", "self", "Self", "match", "ref", "$ref", "@type", "+1", "-1", "1", "", " ", "_", "a-b",
        "a_b", "aB", "AB", "ab", "x-foo", "😀", "value", "kind", "r#type", "default", "Id", "ID",
    ];
    const STRINGS: &[&str] = &[
        "a-b", "a_b", "A B", "aB", "AB", "ab", "", " ", "1", "-1", "null", "true", "😀", "Self", "self", "_", "__",
        "*/",
    ];
    const TEXTS: &[&str] = &[
        "plain",
        "",
        "*/ /* end",
        "```rust\nfn x() {}\n```",
        "line\rbreak",
        "#[doc = \"x\"]",
        "\\",
        "\"quoted\"",
        "{{braces}}",
        "tab\there",
        "\u{0}",
        "</code>",
        "`tick",
        "[link](http://x)",
        "  indented\n    code",
    ];
    const FORMATS: &[&str] = &[
        "date-time",
        "date",
        "time",
        "uuid",
        "byte",
        "binary",
        "email",
        "uri",
        "int32",
        "int64",
        "float",
        "double",
        "decimal",
        "uint8",
        "password",
        "weird",
        "",
        "duration",
        "hostname",
        "ipv4",
        "regex",
    ];
    const PATTERNS: &[&str] =
        &["^[a-z]+$", "(", "\\d{2,3}", "(?<n>a)\\k<n>", "\\p{L}+", "[", "a{2,1}", "^$", ".*", "\\", "[^]", "(?i)x"];
    const TYPES: &[&str] = &["string", "integer", "number", "boolean", "array", "object", "null", "file", "weird"];
    const MEDIA: &[&str] = &[
        "application/json",
        "application/json; charset=utf-8",
        "application/vnd.api+json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "text/plain",
        "text/html",
        "application/octet-stream",
        "application/xml",
        "image/*",
        "*/*",
        "",
        "weird",
    ];
    const STATUSES: &[&str] = &[
        "200", "201", "202", "204", "2XX", "default", "301", "304", "400", "404", "4XX", "4xx", "5XX", "500", "100",
        "999", "abc", "20X", "200 ", "0", "2XXX",
    ];
    const TEMPLATES: &[&str] = &[
        "/",
        "",
        "/pets",
        "/pets/{id}",
        "/pets/{id}/{id}",
        "/{a}{b}",
        "/{}",
        "/{",
        "/}",
        "/pets/{😀}",
        "/a b",
        "/a?b=c",
        "/a#b",
        "/{type}",
        "/{self}",
        "pets",
        "/pets/",
        "//",
        "/pets/{id}.json",
        "/x/{param-name}",
        "/~1",
        "/%7Bx%7D",
        "/pets/{petId}/toys/{toy_id}",
        "/{Self}/{self}",
        "/{a b}",
    ];
    const LOCATIONS: &[&str] = &["path", "query", "header", "cookie", "query", "query", "body", "formData", "weird"];
    const STYLES: &[&str] =
        &["form", "simple", "label", "matrix", "spaceDelimited", "pipeDelimited", "deepObject", "weird"];
    const METHODS: &[&str] =
        &["get", "put", "post", "delete", "options", "head", "patch", "trace", "x-method", "query"];
    const VERSIONS: &[&str] = &["3.0.3", "3.1.0", "3.0.0", "3.1.1", "3.0.3", "3.1.0", "3.2.0", "2.0", "4.0.0", "3"];

    fn pick(u: &mut Unstructured, pool: &[&str]) -> Result<String> {
        Ok((*u.choose(pool)?).to_owned())
    }

    /// A pooled name, or now and then a short string of the input's own.
    fn name(u: &mut Unstructured, pool: &[&str]) -> Result<String> {
        if u.ratio(1, 8)? {
            let len = u.int_in_range(0..=6)?;
            let mut s = String::new();
            for _ in 0..len {
                s.push(u.arbitrary::<char>()?);
            }
            Ok(s)
        } else {
            pick(u, pool)
        }
    }

    struct Ctx {
        v31: bool,
        /// Whether this document may hold what is certain to be refused (missing refs, unknown
        /// versions); one in four does, so most documents get through to the generator.
        odd: bool,
        /// Which shared parameter, request body and response components exist.
        shared: [bool; 3],
        components: Vec<String>,
        /// Schemas generated so far, to bound the document's size.
        budget: u32,
    }

    /// A document, and whether to write it with a `.yaml` name.
    pub fn document(u: &mut Unstructured) -> Result<(Value, bool)> {
        let odd = u.ratio(1, 4)?;
        let version = if odd { pick(u, VERSIONS)? } else { pick(u, &VERSIONS[..6])? };
        let v31 = version.starts_with("3.1") || version.starts_with("3.2");
        let mut components = Vec::new();
        for _ in 0..u.int_in_range(0..=6)? {
            components.push(name(u, NAMES)?);
        }
        let mut ctx = Ctx { v31, odd, shared: [false; 3], components, budget: 60 };
        let mut doc = Map::new();
        doc.insert("openapi".into(), if odd && u.ratio(1, 10)? { json!(3.0) } else { Value::String(version) });
        let mut info = Map::new();
        if !u.ratio(1, 30)? {
            info.insert("title".into(), Value::String(if u.ratio(1, 3)? { pick(u, TEXTS)? } else { name(u, NAMES)? }));
        }
        info.insert("version".into(), Value::String(pick(u, &["1.0.0", "", "v1\n2", "😀"])?));
        if u.ratio(1, 4)? {
            info.insert("description".into(), Value::String(pick(u, TEXTS)?));
        }
        doc.insert("info".into(), Value::Object(info));
        if u.ratio(1, 3)? {
            doc.insert("servers".into(), servers(u)?);
        }
        let mut schemas = Map::new();
        for i in 0..ctx.components.len() {
            let key = ctx.components[i].clone();
            let s = schema(u, &mut ctx, 0)?;
            schemas.insert(key, s);
        }
        let mut comps = Map::new();
        comps.insert("schemas".into(), Value::Object(schemas));
        let schemes = security_schemes(u, &ctx)?;
        let scheme_names: Vec<String> = schemes.keys().cloned().collect();
        if !schemes.is_empty() {
            comps.insert("securitySchemes".into(), Value::Object(schemes));
        }
        if u.ratio(1, 4)? {
            let p = parameter(u, &mut ctx, None)?;
            comps.insert("parameters".into(), json!({ "Shared": p }));
            ctx.shared[0] = true;
        }
        if u.ratio(1, 4)? {
            let b = request_body(u, &mut ctx)?;
            comps.insert("requestBodies".into(), json!({ "Body": b }));
            ctx.shared[1] = true;
        }
        if u.ratio(1, 4)? {
            let r = response(u, &mut ctx)?;
            comps.insert("responses".into(), json!({ "Common": r }));
            ctx.shared[2] = true;
        }
        if !(odd && u.ratio(1, 5)?) {
            doc.insert("components".into(), Value::Object(comps));
        }
        if u.ratio(1, 3)? {
            doc.insert("security".into(), security(u, &ctx, &scheme_names)?);
        }
        let mut paths = Map::new();
        for _ in 0..u.int_in_range(0..=4)? {
            let template = pick(u, TEMPLATES)?;
            let item = path_item(u, &mut ctx, &template, &scheme_names)?;
            paths.insert(template, item);
        }
        if !ctx.v31 || !paths.is_empty() || u.ratio(1, 2)? {
            doc.insert("paths".into(), Value::Object(paths));
        }
        if ctx.v31 && u.ratio(1, 10)? {
            let item = path_item(u, &mut ctx, "/hook", &scheme_names)?;
            doc.insert("webhooks".into(), json!({ "hook": item }));
        }
        if u.ratio(1, 10)? {
            doc.insert("x-extension".into(), any_value(u, 0)?);
        }
        Ok((Value::Object(doc), u.ratio(1, 4)?))
    }

    fn servers(u: &mut Unstructured) -> Result<Value> {
        let url = pick(u, &["https://api.example.com/v1", "/v1", "", "{scheme}://x/{base}", "http://x/{", "relative"])?;
        let mut server = json!({ "url": url });
        if url.contains('{') && u.ratio(1, 2)? {
            server["variables"] =
                json!({ "scheme": { "default": "https", "enum": ["https", "http"] }, "base": { "default": "" } });
        }
        Ok(json!([server]))
    }

    fn any_value(u: &mut Unstructured, depth: u32) -> Result<Value> {
        Ok(match u.int_in_range(0..=9)? {
            0 => Value::Null,
            1 => Value::Bool(u.arbitrary()?),
            2 => json!(u.int_in_range(-3i64..=3)?),
            3 => json!(
                pick(u, &["1e400", "-0", "18446744073709551616", "0.1", "1.5"])?
                    .parse::<Value>()
                    .unwrap_or(Value::Null)
            ),
            4 | 5 => Value::String(pick(u, STRINGS)?),
            6 if depth < 2 => {
                let mut items = Vec::new();
                for _ in 0..u.int_in_range(0..=3)? {
                    items.push(any_value(u, depth + 1)?);
                }
                Value::Array(items)
            }
            7 if depth < 2 => {
                let mut map = Map::new();
                for _ in 0..u.int_in_range(0..=3)? {
                    map.insert(pick(u, PROPS)?, any_value(u, depth + 1)?);
                }
                Value::Object(map)
            }
            _ => json!(u.arbitrary::<i32>()?),
        })
    }

    /// A `$ref` to a component schema: one that exists, unless the document is odd; `None` when
    /// there is none to point to.
    fn reference(u: &mut Unstructured, ctx: &Ctx) -> Result<Option<String>> {
        Ok(Some(match u.int_in_range(0..=11)? {
            0 if ctx.odd => "#/components/schemas/Missing".to_owned(),
            1 if ctx.odd => pick(
                u,
                &[
                    "#/nope",
                    "#",
                    "",
                    "other.yaml#/x",
                    "http://example.com/x.json",
                    "#anchor",
                    "#/components/schemas/a~1b",
                    "#/components/schemas/%F0%9F%98%80",
                    "#/paths",
                    "#/info/title",
                ],
            )?,
            _ if ctx.components.is_empty() => return Ok(None),
            _ => {
                let target = u.choose(&ctx.components)?;
                let mut escaped = String::new();
                spec_core::diag::push_escaped(&mut escaped, target);
                format!("#/components/schemas/{}", escaped.replace('%', "%25").replace(' ', "%20"))
            }
        }))
    }

    /// A `$ref` to the shared parameter (0), request body (1) or response (2): to it when it
    /// exists, to a missing one now and then in an odd document, else `None`.
    fn shared_ref(u: &mut Unstructured, ctx: &Ctx, which: usize) -> Result<Option<Value>> {
        let (section, name) = [("parameters", "Shared"), ("requestBodies", "Body"), ("responses", "Common")][which];
        let name = if ctx.shared[which] && !(ctx.odd && u.ratio(1, 3)?) {
            name
        } else if ctx.odd {
            "Missing"
        } else {
            return Ok(None);
        };
        Ok(Some(json!({ "$ref": format!("#/components/{section}/{name}") })))
    }

    fn schema(u: &mut Unstructured, ctx: &mut Ctx, depth: u32) -> Result<Value> {
        ctx.budget = ctx.budget.saturating_sub(1);
        let leaf = depth >= 4 || ctx.budget == 0;
        let kind = if leaf { u.int_in_range(0..=5)? } else { u.int_in_range(0..=14)? };
        let mut s = Map::new();
        match kind {
            0 => {
                s.insert("type".into(), json!("string"));
                if u.ratio(1, 2)? {
                    s.insert("format".into(), Value::String(pick(u, FORMATS)?));
                }
                if u.ratio(1, 4)? {
                    s.insert("pattern".into(), Value::String(pick(u, PATTERNS)?));
                }
                if u.ratio(1, 4)? {
                    s.insert("minLength".into(), json!(u.int_in_range(0..=3)?));
                    s.insert("maxLength".into(), json!(u.int_in_range(0..=3)?));
                }
            }
            1 => {
                s.insert("type".into(), Value::String(pick(u, &["integer", "number"])?));
                if u.ratio(1, 2)? {
                    s.insert("format".into(), Value::String(pick(u, FORMATS)?));
                }
                if u.ratio(1, 3)? {
                    s.insert("minimum".into(), json!(u.int_in_range(-2..=2)?));
                }
                if u.ratio(1, 3)? {
                    s.insert("maximum".into(), json!(u.int_in_range(-2..=2)?));
                }
                if u.ratio(1, 4)? {
                    let v = if ctx.v31 { json!(u.int_in_range(-2..=2)?) } else { json!(u.arbitrary::<bool>()?) };
                    s.insert(pick(u, &["exclusiveMinimum", "exclusiveMaximum"])?, v);
                }
                if u.ratio(1, 5)? {
                    let m = pick(u, &["0", "-1", "0.1", "1e308", "3", "1e-320"])?;
                    s.insert("multipleOf".into(), m.parse::<Value>().unwrap_or(json!(2)));
                }
            }
            2 => {
                s.insert("type".into(), json!("boolean"));
            }
            3 => {
                match reference(u, ctx)? {
                    Some(r) => s.insert("$ref".into(), Value::String(r)),
                    None => s.insert("type".into(), json!("string")),
                };
                if u.ratio(1, 4)? {
                    s.insert("description".into(), Value::String(pick(u, TEXTS)?));
                }
            }
            4 => {
                let mut values = Vec::new();
                for _ in 0..u.int_in_range(0..=5)? {
                    values.push(if u.ratio(3, 4)? { Value::String(pick(u, STRINGS)?) } else { any_value(u, 1)? });
                }
                if u.ratio(2, 3)? {
                    s.insert("type".into(), Value::String(pick(u, &["string", "integer", "number", "boolean"])?));
                }
                s.insert("enum".into(), Value::Array(values));
            }
            5 => {
                // Empty, const, or a type list.
                match u.int_in_range(0..=3)? {
                    0 => {}
                    1 => {
                        s.insert("const".into(), any_value(u, 1)?);
                    }
                    _ => {
                        let mut types = Vec::new();
                        for _ in 0..u.int_in_range(0..=3)? {
                            types.push(Value::String(pick(u, TYPES)?));
                        }
                        s.insert("type".into(), Value::Array(types));
                    }
                }
            }
            6..=8 => {
                s.insert("type".into(), json!("object"));
                let mut props = Map::new();
                let mut names = Vec::new();
                for _ in 0..u.int_in_range(0..=4)? {
                    let n = name(u, PROPS)?;
                    let p = schema(u, ctx, depth + 1)?;
                    props.insert(n.clone(), p);
                    names.push(n);
                }
                s.insert("properties".into(), Value::Object(props));
                let mut required = Vec::new();
                for n in &names {
                    if u.ratio(1, 2)? {
                        required.push(Value::String(n.clone()));
                    }
                }
                if u.ratio(1, 8)? {
                    required.push(json!("absent"));
                }
                if !required.is_empty() {
                    s.insert("required".into(), Value::Array(required));
                }
                match u.int_in_range(0..=5)? {
                    0 => {
                        s.insert("additionalProperties".into(), json!(false));
                    }
                    1 => {
                        s.insert("additionalProperties".into(), json!(true));
                    }
                    2 => {
                        let a = schema(u, ctx, depth + 1)?;
                        s.insert("additionalProperties".into(), a);
                    }
                    3 if ctx.v31 => {
                        let a = schema(u, ctx, depth + 1)?;
                        s.insert("patternProperties".into(), json!({ "^x-": a }));
                    }
                    _ => {}
                }
            }
            9 => {
                s.insert("type".into(), json!("array"));
                let items = schema(u, ctx, depth + 1)?;
                s.insert("items".into(), items);
                if u.ratio(1, 4)? {
                    s.insert("uniqueItems".into(), json!(true));
                }
                if u.ratio(1, 4)? {
                    s.insert("minItems".into(), json!(u.int_in_range(0..=2)?));
                    s.insert("maxItems".into(), json!(u.int_in_range(0..=2)?));
                }
                if ctx.v31 && u.ratio(1, 5)? {
                    let first = schema(u, ctx, depth + 1)?;
                    s.insert("prefixItems".into(), json!([first]));
                }
            }
            10..=12 => {
                let key = pick(u, &["oneOf", "anyOf", "allOf"])?;
                let mut variants = Vec::new();
                for _ in 0..u.int_in_range(0..=4)? {
                    variants.push(schema(u, ctx, depth + 1)?);
                }
                s.insert(key.clone(), Value::Array(variants));
                if u.ratio(1, 2)? {
                    let mut d = Map::new();
                    d.insert("propertyName".into(), Value::String(name(u, PROPS)?));
                    if u.ratio(1, 2)? {
                        let mut mapping = Map::new();
                        for _ in 0..u.int_in_range(0..=3)? {
                            let target =
                                if ctx.odd && u.ratio(1, 5)? { Some(pick(u, NAMES)?) } else { reference(u, ctx)? };
                            if let Some(target) = target {
                                mapping.insert(pick(u, STRINGS)?, Value::String(target));
                            }
                        }
                        d.insert("mapping".into(), Value::Object(mapping));
                    }
                    s.insert("discriminator".into(), Value::Object(d));
                }
                if u.ratio(1, 3)? {
                    s.insert("type".into(), json!("object"));
                    let p = schema(u, ctx, depth + 1)?;
                    s.insert("properties".into(), json!({ name(u, PROPS)?: p }));
                }
            }
            13 => {
                let key = pick(
                    u,
                    &[
                        "not",
                        "if",
                        "then",
                        "else",
                        "contains",
                        "propertyNames",
                        "unevaluatedProperties",
                        "dependentSchemas",
                    ],
                )?;
                let inner = schema(u, ctx, depth + 1)?;
                s.insert(key, inner);
            }
            _ => {
                // Boolean schemas (3.1), or a non-schema.
                return Ok(match u.int_in_range(0..=3)? {
                    0 => json!(true),
                    1 => json!(false),
                    2 => json!("string"),
                    _ => json!(null),
                });
            }
        }
        if u.ratio(1, 5)? {
            if ctx.v31 {
                if let Some(Value::String(t)) = s.get("type").cloned() {
                    s.insert("type".into(), json!([t, "null"]));
                }
            } else {
                s.insert("nullable".into(), json!(true));
            }
        }
        if u.ratio(1, 8)? {
            s.insert(pick(u, &["readOnly", "writeOnly"])?, json!(true));
        }
        if u.ratio(1, 8)? {
            s.insert("default".into(), any_value(u, 0)?);
        }
        if u.ratio(1, 8)? {
            s.insert(if ctx.v31 && u.ratio(1, 2)? { "examples" } else { "example" }.into(), any_value(u, 0)?);
        }
        if u.ratio(1, 6)? {
            s.insert(pick(u, &["description", "title"])?, Value::String(pick(u, TEXTS)?));
        }
        if u.ratio(1, 12)? {
            s.insert("deprecated".into(), json!(true));
        }
        if u.ratio(1, 20)? {
            s.insert(pick(u, &["x-foo", "xml", "externalDocs", "$id", "$schema"])?, any_value(u, 1)?);
        }
        Ok(Value::Object(s))
    }

    fn parameter(u: &mut Unstructured, ctx: &mut Ctx, path_name: Option<&str>) -> Result<Value> {
        if path_name.is_none() && u.ratio(1, 10)? {
            if let Some(r) = shared_ref(u, ctx, 0)? {
                return Ok(r);
            }
        }
        let mut p = Map::new();
        let (name, location) = match path_name {
            Some(n) => (n.to_owned(), "path".to_owned()),
            None => (name(u, PROPS)?, pick(u, LOCATIONS)?),
        };
        p.insert("name".into(), Value::String(name));
        p.insert("in".into(), Value::String(location.clone()));
        if location == "path" {
            if !u.ratio(1, 10)? {
                p.insert("required".into(), json!(true));
            }
        } else if u.ratio(1, 2)? {
            p.insert("required".into(), json!(u.arbitrary::<bool>()?));
        }
        if u.ratio(1, 3)? {
            p.insert("style".into(), Value::String(pick(u, STYLES)?));
        }
        if u.ratio(1, 4)? {
            p.insert("explode".into(), json!(u.arbitrary::<bool>()?));
        }
        if u.ratio(1, 10)? {
            p.insert("allowReserved".into(), json!(true));
        }
        if u.ratio(1, 10)? {
            p.insert("deprecated".into(), json!(true));
        }
        if u.ratio(1, 6)? {
            p.insert("description".into(), Value::String(pick(u, TEXTS)?));
        }
        if u.ratio(1, 8)? {
            let s = schema(u, ctx, 2)?;
            p.insert("content".into(), json!({ pick(u, MEDIA)?: { "schema": s } }));
        } else if !u.ratio(1, 20)? {
            let s = schema(u, ctx, 2)?;
            p.insert("schema".into(), s);
        }
        if u.ratio(1, 10)? {
            p.insert("example".into(), any_value(u, 1)?);
        }
        Ok(Value::Object(p))
    }

    fn content(u: &mut Unstructured, ctx: &mut Ctx) -> Result<Value> {
        let mut c = Map::new();
        for _ in 0..u.int_in_range(1..=3)? {
            let media = pick(u, MEDIA)?;
            let mut m = Map::new();
            if !u.ratio(1, 8)? {
                let s = schema(u, ctx, 1)?;
                m.insert("schema".into(), s);
            }
            if u.ratio(1, 6)? {
                m.insert("example".into(), any_value(u, 1)?);
            }
            if u.ratio(1, 10)? {
                m.insert(
                    "examples".into(),
                    json!({ "one": { "value": any_value(u, 1)? }, "ext": { "externalValue": "x.json" } }),
                );
            }
            if media.starts_with("multipart") && u.ratio(1, 3)? {
                m.insert("encoding".into(), json!({ name(u, PROPS)?: { "contentType": pick(u, MEDIA)? } }));
            }
            c.insert(media, Value::Object(m));
        }
        Ok(Value::Object(c))
    }

    fn request_body(u: &mut Unstructured, ctx: &mut Ctx) -> Result<Value> {
        let mut b = Map::new();
        b.insert("content".into(), content(u, ctx)?);
        if u.ratio(1, 2)? {
            b.insert("required".into(), json!(u.arbitrary::<bool>()?));
        }
        if u.ratio(1, 6)? {
            b.insert("description".into(), Value::String(pick(u, TEXTS)?));
        }
        Ok(Value::Object(b))
    }

    fn response(u: &mut Unstructured, ctx: &mut Ctx) -> Result<Value> {
        let mut r = Map::new();
        if !u.ratio(1, 10)? {
            r.insert("description".into(), Value::String(pick(u, TEXTS)?));
        }
        if u.ratio(2, 3)? {
            r.insert("content".into(), content(u, ctx)?);
        }
        if u.ratio(1, 4)? {
            let s = schema(u, ctx, 2)?;
            r.insert("headers".into(), json!({ pick(u, &["X-Rate-Limit", "Content-Type", "", "x y", "Set-Cookie"])?: { "schema": s, "required": u.arbitrary::<bool>()? } }));
        }
        Ok(Value::Object(r))
    }

    fn security_schemes(u: &mut Unstructured, ctx: &Ctx) -> Result<Map<String, Value>> {
        let mut schemes = Map::new();
        for _ in 0..u.int_in_range(0..=3)? {
            let scheme = match u.int_in_range(0..=8)? {
                0 => {
                    json!({ "type": "apiKey", "in": pick(u, &["header", "query", "cookie", "path", "weird"])?, "name": pick(u, &["X-API-Key", "api_key", "", "Authorization", "a b"])? })
                }
                1 => json!({ "type": "http", "scheme": "basic" }),
                2 => {
                    json!({ "type": "http", "scheme": pick(u, &["bearer", "Bearer", "digest", "weird"])?, "bearerFormat": "JWT" })
                }
                3 => {
                    json!({ "type": "oauth2", "flows": { "implicit": { "authorizationUrl": "https://x/auth", "scopes": { "read": "r", "write:pets": "w", "": "" } } } })
                }
                4 => {
                    json!({ "type": "oauth2", "flows": { "clientCredentials": { "tokenUrl": "https://x/token", "scopes": {} } } })
                }
                5 => json!({ "type": "openIdConnect", "openIdConnectUrl": "https://x/.well-known" }),
                6 => json!({ "type": "mutualTLS" }),
                7 => json!({ "type": pick(u, &["weird", ""])? }),
                _ if ctx.odd => json!({ "$ref": "#/components/securitySchemes/Missing" }),
                _ => json!({ "type": "http", "scheme": "bearer" }),
            };
            schemes.insert(name(u, NAMES)?, scheme);
        }
        Ok(schemes)
    }

    fn security(u: &mut Unstructured, ctx: &Ctx, schemes: &[String]) -> Result<Value> {
        let mut reqs = Vec::new();
        for _ in 0..u.int_in_range(0..=2)? {
            let mut req = Map::new();
            for _ in 0..u.int_in_range(0..=2)? {
                let n = if !schemes.is_empty() && !(ctx.odd && u.ratio(1, 3)?) {
                    u.choose(schemes)?.clone()
                } else if ctx.odd {
                    "Missing".into()
                } else {
                    continue;
                };
                let scopes = if u.ratio(1, 3)? { json!(["read"]) } else { json!([]) };
                req.insert(n, scopes);
            }
            reqs.push(Value::Object(req));
        }
        Ok(Value::Array(reqs))
    }

    fn path_item(u: &mut Unstructured, ctx: &mut Ctx, template: &str, schemes: &[String]) -> Result<Value> {
        let mut item = Map::new();
        let names = spec_core_template_names(template);
        // Path parameters, declared on the item or (more often) on each operation, matching the
        // template most of the time.
        let on_item = u.ratio(1, 4)?;
        let path_params = |u: &mut Unstructured, ctx: &mut Ctx| -> Result<Vec<Value>> {
            let mut ps = Vec::new();
            for n in &names {
                if !u.ratio(1, 12)? {
                    ps.push(parameter(u, ctx, Some(n.as_str()))?);
                }
            }
            if u.ratio(1, 12)? {
                ps.push(parameter(u, ctx, Some("undeclared"))?);
            }
            Ok(ps)
        };
        if on_item {
            item.insert("parameters".into(), Value::Array(path_params(u, ctx)?));
        }
        for _ in 0..u.int_in_range(0..=3)? {
            let method = pick(u, METHODS)?;
            let mut op = Map::new();
            if !u.ratio(1, 5)? {
                op.insert("operationId".into(), Value::String(name(u, NAMES)?));
            }
            if u.ratio(1, 3)? {
                op.insert("tags".into(), json!([name(u, NAMES)?]));
            }
            if u.ratio(1, 4)? {
                op.insert(pick(u, &["summary", "description"])?, Value::String(pick(u, TEXTS)?));
            }
            let mut params = if on_item { Vec::new() } else { path_params(u, ctx)? };
            for _ in 0..u.int_in_range(0..=3)? {
                params.push(parameter(u, ctx, None)?);
            }
            if !params.is_empty() {
                op.insert("parameters".into(), Value::Array(params));
            }
            if u.ratio(1, 3)? {
                let shared = if u.ratio(1, 6)? { shared_ref(u, ctx, 1)? } else { None };
                let body = match shared {
                    Some(r) => r,
                    None => request_body(u, ctx)?,
                };
                op.insert("requestBody".into(), body);
            }
            let mut responses = Map::new();
            for _ in 0..u.int_in_range(0..=3)? {
                let shared = if u.ratio(1, 8)? { shared_ref(u, ctx, 2)? } else { None };
                let r = match shared {
                    Some(r) => r,
                    None => response(u, ctx)?,
                };
                responses.insert(pick(u, STATUSES)?, r);
            }
            if !u.ratio(1, 20)? {
                op.insert("responses".into(), Value::Object(responses));
            }
            if u.ratio(1, 4)? {
                op.insert("security".into(), security(u, ctx, schemes)?);
            }
            if u.ratio(1, 12)? {
                op.insert("deprecated".into(), json!(true));
            }
            item.insert(method, Value::Object(op));
        }
        if ctx.odd && u.ratio(1, 10)? {
            item.insert("$ref".into(), json!("#/paths/~1pets"));
        }
        if u.ratio(1, 20)? {
            item.insert("servers".into(), servers(u)?);
        }
        Ok(Value::Object(item))
    }

    /// The `{name}`s of a path template, as a spec writer would declare them.
    fn spec_core_template_names(template: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else { break };
            let n = rest[open + 1..open + close].to_owned();
            if !out.contains(&n) {
                out.push(n);
            }
            rest = &rest[open + close + 1..];
        }
        out
    }
}
