//! A petstore server: the generated types, router and trait for `examples/petstore.yaml`
//! (`build.rs`), and the business logic a team writes by hand (`Store`).
//!
//! `hand` holds the same service written directly against axum, for the throughput benchmark
//! (`scripts/bench_server.py`): what the generated extraction and validation cost is the difference.

pub mod api {
    include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
}
pub mod hand;

use std::sync::{Arc, RwLock};

use api::server::{self, AuthError, Credential, Presented, Scheme};

/// An in-memory store, shared by both front doors.
#[derive(Clone, Default)]
pub struct Store {
    pets: Arc<RwLock<Vec<api::Pet>>>,
}

impl Store {
    /// A store holding `n` pets.
    pub fn with_pets(n: usize) -> Store {
        let store = Store::default();
        for i in 0..n {
            let request: api::PetRequest = serde_json::from_value(serde_json::json!({
                "name": format!("Pet {i}"),
                "kind": {"type": "dog", "good_boy": true},
                "status": "available",
                "tags": ["friendly"],
            }))
            .expect("a valid pet");
            store.add(request);
        }
        store
    }

    pub fn list(&self, limit: usize, statuses: &[api::PetStatus]) -> Vec<api::Pet> {
        let pets = self.pets.read().unwrap_or_else(|e| e.into_inner());
        pets.iter()
            .filter(|p| statuses.is_empty() || p.status.is_some_and(|s| statuses.contains(&s)))
            .take(limit)
            .cloned()
            .collect()
    }

    /// Stores a pet, assigning its id (the request view has none: `id` is readOnly).
    #[allow(deprecated)]
    pub fn add(&self, request: api::PetRequest) -> api::Pet {
        let mut pets = self.pets.write().unwrap_or_else(|e| e.into_inner());
        let id = pets.len() as i64 + 1;
        let pet = api::Pet {
            id,
            name: request.name.to_string().try_into().expect("same constraints as the request's name"),
            kind: request.kind,
            status: request.status,
            birthday: request.birthday,
            tags: request.tags.map(|t| Vec::from(t).try_into().expect("same constraints")),
            attributes: request.attributes,
            parent: None,
            weight_kg: request.weight_kg.map(|w| f64::from(w).try_into().expect("same constraints")),
            legacy_code: None,
        };
        pets.push(pet.clone());
        pet
    }

    pub fn get(&self, id: i64) -> Option<api::Pet> {
        self.pets.read().unwrap_or_else(|e| e.into_inner()).iter().find(|p| p.id == id).cloned()
    }

    /// Accepts the key `secret` and the bearer token `admin`.
    pub fn check(credential: &Credential) -> bool {
        match credential {
            Credential::ApiKey(key) => key == "secret",
            Credential::Bearer(token) => token == "admin",
            _ => false,
        }
    }
}

impl server::PetstoreApi for Store {
    type Claims = ();

    async fn authenticate(&self, presented: Vec<Presented<Scheme>>) -> Result<(), AuthError> {
        if presented.iter().all(|p| Store::check(&p.credential)) {
            Ok(())
        } else {
            Err(AuthError::Unauthorized("unknown credential".into()))
        }
    }

    async fn list_pets(&self, request: server::ListPetsRequest, _auth: ()) -> server::ListPetsResponse {
        let limit = usize::try_from(*request.limit).unwrap_or(0);
        let pets = self.list(limit, request.status.as_deref().unwrap_or_default());
        server::ListPetsResponse::Ok { body: pets, x_next: None }
    }

    async fn create_pet(&self, request: server::CreatePetRequest, _auth: ()) -> server::CreatePetResponse {
        server::CreatePetResponse::Created(self.add(request.body))
    }

    async fn show_pet_by_id(&self, request: server::ShowPetByIdRequest, _auth: ()) -> server::ShowPetByIdResponse {
        match self.get(*request.pet_id) {
            Some(pet) => server::ShowPetByIdResponse::Ok(pet),
            None => server::ShowPetByIdResponse::NotFound(
                serde_json::from_value(serde_json::json!({"title": "no such pet", "status": 404}))
                    .expect("a valid problem"),
            ),
        }
    }

    async fn delete_pet(&self, _request: server::DeletePetRequest, _auth: ()) -> server::DeletePetResponse {
        server::DeletePetResponse::NoContent
    }
}
