//! Types generated from `examples/petstore.yaml` by `#[spec_contract]`; editing the spec rebuilds
//! this crate.

use spec_macros::spec_contract;

#[spec_contract("../petstore.yaml")]
pub mod api {}
