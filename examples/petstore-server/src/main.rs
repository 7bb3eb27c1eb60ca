//! Serves the petstore on 127.0.0.1: `petstore-server [PORT] [--hand-written]`.
//! `--hand-written` serves the axum-only version of list and create (the benchmark's baseline).

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port: u16 = args.iter().find_map(|a| a.parse().ok()).unwrap_or(8080);
    let store = petstore_server::Store::with_pets(20);
    let router = if args.iter().any(|a| a == "--hand-written") {
        petstore_server::hand::router(store)
    } else {
        petstore_server::api::server::router(store)
    };
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1);
        }
    };
    eprintln!("petstore: serving on http://127.0.0.1:{port}");
    if let Err(e) = axum::serve(listener, router).await {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
