//! The generated client against the generated server implemented by `Store`, over loopback HTTP:
//! what a team writing both sides of the petstore gets from the one spec.

use petstore_server::Store;
use petstore_server::api::client::{Client, Credentials, Error};
use petstore_server::api::{self, server};

async fn serve(store: Store) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move { axum::serve(listener, server::router(store)).await.expect("server runs") });
    format!("http://{addr}")
}

fn key(key: &str) -> Credentials {
    Credentials { api_key: Some(key.to_owned()), ..Default::default() }
}

fn new_pet(name: &str) -> api::PetRequest {
    serde_json::from_value(serde_json::json!({
        "name": name,
        "kind": {"type": "cat", "lives": 9},
        "status": "pending",
    }))
    .expect("a valid pet")
}

#[tokio::test]
async fn create_then_read_back_through_the_typed_client() {
    let client = Client::new(serve(Store::with_pets(2)).await).with_credentials(key("secret"));

    let created = match client.create_pet(server::CreatePetRequest { body: new_pet("Tom") }).await {
        Ok(server::CreatePetResponse::Created(pet)) => pet,
        other => panic!("expected 201 Created, got {other:?}"),
    };
    assert_eq!((created.id, created.name.to_string()), (3, "Tom".to_owned()));

    let pet_id = api::ShowPetByIdPetId::try_from(created.id).expect("a positive id");
    match client.show_pet_by_id(server::ShowPetByIdRequest { pet_id }).await {
        Ok(server::ShowPetByIdResponse::Ok(pet)) => assert_eq!(pet, created),
        other => panic!("expected 200 with the pet, got {other:?}"),
    }

    let limit = api::ListPetsLimit::try_from(10).expect("in range");
    let status = Some(vec![api::PetStatus::Pending]);
    match client.list_pets(server::ListPetsRequest { limit, status }).await {
        Ok(server::ListPetsResponse::Ok { body, .. }) => assert_eq!(body, vec![created]),
        other => panic!("expected the pending pets, got {other:?}"),
    }
}

#[tokio::test]
async fn error_responses_arrive_typed() {
    let base = serve(Store::with_pets(1)).await;
    let client = Client::new(&base).with_credentials(key("secret"));

    // A declared 404 with its Problem body.
    let pet_id = api::ShowPetByIdPetId::try_from(99).expect("a positive id");
    match client.show_pet_by_id(server::ShowPetByIdRequest { pet_id }).await {
        Ok(response @ server::ShowPetByIdResponse::NotFound(_)) => assert_eq!(response.status(), 404),
        other => panic!("expected 404 Not Found, got {other:?}"),
    }

    // A wrong key: the server refuses before user code; the spec's `default` response types it.
    let refused = Client::new(&base).with_credentials(key("wrong"));
    let limit = api::ListPetsLimit::try_from(5).expect("in range");
    match refused.list_pets(server::ListPetsRequest { limit, status: None }).await {
        Ok(server::ListPetsResponse::Default { status, body }) => {
            assert_eq!(status, 401);
            assert_eq!(i64::from(body.status), 401);
        }
        other => panic!("expected the default (401) response, got {other:?}"),
    }

    // No server at all: a transport error, not a panic and not a fake status.
    let nowhere = Client::new("http://127.0.0.1:9").with_credentials(key("secret"));
    let limit = api::ListPetsLimit::try_from(5).expect("in range");
    match nowhere.list_pets(server::ListPetsRequest { limit, status: None }).await {
        Err(e @ Error::Transport(_)) => assert!(e.status().is_none()),
        other => panic!("expected a transport error, got {other:?}"),
    }
}
