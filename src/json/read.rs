//! Reading typed values from a `serde_json::Value`: the second step of
//! [`parse`](super::parse).
//!
//! Why not serde's `Deserialize`, as mqsim first did: its derive generates,
//! for each type, a field-name visitor, a map visitor and the glue between
//! them, each then instantiated for the deserializer. For the scenario's
//! forty-odd types that was about 35 KB of the gzipped wasm module, some
//! 15 % of it. Here each type's reader is a short sequence of calls into a
//! few functions, generic only over the type of value they read (one copy
//! per field type, not per field) or not at all (the shape checks, the field
//! and variant lookups, the errors), written by the two macros below from a
//! list of its fields or variants.
//!
//! What it guarantees: the same values as serde's derive read from the same
//! JSON, and the same refusals with the same messages and paths, which are
//! serde's (`unknown field `x`, expected one of `a`, `b``, `missing field
//! `name``, `invalid type: string "x", expected u64`…) as its derive and
//! serde_json's reader for `Value` produced them. The rules it keeps:
//!
//! - Of an object's problems, the one reported is the first in the object's
//!   own order (its keys' alphabetical order, in which serde met them): an
//!   unknown key (named by its own path) or a value that cannot be read.
//!   Missing fields are reported only if there is none, the first in the
//!   order the fields are declared.
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

use serde::de::{self, Error as _};
use serde_json::{Map, Value};

use super::Num;
use super::value::{Segment, format_path};

/// A value that JSON can describe. `read` accepts what serde's derive
/// accepted for the type, and refuses the rest with serde's message.
pub trait FromJson: Sized {
    fn read(value: &Value) -> Result<Self, ReadError>;
}

/// Why a value could not be read, and where. Boxed: every reader returns a
/// `Result` that its caller checks and passes on, and a pointer is cheaper
/// to pass on than the message and path themselves (in code size: they
/// would be copied at each of the readers' many `?`).
#[derive(Debug)]
pub struct ReadError(Box<Problem>);

#[derive(Debug)]
struct Problem {
    message: String,
    /// Innermost segment first, as it is built while the error returns.
    path: Vec<Segment>,
}

impl ReadError {
    fn new(message: String) -> ReadError {
        ReadError(Box::new(Problem { message, path: Vec::new() }))
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
        self.0.path.push(segment);
        self
    }

    #[inline(never)]
    fn within_key(self, key: &str) -> ReadError {
        self.within(Segment::Key(key.to_string()))
    }

    /// The path as errors write it (`producers[0].arrivals`), and the message.
    pub fn into_parts(self) -> (String, String) {
        let Problem { message, mut path } = *self.0;
        path.reverse();
        (format_path(&path), message)
    }
}

/// "invalid type: string "x", expected u64". Out of line and not generic,
/// like every error below: each typed read has one.
#[inline(never)]
pub fn invalid_type(value: &Value, expected: &str) -> ReadError {
    wrong("type", Some(value), expected)
}

/// "invalid {what}: {found}, expected {expected}", where `found` is
/// `value` (`None` for a unit variant, which has none).
#[inline(never)]
fn wrong(what: &str, value: Option<&Value>, expected: &str) -> ReadError {
    ReadError::new(format!("invalid {what}: {}, expected {expected}", found(value)))
}

/// What serde calls a value in its messages (`Unexpected`'s `Display`, for
/// the `Unexpected` that serde_json's reader for `Value` gives), but with a
/// float written by `Num`: serde's own `Display` would bring core's float
/// formatting back (see `Num`).
pub(super) fn found(value: Option<&Value>) -> String {
    let Some(value) = value else { return "unit variant".into() };
    match value {
        Value::Null => "unit value".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => format!("integer `{u}`"),
            (None, Some(i)) => format!("integer `{i}`"),
            // A float, finite (JSON has no others).
            _ => {
                let text = Num(n.as_f64().unwrap_or_default()).to_string();
                format!("floating point `{text}{}`", if text.contains('.') { "" } else { ".0" })
            }
        },
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
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
        (Some(u), _) if u > max => Err(wrong("value", Some(value), name)),
        (Some(u), _) => Ok(u),
        (None, Some(_)) => Err(wrong("value", Some(value), name)),
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
fn element<T: FromJson>(i: usize, value: &Value) -> Result<T, ReadError> {
    T::read(value).map_err(|err| err.within(Segment::Index(i)))
}

/// Reads each element of the array in `value` with `read`. Out of line
/// and not generic: each `Vec<T>`'s reader only pushes.
#[inline(never)]
fn each(value: &Value, read: &mut dyn FnMut(&Value) -> Result<(), ReadError>) -> Result<(), ReadError> {
    for (i, item) in array(value, "a sequence")?.iter().enumerate() {
        read(item).map_err(|err| err.within(Segment::Index(i)))?;
    }
    Ok(())
}

impl<T: FromJson> FromJson for Vec<T> {
    fn read(value: &Value) -> Result<Vec<T>, ReadError> {
        let mut out = Vec::new();
        each(value, &mut |item| T::read(item).map(|t| out.push(t)))?;
        Ok(out)
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
        // A plain loop, as for `Vec`: collecting sorts and builds in bulk.
        let mut out = BTreeMap::new();
        for (key, value) in entries {
            out.insert(key.clone(), entry(key, value)?);
        }
        Ok(out)
    }
}

/// Reads the value of an object's entry `key`; an error names the key.
fn entry<T: FromJson>(key: &str, value: &Value) -> Result<T, ReadError> {
    T::read(value).map_err(|err| err.within_key(key))
}

// ---- structs ------------------------------------------------------------------

/// Where the macros go only if `Fields` or `variant` broke its promise (a
/// required field `None` once `Fields::ok`, a variant index out of range):
/// one panic, shared by every reader.
#[cold]
#[inline(never)]
pub fn broken() -> ! {
    unreachable!("json::read: a reader's bookkeeping is wrong")
}

/// An object being read as a struct's fields. `read_struct!` drives it:
/// it reads every field in turn, each from its entry if there is one, and
/// `Fields` keeps the first problem in the object's own order (its keys'
/// alphabetical order, in which serde met them). So every field is read even
/// after a problem, and a reader has one place where it gives up and drops
/// what it read, after the last field, rather than one at each field: its
/// code is one call per field.
pub struct Fields<'a> {
    entries: Option<&'a Map<String, Value>>,
    /// The struct's field names, as JSON writes them.
    names: &'static [&'static str],
    /// The first problem among the entries so far: its key and error (or
    /// the value's, if it is not an object).
    first: Option<(&'a str, ReadError)>,
    /// The first field without a default that the object lacks, reported
    /// only if no entry has a problem (serde checks them last).
    missing: Option<&'static str>,
    /// The name of the struct variant whose fields these are: their errors
    /// are below it.
    variant: Option<&'a str>,
}

impl<'a> Fields<'a> {
    /// The fields of a struct: `value` should be an object. `expected` is
    /// the struct's name as serde gives it ("struct Scenario"). Not an
    /// object, it has no fields, and that is its problem.
    #[inline(never)]
    pub fn of(value: &'a Value, expected: &str, names: &'static [&'static str]) -> Fields<'a> {
        match value {
            Value::Object(entries) => Fields::new(entries, names, None),
            _ => Fields::wrong(names, invalid_type(value, expected)),
        }
    }

    /// The fields of struct variant `variant`, whose content is `content`
    /// (`None` when the variant was written as a bare string). A content that
    /// is not an object is refused at the enum's own path, as serde does.
    #[inline(never)]
    pub fn of_variant(variant: &'a str, content: Option<&'a Value>, names: &'static [&'static str]) -> Fields<'a> {
        match content {
            Some(Value::Object(entries)) => Fields::new(entries, names, Some(variant)),
            Some(value) => Fields::wrong(names, invalid_type(value, "struct variant")),
            None => Fields::wrong(names, wrong("type", None, "struct variant")),
        }
    }

    /// Finds the first key that names no field, an error at its own path.
    fn new(entries: &'a Map<String, Value>, names: &'static [&'static str], variant: Option<&'a str>) -> Fields<'a> {
        let mut fields = Fields { entries: Some(entries), names, first: None, missing: None, variant };
        if let Some(key) = entries.keys().find(|key| !names.contains(&key.as_str())) {
            let unknown = ReadError::serde(de::value::Error::unknown_field(key, names));
            fields.first = Some((key, fields.below(key, unknown)));
        }
        fields
    }

    /// No fields, and `err` is the problem (at the value's own path, before
    /// any other: no key is less than "").
    fn wrong(names: &'static [&'static str], err: ReadError) -> Fields<'a> {
        Fields { entries: None, names, first: Some(("", err)), missing: None, variant: None }
    }

    /// Reads field `i`, which has no default (`None` if it is absent or wrong).
    #[inline(never)]
    pub fn required<T: FromJson>(&mut self, i: usize) -> Option<T> {
        let Some(value) = self.entry(i) else {
            self.missing = self.missing.or(Some(self.names[i]));
            return None;
        };
        T::read(value).map_err(|err| self.fail(i, err)).ok()
    }

    /// Reads field `i`, or gives `default()` if it is absent (or wrong).
    #[inline(never)]
    pub fn or<T: FromJson>(&mut self, i: usize, default: fn() -> T) -> T {
        let Some(value) = self.entry(i) else { return default() };
        T::read(value).unwrap_or_else(|err| {
            self.fail(i, err);
            default()
        })
    }

    /// Field `i`'s entry. Out of line and not generic: a B-tree search is
    /// large, and each reader would have its own.
    #[inline(never)]
    fn entry(&self, i: usize) -> Option<&'a Value> {
        self.entries?.get(self.names[i])
    }

    /// Keeps `err`, field `i`'s, if its entry comes before any problem so far.
    #[inline(never)]
    fn fail(&mut self, i: usize, err: ReadError) {
        let key = self.names[i];
        if self.first.as_ref().is_none_or(|(first, _)| key < *first) {
            self.first = Some((key, self.below(key, err)));
        }
    }

    /// `err` at entry `key`, below the variant if there is one.
    fn below(&self, key: &str, err: ReadError) -> ReadError {
        self.below_variant(err.within_key(key))
    }

    fn below_variant(&self, err: ReadError) -> ReadError {
        match self.variant {
            Some(variant) => err.within_key(variant),
            None => err,
        }
    }

    /// Whether every field was read.
    pub fn ok(&self) -> bool {
        self.first.is_none() && self.missing.is_none()
    }

    /// Why they were not: the first problem among the entries, or else the
    /// first field missing.
    #[inline(never)]
    pub fn error(self) -> ReadError {
        match self.first {
            Some((_, err)) => err,
            None => {
                let missing = self.missing.unwrap_or_default();
                self.below_variant(ReadError::serde(de::value::Error::missing_field(missing)))
            }
        }
    }
}

/// Implements [`FromJson`] for a struct from its fields, listed in the
/// order they are declared (which is the order serde's messages list them
/// in, and in which missing fields are reported). Each field is written
/// `name` (required), `name = path::to::default_fn` (the function gives
/// the value of an absent field: `Default::default` for serde's `default`),
/// and `name as "json_name"` when JSON calls it otherwise. (Unlike with
/// serde's derive, an `Option` field is required unless it says
/// `= Default::default`; every one in mqsim does.)
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

        // The same field list as a JSON Schema (`json::schema`), native only.
        #[cfg(not(target_arch = "wasm32"))]
        impl $crate::json::schema::JsonSchema for $ty {
            // (`defs` and `object` are unused in a struct without fields.)
            #[allow(unused_variables)]
            fn schema(defs: &mut $crate::json::schema::Definitions<'_>) -> ::serde_json::Value {
                defs.define(module_path!(), stringify!($ty), |defs| {
                    #[allow(unused_mut)]
                    let mut object = $crate::json::schema::Object::new(module_path!(), stringify!($ty), None);
                    $crate::json::read_struct!(@schema defs, object, [Self], $($fields)*);
                    object.finish()
                })
            }
        }
    };
    // Adds the fields to `$object` (a `json::schema::Object`). Each field's
    // type is named by a closure that reads it from `$ctor { … }` (never
    // called: the schema needs its type only).
    (@schema $defs:ident, $object:ident, [$ctor:path],
        $($field:ident $(as $key:literal)? $(= $default:path)?),* $(,)?) => {
        $(
            $crate::json::read_struct!(@schema_field $defs, $object,
                $crate::json::read_struct!(@key $field $($key)?),
                $field,
                |value: &Self| match value {
                    $ctor { $field, .. } => $field,
                    #[allow(unreachable_patterns)]
                    _ => $crate::json::read::broken(),
                }
                $(, $default)?);
        )*
    };
    (@schema_field $defs:ident, $object:ident, $key:expr, $field:ident, $access:expr) => {
        $object.required($defs, $key, stringify!($field), $access)
    };
    (@schema_field $defs:ident, $object:ident, $key:expr, $field:ident, $access:expr, $default:path) => {
        $object.optional($defs, $key, stringify!($field), $access, $default)
    };
    // Reads the fields from the `Fields` that `$open` makes, into `$ctor { … }`.
    (@fields [$($ctor:tt)*], Fields::$open:ident($($arg:expr),*),
        $($field:ident $(as $key:literal)? $(= $default:path)?),* $(,)?) => {{
        const FIELDS: &[&str] = &[$($crate::json::read_struct!(@key $field $($key)?)),*];
        // FIELDS[Field::<its name> as usize] is a field's name. (Unused in a
        // struct without fields.)
        #[allow(non_camel_case_types, dead_code)]
        enum Field { $($field),* }
        #[allow(unused_mut)]
        let mut fields = $crate::json::read::Fields::$open($($arg),*);
        // A required field is an `Option`, `None` if it could not be read;
        // they are all `Some` if `fields.ok()`.
        $(let $field = $crate::json::read_struct!(@get fields, Field::$field as usize $(, $default)?);)*
        if !fields.ok() {
            return Err(fields.error());
        }
        Ok($($ctor)* { $($field: $crate::json::read_struct!(@got $field $(, $default)?)),* })
    }};
    (@key $field:ident) => { stringify!($field) };
    (@key $field:ident $key:literal) => { $key };
    (@get $fields:ident, $i:expr) => { $fields.required($i) };
    (@get $fields:ident, $i:expr, $default:path) => { $fields.or($i, $default) };
    (@got $field:ident) => { match $field { Some(value) => value, None => $crate::json::read::broken() } };
    (@got $field:ident, $default:path) => { $field };
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
        Value::Object(_) => return Err(wrong("value", Some(value), "map with a single key")),
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
        None => Err(wrong("type", None, "newtype variant")),
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
        impl $ty {
            /// Every name JSON may give a variant, in the order the reader
            /// lists them (a variant's other names after its first). Written
            /// by `read_enum!` from the reader's own table, so a list built
            /// from it (the wasm API's `vocabulary()`) cannot miss one.
            pub const JSON_NAMES: &'static [&'static str] = &[$($($name),+),*];

            /// The first of this variant's JSON names. Its match lists every
            /// variant the reader knows, so a variant added to the type but
            /// not to its `read_enum!` table is a compile error here.
            pub fn json_name(&self) -> &'static str {
                match self {
                    $(Self::$variant { .. } => [$($name),+][0],)*
                }
            }
        }

        impl $crate::json::FromJson for $ty {
            // The last `first +=` is never read.
            #[allow(unused_assignments)]
            fn read(value: &::serde_json::Value) -> Result<Self, $crate::json::ReadError> {
                const VARIANTS: &[&str] = $ty::JSON_NAMES;
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
                $crate::json::read::broken()
            }
        }

        // The same variant list as a JSON Schema (`json::schema`), native only.
        #[cfg(not(target_arch = "wasm32"))]
        impl $crate::json::schema::JsonSchema for $ty {
            fn schema(defs: &mut $crate::json::schema::Definitions<'_>) -> ::serde_json::Value {
                defs.define(module_path!(), stringify!($ty), |defs| {
                    let mut variants = $crate::json::schema::Variants::new(module_path!(), stringify!($ty));
                    $($crate::json::read_enum!(@schema defs, variants, [$($name),+], $variant $(($newtype))? $({ $($fields)* })?);)*
                    variants.finish()
                })
            }
        }
    };
    (@schema $defs:ident, $variants:ident, [$($name:literal),+], $variant:ident) => {
        $variants.unit($defs, &[$($name),+], stringify!($variant))
    };
    (@schema $defs:ident, $variants:ident, [$($name:literal),+], $variant:ident (_)) => {
        $variants.newtype($defs, &[$($name),+], stringify!($variant), Self::$variant)
    };
    (@schema $defs:ident, $variants:ident, [$($name:literal),+], $variant:ident { $($fields:tt)* }) => {{
        #[allow(unused_mut)]
        let mut object = $variants.fields_of(stringify!($variant));
        $crate::json::read_struct!(@schema $defs, object, [Self::$variant], $($fields)*);
        $variants.object($defs, &[$($name),+], stringify!($variant), object)
    }};
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
