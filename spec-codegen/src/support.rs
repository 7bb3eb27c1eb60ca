//! The support module written into every output: the few helpers generated types share, emitted
//! once per output (and only those the output uses) instead of repeated per type.

use proc_macro2::TokenStream;

/// Which helpers an output needs; set while its items are generated.
#[derive(Debug, Default, Clone, Copy)]
pub struct SupportNeeds {
    pub constraint_error: bool,
    pub length: bool,
    pub pattern: bool,
    pub int_range: bool,
    pub float_range: bool,
    pub multiple_of_int: bool,
    pub multiple_of_float: bool,
    pub items: bool,
    pub properties: bool,
    pub unique: bool,
    pub one_of_int: bool,
    pub one_of_json: bool,
    pub nullable: bool,
    pub double_option: bool,
    pub tagged: bool,
    pub base64: bool,
}

const CONSTRAINT_ERROR: &str = r#"
    /// A value broke a constraint of its schema; the message says which.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ConstraintError(pub ::std::string::String);

    impl ::std::fmt::Display for ConstraintError {
        fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(&self.0)
        }
    }

    impl ::std::error::Error for ConstraintError {}

    fn fail<T>(message: ::std::string::String) -> ::std::result::Result<T, ConstraintError> {
        ::std::result::Result::Err(ConstraintError(message))
    }
"#;

const LENGTH: &str = r#"
    /// `minLength` / `maxLength`, counted in characters as JSON Schema specifies.
    pub fn length(value: &str, min: ::std::option::Option<u64>, max: ::std::option::Option<u64>) -> ::std::result::Result<(), ConstraintError> {
        let n = value.chars().count() as u64;
        if let ::std::option::Option::Some(min) = min {
            if n < min {
                return fail(::std::format!("must be at least {min} characters long, got {n}"));
            }
        }
        if let ::std::option::Option::Some(max) = max {
            if n > max {
                return fail(::std::format!("must be at most {max} characters long, got {n}"));
            }
        }
        ::std::result::Result::Ok(())
    }
"#;

const PATTERN: &str = r#"
    /// `pattern`, an ECMA-262 regular expression (not Rust regex syntax), compiled once with the
    /// flags the generator chose (`u` unless the pattern needs legacy syntax).
    pub fn pattern(
        value: &str,
        source: &'static str,
        flags: &'static str,
        cache: &'static ::std::sync::OnceLock<::std::option::Option<::regress::Regex>>,
    ) -> ::std::result::Result<(), ConstraintError> {
        match cache.get_or_init(|| ::regress::Regex::with_flags(source, flags).ok()) {
            ::std::option::Option::Some(re) if re.find(value).is_some() => ::std::result::Result::Ok(()),
            ::std::option::Option::Some(_) => fail(::std::format!("must match the pattern `{source}`")),
            ::std::option::Option::None => fail(::std::format!("the pattern `{source}` does not compile")),
        }
    }
"#;

const INT_RANGE: &str = r#"
    /// Integer bounds, already adjusted for exclusiveness.
    pub fn int_range(value: i128, min: ::std::option::Option<i128>, max: ::std::option::Option<i128>) -> ::std::result::Result<(), ConstraintError> {
        if let ::std::option::Option::Some(min) = min {
            if value < min {
                return fail(::std::format!("must be at least {min}, got {value}"));
            }
        }
        if let ::std::option::Option::Some(max) = max {
            if value > max {
                return fail(::std::format!("must be at most {max}, got {value}"));
            }
        }
        ::std::result::Result::Ok(())
    }
"#;

const FLOAT_RANGE: &str = r#"
    /// Number bounds: `(bound, exclusive)`.
    pub fn float_range(value: f64, min: ::std::option::Option<(f64, bool)>, max: ::std::option::Option<(f64, bool)>) -> ::std::result::Result<(), ConstraintError> {
        if let ::std::option::Option::Some((min, exclusive)) = min {
            if value < min || (exclusive && value == min) {
                let word = if exclusive { "above" } else { "at least" };
                return fail(::std::format!("must be {word} {min}, got {value}"));
            }
        }
        if let ::std::option::Option::Some((max, exclusive)) = max {
            if value > max || (exclusive && value == max) {
                let word = if exclusive { "below" } else { "at most" };
                return fail(::std::format!("must be {word} {max}, got {value}"));
            }
        }
        ::std::result::Result::Ok(())
    }
"#;

const MULTIPLE_OF_INT: &str = r#"
    pub fn multiple_of_int(value: i128, factor: i128) -> ::std::result::Result<(), ConstraintError> {
        if factor != 0 && value % factor != 0 {
            return fail(::std::format!("must be a multiple of {factor}, got {value}"));
        }
        ::std::result::Result::Ok(())
    }
"#;

const MULTIPLE_OF_FLOAT: &str = r#"
    /// `multipleOf` for numbers, with a relative tolerance for binary floating point.
    pub fn multiple_of_float(value: f64, factor: f64) -> ::std::result::Result<(), ConstraintError> {
        let quotient = value / factor;
        if (quotient - quotient.round()).abs() > 1e-9 * quotient.abs().max(1.0) {
            return fail(::std::format!("must be a multiple of {factor}, got {value}"));
        }
        ::std::result::Result::Ok(())
    }
"#;

const ITEMS: &str = r#"
    /// `minItems` / `maxItems`.
    pub fn items(len: usize, min: ::std::option::Option<u64>, max: ::std::option::Option<u64>) -> ::std::result::Result<(), ConstraintError> {
        let n = len as u64;
        if let ::std::option::Option::Some(min) = min {
            if n < min {
                return fail(::std::format!("must have at least {min} items, got {n}"));
            }
        }
        if let ::std::option::Option::Some(max) = max {
            if n > max {
                return fail(::std::format!("must have at most {max} items, got {n}"));
            }
        }
        ::std::result::Result::Ok(())
    }
"#;

const PROPERTIES: &str = r#"
    /// `minProperties` / `maxProperties` of a map.
    pub fn properties(len: usize, min: ::std::option::Option<u64>, max: ::std::option::Option<u64>) -> ::std::result::Result<(), ConstraintError> {
        let n = len as u64;
        if let ::std::option::Option::Some(min) = min {
            if n < min {
                return fail(::std::format!("must have at least {min} members, got {n}"));
            }
        }
        if let ::std::option::Option::Some(max) = max {
            if n > max {
                return fail(::std::format!("must have at most {max} members, got {n}"));
            }
        }
        ::std::result::Result::Ok(())
    }
"#;

const UNIQUE: &str = r#"
    /// `uniqueItems`.
    pub fn unique<T: ::std::cmp::PartialEq>(items: &[T]) -> ::std::result::Result<(), ConstraintError> {
        for (i, a) in items.iter().enumerate() {
            if items[..i].contains(a) {
                return fail(::std::format!("items must be unique; item {i} repeats an earlier one"));
            }
        }
        ::std::result::Result::Ok(())
    }
"#;

const ONE_OF_INT: &str = r#"
    /// `enum` over integers.
    pub fn one_of_int(value: i128, allowed: &[i128]) -> ::std::result::Result<(), ConstraintError> {
        if allowed.contains(&value) {
            return ::std::result::Result::Ok(());
        }
        fail(::std::format!("must be one of {allowed:?}, got {value}"))
    }
"#;

const ONE_OF_JSON: &str = r#"
    /// `enum` / `const` over other values, compared as JSON.
    pub fn one_of_json<T: ::serde::Serialize>(value: &T, allowed_json: &str) -> ::std::result::Result<(), ConstraintError> {
        let value = ::serde_json::to_value(value).map_err(|e| ConstraintError(e.to_string()))?;
        let allowed: ::std::vec::Vec<::serde_json::Value> =
            ::serde_json::from_str(allowed_json).map_err(|e| ConstraintError(e.to_string()))?;
        if allowed.contains(&value) {
            return ::std::result::Result::Ok(());
        }
        fail(::std::format!("must be one of {allowed_json}, got {value}"))
    }
"#;

const NULLABLE: &str = r#"
    /// A required member that may be `null`: present-but-null is `None`, absent is an error.
    pub fn nullable<'de, D, T>(deserializer: D) -> ::std::result::Result<::std::option::Option<T>, D::Error>
    where
        D: ::serde::Deserializer<'de>,
        T: ::serde::Deserialize<'de>,
    {
        <::std::option::Option<T> as ::serde::Deserialize>::deserialize(deserializer)
    }
"#;

const DOUBLE_OPTION: &str = r#"
    /// An optional member that may be `null`: absent is `None`, `null` is `Some(None)`.
    pub fn double_option<'de, D, T>(deserializer: D) -> ::std::result::Result<::std::option::Option<::std::option::Option<T>>, D::Error>
    where
        D: ::serde::Deserializer<'de>,
        T: ::serde::Deserialize<'de>,
    {
        <::std::option::Option<T> as ::serde::Deserialize>::deserialize(deserializer).map(::std::option::Option::Some)
    }
"#;

const TAGGED: &str = r#"
    /// Serializes a variant of a discriminated union, adding the discriminator member when the
    /// variant's own type does not carry it.
    pub fn serialize_tagged<S, T>(serializer: S, property: &str, tag: &str, value: &T) -> ::std::result::Result<S::Ok, S::Error>
    where
        S: ::serde::Serializer,
        T: ::serde::Serialize,
    {
        let mut json = ::serde_json::to_value(value).map_err(<S::Error as ::serde::ser::Error>::custom)?;
        if let ::serde_json::Value::Object(map) = &mut json {
            map.entry(property).or_insert_with(|| ::serde_json::Value::String(tag.into()));
        }
        ::serde::Serialize::serialize(&json, serializer)
    }

    /// Reads a discriminated union's JSON and returns the discriminator value (`None` when the
    /// value is not an object or has no such member) with the whole value, which the chosen variant then
    /// deserializes (discriminator member included).
    pub fn read_tagged<'de, D>(deserializer: D, property: &str) -> ::std::result::Result<(::std::option::Option<::std::string::String>, ::serde_json::Value), D::Error>
    where
        D: ::serde::Deserializer<'de>,
    {
        let json = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
        let tag = match json.get(property) {
            ::std::option::Option::Some(::serde_json::Value::String(tag)) => ::std::option::Option::Some(tag.clone()),
            // Not an object, or one without the member: GitHub's contents union maps `array` to
            // a variant that is a list.
            ::std::option::Option::None => ::std::option::Option::None,
            ::std::option::Option::Some(_) => {
                return ::std::result::Result::Err(<D::Error as ::serde::de::Error>::custom(format_args!("the `{property}` member must be a string")));
            }
        };
        ::std::result::Result::Ok((tag, json))
    }

    /// A discriminated union's object without its discriminator: the first variant it fits, as
    /// `oneOf` alone reads it.
    pub fn untagged<T, E>(json: ::serde_json::Value, property: &'static str, tries: &[fn(::serde_json::Value) -> ::std::result::Result<T, E>]) -> ::std::result::Result<T, E>
    where
        E: ::serde::de::Error,
    {
        for try_variant in tries {
            if let ::std::result::Result::Ok(value) = try_variant(json.clone()) {
                return ::std::result::Result::Ok(value);
            }
        }
        ::std::result::Result::Err(E::missing_field(property))
    }

    /// Deserializes the chosen variant of a discriminated union.
    pub fn variant<T, E>(json: ::serde_json::Value) -> ::std::result::Result<T, E>
    where
        T: ::serde::de::DeserializeOwned,
        E: ::serde::de::Error,
    {
        ::serde_json::from_value(json).map_err(E::custom)
    }
"#;

const BASE64: &str = r#"
    /// Bytes carried as base64 text (`format: byte`). Decoding accepts the standard and URL-safe
    /// alphabets, padded or not; encoding writes standard padded base64.
    #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
    pub struct Base64(pub ::std::vec::Vec<u8>);

    impl ::serde::Serialize for Base64 {
        fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
            use ::base64::Engine as _;
            serializer.serialize_str(&::base64::engine::general_purpose::STANDARD.encode(&self.0))
        }
    }

    impl<'de> ::serde::Deserialize<'de> for Base64 {
        fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
            use ::base64::Engine as _;
            let text = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
            let config = ::base64::engine::GeneralPurposeConfig::new()
                .with_decode_padding_mode(::base64::engine::DecodePaddingMode::Indifferent);
            let standard = ::base64::engine::GeneralPurpose::new(&::base64::alphabet::STANDARD, config);
            let url_safe = ::base64::engine::GeneralPurpose::new(&::base64::alphabet::URL_SAFE, config);
            standard
                .decode(text.as_bytes())
                .or_else(|_| url_safe.decode(text.as_bytes()))
                .map(Base64)
                .map_err(<D::Error as ::serde::de::Error>::custom)
        }
    }
"#;

impl SupportNeeds {
    /// The helpers either needs (generation in several pieces merges their needs).
    pub fn merge(&mut self, o: SupportNeeds) {
        self.constraint_error |= o.constraint_error;
        self.length |= o.length;
        self.pattern |= o.pattern;
        self.int_range |= o.int_range;
        self.float_range |= o.float_range;
        self.multiple_of_int |= o.multiple_of_int;
        self.multiple_of_float |= o.multiple_of_float;
        self.items |= o.items;
        self.properties |= o.properties;
        self.unique |= o.unique;
        self.one_of_int |= o.one_of_int;
        self.one_of_json |= o.one_of_json;
        self.nullable |= o.nullable;
        self.double_option |= o.double_option;
        self.tagged |= o.tagged;
        self.base64 |= o.base64;
    }

    pub fn any(&self) -> bool {
        self.constraint_error || self.nullable || self.double_option || self.tagged || self.base64
    }

    /// The `pub mod support { … }` item, or nothing when no helper is needed.
    pub fn module(&self) -> TokenStream {
        if !self.any() {
            return TokenStream::new();
        }
        let pieces: [(bool, &str); 16] = [
            (self.constraint_error, CONSTRAINT_ERROR),
            (self.length, LENGTH),
            (self.pattern, PATTERN),
            (self.int_range, INT_RANGE),
            (self.float_range, FLOAT_RANGE),
            (self.multiple_of_int, MULTIPLE_OF_INT),
            (self.multiple_of_float, MULTIPLE_OF_FLOAT),
            (self.items, ITEMS),
            (self.properties, PROPERTIES),
            (self.unique, UNIQUE),
            (self.one_of_int, ONE_OF_INT),
            (self.one_of_json, ONE_OF_JSON),
            (self.nullable, NULLABLE),
            (self.double_option, DOUBLE_OPTION),
            (self.tagged, TAGGED),
            (self.base64, BASE64),
        ];
        let mut source = String::new();
        for (needed, text) in pieces {
            if needed {
                source.push_str(text);
            }
        }
        let body: TokenStream = source.parse().expect("support snippets are valid Rust (checked by tests)");
        quote::quote! {
            /// Helpers shared by the generated types.
            // Nested `if let` reads the same in every edition; 2024's clippy would ask for let chains.
            #[allow(clippy::collapsible_if)]
            pub mod support {
                #body
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_snippet_parses() {
        let all = SupportNeeds {
            constraint_error: true,
            length: true,
            pattern: true,
            int_range: true,
            float_range: true,
            multiple_of_int: true,
            multiple_of_float: true,
            items: true,
            properties: true,
            unique: true,
            one_of_int: true,
            one_of_json: true,
            nullable: true,
            double_option: true,
            tagged: true,
            base64: true,
        };
        let tokens = all.module();
        syn::parse2::<syn::File>(tokens).expect("support module parses");
    }
}
