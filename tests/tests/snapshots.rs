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
