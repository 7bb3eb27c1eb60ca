//! The build.rs front end's failure paths (the success path is `examples/petstore-build`, which
//! `cargo test --workspace` builds through its own build script).

use std::path::Path;

use spec_codegen::Builder;

fn out_dir(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("builder").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn spec_errors_fail_with_located_diagnostics() {
    let dir = out_dir("spec-error");
    let spec = dir.join("broken.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/Nope'}\n",
    )
    .unwrap();
    let err = Builder::new(&spec).out_dir(&dir).generate().unwrap_err().to_string();
    assert!(err.contains("broken.yaml:6:"), "{err}");
    assert!(err.contains("#/components/schemas/A"), "{err}");
    assert!(!dir.join("broken.rs").exists());
}

#[test]
fn missing_dependencies_of_generated_code_are_named() {
    // This test crate depends on serde_json but not on serde or chrono, which the petstore needs.
    let dir = out_dir("deps");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/petstore.yaml");
    let err = Builder::new(&spec).out_dir(&dir).generate().unwrap_err().to_string();
    assert!(err.contains("serde = { version = \"=1.0.229\""), "{err}");
    assert!(err.contains("chrono = "), "{err}");
    assert!(!err.contains("serde_json = "), "serde_json is declared: {err}");
}

#[test]
fn bad_options_and_colliding_outputs_are_errors() {
    let dir = out_dir("options");
    let err = Builder::new("a.yaml").with("types,bogus").out_dir(&dir).generate().unwrap_err().to_string();
    assert!(err.contains("bogus"), "{err}");
    let err = Builder::new("x/api.yaml").spec("y/api.json").out_dir(&dir).generate().unwrap_err().to_string();
    assert!(err.contains("api.rs"), "{err}");
    let err = Builder::new("a.yaml").module_name("not-a-module").out_dir(&dir).generate().unwrap_err().to_string();
    assert!(err.contains("not-a-module"), "{err}");
    let err = Builder::new("x/one.yaml")
        .module_name("api")
        .spec("y/api.json")
        .out_dir(&dir)
        .generate()
        .unwrap_err()
        .to_string();
    assert!(err.contains("`api.rs`"), "a chosen module name collides like a derived one: {err}");
    let err = Builder::new("a.yaml").rename("Pet", "not a name").out_dir(&dir).generate().unwrap_err().to_string();
    assert!(err.contains("not a Rust type name"), "{err}");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/petstore.yaml");
    let err = Builder::new(&spec).rename("Nope", "X").out_dir(&dir).generate().unwrap_err().to_string();
    assert!(err.contains("no schema `Nope`"), "{err}");
}
