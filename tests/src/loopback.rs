//! Client-to-server tests written from a spec: for every operation, the generated client sends the
//! operation's example request (`…Request::example()`) to the generated server over loopback.
//! The server's implementation records what it received and answers as `Mock` does; the test then
//! checks that the server received exactly the request that was sent, and that the client decoded
//! exactly the response the server's method returned. The same is repeated with the server
//! answering each declared error status (`Mock::answering`), which must arrive as its typed variant.

use std::fmt::Write as _;

use spec_codegen::HttpNames;
use spec_core::ir::{Ir, SecurityKind, StatusSpec};

/// The test module's source and the number of tests in it.
pub fn client_roundtrips(ir: &Ir, names: &HttpNames) -> (String, usize) {
    let trait_name = &names.trait_name;
    let secured = names.operations.iter().any(|o| o.auth.is_some());
    let mut out = String::from(
        "#[allow(deprecated)]\nmod client_loopback {\n    use std::any::Any;\n    use std::sync::{Arc, Mutex};\n\n    \
         use super::api::client::{Client, Credentials};\n    use super::api::server::*;\n    \
         use super::http::serve;\n\n    \
         /// Records each request it receives, and answers as `Mock` (preferring `prefer`) does.\n    \
         #[derive(Clone, Default)]\n    \
         struct Echo {\n        prefer: Option<u16>,\n        seen: Arc<Mutex<Vec<Box<dyn Any + Send>>>>,\n    }\n\n    \
         impl Echo {\n        fn mock(&self) -> Mock {\n            self.prefer.map_or_else(Mock::new, Mock::answering)\n        }\n\n        \
         fn record<T: Any + Send>(&self, value: T) {\n            self.seen.lock().unwrap().push(Box::new(value));\n        }\n\n        \
         fn received<T: Any>(&self) -> T {\n            let last = self.seen.lock().unwrap().pop().expect(\"the server's method was called\");\n            \
         *last.downcast::<T>().expect(\"the method received its own request type\")\n        }\n    }\n\n",
    );
    let _ = writeln!(out, "    impl {trait_name} for Echo {{");
    if secured {
        out.push_str(
            "        type Claims = Vec<Presented<Scheme>>;\n\n        \
             async fn authenticate(&self, presented: Vec<Presented<Scheme>>) -> Result<Self::Claims, AuthError> {\n            \
             Ok(presented)\n        }\n\n",
        );
    }
    for o in &names.operations {
        let (name, response) = (&o.name, &o.response);
        let request = o.request.as_ref().map(|r| format!(", request: {r}")).unwrap_or_default();
        let auth = match o.auth {
            None => "",
            Some(true) => ", auth: Option<Self::Claims>",
            Some(false) => ", auth: Self::Claims",
        };
        let record = if o.request.is_some() { "self.record(request.clone());" } else { "self.record(());" };
        let args = call_args(o.request.is_some(), o.auth.map(|_| "auth"));
        let _ = writeln!(
            out,
            "        async fn {name}(&self{request}{auth}) -> {response} {{\n            {record}\n            \
             self.mock().{name}({args}).await\n        }}\n"
        );
    }
    out.push_str("    }\n\n");
    out.push_str(&credentials(ir));

    let mut count = 0;
    let unreachable = unreachable(ir);
    for o in names.operations.iter().filter(|o| !unreachable.contains(&o.name)) {
        let mut preferences: Vec<Option<u16>> = vec![None];
        preferences.extend(o.statuses.iter().filter_map(|s| error_code(*s, &o.statuses)).map(Some));
        for prefer in preferences {
            count += 1;
            let suffix = prefer.map(|c| format!("_answering_{c}")).unwrap_or_default();
            let echo = match prefer {
                Some(code) => format!("Echo {{ prefer: Some({code}), ..Echo::default() }}"),
                None => "Echo::default()".to_owned(),
            };
            let (build, sent_check, expected_args) = match &o.request {
                Some(r) => (
                    format!(
                        "let request = {r}::example().expect(\"the spec gives or admits an example request\");\n        "
                    ),
                    format!(
                        "let received: {r} = echo.received();\n        assert_eq!(received, request, \"the server received other values than the client sent\");"
                    ),
                    call_args(true, o.auth.map(|optional| if optional { "None" } else { "Vec::new()" })),
                ),
                None => (
                    String::new(),
                    "let () = echo.received();".to_owned(),
                    call_args(false, o.auth.map(|optional| if optional { "None" } else { "Vec::new()" })),
                ),
            };
            let mock = match prefer {
                Some(code) => format!("Mock::answering({code})"),
                None => "Mock::new()".to_owned(),
            };
            let send = if o.request.is_some() { "request.clone()" } else { "" };
            let _ = writeln!(
                out,
                "\n    #[tokio::test]\n    async fn {name}{suffix}() {{\n        \
                 let echo = {echo};\n        \
                 let client = Client::new(serve(router(echo.clone())).await).with_credentials(credentials());\n        \
                 {build}let got = client.{method}({send}).await.unwrap_or_else(|e| panic!(\"no declared response: {{e}}\"));\n        \
                 {sent_check}\n        \
                 let expected = {mock}.{name}({expected_args}).await;\n        \
                 assert_eq!(got, expected, \"the client decoded other values than the server returned\");\n    }}",
                name = o.name,
                method = o.client_method,
            );
        }
    }
    out.push_str("}\n");
    (out, count)
}

/// Operations no request can reach: an earlier operation has the same method and path once the
/// `#fragment` some specs use to tell them apart is dropped (a fragment is never sent, so the
/// server routes their requests to that one), or every requirement set needs two schemes that
/// both travel in the one `Authorization` header (basic with bearer, say).
fn unreachable(ir: &Ir) -> Vec<String> {
    let mut seen = Vec::new();
    let mut unreachable = Vec::new();
    for op in ir.operations.iter().filter(|o| !o.webhook) {
        let route = (op.method, op.path.split('#').next().unwrap_or("").to_owned());
        let sets = op.security.as_ref().unwrap_or(&ir.security);
        let authorization = |key: &String| {
            ir.security_schemes.iter().find(|s| &s.key == key).is_some_and(|s| {
                matches!(
                    s.kind,
                    SecurityKind::Basic
                        | SecurityKind::Bearer { .. }
                        | SecurityKind::OAuth2 { .. }
                        | SecurityKind::OpenIdConnect { .. }
                )
            })
        };
        let unsatisfiable = !sets.is_empty()
            && sets.iter().all(|set| set.schemes.iter().filter(|(key, _)| authorization(key)).count() > 1);
        if seen.contains(&route) || unsatisfiable {
            unreachable.push(op.name.clone());
        } else {
            seen.push(route);
        }
    }
    unreachable
}

fn call_args(request: bool, auth: Option<&str>) -> String {
    let mut args = Vec::new();
    if request {
        args.push("request.clone()");
    }
    args.extend(auth);
    args.join(", ")
}

/// A status the server answers to exercise a declared error response: the code itself, a code of
/// the range no exact declaration takes, or for `default` a 5xx nothing else declares.
fn error_code(status: StatusSpec, all: &[StatusSpec]) -> Option<u16> {
    let declared = |code: u16| all.iter().any(|s| *s == StatusSpec::Code(code));
    match status {
        StatusSpec::Code(code) if code >= 400 => Some(code),
        StatusSpec::Code(_) => None,
        StatusSpec::Range(d) if d >= 4 => {
            let low = u16::from(d) * 100;
            (low..low + 100).find(|c| !declared(*c))
        }
        StatusSpec::Range(_) => None,
        StatusSpec::Default => {
            let ranged = |code: u16| all.iter().any(|s| *s == StatusSpec::Range((code / 100) as u8));
            [500, 503, 502, 418].into_iter().find(|c| !declared(*c) && !ranged(*c))
        }
    }
}

/// `fn credentials() -> Credentials`, with a value for every scheme the client can send.
fn credentials(ir: &Ir) -> String {
    let mut out = String::from("    fn credentials() -> Credentials {\n        Credentials {\n");
    for s in &ir.security_schemes {
        let value = match &s.kind {
            SecurityKind::ApiKey { .. }
            | SecurityKind::Bearer { .. }
            | SecurityKind::OAuth2 { .. }
            | SecurityKind::OpenIdConnect { .. } => "Some(\"secret\".to_owned())",
            SecurityKind::Basic => {
                "Some(super::api::client::Basic { user: \"user\".to_owned(), password: Some(\"pass\".to_owned()) })"
            }
            SecurityKind::Other { .. } => continue,
        };
        let _ = writeln!(out, "            {}: {value},", s.rust_name);
    }
    out.push_str("            ..Default::default()\n        }\n    }\n");
    out
}

/// Tests that send every reachable operation's example request to a server at the URL in the
/// environment variable `url_var` (Prism, in `tests/prism.rs`): each must be answered with a
/// declared response that decodes, a success one when the operation declares any. `skip`: operations
/// (by name) left out, for the caller to justify.
pub fn server_calls(ir: &Ir, names: &HttpNames, url_var: &str, skip: &[&str]) -> (String, usize) {
    let mut out = String::from("#[allow(deprecated)]\nmod against_server {\n    use super::api::client::*;\n\n");
    let _ = writeln!(
        out,
        "    fn client() -> Client {{\n        \
         let base = std::env::var({url_var:?}).expect(\"{url_var} names the server under test\");\n        \
         Client::new(base).with_credentials(credentials())\n    }}\n"
    );
    out.push_str(&credentials(ir));
    let unreachable = unreachable(ir);
    let mut count = 0;
    for o in names.operations.iter().filter(|o| !unreachable.contains(&o.name) && !skip.contains(&o.name.as_str())) {
        count += 1;
        let success = o.statuses.iter().any(|s| matches!(s, StatusSpec::Code(200..=299) | StatusSpec::Range(2)));
        let (build, send) = match &o.request {
            Some(r) => (format!("let request = {r}::example().expect(\"an example request\");\n        "), "request"),
            None => (String::new(), ""),
        };
        let check = if success {
            "assert!((200..300).contains(&got.status()), \"the server refused the request: {got:?}\");"
        } else {
            "let _ = got.status();"
        };
        let _ = writeln!(
            out,
            "\n    #[tokio::test]\n    async fn {name}() {{\n        \
             {build}let got = client().{method}({send}).await.unwrap_or_else(|e| panic!(\"no declared response: {{e}}\"));\n        \
             {check}\n    }}",
            name = o.name,
            method = o.client_method,
        );
    }
    out.push_str("}\n");
    (out, count)
}
