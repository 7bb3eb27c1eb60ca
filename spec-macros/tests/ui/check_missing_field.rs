use spec_macros::spec_contract;

// `petName` and `kind` are required properties of Pet; the struct has neither.
#[spec_contract(spec = "../../../../spec-macros/tests/ui/models.yaml", schema = "Pet")]
pub struct Pet {
    id: i64,
}

fn main() {}
