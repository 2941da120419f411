//! Reading typed values from a `serde_json::Value`: the second step of
//! [`parse`](super::parse).
//!
//! Why not serde's `Deserialize`, as mqsim first did: its derive generates,
//! for each type, a field-name visitor, a map visitor and the glue between
//! them, each then instantiated for the deserializer. For the scenario's
//! forty-odd types that was about 35 KB of the gzipped wasm module, some
//! 15 % of it. Here each type's reader is a short sequence of calls into a
//! few functions that are not generic (the shape checks, the field and
//! variant lookups, the errors), written by the two macros below from a list
//! of its fields or variants.
//!
//! What it guarantees: the same values as serde's derive read from the same
//! JSON, and the same refusals with the same messages and paths, which are
//! serde's (`unknown field `x`, expected one of `a`, `b``, `missing field
//! `name``, `invalid type: string "x", expected u64`…) as its derive and
//! serde_json's reader for `Value` produced them. The rules it keeps:
//!
//! - An object's entries are read in the object's (alphabetical) order, and
//!   the first problem among them is the one reported: an unknown key (named
//!   by its own path) or a value that cannot be read. Missing fields are
//!   reported after that, in the order the fields are declared.
//! - A field that is absent takes its default, or is missing; a field given
//!   as `null` is read as `null` (which only an `Option` accepts).
//! - An enum is externally tagged: `"unit_variant"` or `{"variant": content}`
//!   (an object of exactly one entry); a unit variant also takes
//!   `{"variant": null}`.
//! - Numbers convert as serde's do: an integer where a float is expected, but
//!   never a float where an integer is (`1.0` is not a `u32`).
//!
//! A problem's path is built as its error returns: each reader that passed
//! the error up adds its own key or index to it.

use std::collections::BTreeMap;

use serde::de::{self, Error as _, Unexpected};
use serde_json::{Map, Value};

use super::{Num, Segment, format_path};

/// A value that JSON can describe. `read` accepts what serde's derive
/// accepted for the type, and refuses the rest with serde's message.
pub trait FromJson: Sized {
    fn read(value: &Value) -> Result<Self, ReadError>;
}

/// Why a value could not be read, and where: the path is kept innermost
/// segment first, as it is built while the error returns.
#[derive(Debug)]
pub struct ReadError {
    message: String,
    path: Vec<Segment>,
}

impl ReadError {
    fn new(message: String) -> ReadError {
        ReadError { message, path: Vec::new() }
    }

    /// serde's own text for an error (its default messages, which
    /// `serde::de::value::Error` keeps).
    fn serde(error: de::value::Error) -> ReadError {
        ReadError::new(error.to_string())
    }

    /// A message of the reader's own (a duration that does not parse).
    pub fn custom(message: impl Into<String>) -> ReadError {
        ReadError::new(message.into())
    }

    // Out of line and not generic: each field, element and variant of each
    // type passes its errors through one of these.
    #[inline(never)]
    fn within(mut self, segment: Segment) -> ReadError {
        self.path.push(segment);
        self
    }

    #[inline(never)]
    fn within_key(self, key: &str) -> ReadError {
        self.within(Segment::Key(key.to_string()))
    }

    /// The path as errors write it (`producers[0].arrivals`), and the message.
    pub fn into_parts(mut self) -> (String, String) {
        self.path.reverse();
        (format_path(&self.path), self.message)
    }
}

/// What serde calls the value found, for "invalid type" messages.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// "invalid type: string "x", expected u64". Out of line and not generic,
/// like every error below: each typed read has one.
#[inline(never)]
pub fn invalid_type(value: &Value, expected: &str) -> ReadError {
    wrong("type", unexpected(value), expected)
}

#[inline(never)]
fn wrong(what: &str, unexp: Unexpected, expected: &str) -> ReadError {
    ReadError::new(format!("invalid {what}: {}, expected {expected}", found(unexp)))
}

/// serde's text for what was found (`Unexpected`'s `Display`), but with a
/// float written by `Num`: serde's own `Display` would bring core's float
/// formatting back (see `Num`).
pub(super) fn found(unexp: Unexpected) -> String {
    use Unexpected::*;
    match unexp {
        Bool(b) => format!("boolean `{b}`"),
        Unsigned(i) => format!("integer `{i}`"),
        Signed(i) => format!("integer `{i}`"),
        Float(f) => {
            let text = Num(f).to_string();
            let point = if f.is_finite() && !text.contains('.') { ".0" } else { "" };
            format!("floating point `{text}{point}`")
        }
        Char(c) => format!("character `{c}`"),
        Str(s) => format!("string {s:?}"),
        Bytes(_) => "byte array".into(),
        Unit => "unit value".into(),
        Option => "Option value".into(),
        NewtypeStruct => "newtype struct".into(),
        Seq => "sequence".into(),
        Map => "map".into(),
        Enum => "enum".into(),
        UnitVariant => "unit variant".into(),
        NewtypeVariant => "newtype variant".into(),
        TupleVariant => "tuple variant".into(),
        StructVariant => "struct variant".into(),
        Other(other) => other.into(),
    }
}

// ---- leaves -------------------------------------------------------------------

/// An unsigned integer of at most `max`, which serde names `name` ("u32").
/// A negative integer or one above `max` is an invalid value, a float (even
/// `1.0`) an invalid type.
#[inline(never)]
fn unsigned(value: &Value, max: u64, name: &str) -> Result<u64, ReadError> {
    let Value::Number(n) = value else { return Err(invalid_type(value, name)) };
    match (n.as_u64(), n.as_i64()) {
        (Some(u), _) if u <= max => Ok(u),
        (Some(u), _) => Err(wrong("value", Unexpected::Unsigned(u), name)),
        (None, Some(i)) => Err(wrong("value", Unexpected::Signed(i), name)),
        _ => Err(invalid_type(value, name)),
    }
}

macro_rules! unsigned {
    ($($t:ident),*) => {$(
        impl FromJson for $t {
            fn read(value: &Value) -> Result<$t, ReadError> {
                unsigned(value, $t::MAX.into(), stringify!($t)).map(|n| n as $t)
            }
        }
    )*};
}

unsigned!(u8, u32, u64);

impl FromJson for f64 {
    fn read(value: &Value) -> Result<f64, ReadError> {
        match value {
            // An integer converts (with rounding above 2^53), as serde's does.
            Value::Number(n) => Ok(n.as_f64().unwrap_or(f64::NAN)),
            _ => Err(invalid_type(value, "f64")),
        }
    }
}

impl FromJson for bool {
    fn read(value: &Value) -> Result<bool, ReadError> {
        match value {
            Value::Bool(b) => Ok(*b),
            _ => Err(invalid_type(value, "a boolean")),
        }
    }
}

impl FromJson for String {
    fn read(value: &Value) -> Result<String, ReadError> {
        match value {
            Value::String(s) => Ok(s.clone()),
            _ => Err(invalid_type(value, "a string")),
        }
    }
}

/// `null` is `None`; anything else is read as a `T`.
impl<T: FromJson> FromJson for Option<T> {
    fn read(value: &Value) -> Result<Option<T>, ReadError> {
        match value {
            Value::Null => Ok(None),
            _ => T::read(value).map(Some),
        }
    }
}

/// The array in `value`, or an error that expected `expected`.
#[inline(never)]
fn array<'a>(value: &'a Value, expected: &str) -> Result<&'a [Value], ReadError> {
    match value {
        Value::Array(items) => Ok(items),
        _ => Err(invalid_type(value, expected)),
    }
}

/// Reads element `i` of an array; an error names its index.
#[inline(never)]
fn element<T: FromJson>(i: usize, value: &Value) -> Result<T, ReadError> {
    T::read(value).map_err(|err| err.within(Segment::Index(i)))
}

impl<T: FromJson> FromJson for Vec<T> {
    fn read(value: &Value) -> Result<Vec<T>, ReadError> {
        array(value, "a sequence")?.iter().enumerate().map(|(i, item)| element(i, item)).collect()
    }
}

#[inline(never)]
fn invalid_length(len: usize, expected: &str) -> ReadError {
    ReadError::serde(de::value::Error::invalid_length(len, &expected))
}

/// A pair is an array of exactly two elements (a table's row).
impl<A: FromJson, B: FromJson> FromJson for (A, B) {
    fn read(value: &Value) -> Result<(A, B), ReadError> {
        const EXPECTED: &str = "a tuple of size 2";
        let items = array(value, EXPECTED)?;
        let a = element(0, items.first().ok_or_else(|| invalid_length(0, EXPECTED))?)?;
        let b = element(1, items.get(1).ok_or_else(|| invalid_length(1, EXPECTED))?)?;
        if items.len() > 2 {
            return Err(invalid_length(items.len(), "fewer elements in array"));
        }
        Ok((a, b))
    }
}

/// An object whose values are all `T`s (a message's headers).
impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn read(value: &Value) -> Result<BTreeMap<String, T>, ReadError> {
        let Value::Object(entries) = value else { return Err(invalid_type(value, "a map")) };
        entries.iter().map(|(key, value)| Ok((key.clone(), entry(key, value)?))).collect()
    }
}

/// Reads the value of an object's entry `key`; an error names the key.
#[inline(never)]
fn entry<T: FromJson>(key: &str, value: &Value) -> Result<T, ReadError> {
    T::read(value).map_err(|err| err.within_key(key))
}

// ---- structs ------------------------------------------------------------------

/// The entries of an object being read as a struct's fields, in the
/// object's order. [`read_struct!`] drives it.
pub struct Fields<'a> {
    entries: serde_json::map::Iter<'a>,
    /// The struct's field names, as JSON writes them.
    names: &'static [&'static str],
    /// The key of the entry being read, for its errors.
    key: &'a str,
    /// The name of the struct variant whose fields these are: their errors
    /// are below it.
    variant: Option<&'a str>,
}

impl<'a> Fields<'a> {
    /// The fields of a struct: `value` must be an object. `expected` is the
    /// struct's name as serde gives it ("struct Scenario").
    #[inline(never)]
    pub fn of(value: &'a Value, expected: &str, names: &'static [&'static str]) -> Result<Fields<'a>, ReadError> {
        match value {
            Value::Object(entries) => Ok(Fields::new(entries, names, None)),
            _ => Err(invalid_type(value, expected)),
        }
    }

    /// The fields of struct variant `variant`, whose content is `content`
    /// (`None` when the variant was written as a bare string). A content that
    /// is not an object is refused at the enum's own path, as serde does.
    #[inline(never)]
    pub fn of_variant(variant: &'a str, content: Option<&'a Value>, names: &'static [&'static str]) -> Result<Fields<'a>, ReadError> {
        match content {
            Some(Value::Object(entries)) => Ok(Fields::new(entries, names, Some(variant))),
            Some(value) => Err(invalid_type(value, "struct variant")),
            None => Err(wrong("type", Unexpected::UnitVariant, "struct variant")),
        }
    }

    fn new(entries: &'a Map<String, Value>, names: &'static [&'static str], variant: Option<&'a str>) -> Fields<'a> {
        Fields { entries: entries.iter(), names, key: "", variant }
    }

    /// The next entry: the index of its field in `names`, and its value. A
    /// key that names no field is an error at its own path.
    #[inline(never)]
    pub fn next_field(&mut self) -> Result<Option<(usize, &'a Value)>, ReadError> {
        let Some((key, value)) = self.entries.next() else { return Ok(None) };
        self.key = key;
        match self.names.iter().position(|name| name == key) {
            Some(i) => Ok(Some((i, value))),
            None => Err(self.here(ReadError::serde(de::value::Error::unknown_field(key, self.names)))),
        }
    }

    /// Reads the current entry's value.
    #[inline(never)]
    pub fn read<T: FromJson>(&self, value: &Value) -> Result<T, ReadError> {
        T::read(value).map_err(|err| self.here(err))
    }

    /// An error in the current entry.
    #[inline(never)]
    fn here(&self, err: ReadError) -> ReadError {
        self.below_variant(err.within_key(self.key))
    }

    /// The error for a field without a default that the object lacks.
    #[inline(never)]
    pub fn missing(&self, field: &'static str) -> ReadError {
        self.below_variant(ReadError::serde(de::value::Error::missing_field(field)))
    }

    fn below_variant(&self, err: ReadError) -> ReadError {
        match self.variant {
            Some(variant) => err.within_key(variant),
            None => err,
        }
    }
}

/// Implements [`FromJson`] for a struct from its fields, listed in the
/// order they are declared (which is the order serde's messages list them
/// in, and in which missing fields are reported). Each field is written
/// `name` (required), `name = path::to::default_fn` (the function gives
/// the value of an absent field: `Default::default` for serde's `default`),
/// and `name as "json_name"` when JSON calls it otherwise.
///
/// ```text
/// read_struct!(Capacity { rate, burst = one, beyond = Default::default });
/// ```
macro_rules! read_struct {
    ($ty:ident { $($fields:tt)* }) => {
        impl $crate::json::FromJson for $ty {
            fn read(value: &::serde_json::Value) -> Result<Self, $crate::json::ReadError> {
                $crate::json::read_struct!(@fields [Self], Fields::of(value, concat!("struct ", stringify!($ty)), FIELDS), $($fields)*)
            }
        }
    };
    // Reads the fields from the `Fields` that `$open` makes, into `$ctor { … }`.
    (@fields [$($ctor:tt)*], Fields::$open:ident($($arg:expr),*),
        $($field:ident $(as $key:literal)? $(= $default:path)?),* $(,)?) => {{
        const FIELDS: &[&str] = &[$($crate::json::read_struct!(@key $field $($key)?)),*];
        // Field i of FIELDS is Field::<its name> as usize. (Unused in a
        // struct without fields.)
        #[allow(non_camel_case_types, dead_code)]
        enum Field { $($field),* }
        let mut fields = $crate::json::read::Fields::$open($($arg),*)?;
        $(let mut $field = None;)*
        // (A struct without fields, which only refuses keys, uses neither.)
        #[allow(unused_variables)]
        while let Some((i, value)) = fields.next_field()? {
            $(if i == Field::$field as usize {
                $field = Some(fields.read(value)?);
            })*
        }
        Ok($($ctor)* {
            $($field: match $field {
                Some(value) => value,
                None => $crate::json::read_struct!(@absent fields, $crate::json::read_struct!(@key $field $($key)?) $(, $default)?),
            }),*
        })
    }};
    (@key $field:ident) => { stringify!($field) };
    (@key $field:ident $key:literal) => { $key };
    (@absent $fields:ident, $key:expr) => { return Err($fields.missing($key)) };
    (@absent $fields:ident, $key:expr, $default:path) => { $default() };
}

pub(crate) use read_struct;

// ---- enums --------------------------------------------------------------------

/// An enum's variant: its index in `names`, its name and its content
/// (`None` for a bare string). Out of line and not generic.
#[inline(never)]
pub fn variant<'a>(value: &'a Value, names: &'static [&'static str]) -> Result<(usize, &'a str, Option<&'a Value>), ReadError> {
    let (name, content) = match value {
        Value::String(name) => (name, None),
        Value::Object(entries) if entries.len() == 1 => {
            let (name, content) = entries.iter().next().expect("one entry");
            (name, Some(content))
        }
        Value::Object(_) => return Err(wrong("value", Unexpected::Map, "map with a single key")),
        _ => return Err(invalid_type(value, "string or map")),
    };
    match names.iter().position(|n| n == name) {
        Some(i) => Ok((i, name, content)),
        None => Err(ReadError::serde(de::value::Error::unknown_variant(name, names))),
    }
}

/// A unit variant's content: none, or `null`.
#[inline(never)]
pub fn unit(name: &str, content: Option<&Value>) -> Result<(), ReadError> {
    match content {
        None | Some(Value::Null) => Ok(()),
        Some(value) => Err(invalid_type(value, "unit").within_key(name)),
    }
}

/// A newtype variant's content, read as a `T`.
#[inline(never)]
pub fn newtype<T: FromJson>(name: &str, content: Option<&Value>) -> Result<T, ReadError> {
    match content {
        Some(value) => entry(name, value),
        None => Err(wrong("type", Unexpected::UnitVariant, "newtype variant")),
    }
}

/// Implements [`FromJson`] for an externally tagged enum from its variants,
/// each written `"json_name" => Unit`, `"json_name" => Newtype(_)` or
/// `"json_name" => Struct { fields as read_struct! takes them }`. A variant
/// that JSON also knows by other names lists them all, `"a" | "b" =>`, in
/// the order serde lists them in its messages (sorted).
///
/// ```text
/// read_enum!(Dist { "constant" => Constant(_), "exponential" => Exponential { mean } });
/// ```
macro_rules! read_enum {
    ($ty:ident { $($($name:literal)|+ => $variant:ident $(($newtype:tt))? $({ $($fields:tt)* })?),* $(,)? }) => {
        impl $crate::json::FromJson for $ty {
            // The last `first +=` is never read.
            #[allow(unused_assignments)]
            fn read(value: &::serde_json::Value) -> Result<Self, $crate::json::ReadError> {
                const VARIANTS: &[&str] = &[$($($name),+),*];
                let (i, name, content) = $crate::json::read::variant(value, VARIANTS)?;
                // Variant k's names are VARIANTS[first..first + its count].
                let mut first = 0;
                $(
                    let names = [$($name),+].len();
                    if (first..first + names).contains(&i) {
                        return $crate::json::read_enum!(@variant name, content, $variant $(($newtype))? $({ $($fields)* })?);
                    }
                    first += names;
                )*
                unreachable!("variant() returns an index into VARIANTS")
            }
        }
    };
    (@variant $name:ident, $content:ident, $variant:ident) => {
        $crate::json::read::unit($name, $content).map(|()| Self::$variant)
    };
    (@variant $name:ident, $content:ident, $variant:ident (_)) => {
        $crate::json::read::newtype($name, $content).map(Self::$variant)
    };
    (@variant $name:ident, $content:ident, $variant:ident { $($fields:tt)* }) => {
        $crate::json::read_struct!(@fields [Self::$variant], Fields::of_variant($name, $content, FIELDS), $($fields)*)
    };
}

pub(crate) use read_enum;
