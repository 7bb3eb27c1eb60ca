//! The benchmark's two servers do the same work: for the same requests they answer the same
//! statuses and, on success, the same JSON (so the throughput difference is the generated
//! extraction and validation, not different behaviour).

use axum::body::Body;
use axum::http::{Request, StatusCode};
use petstore_server::{Store, api, hand};
use tower::ServiceExt;

async fn call(router: axum::Router, request: Request<Body>) -> (StatusCode, serde_json::Value) {
    let response = router.oneshot(request).await.expect("the router answers");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.expect("a body");
    (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
}

fn list(query: &str, key: &str) -> Request<Body> {
    Request::get(format!("/pets?{query}")).header("x-api-key", key).body(Body::empty()).unwrap()
}

fn create(body: &str) -> Request<Body> {
    Request::post("/pets")
        .header("x-api-key", "secret")
        .header("content-type", "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn generated_and_hand_written_agree() {
    let generated = || api::server::router(Store::with_pets(20));
    let by_hand = || hand::router(Store::with_pets(20));
    let requests: Vec<fn() -> Request<Body>> = vec![
        || list("limit=3&status=available", "secret"),
        || list("", "secret"),
        || list("limit=0", "secret"),
        || list("status=lost", "secret"),
        || list("limit=3", "wrong"),
        || create(r#"{"name": "Rex", "kind": {"type": "dog", "good_boy": true}, "tags": ["a"]}"#),
    ];
    for request in requests {
        let (status, body) = call(generated(), request()).await;
        let (hand_status, hand_body) = call(by_hand(), request()).await;
        assert_eq!(status, hand_status, "{body} / {hand_body}");
        if status.is_success() {
            assert_eq!(body, hand_body);
        }
    }
    // Both refuse a body that breaks a constraint; the generated server also says where.
    let bad = r#"{"name": "", "kind": {"type": "dog"}}"#;
    let (status, body) = call(generated(), create(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["pointer"], "/name");
    assert_eq!(call(by_hand(), create(bad)).await.0, StatusCode::UNPROCESSABLE_ENTITY);
}
