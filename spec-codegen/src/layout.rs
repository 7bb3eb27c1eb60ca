//! Laying out generated tokens as formatted Rust (`syn` then `prettyplease`), on several threads.
//!
//! prettyplease lays out each item independently, at its module's indentation, so pieces laid
//! out apart and joined in order are byte-identical to one pass over the whole file, whatever the
//! core count: the types in ranges, the HTTP modules in chunks of their items.
//!
//! Tokens (proc_macro2's fallback types) are not `Send`: a piece bound for another thread crosses
//! as text and is lexed again there (lexing is about a quarter of syn's parse of the same code:
//! 0.13 s against 0.52 s for 10 MB).

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

/// `text` (printed tokens) lexed, parsed and formatted.
pub(crate) fn text(text: &str) -> Result<String, GenerateError> {
    let file = syn::parse_file(text).map_err(|e| GenerateError::Unparsable(e.to_string()))?;
    Ok(prettyplease::unparse(&file))
}

/// Top-level modules laid out and joined in order, empty ones left out. Each module's items are
/// cut into chunks, and `threads` workers lay them out: this thread, which holds the tokens, and
/// helpers, to which a chunk crosses as text (tokens are not `Send`). This thread prints a
/// chunk for the helpers when they are short of work, else lays it out itself, which spares
/// printing and lexing it.
///
/// A module used to be laid out whole on one thread: Microsoft Graph beta's server module is
/// 4.8 million lines, and its layout was most of that spec's generation, with the other core
/// idle and syn's tree of all of it in memory at once.
pub(crate) fn modules(modules: Vec<TokenStream>, threads: usize) -> Result<String, GenerateError> {
    let modules: Vec<TokenStream> = modules.into_iter().filter(|m| !m.is_empty()).collect();
    let per_module: Vec<Vec<TokenStream>> = modules.into_iter().map(|m| chunks_of_module(m, threads)).collect();
    let counts: Vec<usize> = per_module.iter().map(Vec::len).collect();
    let chunks = per_module.into_iter().flatten();
    if threads == 1 {
        let mut laid_out = chunks.map(tokens);
        return counts.into_iter().map(|count| join_chunks(laid_out.by_ref().take(count))).collect();
    }
    let (send, receive) = std::sync::mpsc::channel::<(usize, String)>();
    let receive = std::sync::Mutex::new(receive);
    let waiting = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new(std::collections::BTreeMap::new());
    let store = |i: usize, laid_out: Result<String, GenerateError>| {
        if let Ok(mut done) = done.lock() {
            done.insert(i, laid_out);
        }
    };
    let help = || {
        loop {
            let job = receive.lock().map(|r| r.recv());
            let Ok(Ok((i, chunk))) = job else { break };
            waiting.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
            store(i, text(&chunk));
        }
    };
    std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| spawn_deep(scope, help)).collect();
        for (i, chunk) in chunks.enumerate() {
            if waiting.load(std::sync::atomic::Ordering::Relaxed) < threads {
                waiting.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let _ = send.send((i, chunk.to_string()));
            } else {
                store(i, tokens(chunk));
            }
        }
        drop(send);
        help();
        for helper in helpers.into_iter().flatten() {
            let _ = helper.join();
        }
    });
    let mut done = done.into_inner().unwrap_or_default();
    let mut laid_out = (0..).map(|i| done.remove(&i).unwrap_or_else(|| Err(thread_failed("a layout thread panicked"))));
    counts.into_iter().map(|count| join_chunks(laid_out.by_ref().take(count))).collect()
}

/// `tokens` formatted, on this thread.
fn tokens(tokens: TokenStream) -> Result<String, GenerateError> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| GenerateError::Unparsable(e.to_string()))?;
    Ok(prettyplease::unparse(&file))
}

/// Chunks per worker: enough that workers finish together, few enough that a chunk's work is
/// more than its overhead.
const CHUNKS_PER_THREAD: usize = 8;
/// Items in a chunk at least.
const MIN_CHUNK_ITEMS: usize = 32;

/// A top-level `mod` item cut into chunks of whole items: the first chunk is the module with its
/// first items, each other one a module `mod m { … }` of the next items (laid out alike:
/// prettyplease lays each item out on its own, at the module's indentation), joined by
/// [`join_chunks`]. A module that cannot be cut is one chunk.
fn chunks_of_module(module: TokenStream, threads: usize) -> Vec<TokenStream> {
    let Some((head, items)) = split_module(&module) else { return vec![module] };
    let per_chunk = (items.len() / (threads * CHUNKS_PER_THREAD)).max(MIN_CHUNK_ITEMS);
    let mut chunks: Vec<TokenStream> = Vec::with_capacity(items.len() / per_chunk + 1);
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() || chunks.is_empty() {
        let body: TokenStream = items.by_ref().take(per_chunk).collect();
        chunks.push(if chunks.is_empty() { quote::quote!(#head { #body }) } else { quote::quote!(mod m { #body }) });
    }
    chunks
}

/// The laid-out chunks of one module as the module laid out whole: the first one's closing
/// brace and the others' `mod m {` and closing brace dropped.
fn join_chunks(chunks: impl Iterator<Item = Result<String, GenerateError>>) -> Result<String, GenerateError> {
    let mut out = String::new();
    let mut count = 0;
    for (i, chunk) in chunks.enumerate() {
        let chunk = chunk?;
        let body = if i == 0 { chunk.as_str() } else { chunk.split_once('\n').map_or("", |(_, rest)| rest) };
        out.push_str(body.strip_suffix("}\n").unwrap_or(body));
        count += 1;
    }
    if count > 0 {
        out.push_str("}\n");
    }
    Ok(out)
}

/// A `mod name { items }` item (with attributes) as its head and its items, cut where an item
/// ends at the top level of the body: after a `;`, or after a brace group followed by what
/// starts an item (a `static`'s struct literal is followed by `;`, an expression's block by an
/// operator).
/// `None` when the tokens are not such a module.
fn split_module(module: &TokenStream) -> Option<(TokenStream, Vec<TokenStream>)> {
    use proc_macro2::{Delimiter, TokenTree};
    let mut trees: Vec<TokenTree> = module.clone().into_iter().collect();
    let body = match trees.pop()? {
        TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => g.stream(),
        _ => return None,
    };
    let is_mod = trees.iter().rev().nth(1).is_some_and(|t| matches!(t, TokenTree::Ident(i) if i == "mod"));
    if !is_mod {
        return None;
    }
    let mut items = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut body = body.into_iter().peekable();
    while let Some(tree) = body.next() {
        let ends = match &tree {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace && starts_item(body.peek()),
            _ => false,
        };
        current.push(tree);
        if ends {
            items.push(current.drain(..).collect());
        }
    }
    if !current.is_empty() {
        items.push(current.into_iter().collect());
    }
    Some((trees.into_iter().collect(), items))
}

/// Whether `next` (the token after a brace group) starts an item, or ends the module.
fn starts_item(next: Option<&proc_macro2::TokenTree>) -> bool {
    use proc_macro2::TokenTree;
    match next {
        None => true,
        Some(TokenTree::Punct(p)) => p.as_char() == '#',
        Some(TokenTree::Ident(i)) => matches!(
            i.to_string().as_str(),
            "pub"
                | "fn"
                | "impl"
                | "struct"
                | "enum"
                | "mod"
                | "static"
                | "const"
                | "use"
                | "type"
                | "trait"
                | "async"
                | "unsafe"
                | "extern"
                | "macro_rules"
                | "union"
        ),
        Some(_) => false,
    }
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
