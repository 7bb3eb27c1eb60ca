//! Doc comments from spec descriptions: titles, descriptions and the spec location an item came
//! from, made safe for rustdoc (code fences in descriptions must not become doctests).

use proc_macro2::TokenStream;
use quote::quote;
use spec_core::diag::Origin;
use spec_core::ir::Docs;
use spec_core::source::SourceSet;

/// `#[doc]` attributes for an item; `origin` adds a "Spec:" line naming file and JSON pointer.
pub fn doc_attrs(docs: &Docs, origin: Option<(&SourceSet, &Origin)>) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    if let Some(title) = &docs.title {
        lines.extend(sanitize(title));
    }
    if let Some(description) = &docs.description {
        if docs.title.as_deref() != Some(description.as_str()) {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(sanitize(description));
        }
    }
    if let Some((sources, origin)) = origin {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        let file = &sources.file(origin.file).display;
        lines.push(format!("Spec: `{}#{}`", file.replace('`', "'"), origin.pointer.replace('`', "'")));
    }
    let attrs = lines.iter().map(|l| {
        let text = format!(" {l}");
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
}

/// Lines of spec prose as rustdoc Markdown that cannot run as a doctest: fenced blocks are marked
/// `text`, and indented blocks (which rustdoc would also compile) are unindented.
fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // rustdoc refuses a bare carriage return in a doc comment; old Mac line ends become lines.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if in_fence {
                out.push("```".to_owned());
            } else {
                out.push("```text".to_owned());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
        } else {
            out.push(trimmed.trim_end().to_owned());
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carriage_returns_become_line_breaks() {
        assert_eq!(sanitize("a\rb\r\nc"), ["a", "b", "c"]);
        assert_eq!(sanitize("```\rx\r```"), ["```text", "x", "```"]);
    }
}
