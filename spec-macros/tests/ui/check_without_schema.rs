use spec_macros::spec_contract;

#[spec_contract(spec = "../../../../spec-macros/tests/ui/models.yaml")]
pub struct Pet {
    id: i64,
}

fn main() {}
