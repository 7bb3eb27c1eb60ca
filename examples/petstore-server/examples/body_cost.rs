//! Where a JSON body's time goes: typed parse alone vs the generated path (Value, walk, typed).
use petstore_server::api;
use std::time::Instant;

fn main() {
    let body =
        br#"{"name": "Rex", "kind": {"type": "dog", "good_boy": true}, "status": "available", "tags": ["friendly"]}"#;
    let n = 300_000;
    let t = Instant::now();
    for _ in 0..n {
        let v: api::PetRequest = serde_json::from_slice(body).unwrap();
        std::hint::black_box(v);
    }
    let typed = t.elapsed().as_nanos() as f64 / n as f64;
    let t = Instant::now();
    for _ in 0..n {
        let v: serde_json::Value = serde_json::from_slice(body).unwrap();
        std::hint::black_box(v);
    }
    let value = t.elapsed().as_nanos() as f64 / n as f64;
    let node = 0; // not used: measured below through the public runtime
    let _ = node;
    let t = Instant::now();
    for _ in 0..n {
        let v: serde_json::Value = serde_json::from_slice(body).unwrap();
        let typed: api::PetRequest = serde_json::from_value(v).unwrap();
        std::hint::black_box(typed);
    }
    let value_typed = t.elapsed().as_nanos() as f64 / n as f64;
    let v: serde_json::Value = serde_json::from_slice(body).unwrap();
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(api::server::SCHEMA.validate(23, &v));
    }
    let walk = t.elapsed().as_nanos() as f64 / n as f64;
    println!("typed {typed:.0} ns, value {value:.0} ns, value+from_value {value_typed:.0} ns, walk {walk:.0} ns");
}
