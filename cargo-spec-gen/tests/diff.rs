//! `cargo spec-gen diff` on spec pairs, one per change kind (fixtures/diff/cases.txt), and its
//! front-end behaviour: locations, Rust items, formats, `--fail-on` and `--base`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cargo-spec-gen"))
}

struct Case {
    name: String,
    old: String,
    new: String,
    expect: Vec<String>,
}

fn cases() -> Vec<Case> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff/cases.txt")).unwrap();
    let mut cases = Vec::new();
    for block in text.split("\n=== ").skip(1) {
        let (name, rest) = block.split_once('\n').unwrap();
        let section = |from: &str, to: &str| -> String {
            let start = rest.find(from).unwrap_or_else(|| panic!("{name}: no {from}")) + from.len() + 1;
            let end = rest[start..].find(to).map_or(rest.len(), |e| start + e);
            rest[start..end].to_owned()
        };
        let expect =
            section("--- expect", "\n\n").lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
        cases.push(Case {
            name: name.trim().to_owned(),
            old: section("--- old", "--- new"),
            new: section("--- new", "--- expect"),
            expect,
        });
    }
    cases
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn diff_json(old: &Path, new: &Path, extra: &[&str]) -> (Option<i32>, Value) {
    let out = bin().arg("diff").arg(old).arg(new).args(["--format", "json"]).args(extra).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\nstderr: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), value)
}

fn side(change: &Value) -> &'static str {
    match (change["breaks"]["client"].as_bool().unwrap(), change["breaks"]["server"].as_bool().unwrap()) {
        (true, true) => "both",
        (true, false) => "client",
        (false, true) => "server",
        (false, false) => "none",
    }
}

#[test]
fn every_change_kind_is_classified_as_expected() {
    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases read", cases.len());
    let mut failures = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let dir = scratch(&format!("case{i}"));
        std::fs::write(dir.join("old.yaml"), &case.old).unwrap();
        std::fs::write(dir.join("new.yaml"), &case.new).unwrap();
        let (code, report) = diff_json(&dir.join("old.yaml"), &dir.join("new.yaml"), &[]);
        let mut got: Vec<String> = report["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| format!("{} {}", c["kind"].as_str().unwrap(), side(c)))
            .collect();
        let mut want = case.expect.clone();
        got.sort();
        want.sort();
        let breaking = want.iter().any(|w| !w.ends_with(" none"));
        if got != want || code != Some(if breaking { 1 } else { 0 }) {
            failures.push(format!("{}: expected {want:?}, got {got:?} (exit {code:?})", case.name));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

const PETSTORE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/petstore.yaml");

/// The bundled petstore with one enum value removed and a parameter's maximum lowered.
fn edited_petstore(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(PETSTORE).unwrap();
    let edited = text
        .replace("enum: [available, pending, sold]", "enum: [available, sold]")
        .replace("maximum: 100", "maximum: 50");
    assert_ne!(text, edited);
    let path = dir.join("petstore.yaml");
    std::fs::write(&path, edited).unwrap();
    path
}

#[test]
fn changes_name_both_locations_and_the_rust_items() {
    let dir = scratch("locations");
    let new = edited_petstore(&dir);
    let (code, report) = diff_json(Path::new(PETSTORE), &new, &[]);
    assert_eq!(code, Some(1));
    let changes = report["changes"].as_array().unwrap();
    let limit = changes.iter().find(|c| c["kind"] == "constraint-tightened").expect("the maximum change");
    assert_eq!(limit["operation"], "GET /pets");
    assert_eq!(side(limit), "client");
    assert_eq!(limit["new"]["pointer"], "/paths/~1pets/get/parameters/0");
    assert_eq!(limit["new"]["line"], 20);
    assert!(limit["old"]["file"].as_str().unwrap().ends_with("examples/petstore.yaml"));
    let items: Vec<&str> = limit["rust_items"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(items, ["server::PetstoreApi::list_pets", "client::Client::list_pets"]);
    let pending = changes.iter().find(|c| c["kind"] == "enum-value-removed").expect("the enum change");
    // PetStatus is read and written by both sides (list filter, bodies, responses).
    assert_eq!(side(pending), "both");
    assert_eq!(pending["rust_items"][0], "PetStatus::Pending");
    assert_eq!(report["summary"]["changes"], 2);
}

#[test]
fn fail_on_chooses_the_side_and_formats_render() {
    let dir = scratch("fail-on");
    let new = edited_petstore(&dir);
    let run = |args: &[&str]| bin().arg("diff").arg(PETSTORE).arg(&new).args(args).output().unwrap();
    // The lowered maximum breaks clients only; the enum value breaks both.
    assert_eq!(run(&["--fail-on", "client"]).status.code(), Some(1));
    assert_eq!(run(&["--fail-on", "server"]).status.code(), Some(1));
    assert_eq!(run(&["--fail-on", "none"]).status.code(), Some(0));
    let same = bin().arg("diff").arg(PETSTORE).arg(PETSTORE).output().unwrap();
    assert_eq!(same.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&same.stdout).starts_with("no changes"));
    let text = String::from_utf8(run(&[]).stdout).unwrap();
    assert!(
        text.contains("BREAKS client    constraint-tightened: GET /pets: query parameter `limit`: `maximum` 100 → 50"),
        "{text}"
    );
    assert!(
        text.contains("    new: ") && text.contains("petstore.yaml:20:11 #/paths/~1pets/get/parameters/0"),
        "{text}"
    );
    let markdown = String::from_utf8(run(&["--format", "markdown"]).stdout).unwrap();
    assert!(markdown.starts_with("### Contract changes: 2 (2 breaking clients, 1 breaking servers)"), "{markdown}");
    assert!(markdown.contains("| BREAKS both | **enum-value-removed**"), "{markdown}");
}

#[test]
fn a_broken_version_cannot_be_compared() {
    let dir = scratch("broken");
    std::fs::write(
        dir.join("bad.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/a: {get: {responses: {'200': {$ref: '#/nope'}}}}}\n",
    )
    .unwrap();
    let out = bin().arg("diff").arg(PETSTORE).arg(dir.join("bad.yaml")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.yaml:3"), "{stderr}");
}

#[test]
fn a_schema_moved_to_another_file_is_not_breaking() {
    let dir = scratch("multifile");
    let (old, new) = (dir.join("old"), dir.join("new"));
    std::fs::create_dir_all(&old).unwrap();
    std::fs::create_dir_all(&new).unwrap();
    let api = |target: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{/a: {{get: {{responses: {{'200': {{description: ok, content: {{application/json: {{schema: {{$ref: '{target}'}}}}}}}}}}}}}}}}\n{}",
            if target.starts_with('#') {
                "components: {schemas: {Pet: {type: object, properties: {a: {type: string}}}}}\n"
            } else {
                ""
            }
        )
    };
    std::fs::write(old.join("api.yaml"), api("#/components/schemas/Pet")).unwrap();
    std::fs::write(new.join("api.yaml"), api("models.yaml#/Pet")).unwrap();
    std::fs::write(new.join("models.yaml"), "Pet: {type: object, properties: {a: {type: string}}}\n").unwrap();
    let (code, report) = diff_json(&old.join("api.yaml"), &new.join("api.yaml"), &[]);
    assert_eq!(code, Some(0), "{report}");
    let kinds: Vec<&str> = report["changes"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["ref-moved"]);
    assert!(report["changes"][0]["new"]["file"].as_str().unwrap().ends_with("models.yaml"));
}

#[test]
fn base_reads_the_old_version_from_git() {
    let dir = scratch("git");
    let git = |args: &[&str]| {
        let out = Command::new("git").arg("-C").arg(&dir).args(args).output().unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    git(&["init", "-q"]);
    std::fs::create_dir_all(dir.join("api")).unwrap();
    std::fs::copy(PETSTORE, dir.join("api/petstore.yaml")).unwrap();
    git(&["add", "."]);
    git(&["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1"]);
    edited_petstore(&dir.join("api"));
    let out = bin()
        .arg("diff")
        .arg("--base")
        .arg("HEAD")
        .arg(dir.join("api/petstore.yaml"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["changes"], 2);
    assert!(report["old"].as_str().unwrap().ends_with("petstore.yaml@HEAD"));
    let missing =
        bin().arg("diff").arg("--base").arg("no-such-ref").arg(dir.join("api/petstore.yaml")).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn trace_maps_every_item_to_its_spec_location_and_back() {
    let dir = scratch("trace");
    let out = bin().args(["trace", PETSTORE, "--out"]).arg(dir.join("trace.json")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let map: Value = serde_json::from_slice(&std::fs::read(dir.join("trace.json")).unwrap()).unwrap();
    let items = map["items"].as_array().unwrap();
    let find = |rust: &str| items.iter().find(|i| i["rust"] == rust).unwrap_or_else(|| panic!("no {rust}"));
    assert_eq!(find("Pet")["spec"]["line"], 134);
    assert_eq!(find("Pet::name")["spec"]["pointer"], "/components/schemas/Pet/properties/name");
    assert_eq!(find("server::PetstoreApi::list_pets")["spec"]["pointer"], "/paths/~1pets/get");
    assert_eq!(find("client::Client::list_pets")["spec"]["line"], 15);
    assert_eq!(find("operations::ListPetsRequest::limit")["spec"]["pointer"], "/paths/~1pets/get/parameters/0");
    assert_eq!(map["by_item"]["Pet"], "petstore.yaml#/components/schemas/Pet");
    let from_pet: Vec<&str> = map["by_location"]["petstore.yaml#/components/schemas/Pet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(from_pet.contains(&"Pet") && from_pet.contains(&"PetRequest"), "{from_pet:?}");
    // Every traced item exists in the generated code: its last path segment is declared there.
    let code_path = dir.join("api.rs");
    let generated =
        bin().args(["generate", PETSTORE, "--with", "types,server,client", "--out"]).arg(&code_path).output().unwrap();
    assert!(generated.status.success(), "{}", String::from_utf8_lossy(&generated.stderr));
    let code = std::fs::read_to_string(code_path).unwrap();
    for item in items {
        let rust = item["rust"].as_str().unwrap();
        let last = rust.rsplit("::").next().unwrap();
        let declared = [
            format!("struct {last}"),
            format!("enum {last}"),
            format!("type {last}"),
            format!("fn {last}("),
            format!("pub {last}:"),
            format!("trait {last}"),
        ];
        assert!(declared.iter().any(|d| code.contains(d.as_str())), "`{rust}` is not in the generated code");
    }
    assert!(items.len() > 50, "{}", items.len());
}
