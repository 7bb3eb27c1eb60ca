//! Types generated from `examples/petstore.yaml` by `#[spec_contract]`; editing the spec rebuilds
//! this crate.

use spec_macros::spec_contract;

#[spec_contract("../petstore.yaml")]
pub mod api {}

/// A hand-written error body, checked against the spec's `Problem` schema at compile time: if the
/// schema gains a required property, renames one or changes a type, this struct stops compiling
/// with an error at the field that drifted.
#[spec_contract(spec = "../petstore.yaml", schema = "Problem")]
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// `type`: a URI naming the problem kind (the schema's default is `about:blank`).
    #[serde(rename = "type", default = "about_blank")]
    pub kind: String,
    pub title: String,
    /// An HTTP status code (100–599 in the schema); `u16` holds it.
    pub status: u16,
    pub detail: Option<String>,
    pub instance: Option<String>,
}

fn about_blank() -> String {
    "about:blank".to_owned()
}
