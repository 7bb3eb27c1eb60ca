//! Rust names for spec names: casing with heck, keyword and prelude avoidance, and deterministic
//! de-duplication (the first claimant keeps the plain name, later ones get `2`, `3`, …).

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords of every edition, strict and reserved: never usable as plain identifiers.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Type names generated code must not shadow, because user code that includes the output (and
/// derive macros) may refer to them unqualified.
pub(crate) const RESERVED_TYPES: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "ToString",
    "ToOwned",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Debug",
    "Display",
    "Serialize",
    "Deserialize",
    "Deserializer",
    "Serializer",
    "Value",
    "Map",
    "BTreeMap",
    "HashMap",
];

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Keeps ASCII letters and digits; other characters become word breaks. Non-ASCII text is
/// transliterated first (`Café` → `Cafe`, `größe` → `grosse`), so names stay readable and ASCII:
/// non-ASCII identifiers trip rustc's confusable-identifier lints in user crates.
fn ascii_words(raw: &str) -> String {
    let text = if raw.is_ascii() {
        std::borrow::Cow::Borrowed(raw)
    } else {
        std::borrow::Cow::Owned(deunicode::deunicode(raw))
    };
    text.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect()
}

/// PascalCase type or variant name for `raw`; `fallback` when nothing ASCII is left.
pub fn pascal(raw: &str, fallback: &str) -> String {
    let mut name = ascii_words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    if RESERVED_TYPES.contains(&name.as_str()) || is_keyword(&name) {
        name.push_str("Value");
    }
    name
}

/// snake_case field, parameter or method name for `raw`.
pub fn snake(raw: &str, fallback: &str) -> String {
    // heck splits "HTTPServer" into "http_server", which is what users expect.
    let mut name = ascii_words(raw).to_snake_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if is_keyword(&name) || name == "_" {
        name.push('_');
    }
    name
}

/// A scope of names that must be unique (a module's types, a struct's fields, …).
#[derive(Debug, Default, Clone)]
pub struct Scope {
    used: HashSet<String>,
}

impl Scope {
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Scope { used: reserved.into_iter().map(str::to_owned).collect() }
    }

    /// Claims `name`, or the first free `name2`, `name3`, … (`name_2` when `snake` is set).
    pub fn claim(&mut self, name: String, snake: bool) -> String {
        if self.used.insert(name.clone()) {
            return name;
        }
        for n in 2.. {
            let candidate = if snake { format!("{name}_{n}") } else { format!("{name}{n}") };
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
        unreachable!("an unbounded counter always finds a free name")
    }

    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casing_and_escapes() {
        assert_eq!(pascal("pet-store", "T"), "PetStore");
        assert_eq!(pascal("200", "T"), "V200");
        assert_eq!(pascal("String", "T"), "StringValue");
        assert_eq!(pascal("🐶", "Variant"), "Dog");
        assert_eq!(pascal("Café", "T"), "Cafe");
        assert_eq!(snake("größe", "f"), "grosse");
        assert_eq!(pascal("\u{0}", "Variant"), "Variant");
        assert_eq!(pascal("self", "T"), "SelfValue");
        assert_eq!(snake("petId", "f"), "pet_id");
        assert_eq!(snake("type", "f"), "type_");
        assert_eq!(snake("2fa", "f"), "_2fa");
        assert_eq!(snake("", "field"), "field");
        assert_eq!(snake("$ref", "f"), "ref_");
    }

    #[test]
    fn scope_is_deterministic() {
        let mut s = Scope::default();
        assert_eq!(s.claim("User".into(), false), "User");
        assert_eq!(s.claim("User".into(), false), "User2");
        assert_eq!(s.claim("User".into(), false), "User3");
        let mut f = Scope::default();
        assert_eq!(f.claim("foo_bar".into(), true), "foo_bar");
        assert_eq!(f.claim("foo_bar".into(), true), "foo_bar_2");
    }
}
