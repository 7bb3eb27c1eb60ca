//! Rebuild behaviour of the build.rs and macro front ends, with a real nested `cargo build`:
//! touching a file that the spec `$ref`s, or the spec-gen.lock beside it, reruns the build script
//! (re-expands the macro); touching an unrelated file does not.

use std::path::{Path, PathBuf};
use std::process::Command;

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Sets a file's modification time to now (what an editor's save does), keeping its contents.
fn touch(path: &Path) {
    // Not in the future: cargo compares against the build script's last run, and a file dated
    // ahead of it would look changed on every later build too.
    std::thread::sleep(std::time::Duration::from_millis(50));
    let file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    file.set_modified(std::time::SystemTime::now()).unwrap();
}

/// A crate at `root/app` named `name` with the multi-file fixture spec in `spec/` (and an
/// unrelated `spec/README.md`), `extra` manifest lines after its serde dependencies, and `lib`.
fn app(root: &Path, name: &str, extra: &str, lib: &str) -> PathBuf {
    let app = root.join("app");
    let _ = std::fs::remove_dir_all(&app);
    write(
        &app.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n{extra}\n[workspace]\n"
        ),
    );
    write(&app.join("src/lib.rs"), lib);
    let fixture = repo().join("tests/fixtures/multifile");
    for file in ["openapi.yaml", "parameters.yaml", "responses.yaml", "models/pet.yaml", "models/owner.yaml"] {
        write(&app.join("spec").join(file), &std::fs::read_to_string(fixture.join(file)).unwrap());
    }
    write(&app.join("spec/README.md"), "not part of the spec\n");
    // A lock file that pins nothing: its names are the derived ones, but it is an input.
    write(&app.join("spec/spec-gen.lock"), "version = 1\n");
    app
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

#[test]
fn touching_a_referenced_file_reruns_the_build_script_and_an_unrelated_one_does_not() {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rebuild");
    let extra = format!("\n[build-dependencies]\nspec-codegen = {{ path = {:?} }}\n", repo().join("spec-codegen"));
    let app = app(&root, "rebuild-app", &extra, "include!(concat!(env!(\"OUT_DIR\"), \"/openapi.rs\"));\n");
    write(
        &app.join("build.rs"),
        "fn main() {\n    if let Ok(log) = std::env::var(\"REBUILD_LOG\") {\n        \
         use std::io::Write;\n        \
         let mut f = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();\n        \
         writeln!(f, \"ran\").unwrap();\n    }\n    \
         spec_codegen::Builder::new(\"spec/openapi.yaml\").build();\n}\n",
    );

    let log = root.join("build-script-runs.log");
    let _ = std::fs::remove_file(&log);
    let runs = || std::fs::read_to_string(&log).map(|t| t.lines().count()).unwrap_or(0);
    let build = || {
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build", "--quiet"])
            .current_dir(&app)
            .env("CARGO_TARGET_DIR", root.join("target"))
            .env("REBUILD_LOG", &log)
            .env_remove("RUSTFLAGS")
            .output()
            .expect("cargo runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };

    build();
    assert_eq!(runs(), 1, "first build runs the build script");
    build();
    assert_eq!(runs(), 1, "nothing changed, nothing reruns");
    touch(&app.join("spec/models/owner.yaml"));
    build();
    assert_eq!(runs(), 2, "a file reached only through two levels of $ref reruns it");
    touch(&app.join("spec/README.md"));
    build();
    assert_eq!(runs(), 2, "an unrelated file in the spec folder does not");
    touch(&app.join("spec/openapi.yaml"));
    build();
    assert_eq!(runs(), 3, "the root spec reruns it");
    touch(&app.join("spec/spec-gen.lock"));
    build();
    assert_eq!(runs(), 4, "the lock file beside the spec reruns it");
}

/// The macro front end: the crate is recompiled (the macro re-expanded) when a file the spec
/// reaches through `$ref` changes, and not for an unrelated file.
#[test]
fn touching_a_referenced_file_re_expands_the_macro_and_an_unrelated_one_does_not() {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rebuild-macro");
    let extra = format!("spec-macros = {{ path = {:?} }}\n", repo().join("spec-macros"));
    let lib = "#[spec_macros::spec_contract(\"spec/openapi.yaml\")]\npub mod api {}\n";
    let app = app(&root, "rebuild-macro-app", &extra, lib);

    // Whether `cargo build` compiled the app crate again (it says so on stderr).
    let build = || -> bool {
        let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["build"])
            .current_dir(&app)
            .env("CARGO_TARGET_DIR", root.join("target"))
            .env_remove("RUSTFLAGS")
            .output()
            .expect("cargo runs");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{stderr}");
        stderr.contains("Compiling rebuild-macro-app")
    };

    assert!(build(), "the first build compiles the crate");
    assert!(!build(), "nothing changed, nothing recompiles");
    touch(&app.join("spec/models/owner.yaml"));
    assert!(build(), "a file reached only through two levels of $ref re-expands the macro");
    touch(&app.join("spec/README.md"));
    assert!(!build(), "an unrelated file in the spec folder does not");
    touch(&app.join("spec/openapi.yaml"));
    assert!(build(), "the root spec re-expands it");
    touch(&app.join("spec/spec-gen.lock"));
    assert!(build(), "the lock file beside the spec re-expands it");
}
