use spec_macros::spec_contract;

#[spec_contract(spec = "../../../../examples/petstore.yaml")]
#[test]
fn untied() {}

fn main() {}
