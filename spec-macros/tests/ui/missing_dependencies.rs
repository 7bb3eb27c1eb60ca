use spec_macros::spec_contract;

// The trybuild project has no serde: the macro names what the generated code needs.
#[spec_contract("../../../../examples/petstore.yaml")]
mod api {}

fn main() {}
