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
    pub objects: bool,
    pub other_members: bool,
    pub unit_enum: bool,
    pub write_objects: bool,
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
    fn fail<T>(
        message: ::std::string::String,
    ) -> ::std::result::Result<T, ConstraintError> {
        ::std::result::Result::Err(ConstraintError(message))
    }
    /// A constrained newtype's `Deserialize`: the wrapped value, then its checks (`TryFrom`).
    pub fn checked<'de, D, I, T>(deserializer: D) -> ::std::result::Result<T, D::Error>
    where
        D: ::serde::Deserializer<'de>,
        I: ::serde::Deserialize<'de>,
        T: ::std::convert::TryFrom<I, Error = ConstraintError>,
    {
        let value = I::deserialize(deserializer)?;
        T::try_from(value).map_err(<D::Error as ::serde::de::Error>::custom)
    }
"#;

const LENGTH: &str = r#"
    /// `minLength` / `maxLength`, counted in characters as JSON Schema specifies.
    pub fn length(
        value: &str,
        min: ::std::option::Option<u64>,
        max: ::std::option::Option<u64>,
    ) -> ::std::result::Result<(), ConstraintError> {
        let n = value.chars().count() as u64;
        if let ::std::option::Option::Some(min) = min {
            if n < min {
                return fail(
                    ::std::format!("must be at least {min} characters long, got {n}"),
                );
            }
        }
        if let ::std::option::Option::Some(max) = max {
            if n > max {
                return fail(
                    ::std::format!("must be at most {max} characters long, got {n}"),
                );
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
            ::std::option::Option::Some(re) if re.find(value).is_some() => {
                ::std::result::Result::Ok(())
            }
            ::std::option::Option::Some(_) => {
                fail(::std::format!("must match the pattern `{source}`"))
            }
            ::std::option::Option::None => {
                fail(::std::format!("the pattern `{source}` does not compile"))
            }
        }
    }
"#;

const INT_RANGE: &str = r#"
    /// Integer bounds, already adjusted for exclusiveness.
    pub fn int_range(
        value: i128,
        min: ::std::option::Option<i128>,
        max: ::std::option::Option<i128>,
    ) -> ::std::result::Result<(), ConstraintError> {
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
    pub fn float_range(
        value: f64,
        min: ::std::option::Option<(f64, bool)>,
        max: ::std::option::Option<(f64, bool)>,
    ) -> ::std::result::Result<(), ConstraintError> {
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
    pub fn multiple_of_int(
        value: i128,
        factor: i128,
    ) -> ::std::result::Result<(), ConstraintError> {
        if factor != 0 && value % factor != 0 {
            return fail(::std::format!("must be a multiple of {factor}, got {value}"));
        }
        ::std::result::Result::Ok(())
    }
"#;

const MULTIPLE_OF_FLOAT: &str = r#"
    /// `multipleOf` for numbers, with a relative tolerance for binary floating point.
    pub fn multiple_of_float(
        value: f64,
        factor: f64,
    ) -> ::std::result::Result<(), ConstraintError> {
        let quotient = value / factor;
        if (quotient - quotient.round()).abs() > 1e-9 * quotient.abs().max(1.0) {
            return fail(::std::format!("must be a multiple of {factor}, got {value}"));
        }
        ::std::result::Result::Ok(())
    }
"#;

const ITEMS: &str = r#"
    /// `minItems` / `maxItems`.
    pub fn items(
        len: usize,
        min: ::std::option::Option<u64>,
        max: ::std::option::Option<u64>,
    ) -> ::std::result::Result<(), ConstraintError> {
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
    pub fn properties(
        len: usize,
        min: ::std::option::Option<u64>,
        max: ::std::option::Option<u64>,
    ) -> ::std::result::Result<(), ConstraintError> {
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
    pub fn unique<T: ::std::cmp::PartialEq>(
        items: &[T],
    ) -> ::std::result::Result<(), ConstraintError> {
        for (i, a) in items.iter().enumerate() {
            if items[..i].contains(a) {
                return fail(
                    ::std::format!(
                        "items must be unique; item {i} repeats an earlier one"
                    ),
                );
            }
        }
        ::std::result::Result::Ok(())
    }
"#;

const ONE_OF_INT: &str = r#"
    /// `enum` over integers.
    pub fn one_of_int(
        value: i128,
        allowed: &[i128],
    ) -> ::std::result::Result<(), ConstraintError> {
        if allowed.contains(&value) {
            return ::std::result::Result::Ok(());
        }
        fail(::std::format!("must be one of {allowed:?}, got {value}"))
    }
"#;

const ONE_OF_JSON: &str = r#"
    /// `enum` / `const` over other values, compared as JSON.
    pub fn one_of_json<T: ::serde::Serialize>(
        value: &T,
        allowed_json: &str,
    ) -> ::std::result::Result<(), ConstraintError> {
        let value = ::serde_json::to_value(value)
            .map_err(|e| ConstraintError(e.to_string()))?;
        let allowed: ::std::vec::Vec<::serde_json::Value> = ::serde_json::from_str(
                allowed_json,
            )
            .map_err(|e| ConstraintError(e.to_string()))?;
        if allowed.contains(&value) {
            return ::std::result::Result::Ok(());
        }
        fail(::std::format!("must be one of {allowed_json}, got {value}"))
    }
"#;

// The structs' serde impls are written out by the generator rather than derived: serde's
// `Deserialize` derive emits a field enum, a field visitor and a sequence visitor per struct, and
// its per-member `?` branches each drop every slot read so far; type- and borrow-checking that code
// was most of a generated crate's `cargo check`. Here a member costs one call with no branch:
// `Reader` keeps the first error and stops reading, and the struct ends with it.
const OBJECTS: &str = r#"
    /// A struct read from a JSON object member by member.
    pub trait FromObject: ::std::marker::Sized {
        /// What the error for a value of another JSON type says was expected.
        const EXPECTING: &'static str;
        fn from_object<'de, A: ::serde::de::MapAccess<'de>>(
            map: A,
        ) -> ::std::result::Result<Self, A::Error>;
    }
    struct ObjectVisitor<T>(::std::marker::PhantomData<T>);
    impl<'de, T: FromObject> ::serde::de::Visitor<'de> for ObjectVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str(T::EXPECTING)
        }
        fn visit_map<A: ::serde::de::MapAccess<'de>>(
            self,
            map: A,
        ) -> ::std::result::Result<T, A::Error> {
            T::from_object(map)
        }
    }
    /// A struct's `Deserialize`: a JSON object, never an array.
    pub fn object<'de, D: ::serde::Deserializer<'de>, T: FromObject>(
        deserializer: D,
    ) -> ::std::result::Result<T, D::Error> {
        deserializer.deserialize_map(ObjectVisitor(::std::marker::PhantomData))
    }
    /// Reads an object's members into a struct's slots, keeping the first error.
    pub struct Reader<'de, A: ::serde::de::MapAccess<'de>> {
        map: A,
        /// The struct's member names, sorted.
        names: &'static [&'static str],
        /// Whether a member the struct does not name is an error (`additionalProperties: false`).
        deny: bool,
        error: ::std::option::Option<A::Error>,
        /// The index of the last member read that the struct names (for `field`'s errors).
        current: usize,
        de: ::std::marker::PhantomData<&'de ()>,
    }
    impl<'de, A: ::serde::de::MapAccess<'de>> Reader<'de, A> {
        pub fn new(map: A, names: &'static [&'static str], deny: bool) -> Self {
            Reader {
                map,
                names,
                deny,
                error: ::std::option::Option::None,
                current: 0,
                de: ::std::marker::PhantomData,
            }
        }
        /// The next member's index in the sorted names (`usize::MAX` for one the struct does not
        /// name); `None` at the end or after an error.
        pub fn next_key(&mut self) -> ::std::option::Option<usize> {
            match self.next(false)? {
                Member::Named(index) => ::std::option::Option::Some(index),
                Member::Other(_) => ::std::option::Option::Some(usize::MAX),
            }
        }
        /// Reads the value of the member just named into its slot; a member given twice is an
        /// error, as with serde's derive.
        pub fn field<T: ::serde::Deserialize<'de>>(
            &mut self,
            slot: &mut ::std::option::Option<T>,
        ) {
            if slot.is_some() {
                let name = self.names.get(self.current).copied().unwrap_or_default();
                self.fail(<A::Error as ::serde::de::Error>::duplicate_field(name));
            } else {
                *slot = self.keep(|map| map.next_value());
            }
        }
        /// Reads and drops the value of a member the struct does not name.
        pub fn skip(&mut self) {
            self.keep(|map| map.next_value::<::serde::de::IgnoredAny>());
        }
        /// The first error, if any; once the struct is built from its slots, the missing
        /// required members.
        pub fn end(self) -> ::std::result::Result<(), A::Error> {
            match self.error {
                ::std::option::Option::Some(error) => ::std::result::Result::Err(error),
                ::std::option::Option::None => ::std::result::Result::Ok(()),
            }
        }
        /// The next member, the name of one the struct does not name kept if `keep`; `None` at
        /// the end or after an error.
        fn next(&mut self, keep: bool) -> ::std::option::Option<Member> {
            if self.error.is_some() {
                return ::std::option::Option::None;
            }
            let key = Key {
                names: self.names,
                deny: self.deny,
                keep,
            };
            let member = self.keep(|map| map.next_key_seed(key)).flatten();
            if let ::std::option::Option::Some(Member::Named(index)) = member {
                self.current = index;
            }
            member
        }
        fn keep<T>(
            &mut self,
            read: impl FnOnce(&mut A) -> ::std::result::Result<T, A::Error>,
        ) -> ::std::option::Option<T> {
            match read(&mut self.map) {
                ::std::result::Result::Ok(value) => ::std::option::Option::Some(value),
                ::std::result::Result::Err(e) => {
                    self.fail(e);
                    ::std::option::Option::None
                }
            }
        }
        fn fail(&mut self, error: A::Error) {
            self.error = ::std::option::Option::Some(error);
        }
    }
    /// The error for the first absent required member, given (absent, name) in field order.
    pub fn missing<E: ::serde::de::Error>(members: &[(bool, &'static str)]) -> E {
        let name = members
            .iter()
            .find(|(absent, _)| *absent)
            .map_or("", |(_, name)| *name);
        E::missing_field(name)
    }
    /// A member of the object being read.
    pub enum Member {
        /// The index of a member the struct names among its sorted member names.
        Named(usize),
        /// A member the struct does not name; its name only where the struct keeps those
        /// (`additionalProperties`), else empty.
        Other(::std::string::String),
    }
    /// Looks a member name up among a struct's sorted member names.
    struct Key {
        names: &'static [&'static str],
        /// Whether a member the struct does not name is an error.
        deny: bool,
        /// Whether the name of a member the struct does not name is kept.
        keep: bool,
    }
    impl Key {
        fn other<E: ::serde::de::Error>(
            self,
            name: &str,
        ) -> ::std::result::Result<Member, E> {
            if self.deny {
                ::std::result::Result::Err(E::unknown_field(name, self.names))
            } else if self.keep {
                ::std::result::Result::Ok(Member::Other(name.into()))
            } else {
                ::std::result::Result::Ok(Member::Other(::std::string::String::new()))
            }
        }
    }
    impl<'de> ::serde::de::DeserializeSeed<'de> for Key {
        type Value = Member;
        fn deserialize<D: ::serde::Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> ::std::result::Result<Member, D::Error> {
            deserializer.deserialize_identifier(self)
        }
    }
    impl<'de> ::serde::de::Visitor<'de> for Key {
        type Value = Member;
        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str("a member name")
        }
        fn visit_str<E: ::serde::de::Error>(
            self,
            name: &str,
        ) -> ::std::result::Result<Member, E> {
            match self.names.binary_search(&name) {
                ::std::result::Result::Ok(index) => {
                    ::std::result::Result::Ok(Member::Named(index))
                }
                ::std::result::Result::Err(_) => self.other(name),
            }
        }
        fn visit_bytes<E: ::serde::de::Error>(
            self,
            name: &[u8],
        ) -> ::std::result::Result<Member, E> {
            self.visit_str(&::std::string::String::from_utf8_lossy(name))
        }
    }
"#;

const OTHER_MEMBERS: &str = r#"
    impl<'de, A: ::serde::de::MapAccess<'de>> Reader<'de, A> {
        /// The next member, named or not, for a struct that keeps the members it does not name
        /// (`additionalProperties`); `None` at the end or after an error.
        pub fn next_member(&mut self) -> ::std::option::Option<Member> {
            self.next(true)
        }
        /// Reads the value of a member the struct does not name into its map.
        pub fn other<T: ::serde::Deserialize<'de>>(
            &mut self,
            members: &mut ::std::collections::BTreeMap<::std::string::String, T>,
            name: ::std::string::String,
        ) {
            if let ::std::option::Option::Some(value) = self.keep(|map| map.next_value())
            {
                members.insert(name, value);
            }
        }
    }
"#;

const WRITE_OBJECTS: &str = r#"
    /// Writes a struct as a JSON object. A member costs one call: the first error is kept and
    /// returned by `end`, and the members after it are not written.
    pub struct Writer<M: ::serde::ser::SerializeMap> {
        map: M,
        error: ::std::option::Option<M::Error>,
    }
    impl<M: ::serde::ser::SerializeMap> Writer<M> {
        pub fn new<S: ::serde::Serializer<SerializeMap = M, Error = M::Error>>(
            serializer: S,
        ) -> ::std::result::Result<Self, M::Error> {
            ::std::result::Result::Ok(Writer {
                map: serializer.serialize_map(::std::option::Option::None)?,
                error: ::std::option::Option::None,
            })
        }
        pub fn member<T: ::serde::Serialize + ?::std::marker::Sized>(
            &mut self,
            name: &'static str,
            value: &T,
        ) {
            self.entry(name, value);
        }
        /// An optional member: left out when `None`.
        pub fn optional<T: ::serde::Serialize>(
            &mut self,
            name: &'static str,
            value: &::std::option::Option<T>,
        ) {
            if let ::std::option::Option::Some(value) = value {
                self.member(name, value);
            }
        }
        /// The members the struct does not name (`additionalProperties`).
        pub fn other<V: ::serde::Serialize>(
            &mut self,
            members: &::std::collections::BTreeMap<::std::string::String, V>,
        ) {
            for (name, value) in members {
                self.entry(name, value);
            }
        }
        fn entry<
            K: ::serde::Serialize + ?::std::marker::Sized,
            V: ::serde::Serialize + ?::std::marker::Sized,
        >(&mut self, name: &K, value: &V) {
            if self.error.is_none() {
                if let ::std::result::Result::Err(e) = self
                    .map
                    .serialize_entry(name, value)
                {
                    self.error = ::std::option::Option::Some(e);
                }
            }
        }
        pub fn end(self) -> ::std::result::Result<M::Ok, M::Error> {
            match self.error {
                ::std::option::Option::Some(e) => ::std::result::Result::Err(e),
                ::std::option::Option::None => self.map.end(),
            }
        }
    }
"#;

// In `unit_enum`, `values` and `variants` are written side by side by the generator, so `index`
// is in range.
const UNIT_ENUM: &str = r#"
    /// A string enum's `Deserialize`: the variant whose wire value is the string.
    pub fn unit_enum<'de, D, T>(
        deserializer: D,
        values: &'static [&'static str],
        variants: &[T],
    ) -> ::std::result::Result<T, D::Error>
    where
        D: ::serde::Deserializer<'de>,
        T: ::std::marker::Copy,
    {
        let index = deserializer.deserialize_str(UnitEnumVisitor(values))?;
        variants
            .get(index)
            .copied()
            .ok_or_else(|| <D::Error as ::serde::de::Error>::custom("unknown variant"))
    }
    struct UnitEnumVisitor(&'static [&'static str]);
    impl<'de> ::serde::de::Visitor<'de> for UnitEnumVisitor {
        type Value = usize;
        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
            f.write_str("one of ")?;
            for (i, value) in self.0.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                ::std::write!(f, "`{value}`")?;
            }
            ::std::result::Result::Ok(())
        }
        fn visit_str<E: ::serde::de::Error>(
            self,
            value: &str,
        ) -> ::std::result::Result<usize, E> {
            self.0
                .iter()
                .position(|v| *v == value)
                .ok_or_else(|| E::unknown_variant(value, self.0))
        }
    }
"#;

// In `read_tagged`, no tag (not an object, or one without the member) is not an error: GitHub's
// contents union maps `array` to a variant that is a list.
const TAGGED: &str = r#"
    /// Serializes a variant of a discriminated union, adding the discriminator member when the
    /// variant's own type does not carry it.
    pub fn serialize_tagged<S, T>(
        serializer: S,
        property: &str,
        tag: &str,
        value: &T,
    ) -> ::std::result::Result<S::Ok, S::Error>
    where
        S: ::serde::Serializer,
        T: ::serde::Serialize,
    {
        let mut json = ::serde_json::to_value(value)
            .map_err(<S::Error as ::serde::ser::Error>::custom)?;
        if let ::serde_json::Value::Object(map) = &mut json {
            map.entry(property)
                .or_insert_with(|| ::serde_json::Value::String(tag.into()));
        }
        ::serde::Serialize::serialize(&json, serializer)
    }
    /// Reads a discriminated union's JSON and returns the discriminator value (`None` when the
    /// value is not an object or has no such member) with the whole value, which the chosen variant then
    /// deserializes (discriminator member included).
    pub fn read_tagged<'de, D>(
        deserializer: D,
        property: &str,
    ) -> ::std::result::Result<
        (::std::option::Option<::std::string::String>, ::serde_json::Value),
        D::Error,
    >
    where
        D: ::serde::Deserializer<'de>,
    {
        let json = <::serde_json::Value as ::serde::Deserialize>::deserialize(
            deserializer,
        )?;
        let tag = match json.get(property) {
            ::std::option::Option::Some(::serde_json::Value::String(tag)) => {
                ::std::option::Option::Some(tag.clone())
            }
            ::std::option::Option::None => ::std::option::Option::None,
            ::std::option::Option::Some(_) => {
                return ::std::result::Result::Err(
                    <D::Error as ::serde::de::Error>::custom(
                        format_args!("the `{property}` member must be a string"),
                    ),
                );
            }
        };
        ::std::result::Result::Ok((tag, json))
    }
    /// A discriminated union's object without its discriminator: the first variant it fits, as
    /// `oneOf` alone reads it.
    pub fn untagged<T, E>(
        json: ::serde_json::Value,
        property: &'static str,
        tries: &[fn(::serde_json::Value) -> ::std::result::Result<T, E>],
    ) -> ::std::result::Result<T, E>
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
        fn serialize<S: ::serde::Serializer>(
            &self,
            serializer: S,
        ) -> ::std::result::Result<S::Ok, S::Error> {
            use ::base64::Engine as _;
            serializer
                .serialize_str(
                    &::base64::engine::general_purpose::STANDARD.encode(&self.0),
                )
        }
    }
    impl<'de> ::serde::Deserialize<'de> for Base64 {
        fn deserialize<D: ::serde::Deserializer<'de>>(
            deserializer: D,
        ) -> ::std::result::Result<Self, D::Error> {
            use ::base64::Engine as _;
            let text = <::std::string::String as ::serde::Deserialize>::deserialize(
                deserializer,
            )?;
            let config = ::base64::engine::GeneralPurposeConfig::new()
                .with_decode_padding_mode(
                    ::base64::engine::DecodePaddingMode::Indifferent,
                );
            let standard = ::base64::engine::GeneralPurpose::new(
                &::base64::alphabet::STANDARD,
                config,
            );
            let url_safe = ::base64::engine::GeneralPurpose::new(
                &::base64::alphabet::URL_SAFE,
                config,
            );
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
        self.objects |= o.objects;
        self.other_members |= o.other_members;
        self.unit_enum |= o.unit_enum;
        self.write_objects |= o.write_objects;
        self.tagged |= o.tagged;
        self.base64 |= o.base64;
    }

    pub fn any(&self) -> bool {
        self.constraint_error
            || self.objects
            || self.other_members
            || self.unit_enum
            || self.write_objects
            || self.tagged
            || self.base64
    }

    /// The helpers this output needs, as text laid out inside the module.
    fn body(&self) -> String {
        let pieces: [(bool, &str); 18] = [
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
            (self.objects, OBJECTS),
            (self.other_members, OTHER_MEMBERS),
            (self.unit_enum, UNIT_ENUM),
            (self.write_objects, WRITE_OBJECTS),
            (self.tagged, TAGGED),
            (self.base64, BASE64),
        ];
        pieces.into_iter().filter(|(needed, _)| *needed).map(|(_, text)| text.trim_start_matches('\n')).collect()
    }

    /// The `pub mod support { … }` item laid out, or nothing when no helper is needed. The
    /// snippets are kept as prettyplease lays them out inside the module (a test checks), so
    /// the module costs no parsing or layout: for a small spec, that was half of generation.
    pub fn module_text(&self) -> String {
        if !self.any() {
            return String::new();
        }
        format!("{MODULE_HEAD}{}}}\n", self.body())
    }

    /// The `pub mod support { … }` item as tokens (for the proc macro), or nothing when no
    /// helper is needed.
    pub fn module(&self) -> TokenStream {
        if !self.any() {
            return TokenStream::new();
        }
        format!("{MODULE_HEAD}{}}}", self.body()).parse().expect("support snippets are valid Rust (checked by tests)")
    }
}

// Nested `if let` reads the same in every edition; 2024's clippy would ask for let chains.
// `untagged` takes its variants' readers as a slice of fn pointers, a type clippy finds complex
// but that is spelled once.
const MODULE_HEAD: &str = "/// Helpers shared by the generated types.
#[allow(clippy::collapsible_if, clippy::type_complexity)]
pub mod support {
";

#[cfg(test)]
mod tests {
    use super::*;

    impl SupportNeeds {
        fn from_flags(f: [bool; 18]) -> Self {
            SupportNeeds {
                constraint_error: f[0],
                length: f[1],
                pattern: f[2],
                int_range: f[3],
                float_range: f[4],
                multiple_of_int: f[5],
                multiple_of_float: f[6],
                items: f[7],
                properties: f[8],
                unique: f[9],
                one_of_int: f[10],
                one_of_json: f[11],
                objects: f[12],
                other_members: f[13],
                unit_enum: f[14],
                write_objects: f[15],
                tagged: f[16],
                base64: f[17],
            }
        }
    }

    #[test]
    fn every_snippet_parses() {
        let all = SupportNeeds::from_flags([true; 18]);
        let tokens = all.module();
        syn::parse2::<syn::File>(tokens).expect("support module parses");
    }

    /// Each snippet alone and all of them together are laid out exactly as prettyplease would.
    #[test]
    fn the_module_text_is_laid_out_as_prettyplease_would() {
        let mut needs: Vec<SupportNeeds> = (0..18)
            .map(|i| {
                let mut flags = [false; 18];
                flags[i] = true;
                SupportNeeds::from_flags(flags)
            })
            .collect();
        needs.push(SupportNeeds::from_flags([true; 18]));
        for need in needs {
            let file = syn::parse2::<syn::File>(need.module()).expect("support module parses");
            assert_eq!(need.module_text(), prettyplease::unparse(&file), "{need:?}");
        }
    }
}
