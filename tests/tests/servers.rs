//! Generated servers, hit over loopback HTTP by a real client (reqwest).
//!
//! Each spec below becomes a crate with `--with types,server,client,tests` (exactly what the CLI
//! writes), plus `tests/http.rs`: `fixtures/servers/helper.rs` and the spec's own
//! `fixtures/servers/<name>.rs`, which serve the generated router (a hand-written implementation or
//! the generated `Mock`) on 127.0.0.1 and check each extraction rule, error status, problem body and
//! authentication path, and client round trips. The generated contract tests (one per operation)
//! run too, and for the `MUTATED` specs so does the mutation check of those contract tests. The
//! crates must compile with no warnings. Specs from `@readme/oas-examples` are fetched (once,
//! cached) by `scripts/corpus.py --fetch-only`, which needs npm the first time.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use spec_codegen::{Options, Parts};
use spec_core::ir::{Ir, MediaKind, Method, ParamLocation, Primitive, SecurityKind, TypeRef};

/// (crate suffix, spec, test files in fixtures/servers, `+`-separated): `oas:` paths are inside the
/// oas-examples package.
const SERVERS: &[(&str, &str, &str)] = &[
    // petstore_abuse: hostile requests against the same implementation.
    ("petstore", "examples/petstore.yaml", "petstore+petstore_abuse"),
    ("server_names", "tests/fixtures/server_names.yaml", "server_names"),
    ("github_shapes", "tests/fixtures/github_shapes.yaml", "github_shapes"),
    ("parameters_style", "oas:3.0/yaml/parameters-style.yaml", "parameters_style"),
    ("security", "oas:3.0/yaml/security.yaml", "security"),
    ("security_multiple", "oas:3.0/yaml/security-multiple.yaml", "security_multiple"),
    ("form_data", "oas:3.0/yaml/form-data.yaml", "form_data"),
    ("file_uploads", "oas:3.0/yaml/file-uploads.yaml", "file_uploads"),
    ("parameters_extreme", "oas:3.0/yaml/parameters-extreme.yaml", "parameters_extreme"),
    ("polymorphism", "oas:3.0/yaml/polymorphism.yaml", "polymorphism"),
    ("discriminators", "oas:3.0/yaml/discriminators.yaml", "discriminators"),
    ("request_examples", "oas:3.0/yaml/request-examples.yaml", "request_examples"),
    ("response_examples", "oas:3.0/yaml/response-examples.yaml", "response_examples"),
    ("oas_petstore_30", "oas:3.0/yaml/petstore.yaml", "oas_petstore"),
    ("oas_petstore_31", "oas:3.1/yaml/petstore.yaml", "oas_petstore"),
    ("petstore_expanded", "oas:3.0/yaml/petstore-expanded.yaml", "petstore_expanded"),
];

/// The crates whose mock is also broken on purpose (`fixtures/contract/mutations.rs`): specs
/// where every break applies, so each must make the contract checks fail.
const MUTATED: &[&str] = &["petstore", "oas_petstore_30", "oas_petstore_31", "request_examples", "petstore_expanded"];

/// Tests generated from the spec: every JSON request-body example is sent to the `Mock` with the
/// credentials its operation asks for, and must be accepted (no 400, 401, 415 or 422): a valid
/// request is never refused. Path and required query parameters get a value of their type.
fn example_requests(ir: &Ir) -> (String, usize) {
    let mut out = String::from(
        "mod spec_examples {\n    use super::api::server::*;\n    use super::http::{client, send, serve};\n",
    );
    let mut count = 0;
    for (index, op) in ir.operations.iter().enumerate().filter(|(_, o)| !o.webhook) {
        let Some(body) = &op.body else { continue };
        let mut url = op.path.split(['?', '#']).next().unwrap_or("").to_owned();
        let mut query = Vec::new();
        let mut fits = true;
        for p in &op.params {
            let value = match p.examples.iter().find_map(|e| e.value.clone()) {
                Some(serde_json::Value::String(s)) => s,
                Some(v @ (serde_json::Value::Number(_) | serde_json::Value::Bool(_))) => v.to_string(),
                _ => match scalar_sample(ir, &p.ty) {
                    Some(v) => v,
                    None => {
                        fits &= !p.required;
                        continue;
                    }
                },
            };
            match p.location {
                ParamLocation::Path => url = url.replace(&format!("{{{}}}", p.name), &value),
                ParamLocation::Query if p.required => query.push(format!("{}={value}", p.name)),
                _ => fits &= !p.required,
            }
        }
        if !fits || url.contains('{') {
            continue;
        }
        if !query.is_empty() {
            url = format!("{url}?{}", query.join("&"));
        }
        let method = match op.method {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        };
        let credentials = credentials(ir, op);
        for c in body.contents.iter().filter(|c| c.kind == MediaKind::Json) {
            let fitting =
                c.examples.iter().filter_map(|e| e.value.as_ref()).filter(|v| json_kind_fits(ir, c.ty.as_ref(), v));
            for (i, example) in fitting.enumerate() {
                count += 1;
                let _ = writeln!(
                    out,
                    "\n    #[tokio::test]\n    async fn op{index}_{}_example_{i}() {{\n        \
                     let base = serve(router(Mock::new())).await;\n        \
                     let request = client().request(reqwest::Method::{method}, format!(\"{{base}}{}\"))\
                     .header(\"content-type\", {:?}){credentials}.body(r##\"{}\"##);\n        \
                     let (status, _, body) = send(request).await;\n        \
                     assert!(![400, 401, 415, 422].contains(&status), \"valid example refused with {{status}}: {{body}}\");\n    }}",
                    op.name,
                    url.replace('"', "\\\""),
                    c.media_type,
                    serde_json::to_string(example).unwrap(),
                );
            }
        }
    }
    out.push_str("}\n");
    if count == 0 {
        out.clear();
    }
    (out, count)
}

/// Whether an example has the JSON kind (object, array, string…) its schema wants. Some specs give
/// stringified JSON as the example of an object; the server rightly refuses those, so they are not
/// sent as valid requests (`validate` reports them).
fn json_kind_fits(ir: &Ir, ty: Option<&TypeRef>, value: &serde_json::Value) -> bool {
    match ty {
        None | Some(TypeRef::Any) => true,
        Some(TypeRef::Nullable(inner)) => value.is_null() || json_kind_fits(ir, Some(inner), value),
        Some(TypeRef::List(_) | TypeRef::Tuple(_)) => value.is_array(),
        Some(TypeRef::Map(_) | TypeRef::Object) => value.is_object(),
        Some(TypeRef::Primitive(p)) => match p {
            Primitive::Bool => value.is_boolean(),
            Primitive::F32 | Primitive::F64 => value.is_number(),
            Primitive::I8 | Primitive::I16 | Primitive::I32 | Primitive::I64 => value.is_i64(),
            Primitive::U8 | Primitive::U16 | Primitive::U32 | Primitive::U64 => value.is_u64(),
            _ => value.is_string(),
        },
        Some(TypeRef::Named(id)) => match &ir.ty(*id).kind {
            spec_core::ir::TypeKind::Struct(_) => value.is_object(),
            spec_core::ir::TypeKind::Enum(_) => value.is_string(),
            spec_core::ir::TypeKind::Alias(t) => json_kind_fits(ir, Some(t), value),
            spec_core::ir::TypeKind::Newtype(n) => json_kind_fits(ir, Some(&n.inner), value),
            spec_core::ir::TypeKind::Union(_) => true,
        },
    }
}

/// A value of a path or query parameter's type, when it is a simple scalar.
fn scalar_sample(ir: &Ir, ty: &TypeRef) -> Option<String> {
    match ty {
        TypeRef::Primitive(Primitive::String) => Some("x".into()),
        TypeRef::Primitive(Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64) => Some("1".into()),
        TypeRef::Primitive(Primitive::Bool) => Some("true".into()),
        TypeRef::Named(id) => match &ir.ty(*id).kind {
            spec_core::ir::TypeKind::Enum(e) => e.variants.first().map(|v| v.value.clone()),
            spec_core::ir::TypeKind::Alias(t) => scalar_sample(ir, t),
            _ => None,
        },
        _ => None,
    }
}

/// Builder calls adding a credential for every scheme of the operation's first requirement set.
fn credentials(ir: &Ir, op: &spec_core::ir::Operation) -> String {
    let sets = op.security.as_ref().unwrap_or(&ir.security);
    let Some(set) = sets.first() else { return String::new() };
    let mut out = String::new();
    for (key, _) in &set.schemes {
        match ir.security_schemes.iter().find(|s| &s.key == key).map(|s| &s.kind) {
            Some(SecurityKind::ApiKey { name, location: ParamLocation::Header }) => {
                out.push_str(&format!(".header({name:?}, \"k\")"))
            }
            Some(SecurityKind::ApiKey { name, location: ParamLocation::Query }) => {
                out.push_str(&format!(".query(&[({name:?}, \"k\")])"))
            }
            Some(SecurityKind::ApiKey { name, .. }) => out.push_str(&format!(".header(\"cookie\", \"{name}=k\")")),
            Some(SecurityKind::Basic) => out.push_str(".basic_auth(\"u\", Some(\"p\"))"),
            _ => out.push_str(".bearer_auth(\"t\")"),
        }
    }
    out
}

#[test]
fn generated_servers_answer_real_http_as_the_contract_says() {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("server-crates");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/servers");
    let parts = Parts { types: true, server: true, client: true, tests: true, proptest: false };
    let with_properties = Parts { proptest: true, ..parts };
    let mut members = Vec::new();
    let mut expected_tests = 0;
    let mut expected_ignored = 0;
    for (name, spec, test_file) in SERVERS {
        let spec = spec_gen_tests::spec_path(spec);
        // The mutated crates also get the property tests (and their mutation check).
        let parts = if MUTATED.contains(name) { with_properties } else { parts };
        let options = Options { parts, ..Options::default() };
        let generated = spec_codegen::pipeline::run(&spec, &options, Default::default())
            .unwrap_or_else(|failure| panic!("{}", failure.render(&spec)));
        let dir = root.join(name);
        let crate_name = format!("server_{name}");
        spec_codegen::write_crate(&dir, &crate_name, &generated.output).unwrap();
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let member_manifest = manifest.replace("\n[workspace]\n", "\n");
        let dev = "\n[dev-dependencies]\n\
            tokio = { version = \"1\", features = [\"rt-multi-thread\", \"macros\", \"net\"] }\n\
            reqwest = { version = \"0.12\", default-features = false, features = [\"json\", \"multipart\"] }\n\
            serde_json = \"1\"\n";
        // The petstore also gets the test skeletons of `cargo spec-gen scaffold tests`: as written
        // (they must compile, and be ignored) and filled in (they must pass).
        let skeletons = (*name == "petstore").then(|| {
            let spec_text = spec.display().to_string();
            let text = spec_codegen::scaffold_tests(
                &generated.ir,
                &generated.loaded.sources,
                &options,
                &spec_text,
                &crate_name,
                &[],
            )
            .unwrap();
            (text.clone(), fill_skeletons(&text))
        });
        let dev = match &skeletons {
            Some(_) => format!(
                "{dev}spec-macros = {{ path = {:?} }}\naxum = \"0.8\"\n",
                spec_gen_tests::workspace_root().join("spec-macros").display().to_string()
            ),
            None if MUTATED.contains(name) => format!("{dev}axum = \"0.8\"\n"),
            None => dev.to_owned(),
        };
        // The generated contract tests: one per operation, run against the mock; with properties,
        // one round trip per type too.
        expected_tests += generated.ir.operations.iter().filter(|o| !o.webhook).count();
        if parts.proptest {
            expected_tests += generated.ir.types.len();
        }
        if MUTATED.contains(name) {
            let mutations =
                std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/contract/mutations.rs"))
                    .unwrap();
            expected_tests += mutations.matches("#[test]").count();
            spec_gen_tests::write(&dir.join("tests/mutations.rs"), &format!("use {crate_name} as api;\n\n{mutations}"));
        }
        spec_gen_tests::write(&dir.join("Cargo.toml"), &format!("{member_manifest}{dev}"));
        if let Some((skeleton, filled)) = &skeletons {
            spec_gen_tests::write(&dir.join("tests/skeletons.rs"), skeleton);
            spec_gen_tests::write(&dir.join("tests/filled.rs"), filled);
            expected_ignored += skeleton.matches("#[ignore").count();
            expected_tests += filled.matches("#[::tokio::test]").count();
        }
        let (examples, count) = example_requests(&generated.ir);
        let names = spec_codegen::http_names(&generated.ir, &generated.loaded.sources, &options);
        let (loopback, loopback_count) = spec_gen_tests::loopback::client_roundtrips(&generated.ir, &names);
        // `a+b`: both files, in one test crate (b may use a's implementation).
        let tests = test_file
            .split('+')
            .map(|file| {
                std::fs::read_to_string(fixtures.join(format!("{file}.rs")))
                    .unwrap_or_else(|_| panic!("fixtures/servers/{file}.rs is missing"))
            })
            .collect::<Vec<_>>()
            .join("\n");
        expected_tests += tests.matches("#[tokio::test]").count() + count + loopback_count;
        let tests = format!("{tests}\n{examples}\n{loopback}");
        let helper = std::fs::read_to_string(fixtures.join("helper.rs")).unwrap();
        spec_gen_tests::write(&dir.join("tests/http.rs"), &format!("use {crate_name} as api;\n\n{helper}\n{tests}"));
        members.push(format!("\"{name}\""));
    }
    spec_gen_tests::write(
        &root.join("Cargo.toml"),
        &format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", members.join(", ")),
    );

    let target = spec_gen_tests::generated_target(env!("CARGO_TARGET_TMPDIR"));
    // `cargo check` on the generated libraries must print no warning at all.
    spec_gen_tests::check_without_warnings(&root, &target, "generated server crates");
    let (ok, stdout, stderr) = spec_gen_tests::cargo_in(&root, &target, &["test", "--workspace", "--no-fail-fast"]);
    assert!(ok, "server HTTP tests failed:\n{stdout}\n{stderr}");
    let passed = spec_gen_tests::tests_passed(&stdout);
    assert!(passed >= expected_tests, "only {passed} server tests passed, expected {expected_tests}");
    let ignored: usize = stdout
        .lines()
        .filter_map(|l| l.split("; ").find_map(|part| part.strip_suffix(" ignored")?.parse::<usize>().ok()))
        .sum();
    assert!(
        expected_ignored > 0 && ignored >= expected_ignored,
        "{ignored} ignored, expected the {expected_ignored} skeletons"
    );
}

/// The skeletons as a user fills them in: each test's server is the generated mock answering the
/// status the test is for, with the petstore's credentials, and nothing is ignored.
fn fill_skeletons(text: &str) -> String {
    let mut out = String::new();
    for (i, chunk) in text.split("#[spec_macros::spec_contract(").enumerate() {
        if i > 0 {
            out.push_str("#[spec_macros::spec_contract(");
        }
        let status = chunk
            .split_once("status = ")
            .map(|(_, rest)| rest.split(['\n', ')']).next().unwrap_or("").trim().trim_matches('"').to_owned())
            .unwrap_or_default();
        let code: u16 = match status.as_str() {
            "default" => 500,
            s if s.ends_with("XX") => s[..1].parse::<u16>().unwrap_or(5) * 100,
            s => s.parse().unwrap_or(200),
        };
        let mut chunk = chunk.to_owned();
        // `todo!("…")`: its message is one string literal (which holds parentheses itself).
        if let Some(start) = chunk.find("todo!(") {
            let open = start + chunk[start..].find('"').unwrap();
            let close = open + 1 + chunk[open + 1..].find('"').unwrap();
            let end = close + chunk[close..].find(')').unwrap() + 1;
            chunk.replace_range(start..end, &format!("server::router(server::Mock::answering({code}))"));
        }
        let chunk = chunk.lines().filter(|l| !l.starts_with("#[ignore")).collect::<Vec<_>>().join("\n").replace(
            "..::std::default::Default::default()",
            "api_key: Some(\"k\".into()), bearer: Some(\"t\".into()), ..::std::default::Default::default()",
        );
        out.push_str(&chunk);
        out.push('\n');
    }
    out
}
