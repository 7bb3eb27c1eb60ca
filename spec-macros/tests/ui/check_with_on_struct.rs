use spec_macros::spec_contract;

#[spec_contract(spec = "../../../../spec-macros/tests/ui/models.yaml", schema = "Owner", with = "types")]
pub struct Owner {
    name: String,
}

fn main() {}
