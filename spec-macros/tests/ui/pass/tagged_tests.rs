use spec_macros::spec_contract;

// Tied to the spec: these compile while the operation still declares the status.
#[spec_contract(spec = "../../../../examples/petstore.yaml", operation = "showPetById", status = 404)]
#[allow(dead_code)]
fn show_pet_by_id_not_found() {}

#[spec_contract(spec = "../../../../examples/petstore.yaml", operation = "listPets", status = "default")]
#[allow(dead_code)]
fn list_pets_default() {}

fn main() {}
