//! spec-gen.lock as users meet it: `generate` writes it beside the spec, a revised spec keeps the
//! names it pins (a collision appearing, components reordered, an inline schema moved), `check`
//! reports a lock that is out of date, `diff` reports only the names that would really change,
//! and a broken lock is refused with its file named.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cargo-spec-gen"))
}

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lock").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the binary in `dir`; exit code, stdout and stderr.
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = bin().args(args).current_dir(dir).output().expect("the binary runs");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().expect("exited"), text(&out.stdout), text(&out.stderr))
}

/// `generate` of `spec` into `out` in `dir`; the generated code.
fn generate(dir: &Path, spec: &str, out: &str) -> String {
    let (code, _, stderr) = run(dir, &["generate", spec, "--out", out]);
    assert_eq!(code, 0, "{stderr}");
    std::fs::read_to_string(dir.join(out)).unwrap()
}

/// The type names declared in generated code, in order.
fn types(code: &str) -> Vec<String> {
    code.lines()
        .filter_map(|l| l.strip_prefix("pub struct ").or_else(|| l.strip_prefix("pub enum ")))
        .map(|rest| rest.split([' ', '(', ';', '<']).next().unwrap().to_owned())
        .collect()
}

fn spec(components: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: Pets, version: '1'}}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      \
         responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              \
         schema: {{type: array, items: {{$ref: '#/components/schemas/Pet'}}}}\ncomponents:\n  schemas:\n{components}"
    )
}

const PET: &str =
    "    Pet:\n      type: object\n      properties:\n        status: {type: string, enum: [available, sold]}\n";
const PET_STATUS: &str = "    PetStatus:\n      type: object\n      properties:\n        code: {type: integer}\n";

#[test]
fn a_collision_appearing_keeps_the_pinned_names() {
    let dir = tmp("collision");
    std::fs::write(dir.join("api.yaml"), spec(PET)).unwrap();
    assert_eq!(types(&generate(&dir, "api.yaml", "v1.rs")), ["Pet", "PetStatus"]);
    let lock = std::fs::read_to_string(dir.join("spec-gen.lock")).unwrap();
    assert!(lock.contains("\"#/components/schemas/Pet/properties/status\" = { name = \"PetStatus\""), "{lock}");
    assert!(lock.contains("\"#/paths/~1pets/get\" = { name = \"list_pets\" }"), "{lock}");

    // A component named `PetStatus` appears: derived alone, it would take `PetStatus` from the
    // inline enum. The lock keeps the enum's name; the newcomer is numbered.
    std::fs::write(dir.join("api.yaml"), spec(&format!("{PET_STATUS}{PET}"))).unwrap();
    let (code, _, stderr) = run(&dir, &["check", "api.yaml", "--out", "v1.rs"]);
    assert_eq!(code, 1, "the code and the lock are out of date: {stderr}");
    let code = generate(&dir, "api.yaml", "v2.rs");
    assert!(code.contains("pub enum PetStatus {"), "{code}");
    assert!(code.contains("pub struct PetStatus2 {"), "{code}");
    let (code, _, stderr) = run(&dir, &["check", "api.yaml", "--out", "v2.rs"]);
    assert_eq!(code, 0, "{stderr}");

    // Without the lock the names are derived from the spec alone.
    let unpinned = run(&dir, &["generate", "api.yaml", "--out", "v3.rs", "--lock", "elsewhere.lock"]);
    assert_eq!(unpinned.0, 0, "{}", unpinned.2);
    let code = std::fs::read_to_string(dir.join("v3.rs")).unwrap();
    assert!(code.contains("pub struct PetStatus {") && code.contains("pub enum PetStatus2 {"), "{code}");
}

#[test]
fn reordered_components_keep_their_numbers() {
    let dir = tmp("reorder");
    let a = "    Foo_Bar: {type: object, properties: {a: {type: string}}}\n";
    let b = "    FooBar: {type: object, properties: {b: {type: integer}}}\n";
    std::fs::write(dir.join("api.yaml"), spec(&format!("{a}{b}{PET}"))).unwrap();
    let code = generate(&dir, "api.yaml", "v1.rs");
    let foo_bar = code.split("pub struct FooBar {").nth(1).unwrap().split('}').next().unwrap();
    assert!(foo_bar.contains("pub a:"), "`Foo_Bar` comes first and takes `FooBar`: {code}");
    std::fs::write(dir.join("api.yaml"), spec(&format!("{b}{a}{PET}"))).unwrap();
    let code = generate(&dir, "api.yaml", "v2.rs");
    let foo_bar = code.split("pub struct FooBar {").nth(1).unwrap().split('}').next().unwrap();
    assert!(foo_bar.contains("pub a:"), "`Foo_Bar` keeps `FooBar`: {code}");
}

#[test]
fn an_inline_schema_that_moves_keeps_its_name() {
    let dir = tmp("moved");
    let owner = |property: &str| {
        format!(
            "    Pet:\n      type: object\n      properties:\n        {property}:\n          type: object\n          \
             properties: {{name: {{type: string}}, since: {{type: string, format: date}}}}\n"
        )
    };
    std::fs::write(dir.join("api.yaml"), spec(&owner("owner"))).unwrap();
    assert_eq!(types(&generate(&dir, "api.yaml", "v1.rs")), ["Pet", "PetOwner"]);
    // The property is renamed: its schema, unchanged, would be derived as `PetKeeper`.
    std::fs::write(dir.join("api.yaml"), spec(&owner("keeper"))).unwrap();
    let code = generate(&dir, "api.yaml", "v2.rs");
    assert_eq!(types(&code), ["Pet", "PetOwner"], "{code}");
    assert!(code.contains("pub keeper: ::std::option::Option<PetOwner>"), "{code}");
    let lock = std::fs::read_to_string(dir.join("spec-gen.lock")).unwrap();
    assert!(lock.contains("\"#/components/schemas/Pet/properties/keeper\" = { name = \"PetOwner\""), "{lock}");
    assert!(!lock.contains("properties/owner"), "gone items leave the lock: {lock}");
}

#[test]
fn diff_reports_only_names_the_lock_cannot_keep() {
    let dir = tmp("diff");
    std::fs::create_dir_all(dir.join("old")).unwrap();
    std::fs::write(dir.join("old/api.yaml"), spec(PET)).unwrap();
    std::fs::write(dir.join("api.yaml"), spec(&format!("{PET_STATUS}{PET}"))).unwrap();
    // No lock yet: the enum would be renamed.
    let (code, stdout, stderr) = run(&dir, &["diff", "old/api.yaml", "api.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("rust-name-changed") && stdout.contains("PetStatus → PetStatus2"), "{stdout}");
    // With the lock generate wrote for the old version, nothing is renamed.
    std::fs::copy(dir.join("old/api.yaml"), dir.join("api.yaml")).unwrap();
    generate(&dir, "api.yaml", "api.rs");
    std::fs::write(dir.join("api.yaml"), spec(&format!("{PET_STATUS}{PET}"))).unwrap();
    let (code, stdout, stderr) = run(&dir, &["diff", "old/api.yaml", "api.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("rust-name-changed"), "{stdout}");
    assert!(stdout.contains("rust: PetStatus2"), "the new schema's type is named as generate will: {stdout}");
}

#[test]
fn lock_subcommand_pins_without_generating_and_broken_locks_are_refused() {
    let dir = tmp("subcommand");
    std::fs::write(dir.join("api.yaml"), spec(PET)).unwrap();
    let (code, _, stderr) = run(&dir, &["lock", "api.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("updated"), "{stderr}");
    let (code, _, stderr) = run(&dir, &["lock", "api.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("already up to date"), "{stderr}");
    let written = std::fs::read_to_string(dir.join("spec-gen.lock")).unwrap();

    // A hand edit to a name that is no identifier is ignored, never generated.
    std::fs::write(dir.join("spec-gen.lock"), written.replace("name = \"PetStatus\"", "name = \"not a name\""))
        .unwrap();
    let code = generate(&dir, "api.yaml", "api.rs");
    assert!(code.contains("pub enum PetStatus {"), "{code}");

    // A lock that is not one: exit 1 naming the file.
    std::fs::write(dir.join("spec-gen.lock"), "version = 1\n[spec.\"api.yaml\".types]\n\"#/x\" = 3\n").unwrap();
    let (code, _, stderr) = run(&dir, &["generate", "api.yaml", "--out", "api.rs"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("spec-gen.lock"), "{stderr}");
}
