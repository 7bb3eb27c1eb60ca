use spec_macros::spec_contract;

#[spec_contract("openapi.yaml", flavour = "spicy")]
mod api {}

fn main() {}
