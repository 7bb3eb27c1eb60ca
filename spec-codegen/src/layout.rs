//! Laying out generated tokens as formatted Rust (`syn` then `prettyplease`), on several threads.
//!
//! prettyplease lays out each top-level item independently, so pieces laid out apart and joined in
//! order are byte-identical to one pass over the whole file, whatever the core count.
//!
//! Tokens (proc_macro2's fallback types) are not `Send`: a piece bound for another thread crosses
//! as text and is lexed again there. The calling thread lays out the largest HTTP module itself,
//! straight from its tokens, which saves printing it and lexing it again (lexing alone was a
//! quarter of syn's parse of the same 10 MB of generated code: 0.13 s against 0.52 s).

use proc_macro2::TokenStream;

use crate::GenerateError;

/// Stack for the generator's threads. syn and prettyplease recurse as deep as the code nests, and
/// the default 2 MiB of a spawned thread overflowed on Microsoft Graph's server and client
/// modules (the main thread's 8 MiB did not). Only the pages a thread touches are committed.
const THREAD_STACK: usize = 256 << 20;

pub(crate) fn spawn_deep<'scope, 'env, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    f: impl FnOnce() -> T + Send + 'scope,
) -> std::io::Result<std::thread::ScopedJoinHandle<'scope, T>> {
    std::thread::Builder::new().stack_size(THREAD_STACK).spawn_scoped(scope, f)
}

/// The result of a thread started by [`spawn_deep`], a failure to start or a panic included.
pub(crate) fn join<T>(
    handle: std::io::Result<std::thread::ScopedJoinHandle<'_, Result<T, GenerateError>>>,
    what: &str,
) -> Result<T, GenerateError> {
    match handle {
        Ok(h) => h.join().unwrap_or_else(|_| Err(thread_failed(&format!("a {what} thread panicked")))),
        Err(e) => Err(thread_failed(&format!("cannot start a {what} thread: {e}"))),
    }
}

fn thread_failed(what: &str) -> GenerateError {
    GenerateError::Unparsable(what.to_owned())
}

/// Threads worth starting: more than eight only add memory.
pub(crate) fn parallelism() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(8)
}

/// `tokens` formatted, on this thread.
pub(crate) fn tokens(tokens: TokenStream) -> Result<String, GenerateError> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| GenerateError::Unparsable(e.to_string()))?;
    Ok(prettyplease::unparse(&file))
}

/// `text` (printed tokens) lexed, parsed and formatted.
fn text(text: &str) -> Result<String, GenerateError> {
    let file = syn::parse_file(text).map_err(|e| GenerateError::Unparsable(e.to_string()))?;
    Ok(prettyplease::unparse(&file))
}

/// Top-level modules laid out and joined in order: the one at `local` on this thread from its
/// tokens, every other one on a thread of its own from its text. Empty modules are left out. With
/// one thread (see [`parallelism`]), all of them on this thread from their tokens.
pub(crate) fn modules<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    modules: Vec<TokenStream>,
    local: usize,
    threads: usize,
) -> Result<String, GenerateError> {
    if threads == 1 {
        return modules.into_iter().filter(|m| !m.is_empty()).map(tokens).collect();
    }
    let mut here = TokenStream::new();
    let mut handles = Vec::with_capacity(modules.len());
    for (i, module) in modules.into_iter().enumerate() {
        if module.is_empty() {
            continue;
        }
        if i == local {
            here = module;
            handles.push(None);
        } else {
            let printed = module.to_string();
            handles.push(Some(spawn_deep(scope, move || text(&printed))));
        }
    }
    let mut here = Some(tokens(here));
    let mut out = String::new();
    for handle in handles {
        let laid_out = match handle {
            Some(h) => join(h, "layout")?,
            None => here.take().unwrap_or_else(|| Ok(String::new()))?,
        };
        out.push_str(&laid_out);
    }
    Ok(out)
}
