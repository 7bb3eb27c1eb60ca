fn main() {
    // Types, server and client for the bundled petstore, regenerated whenever the spec changes.
    spec_codegen::Builder::new("../petstore.yaml").with("types,server,client").build();
}
