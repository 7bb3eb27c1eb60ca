//! Specs made to hurt: each must end in a located error (or correct code), quickly, never a panic
//! or a hang. Every case runs the whole pipeline the CLI runs.

use std::path::Path;
use std::time::{Duration, Instant};

use spec_core::{Diagnostics, Severity};

/// Writes `files` into a fresh folder, runs load → IR → generate on the first, and returns the
/// diagnostics (rendered) and whether code was generated.
fn run(files: &[(&str, &[u8])]) -> (String, Diagnostics, bool) {
    let dir = tempdir();
    for (name, bytes) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let started = Instant::now();
    let mut diags = Diagnostics::default();
    let compiled = spec_core::load(&dir.join(files[0].0), &mut diags);
    let mut generated = false;
    if let (Some(loaded), Some(ir), false) = (&compiled.loaded, &compiled.ir, diags.has_errors()) {
        let out = spec_codegen::generate(ir, &loaded.sources, &spec_codegen::Options::default())
            .expect("generated code parses");
        syn::parse_file(&out.code).expect("output is Rust");
        generated = true;
    }
    // A hang guard, not a performance target (those are measured by scripts/bench.py): generous
    // enough for a debug build on a loaded 2-core CI machine.
    assert!(started.elapsed() < Duration::from_secs(60), "took {:?}", started.elapsed());
    let sources = compiled.loaded.as_ref().map(|l| &l.sources);
    (spec_gen_tests::render_diagnostics(&diags, sources), diags, generated)
}

fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile").join(format!(
        "{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Asserts an error whose rendered line contains every one of `needles` and a position.
fn assert_error(files: &[(&str, &[u8])], needles: &[&str]) {
    let (text, diags, generated) = run(files);
    assert!(!generated, "expected an error, got code; diagnostics:\n{text}");
    let line = text
        .lines()
        .find(|l| l.starts_with("Error") && needles.iter().all(|n| l.contains(n)))
        .unwrap_or_else(|| panic!("no error containing {needles:?} in:\n{text}"));
    let located = diags.iter().any(|d| d.severity == Severity::Error && d.origin.is_some());
    assert!(located, "error has no location: {line}");
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

fn spec(components: &str) -> Vec<u8> {
    format!("{HEAD}components:\n  schemas:\n{components}").into_bytes()
}

#[test]
fn yaml_alias_bomb_is_an_error_not_oom() {
    let mut bomb = String::from(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    let mut prev = 'a';
    for name in "bcdefghij".chars() {
        bomb.push_str(&format!("x-{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        prev = name;
    }
    assert_error(&[("spec.yaml", bomb.as_bytes())], &["alias"]);
}

#[test]
fn deep_nesting_is_an_error() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_error(&[("spec.json", deep.as_bytes())], &["spec.json"]);
    let yaml = format!("{HEAD}x-deep: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    assert_error(&[("spec.yaml", yaml.as_bytes())], &["spec.yaml"]);
}

#[test]
fn deeply_nested_inline_schemas_degrade_with_a_report() {
    let mut schema = String::from("{type: string}");
    for _ in 0..120 {
        schema = format!("{{type: object, properties: {{a: {schema}}}}}");
    }
    let (text, _, generated) = run(&[("spec.yaml", &spec(&format!("    Deep: {schema}\n")))]);
    assert!(generated, "{text}");
    assert!(text.contains("Approximation[too-deep]"), "the cut is reported:\n{text}");
}

#[test]
fn ref_cycle_without_base_case() {
    assert_error(
        &[("spec.yaml", &spec("    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n"))],
        &["ref-cycle", "#/components/schemas/"],
    );
}

#[test]
fn missing_ref_target() {
    assert_error(
        &[("spec.yaml", &spec("    A: {$ref: '#/components/schemas/Nope'}\n"))],
        &["unresolved-ref", "spec.yaml:", "#/components/schemas/A"],
    );
}

#[test]
fn refs_escaping_the_spec_folder_are_refused() {
    assert_error(
        &[("api/spec.yaml", &spec("    A: {$ref: '../../../../../../etc/passwd'}\n"))],
        &["leaves the spec's folder"],
    );
}

#[test]
fn http_refs_are_refused() {
    assert_error(&[("spec.yaml", &spec("    A: {$ref: 'https://example.com/a.yaml#/A'}\n"))], &["remote"]);
}

#[test]
fn swagger_2_is_not_supported_yet() {
    assert_error(&[("spec.json", br#"{"swagger": "2.0", "info": {}, "paths": {}}"#)], &["swagger-2", "#/swagger"]);
}

#[test]
fn wrong_openapi_versions() {
    assert_error(&[("spec.yaml", b"openapi: 4.0.0\ninfo: {title: t, version: '1'}\n")], &["openapi-version"]);
    assert_error(&[("spec.yaml", b"openapi: [3]\ninfo: {title: t, version: '1'}\n")], &["openapi-version"]);
}

#[test]
fn empty_file_bom_and_encoding() {
    assert_error(&[("spec.yaml", b"")], &["empty-file"]);
    assert_error(&[("spec.json", b"   \n")], &["empty-file"]);
    assert_error(&[("spec.yaml", b"openapi: 3.0.3\ninfo: {title: \xff\xfe, version: '1'}\n")], &["encoding"]);
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(HEAD.as_bytes());
    let (text, _, generated) = run(&[("spec.yaml", &bom)]);
    assert!(generated, "a BOM is accepted: {text}");
}

#[test]
fn duplicate_keys_are_errors() {
    assert_error(&[("spec.yaml", format!("{HEAD}x-a: 1\nx-a: 2\n").as_bytes())], &["duplicate"]);
}

#[test]
fn syntax_errors_are_located() {
    assert_error(&[("spec.json", b"{\"openapi\": \"3.0.3\",\n  \"info\": }")], &["syntax", "spec.json:2"]);
    assert_error(&[("spec.yaml", b"openapi: 3.0.3\ninfo: [\n")], &["syntax", "spec.yaml:"]);
}

#[test]
fn huge_and_odd_numbers_and_names_generate() {
    let components = "    Big:\n      type: integer\n      minimum: 1e400\n      maximum: 123456789012345678901234567890\n      example: 1e400\n    'type':\n      type: object\n      properties:\n        self: {type: string}\n        '': {type: string}\n        '🚀': {type: string}\n    Type: {type: object}\n    'Option': {type: string, enum: [Some, None, '', 'a b', 'A_B', 'a-b']}\n";
    let (text, _, generated) = run(&[("spec.yaml", &spec(components))]);
    assert!(generated, "{text}");
}

#[test]
fn many_operations_generate() {
    let mut yaml = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
    for i in 0..20_000 {
        yaml.push_str(&format!("  /r{i}/{{id}}:\n    get:\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n      responses: {{'200': {{description: ok}}}}\n"));
    }
    let (text, _, generated) = run(&[("spec.yaml", yaml.as_bytes())]);
    assert!(generated, "{text}");
}

/// Thousands of routes with the server part: the router once chained every route in one
/// expression, which prettyplease and rustc recurse on once per route (Microsoft Graph's 7,274
/// routes overflowed rustc's stack).
#[test]
fn many_routes_do_not_nest() {
    let mut yaml = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
    for i in 0..4_000 {
        yaml.push_str(&format!("  /r{i}:\n    get:\n      responses: {{'204': {{description: ok}}}}\n"));
    }
    let dir = tempdir();
    let path = dir.join("spec.yaml");
    std::fs::write(&path, yaml).unwrap();
    let parts = spec_codegen::Parts { server: true, ..Default::default() }.completed();
    let options = spec_codegen::Options { parts, ..Default::default() };
    let run = spec_codegen::pipeline::run(&path, &options, Default::default())
        .unwrap_or_else(|f| panic!("{}", f.render(&path)));
    syn::parse_file(&run.output.code).expect("output is Rust");
    let code = &run.output.code;
    assert!(code.matches(".route(").count() >= 4_000);
    // Each statement of the router chains a bounded number of routes.
    let longest = code.split("let routes = ").map(|statement| statement.matches(".route(").count()).max();
    assert!(longest <= Some(64), "a chain of {longest:?} routes");
}

#[test]
fn non_string_keys_and_odd_paths() {
    let yaml = format!("{HEAD}x-map: {{1: a, true: b, null: c}}\n").replace(
        "paths: {}",
        "paths:\n  '/a/{{b}}/c%20d/ü/{id}':\n    get:\n      responses: {'200': {description: ok}}\n",
    );
    let (text, _, generated) = run(&[("spec.yaml", yaml.as_bytes())]);
    assert!(generated, "{text}");
}
