fn main() {
    // Types and server for the bundled petstore, regenerated whenever the spec changes.
    spec_codegen::Builder::new("../petstore.yaml").with("types,server").build();
}
