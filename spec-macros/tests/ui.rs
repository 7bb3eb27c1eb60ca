//! One compile-fail case per diagnostic the macro can produce, with the exact message users see.
//! Spec paths in the cases are relative to trybuild's project folder
//! (`target/tests/trybuild/spec-macros`), hence the `../../../../spec-macros/tests/ui/` prefix.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    // Hand-written structs that match their schemas compile to themselves.
    t.pass("tests/ui/pass/*.rs");
}
