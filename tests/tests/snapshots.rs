//! Snapshot tests: the exact code (and diagnostics) generated for one fixture spec per construct.
//! A change to generated code shows up here as a reviewable diff (`cargo insta review`).

use spec_gen_tests::{FIXTURES, fixtures_dir, generate, render_diagnostics};

fn snapshot(name: &str) {
    let file = FIXTURES.iter().find(|(n, _)| *n == name).map(|(_, f)| *f).expect("fixture is listed");
    let generated = generate(&fixtures_dir().join(file));
    let diagnostics = render_diagnostics(&generated.diagnostics, Some(&generated.loaded.sources));
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::assert_snapshot!(format!("{name}.rs"), generated.output.code);
        insta::assert_snapshot!(format!("{name}.diagnostics"), diagnostics);
    });
}

macro_rules! snapshots {
    ($($name:ident),* $(,)?) => {
        $(#[test] fn $name() { snapshot(stringify!($name)); })*

        /// Every fixture has a snapshot test, so a new fixture cannot be forgotten here.
        #[test]
        fn every_fixture_is_snapshotted() {
            let tested = [$(stringify!($name)),*];
            for (name, _) in FIXTURES {
                assert!(tested.contains(name), "fixture `{name}` has no snapshot test");
            }
        }
    };
}

snapshots!(
    optional_nullable_default,
    openapi31,
    read_write_only,
    enums,
    unions,
    maps,
    recursive,
    formats,
    constraints,
    names,
    jsonschema_2020,
    jsonschema_draft07,
    multifile,
);

/// The same spec gives byte-identical output on every run.
#[test]
fn output_is_deterministic() {
    for (_, file) in FIXTURES {
        let path = fixtures_dir().join(file);
        assert_eq!(generate(&path).output.code, generate(&path).output.code, "{file}");
    }
}

/// `--map-format` for every kind of string format: dedicated ones (date-time), `byte`, and
/// formats that default to `String` (uri, email); length/pattern checks on a mapped type are
/// dropped with an approximation, not emitted as code that cannot compile.
#[test]
fn formats_mapped() {
    let mut options = spec_codegen::Options::default();
    for (format, ty) in [
        ("date-time", "String"),
        ("date", "String"),
        ("uri", "::std::path::PathBuf"),
        ("byte", "::std::vec::Vec<u8>"),
        ("email", "String"),
        ("zip-code", "::std::net::Ipv4Addr"),
    ] {
        options.formats.set(format, ty).unwrap();
    }
    let spec = fixtures_dir().join("formats.yaml");
    let generated = spec_codegen::pipeline::run(&spec, &options, Default::default())
        .unwrap_or_else(|f| panic!("{}", f.render(&spec)));
    let code = &generated.output.code;
    assert!(code.contains("pub link: ::std::option::Option<::std::path::PathBuf>"), "{code}");
    assert!(code.contains("pub when: ::std::option::Option<::std::string::String>"), "{code}");
    assert!(!code.contains("Base64"), "byte is mapped, so no support type: {code}");
    assert!(!generated.output.dependencies.iter().any(|d| d.name == "chrono"), "date-time and date are Strings");
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!("formats_mapped.rs", code));
}

/// The HTTP parts of the bundled petstore: the `operations` module (request structs, response
/// enums), the `client` module and the `contract` module with its tests, as generated with
/// `--with tests` (which brings types, server and client). The runtime files they call are copied
/// verbatim and tested on their own, so they are left out.
#[test]
fn petstore_operations_and_client() {
    let generated = bundled_petstore(spec_codegen::Parts { tests: true, ..Default::default() });
    let code = &generated.output.code;
    let module = |start: &str, end: &str| -> String {
        let from = code.find(start).unwrap_or_else(|| panic!("no `{start}` in the output"));
        let to = code[from..].find(end).map_or(code.len(), |i| from + i);
        code[from..to].to_owned()
    };
    let operations = module("\npub mod operations {", "\n/// Server side of");
    let client = module("\npub mod client {", "\n/// Contract checks of");
    let contract = module("\npub mod contract {", "\n// no end marker: the rest of the file");
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::assert_snapshot!("petstore_operations.rs", operations);
        insta::assert_snapshot!("petstore_client.rs", client);
        insta::assert_snapshot!("petstore_contract.rs", contract);
    });
}

/// `--with proptest` on the bundled petstore: the `strategies` module (one call into the runtime
/// per type and request, a `check_<op>` per operation) and the `property_tests` that use it. The
/// schema table gains a proptest generator beside each pattern.
#[test]
fn petstore_strategies_and_property_tests() {
    let generated = bundled_petstore(spec_codegen::Parts { proptest: true, ..Default::default() });
    let code = &generated.output.code;
    let from = code.find("\n/// proptest strategies of").expect("no strategies module in the output");
    assert!(code.contains(".generated(Some("), "patterns carry proptest generators");
    assert!(generated.output.dependencies.iter().any(|d| d.name == "proptest"), "proptest is a dependency");
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!("petstore_property.rs", &code[from..]));
}

/// The bundled petstore generated with `parts` (and the parts they need).
fn bundled_petstore(parts: spec_codegen::Parts) -> spec_codegen::pipeline::Generated {
    let options = spec_codegen::Options { parts: parts.completed(), ..Default::default() };
    let spec = spec_gen_tests::workspace_root().join("examples/petstore.yaml");
    spec_codegen::pipeline::run(&spec, &options, Default::default()).unwrap_or_else(|f| panic!("{}", f.render(&spec)))
}
