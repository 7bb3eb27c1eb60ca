use spec_macros::spec_contract;

#[spec_contract("openapi.yaml", with = "types, gui")]
mod api {}

fn main() {}
