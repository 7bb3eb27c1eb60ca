//! The petstore's list and create operations written directly against axum, doing the same work as
//! the generated router: the api key checked, `limit` (1..=100, default 20) and `status` (a comma
//! list of enum values) parsed and validated, the body parsed into the same generated types (whose
//! newtypes enforce the same constraints), the same `Store` called, the same JSON written. It does
//! not collect every violation or write RFC 9457 bodies: errors are a bare status, the least a
//! hand-written handler does.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::Store;
use crate::api;

#[derive(Deserialize)]
struct ListQuery {
    limit: Option<api::ListPetsLimit>,
    status: Option<String>,
}

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("x-api-key").and_then(|v| v.to_str().ok()) == Some("secret")
}

async fn list_pets(
    State(store): State<Store>,
    headers: HeaderMap,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    if !authorized(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let Ok(Query(query)) = query else { return StatusCode::BAD_REQUEST.into_response() };
    let limit = query.limit.map_or(20, |l| *l);
    let mut statuses = Vec::new();
    for item in query.status.as_deref().unwrap_or("").split(',').filter(|s| !s.is_empty()) {
        match serde_json::from_value::<api::PetStatus>(serde_json::Value::from(item)) {
            Ok(status) => statuses.push(status),
            Err(_) => return StatusCode::BAD_REQUEST.into_response(),
        }
    }
    Json(store.list(usize::try_from(limit).unwrap_or(0), &statuses)).into_response()
}

async fn create_pet(
    State(store): State<Store>,
    headers: HeaderMap,
    body: Result<Json<api::PetRequest>, axum::extract::rejection::JsonRejection>,
) -> Response {
    if !authorized(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    match body {
        Ok(Json(pet)) => (StatusCode::CREATED, Json(store.add(pet))).into_response(),
        Err(rejection) => rejection.into_response(),
    }
}

/// `GET /pets` and `POST /pets`, by hand.
pub fn router(store: Store) -> axum::Router {
    axum::Router::new().route("/pets", axum::routing::get(list_pets).post(create_pet)).with_state(store)
}
