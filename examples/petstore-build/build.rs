fn main() {
    // Regenerates whenever petstore.yaml (or any file it references) changes; a spec error fails
    // the build with file:line and JSON pointer.
    spec_codegen::Builder::new("../petstore.yaml").build();
}
