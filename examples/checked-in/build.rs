fn main() {
    // Generation options come from spec-gen.toml, as for the CLI and the macro; only the file
    // name in OUT_DIR is chosen here.
    spec_codegen::Builder::new("../petstore.yaml").module_name("from_build_rs").build();
}
