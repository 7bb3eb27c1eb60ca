use spec_macros::spec_contract;

#[spec_contract(with = "types")]
mod api {}

fn main() {}
