use spec_macros::spec_contract;

#[spec_contract(spec = "../../../../examples/petstore.yaml", operation = "getPet", status = 200)]
#[test]
fn get_pet() {}

fn main() {}
