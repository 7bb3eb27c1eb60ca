use spec_macros::spec_contract;

#[spec_contract(spec = "../../../../examples/petstore.yaml", operation = "showPetById", status = 418)]
#[test]
fn show_pet_teapot() {}

fn main() {}
