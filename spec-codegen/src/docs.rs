//! Doc comments from spec descriptions: titles, descriptions and the spec location an item came
//! from, made safe for rustdoc (code fences in descriptions must not become doctests).

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::quote;
use spec_core::diag::Origin;
use spec_core::ir::{Docs, Ir};
use spec_core::source::SourceSet;

/// The line where each type and operation is declared, found before generation in one scan per
/// spec file (locating pointers one at a time would rescan a file per item).
#[derive(Debug, Default)]
pub struct SpecLines {
    by_origin: HashMap<Origin, usize>,
}

impl SpecLines {
    pub fn of(ir: &Ir, sources: &SourceSet) -> SpecLines {
        // Operations are declared once and their responses once (the response enum's origin).
        let responses: Vec<Origin> = ir.operations.iter().map(|o| o.origin.child("responses")).collect();
        let origins: Vec<&Origin> = ir
            .types
            .iter()
            .map(|t| &t.origin)
            .chain(ir.operations.iter().map(|o| &o.origin))
            .chain(&responses)
            .collect();
        let positions = sources.positions(&origins);
        let by_origin = origins.into_iter().zip(positions).filter_map(|(o, p)| Some((o.clone(), p?.line))).collect();
        SpecLines { by_origin }
    }

    pub fn line(&self, origin: &Origin) -> Option<usize> {
        self.by_origin.get(origin).copied()
    }
}

/// Where an item comes from, for its doc comment.
pub struct Declared<'a> {
    pub sources: &'a SourceSet,
    pub lines: &'a SpecLines,
    pub origin: &'a Origin,
}

/// `#[doc]` attributes for an item; `origin` adds a "Spec:" line naming file, JSON pointer and line.
pub fn doc_attrs(docs: &Docs, origin: Option<Declared<'_>>) -> TokenStream {
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
    if let Some(Declared { sources, lines: spec_lines, origin }) = origin {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.push(spec_line(sources, spec_lines, origin));
    }
    let attrs = lines.iter().map(|l| {
        let text = format!(" {l}");
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
}

/// "Spec: `file#pointer`, line N": where an item is declared, for its doc comment.
pub fn spec_line(sources: &SourceSet, lines: &SpecLines, origin: &Origin) -> String {
    let file = &sources.file(origin.file).display;
    let mut line = format!("Spec: `{}#{}`", file.replace('`', "'"), origin.pointer.replace('`', "'"));
    if let Some(n) = lines.line(origin) {
        line.push_str(&format!(", line {n}"));
    }
    line
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
