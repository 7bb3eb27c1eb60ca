use spec_macros::spec_contract;

#[spec_contract(spec = "../../../../spec-macros/tests/ui/models.yaml", schema = "Owner")]
pub struct Owner {
    name: String,
    age: u32,
}

fn main() {}
