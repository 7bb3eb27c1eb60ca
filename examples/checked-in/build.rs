fn main() {
    // No options here: the builder takes them from spec-gen.toml, as the CLI and the macro do.
    spec_codegen::Builder::new("../petstore.yaml").build();
}
