//! Whether generated files are exactly as prettyplease lays them out: part of the serde impls are
//! written as laid-out text (`laid_out`), and this checks that text against prettyplease on
//! whole generated files (`SPEC_GEN_RELAYOUT=file.rs[:file.rs…] cargo test -p spec-codegen
//! --test relayout -- --ignored`; the bundled petstore always).

fn relayout_differences(path: &std::path::Path) -> Option<String> {
    let code = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // The `@generated` header is plain comments, which syn drops.
    let body: String =
        code.lines().skip_while(|l| l.starts_with("// ") || l.is_empty()).map(|l| format!("{l}\n")).collect();
    let file = syn::parse_file(&body).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let relaid = prettyplease::unparse(&file);
    if relaid == body {
        return None;
    }
    let (ours, theirs): (Vec<&str>, Vec<&str>) = (body.lines().collect(), relaid.lines().collect());
    let first = ours.iter().zip(&theirs).position(|(a, b)| a != b).unwrap_or(ours.len().min(theirs.len()));
    let from = first.saturating_sub(8);
    Some(format!(
        "{}: differs from prettyplease at line {} of the body\n--- written\n{}\n--- prettyplease\n{}",
        path.display(),
        first + 1,
        ours[from..(first + 12).min(ours.len())].join("\n"),
        theirs[from..(first + 12).min(theirs.len())].join("\n"),
    ))
}

#[test]
fn the_checked_in_petstore_is_laid_out_as_prettyplease_would() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/checked-in/src/petstore.rs");
    if let Some(diff) = relayout_differences(&path) {
        panic!("{diff}");
    }
}

#[test]
#[ignore = "needs SPEC_GEN_RELAYOUT: generated files to check"]
fn generated_files_are_laid_out_as_prettyplease_would() {
    let files = std::env::var("SPEC_GEN_RELAYOUT").expect("SPEC_GEN_RELAYOUT: files to check, `:`-separated");
    let failures: Vec<String> = files.split(':').filter_map(|f| relayout_differences(f.as_ref())).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
