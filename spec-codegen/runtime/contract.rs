//! Runtime of generated contract checks: serving a router on a loopback port for the generated
//! client to call, the report of what each operation's checks saw, and the round trip of the
//! spec's examples through their types.
//!
//! This file is copied verbatim into generated crates (as `runtime::contract`) when tests are
//! generated. It may only use std, `::axum`, `::tokio`, `::serde`, `::serde_json` and the sibling
//! runtime modules.

use super::client::Error;

/// The content type a contract check sends where the operation declares others.
pub const UNDECLARED_MEDIA: &str = "application/x-spec-gen-undeclared";

/// The operation being checked and where the spec defines it.
#[derive(Debug, Clone, Copy)]
pub struct Site {
    /// The `operationId`, or the generated name when the spec gives none.
    pub operation: &'static str,
    /// `GET /pets/{petId}`.
    pub route: &'static str,
    /// `file#/json/pointer` of the operation in the spec.
    pub location: &'static str,
}

/// One expectation a server did not meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub operation: &'static str,
    pub route: &'static str,
    pub location: &'static str,
    /// What was sent, in words: `a request built from the spec's examples`.
    pub request: String,
    /// What the contract expects, and what came back.
    pub problem: String,
}

impl ::std::fmt::Display for Failure {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(f, "{} ({}, {}): {}: {}", self.operation, self.route, self.location, self.request, self.problem)
    }
}

/// What a contract check saw: how many expectations held, which did not, and which operations
/// could not be checked (and why).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub passed: usize,
    pub failures: Vec<Failure>,
    pub skipped: Vec<(&'static str, String)>,
}

impl Report {
    pub fn is_ok(&self) -> bool {
        self.failures.is_empty()
    }

    /// Panics listing every failure, each with its operation's route and spec location.
    #[track_caller]
    pub fn assert_ok(&self) {
        assert!(self.is_ok(), "the server breaks its contract:\n{self}");
    }

    pub fn skip(&mut self, site: &Site, reason: &str) {
        self.skipped.push((site.operation, reason.to_owned()));
    }

    fn fail(&mut self, site: &Site, request: &str, problem: String) {
        self.failures.push(Failure {
            operation: site.operation,
            route: site.route,
            location: site.location,
            request: request.to_owned(),
            problem,
        });
    }

    /// A valid request must get a declared response that fits the spec (the client validates the
    /// body). With `success`, it must be a success (2xx/3xx) one: what a mock answers.
    pub fn answer(&mut self, site: &Site, request: &str, got: Result<u16, Error>, success: bool) {
        match got {
            Ok(status) if success && status >= 400 => {
                self.fail(site, request, format!("expected a success response, got status {status}"))
            }
            Ok(_) => self.passed += 1,
            Err(e) => self.fail(site, request, format!("expected a declared response that fits the spec, got: {e}")),
        }
    }

    /// An invalid request must be refused with a 4xx status, declared or not.
    pub fn refusal(&mut self, site: &Site, request: &str, got: Result<u16, Error>) {
        let status = match &got {
            Ok(status) => Some(*status),
            Err(e) => e.status(),
        };
        match status {
            Some(400..=499) => self.passed += 1,
            Some(status) => self.fail(site, request, format!("expected a 4xx refusal, got status {status}")),
            None => self.fail(site, request, format!("expected a 4xx refusal, got: {}", got.err().map_or_else(String::new, |e| e.to_string()))),
        }
    }
}

impl ::std::fmt::Display for Report {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        writeln!(f, "{} expectations held, {} failed", self.passed, self.failures.len())?;
        for failure in &self.failures {
            writeln!(f, "- {failure}")?;
        }
        for (operation, reason) in &self.skipped {
            writeln!(f, "- {operation} not checked: {reason}")?;
        }
        Ok(())
    }
}

/// Serves `router` on a loopback port while `check` runs with its base URL.
pub async fn serve<F, Fut>(router: ::axum::Router, check: F) -> Report
where
    F: FnOnce(String) -> Fut,
    Fut: ::std::future::Future<Output = Report>,
{
    let listener = match ::tokio::net::TcpListener::bind(("127.0.0.1", 0)).await {
        Ok(listener) => listener,
        Err(e) => return unserved(format!("cannot listen on a loopback port: {e}")),
    };
    let address = match listener.local_addr() {
        Ok(address) => address,
        Err(e) => return unserved(format!("cannot read the loopback address: {e}")),
    };
    let server = ::tokio::spawn(async move { ::axum::serve(listener, router).await });
    let report = check(format!("http://{address}")).await;
    server.abort();
    report
}

/// [`serve`] on a runtime of its own, for callers that are not async.
pub fn serve_blocking<F, Fut>(router: ::axum::Router, check: F) -> Report
where
    F: FnOnce(String) -> Fut,
    Fut: ::std::future::Future<Output = Report>,
{
    match ::tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime.block_on(serve(router, check)),
        Err(e) => unserved(format!("cannot start a tokio runtime: {e}")),
    }
}

fn unserved(problem: String) -> Report {
    let site = Site { operation: "(all)", route: "", location: "" };
    let mut report = Report::default();
    report.fail(&site, "serving the router", problem);
    report
}

/// Whether the spec's example at `location` deserializes into `T` and serializes back to the same
/// JSON; `None` when it does, else why not.
pub fn round_trip<T: ::serde::Serialize + ::serde::de::DeserializeOwned>(location: &str, text: &str) -> Option<String> {
    use ::serde_json::Value;
    let example: Value = match ::serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => return Some(format!("{location}: the example is not JSON: {e}")),
    };
    let typed: T = match ::serde_json::from_value(example.clone()) {
        Ok(typed) => typed,
        Err(e) => return Some(format!("{location}: the example does not deserialize into its type: {e}")),
    };
    let back = match ::serde_json::to_value(&typed) {
        Ok(back) => back,
        Err(e) => return Some(format!("{location}: the example does not serialize back: {e}")),
    };
    let mut pointer = String::new();
    super::schema::same(&example, &back, &mut pointer)
        .err()
        .map(|what| format!("{location}: the example changes in a round trip at `{pointer}`: {what}; it came back as {back}"))
}

/// Whether type `T` accepts exactly what the schema `node` accepts, on values at the edge of each
/// of its constraints (see `Schema::constraint_cases`); one message per disagreement.
pub fn constraints<T: ::serde::de::DeserializeOwned>(
    schema: &super::schema::Schema,
    node: super::schema::NodeId,
    location: &str,
) -> Vec<String> {
    schema
        .constraint_cases(node)
        .into_iter()
        .filter_map(|(what, value, accepted)| {
            let typed = ::serde_json::from_value::<T>(value).is_ok();
            (typed != accepted).then(|| {
                let (schema_says, type_says) =
                    if accepted { ("accepts", "rejects it") } else { ("rejects", "accepts it") };
                format!("{location}: the schema {schema_says} {what}; the type {type_says}")
            })
        })
        .collect()
}
