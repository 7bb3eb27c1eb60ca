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
pub(crate) fn text(text: &str) -> Result<String, GenerateError> {
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

/// Generated items in output order: tokens still to lay out, and text already laid out
/// (`laid_out`).
#[derive(Default)]
pub(crate) struct Items {
    chunks: Vec<Chunk>,
}

enum Chunk {
    Tokens(TokenStream),
    Text(crate::laid_out::Text),
}

/// Items laid out, with the time syn's parsing and prettyplease's layout took.
pub(crate) struct LaidOut {
    pub code: String,
    pub syntax: std::time::Duration,
    pub format: std::time::Duration,
}

impl Items {
    pub(crate) fn tokens(&mut self, tokens: TokenStream) {
        if tokens.is_empty() {
            return;
        }
        match self.chunks.last_mut() {
            Some(Chunk::Tokens(last)) => last.extend(tokens),
            _ => self.chunks.push(Chunk::Tokens(tokens)),
        }
    }

    /// Where to write the next text.
    pub(crate) fn text(&mut self) -> &mut crate::laid_out::Text {
        if !matches!(self.chunks.last(), Some(Chunk::Text(_))) {
            self.chunks.push(Chunk::Text(crate::laid_out::Text::new()));
        }
        match self.chunks.last_mut() {
            Some(Chunk::Text(text)) => text,
            _ => unreachable!("a text chunk was just pushed"),
        }
    }

    /// All of it as tokens, the text lexed (for the proc macro, which hands tokens to rustc).
    pub(crate) fn into_tokens(self) -> Result<TokenStream, GenerateError> {
        let mut out = TokenStream::new();
        for chunk in self.chunks {
            match chunk {
                Chunk::Tokens(tokens) => out.extend(tokens),
                Chunk::Text(text) => out.extend(
                    text.into_string().parse::<TokenStream>().map_err(|e| GenerateError::Unparsable(e.to_string()))?,
                ),
            }
        }
        Ok(out)
    }

    /// All of it formatted, on this thread.
    pub(crate) fn lay_out(self) -> Result<LaidOut, GenerateError> {
        let mut out =
            LaidOut { code: String::new(), syntax: std::time::Duration::ZERO, format: std::time::Duration::ZERO };
        for chunk in self.chunks {
            let started = std::time::Instant::now();
            match chunk {
                Chunk::Tokens(tokens) => {
                    let file: syn::File = syn::parse2(tokens).map_err(|e| GenerateError::Unparsable(e.to_string()))?;
                    let parsed = std::time::Instant::now();
                    out.syntax += parsed - started;
                    out.code.push_str(&prettyplease::unparse(&file));
                    out.format += parsed.elapsed();
                }
                Chunk::Text(text) => {
                    out.code.push_str(&text.finish()?);
                    out.format += started.elapsed();
                }
            }
        }
        Ok(out)
    }
}
