//! Strict JSON reading that names the path of the first problem, shared by
//! scenarios and live commands, and the JSON writer the wasm API uses.
//!
//! It reads in two steps. First the text becomes a `serde_json::Value`,
//! refusing syntax errors (with their line and column) and a key given twice
//! in one object (with its path). Then the typed value is read from that tree
//! by its [`FromJson`] impl (see `read.rs`), which names a wrong type, an
//! unknown field or a missing one by its path
//! (`producers[0].arrivals.poisson.rate`).
//!
//! Why not read the text straight into the types through
//! `serde_path_to_error`, as mqsim first did: that instantiated the JSON
//! parser and the path-tracking wrappers once per type, about a quarter of
//! the wasm module. Here the parser is instantiated once (for `Value`), and
//! nothing of serde's deserialization is instantiated per type at all.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser;
use serde_json::{Map, Number, Value};

pub mod read;
/// JSON Schema from the readers' field lists (native only).
#[cfg(not(target_arch = "wasm32"))]
pub mod schema;

pub use read::{FromJson, ReadError};
pub(crate) use read::{read_enum, read_struct};

/// Why a text was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonError {
    /// Not JSON; `message` has no position (`line` and `column` say it).
    Syntax { line: usize, column: usize, message: String },
    /// Well-formed JSON whose value at `path` ("" for the document) is wrong.
    Invalid { path: String, message: String },
}

/// Reads a `T` from JSON text: one value, with nothing but whitespace after
/// it (trailing text is a syntax error, not silently ignored).
pub fn parse<T: FromJson>(text: &str) -> Result<T, JsonError> {
    T::read(&parse_value(text)?).map_err(invalid)
}

fn invalid(err: ReadError) -> JsonError {
    let (path, message) = err.into_parts();
    JsonError::Invalid { path, message }
}

fn parse_value(text: &str) -> Result<Value, JsonError> {
    let path = RefCell::new(Vec::new());
    let mut de = serde_json::Deserializer::from_str(text);
    let value = ValueSeed { path: &path }.deserialize(&mut de).and_then(|value| de.end().map(|()| value));
    value.map_err(|err| {
        let message = strip_position(&err.to_string());
        if err.is_syntax() || err.is_eof() {
            JsonError::Syntax { line: err.line(), column: err.column(), message }
        } else {
            // The only data error this step raises: a duplicate key, at `path`.
            JsonError::Invalid { path: format_path(&path.borrow()), message }
        }
    })
}

/// serde_json appends " at line L column C"; the error reports the position itself.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

#[derive(Debug)]
enum Segment {
    Key(String),
    Index(usize),
}

/// The path as it is written in errors: `producers[0].arrivals.poisson`.
fn format_path(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
        }
    }
    out
}

/// Builds a `Value` like serde_json's own, refusing duplicate keys. `path`
/// holds where it is; after an error it is left pointing at the object with
/// the duplicate.
struct ValueSeed<'a> {
    path: &'a RefCell<Vec<Segment>>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            self.path.borrow_mut().push(Segment::Index(items.len()));
            let Some(item) = seq.next_element_seed(ValueSeed { path: self.path })? else { break };
            self.path.borrow_mut().pop();
            items.push(item);
        }
        self.path.borrow_mut().pop();
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            self.path.borrow_mut().push(Segment::Key(key));
            let value = map.next_value_seed(ValueSeed { path: self.path })?;
            let Some(Segment::Key(key)) = self.path.borrow_mut().pop() else { unreachable!() };
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

/// The writer's error: its message.
#[derive(Debug)]
pub struct WriteError(String);

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WriteError {}

// ---- writing ------------------------------------------------------------------

/// Writes a float as `{}` does for an `f64` (the shortest digits that read
/// back as it, never an exponent: "0.1", "1", "-0", "1000000000000000000000",
/// "inf", "NaN"), from zmij's text, which the JSON writer needs anyway:
/// core's own float formatting (Grisu and Dragon4) is 17 KB of the wasm
/// module. Every message that shows a float uses this.
pub struct Num(pub f64);

/// Writes a float as `{:.N}` does for an `f64` with `N` = `decimals` (at
/// most 9): the exact binary value rounded half to even, in integers, so that
/// core's float formatting stays out of the wasm module (see `Num`). Exact up
/// to 2^74 (every f64 below that converts to an integer of 128 bits); larger
/// values, which no summary has, are written by `Num` with zeros appended.
pub fn fixed(v: f64, decimals: u32) -> String {
    let scale = 10u128.pow(decimals.min(9));
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let fraction = u128::from(bits & ((1 << 52) - 1));
    let (m, q) = if exp == 0 { (fraction, -1074) } else { (fraction | 1 << 52, exp - 1075) };
    let sign = if v.is_sign_negative() { "-" } else { "" };
    let units = if !v.is_finite() || q > 74 {
        let text = Num(v).to_string();
        return if v.is_finite() && decimals > 0 { format!("{text}.{}", "0".repeat(decimals as usize)) } else { text };
    } else if q >= 0 {
        (m << q) * scale
    } else if q < -120 {
        0 // below 2^-67 × 2^53: under half of the last decimal place
    } else {
        // v × scale = m × scale / 2^-q, rounded half to even.
        let (whole, rest) = ((m * scale) >> -q, (m * scale) & ((1 << -q) - 1));
        let half = 1 << (-q - 1);
        whole + u128::from(rest > half || (rest == half && whole % 2 == 1))
    };
    let (int, frac) = (units / scale, units % scale);
    let width = decimals as usize;
    if decimals == 0 { format!("{sign}{int}") } else { format!("{sign}{int}.{frac:0>width$}") }
}

/// Whether `v` (finite, positive) is exactly `0.digits5` × 10^point, halfway
/// between `digits` and the next number up in their last place: whether
/// m × 2^q = n × 10^t, with `v` = m × 2^q and n = digits5, in integers.
/// (Where that is so, every product below is under 2^112.)
fn halfway(v: f64, digits: &str, point: i32) -> bool {
    let bits = v.to_bits();
    let exp = (bits >> 52) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (m, q) = if exp == 0 { (fraction, -1074) } else { (fraction | 1 << 52, exp - 1075) };
    let Ok(n) = digits.parse::<u128>() else { return false };
    let t = point - digits.len() as i32 - 1;
    let times = |x: Option<u128>, base: u128, k: i32| x?.checked_mul(base.checked_pow(k.unsigned_abs())?);
    let (mut lhs, mut rhs) = (Some(m as u128), n.checked_mul(10).map(|n| n + 5));
    // m × 2^(q - t) = n × 5^t, with each negative power moved across.
    if q >= t { lhs = times(lhs, 2, q - t) } else { rhs = times(rhs, 2, q - t) }
    if t >= 0 { rhs = times(rhs, 5, t) } else { lhs = times(lhs, 5, t) }
    lhs.is_some() && lhs == rhs
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let v = self.0;
        if !v.is_finite() {
            return f.pad(if v.is_nan() { "NaN" } else if v > 0.0 { "inf" } else { "-inf" });
        }
        // zmij writes `[-]digits[.digits][e[+-]exponent]`.
        let mut buffer = zmij::Buffer::new();
        let text = buffer.format_finite(v);
        let (sign, text) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text),
        };
        let (mantissa, exponent) = match text.split_once('e') {
            Some((m, e)) => (m, e.trim_start_matches('+').parse::<i32>().unwrap_or(0)),
            None => (text, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        // The significant digits and where the point goes among them.
        let digits: String = [int, frac].concat();
        let lead = digits.len() - digits.trim_start_matches('0').len();
        let mut digits = digits[lead..].trim_end_matches('0').to_string();
        let point = int.len() as i32 + exponent - lead as i32;
        // Where `v` lies exactly halfway between two shortest candidates,
        // zmij takes the even one and `{}` the larger.
        if digits.ends_with(['2', '4', '6', '8']) && halfway(v.abs(), &digits, point) {
            let last = digits.pop().unwrap_or('0');
            digits.push((last as u8 + 1) as char);
        }
        let digits = digits.as_str();
        let mut out = String::from(sign);
        if digits.is_empty() {
            out.push('0');
        } else if point <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', -point as usize));
            out.push_str(digits);
        } else if point as usize >= digits.len() {
            out.push_str(digits);
            out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
        } else {
            out.push_str(&digits[..point as usize]);
            out.push('.');
            out.push_str(&digits[point as usize..]);
        }
        f.pad(&out)
    }
}

/// How [`write()`] lays out JSON.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Style {
    /// serde_json's `to_string_pretty`, byte for byte (two-space indent).
    Pretty,
    /// Compact, for `JSON.parse` in JS: an infinite number is written
    /// `1e999` or `-1e999`, which JSON.parse reads back as ±Infinity (JSON has
    /// no infinity, and serde_json writes `null`). NaN is written `null`.
    Js,
}

/// Writes `value` as JSON in `style`. One serializer, chosen at run time
/// rather than by type, so that each type's `Serialize` is compiled once for
/// both the scenario's pretty text and everything the wasm API hands to JS.
pub fn write<T: serde::Serialize + ?Sized>(value: &T, style: Style) -> Result<String, WriteError> {
    let mut w = Writer { out: String::new(), style, indent: 0, has_value: false };
    value.serialize(&mut w)?;
    Ok(w.out)
}

struct Writer {
    out: String,
    style: Style,
    indent: usize,
    /// Whether the innermost open container has a value (serde_json's
    /// PrettyFormatter keeps the same single flag).
    has_value: bool,
}

impl Writer {
    fn newline(&mut self) {
        self.out.push('\n');
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
    }

    fn open(&mut self, bracket: char) {
        self.out.push(bracket);
        self.indent += 1;
        self.has_value = false;
    }

    fn close(&mut self, bracket: char) {
        self.indent -= 1;
        if self.style == Style::Pretty && self.has_value {
            self.newline();
        }
        self.out.push(bracket);
    }

    /// Before an array element or an object key.
    fn item(&mut self, first: bool) {
        if !first {
            self.out.push(',');
        }
        if self.style == Style::Pretty {
            self.newline();
        }
    }

    fn colon(&mut self) {
        self.out.push_str(if self.style == Style::Pretty { ": " } else { ":" });
    }

    fn string(&mut self, s: &str) {
        self.out.push('"');
        let mut start = 0;
        for (i, b) in s.bytes().enumerate() {
            let escape = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0..=0x1f => "",
                _ => continue,
            };
            self.out.push_str(&s[start..i]);
            if escape.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                self.out.push_str("\\u00");
                self.out.push(HEX[(b >> 4) as usize] as char);
                self.out.push(HEX[(b & 0xf) as usize] as char);
            } else {
                self.out.push_str(escape);
            }
            start = i + 1;
        }
        self.out.push_str(&s[start..]);
        self.out.push('"');
    }

    fn display(&mut self, v: impl fmt::Display) {
        use std::fmt::Write;
        let _ = write!(self.out, "{v}");
    }

    fn float(&mut self, v: f64, finite: &str) {
        if v.is_finite() {
            self.out.push_str(finite);
        } else if self.style == Style::Js && v.is_infinite() {
            self.out.push_str(if v > 0.0 { "1e999" } else { "-1e999" });
        } else {
            self.out.push_str("null");
        }
    }

    /// `{"variant":` before a variant's content (closed by `end_variant`).
    fn begin_variant(&mut self, variant: &str) {
        self.open('{');
        self.item(true);
        self.string(variant);
        self.colon();
    }

    fn end_variant(&mut self) {
        self.has_value = true;
        self.close('}');
    }
}

/// A container being written: the writer and whether the next item is the first.
pub struct Compound<'a> {
    w: &'a mut Writer,
    first: bool,
    /// Inside an enum variant's `{"variant": …}`, to close after the content.
    variant: bool,
}

impl Compound<'_> {
    /// Before the next element, or the next field's value (after its key).
    #[inline(never)]
    fn next(&mut self, key: Option<&str>) {
        self.w.item(self.first);
        self.first = false;
        if let Some(key) = key {
            self.w.string(key);
            self.w.colon();
        }
    }

    // `element` and `field` out of line, once per type written: the four
    // sequence-like and two struct-like serializers share them.
    #[inline(never)]
    fn element<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        self.next(None);
        value.serialize(&mut *self.w)?;
        self.w.has_value = true;
        Ok(())
    }

    #[inline(never)]
    fn field<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), WriteError> {
        self.next(Some(key));
        value.serialize(&mut *self.w)?;
        self.w.has_value = true;
        Ok(())
    }

    fn finish(self, bracket: char) -> Result<(), WriteError> {
        self.w.close(bracket);
        if self.variant {
            self.w.end_variant();
        }
        Ok(())
    }
}

impl<'a> serde::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), WriteError> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), WriteError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), WriteError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), WriteError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), WriteError> {
        self.display(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), WriteError> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), WriteError> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), WriteError> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), WriteError> {
        self.display(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), WriteError> {
        let mut buffer = zmij::Buffer::new();
        let finite = if v.is_finite() { buffer.format_finite(v) } else { "" };
        self.float(f64::from(v), finite);
        Ok(())
    }
    fn serialize_f64(self, v: f64) -> Result<(), WriteError> {
        let mut buffer = zmij::Buffer::new();
        let finite = if v.is_finite() { buffer.format_finite(v) } else { "" };
        self.float(v, finite);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), WriteError> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), WriteError> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), WriteError> {
        use serde::ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        SerializeSeq::end(seq)
    }
    fn serialize_none(self) -> Result<(), WriteError> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_some<T: serde::Serialize + ?Sized>(self, value: &T) -> Result<(), WriteError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), WriteError> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), WriteError> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _name: &'static str, _index: u32, variant: &'static str) -> Result<(), WriteError> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(self, _name: &'static str, value: &T) -> Result<(), WriteError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        self.begin_variant(variant);
        value.serialize(&mut *self)?;
        self.end_variant();
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, WriteError> {
        self.open('[');
        Ok(Compound { w: self, first: true, variant: false })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, WriteError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>, WriteError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(self, _name: &'static str, _index: u32, variant: &'static str, _len: usize) -> Result<Compound<'a>, WriteError> {
        self.begin_variant(variant);
        self.open('[');
        Ok(Compound { w: self, first: true, variant: true })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, WriteError> {
        self.open('{');
        Ok(Compound { w: self, first: true, variant: false })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Compound<'a>, WriteError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(self, _name: &'static str, _index: u32, variant: &'static str, _len: usize) -> Result<Compound<'a>, WriteError> {
        self.begin_variant(variant);
        self.open('{');
        Ok(Compound { w: self, first: true, variant: true })
    }
}

// The four sequence-like serializers differ only in their method's name.
macro_rules! sequence_serializer {
    ($($trait:ident::$method:ident),*) => {$(
        impl serde::ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = WriteError;
            fn $method<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
                self.element(value)
            }
            fn end(self) -> Result<(), WriteError> {
                Compound::finish(self, ']')
            }
        }
    )*};
}

sequence_serializer!(SerializeSeq::serialize_element, SerializeTuple::serialize_element, SerializeTupleStruct::serialize_field, SerializeTupleVariant::serialize_field);

impl serde::ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_field<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), WriteError> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), WriteError> {
        Compound::finish(self, '}')
    }
}

impl serde::ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_field<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), WriteError> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), WriteError> {
        Compound::finish(self, '}')
    }
}

impl serde::ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_key<T: serde::Serialize + ?Sized>(&mut self, key: &T) -> Result<(), WriteError> {
        self.w.item(self.first);
        self.first = false;
        // A key is a string; numbers and booleans are quoted, as serde_json does.
        let text = write(key, Style::Js)?;
        if text.starts_with('"') {
            self.w.out.push_str(&text);
        } else if text.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == 't' || c == 'f') && !text.contains(['[', '{']) {
            self.w.string(&text);
        } else {
            return Err(ser::Error::custom("key must be a string"));
        }
        self.w.colon();
        Ok(())
    }
    fn serialize_value<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        value.serialize(&mut *self.w)?;
        self.w.has_value = true;
        Ok(())
    }
    fn end(self) -> Result<(), WriteError> {
        Compound::finish(self, '}')
    }
}

impl ser::Error for WriteError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        WriteError(msg.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Outer {
        #[allow(dead_code)]
        items: Vec<Inner>,
    }

    #[derive(Debug)]
    struct Inner {
        #[allow(dead_code)]
        n: u32,
    }

    read_struct!(Outer { items });
    read_struct!(Inner { n });

    fn invalid(text: &str) -> (String, String) {
        match parse::<Outer>(text).unwrap_err() {
            JsonError::Invalid { path, message } => (path, message),
            other => panic!("{other:?}"),
        }
    }

    /// Wrong types, unknown fields and duplicate keys name their path.
    #[test]
    fn problems_name_their_path() {
        assert_eq!(invalid(r#"{"items": [{"n": 1}, {"n": "x"}]}"#), ("items[1].n".into(), "invalid type: string \"x\", expected u32".into()));
        assert_eq!(invalid(r#"{"items": [{"m": 1}]}"#).0, "items[0].m");
        assert_eq!(invalid(r#"{"items": [{"n": 1, "n": 2}]}"#), ("items[0]".into(), "duplicate field `n`".into()));
        assert_eq!(invalid(r#"{"items": [], "items": []}"#), ("".into(), "duplicate field `items`".into()));
        assert_eq!(invalid(r#"{}"#), ("".into(), "missing field `items`".into()));
    }

    /// Syntax errors carry their position, not a path.
    #[test]
    fn syntax_errors_carry_a_position() {
        let err = parse::<Outer>("{\n  \"items\": [\n  oops").unwrap_err();
        assert!(matches!(err, JsonError::Syntax { line: 3, column: 3, .. }), "{err:?}");
        assert!(matches!(parse::<Outer>(r#"{"items": [{"n": 1}"#).unwrap_err(), JsonError::Syntax { .. }));
    }

    /// The writer writes what serde_json writes: pretty for every preset's
    /// scenario, compact for run summaries (Kafka's flattened maps included),
    /// and the corners (escapes, empty containers, number keys, variants).
    #[test]
    fn the_writer_writes_what_serde_json_writes() {
        for preset in crate::scenario::presets::PRESETS {
            let scenario = crate::scenario::Scenario::from_json(preset.json).unwrap();
            assert_eq!(write(&scenario, Style::Pretty).unwrap(), serde_json::to_string_pretty(&scenario).unwrap(), "{}", preset.name);
            assert_eq!(write(&scenario, Style::Js).unwrap(), serde_json::to_string(&scenario).unwrap(), "{}", preset.name);
        }
        for name in ["peak-shaving", "kafka-rebalance-eager-vs-cooperative", "order-decoupling"] {
            let mut sim = crate::engine::Sim::new(crate::scenario::presets::load(name).unwrap()).unwrap();
            sim.run_until(3_000_000_000);
            let summary = crate::summary::Summary::of(&sim);
            assert_eq!(write(&summary, Style::Js).unwrap(), serde_json::to_string(&summary).unwrap(), "{name}");
            let topology = crate::observe::Topology::of(&sim);
            assert_eq!(write(&topology, Style::Pretty).unwrap(), serde_json::to_string_pretty(&topology).unwrap(), "{name}");
            let series = sim.series().since(0);
            assert_eq!(write(&series, Style::Js).unwrap(), serde_json::to_string(&series).unwrap(), "{name}");
        }
        let corners = serde_json::json!({
            "s": "a\"b\\c\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}é☃", "e": [], "o": {}, "n": [1, -2, 1.5, 1e300, 0.1, -0.0],
            "x": [[], {}, [1], {"a": []}], "b": [true, false, null]
        });
        for style in [Style::Pretty, Style::Js] {
            let ours = write(&corners, style).unwrap();
            let theirs = if style == Style::Pretty { serde_json::to_string_pretty(&corners) } else { serde_json::to_string(&corners) };
            assert_eq!(ours, theirs.unwrap());
        }
        let keyed: std::collections::BTreeMap<u32, Option<f64>> = [(1, Some(2.5)), (10, None)].into();
        assert_eq!(write(&keyed, Style::Pretty).unwrap(), serde_json::to_string_pretty(&keyed).unwrap());
        #[derive(serde::Serialize)]
        enum E {
            Unit,
            New(u8),
            Tuple(u8, u8),
            Struct { a: u8 },
            Empty {},
        }
        let enums = vec![E::Unit, E::New(1), E::Tuple(1, 2), E::Struct { a: 1 }, E::Empty {}];
        assert_eq!(write(&enums, Style::Pretty).unwrap(), serde_json::to_string_pretty(&enums).unwrap());
        assert_eq!(write(&enums, Style::Js).unwrap(), serde_json::to_string(&enums).unwrap());
    }

    /// `fixed` writes what `{:.N}` writes.
    #[test]
    fn fixed_writes_what_precision_writes() {
        let mut values = vec![
            0.0, -0.0, 0.25, 0.35, 0.5, 1.5, 2.5, 0.125, 0.0625, -0.0625, 1.005, 2.675, 1e-300, 5e-324, 123.4565, 1e15,
            1e16 + 2.0, 2f64.powi(60), 2f64.powi(74), f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 99.9995, 0.0005, 1e9,
        ];
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Magnitudes a summary has, exact ties among them, and any bits below 2^74.
            values.push((x % 10_000_000) as f64 / [1.0, 8.0, 1000.0, 16384.0][(x >> 62) as usize]);
            let any = f64::from_bits(x >> 1);
            if any.abs() < 2f64.powi(74) {
                values.push(any);
            }
        }
        for v in values {
            for n in [0, 1, 2, 3] {
                assert_eq!(fixed(v, n), format!("{v:.0$}", n as usize), "{v:e} to {n}");
            }
        }
    }

    /// `found` writes what serde's `Unexpected` writes for the value serde_json's
    /// reader for `Value` would have found.
    #[test]
    fn found_writes_what_serde_writes() {
        use de::Unexpected;
        let values: Value = serde_json::json!([
            null, true, false, 7, 0, -7, u64::MAX, i64::MIN, 1.0, -0.0, 1.5, 1e21, 1e300, 5e-324, "a\"b\n", [], [1], {}, {"a": 1}
        ]);
        for value in values.as_array().unwrap() {
            let unexp = match value {
                Value::Null => Unexpected::Unit,
                Value::Bool(b) => Unexpected::Bool(*b),
                Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                    (Some(u), _) => Unexpected::Unsigned(u),
                    (None, Some(i)) => Unexpected::Signed(i),
                    _ => Unexpected::Float(n.as_f64().unwrap()),
                },
                Value::String(s) => Unexpected::Str(s),
                Value::Array(_) => Unexpected::Seq,
                Value::Object(_) => Unexpected::Map,
            };
            assert_eq!(read::found(Some(value)), unexp.to_string());
        }
        assert_eq!(read::found(None), Unexpected::UnitVariant.to_string());
    }

    /// `Num` writes what `{}` writes for an f64.
    #[test]
    fn num_writes_what_display_writes() {
        let mut values = vec![
            0.0, -0.0, 1.0, -1.0, 0.1, 0.3, 1.5, 100.0, 123456.0, 1e15, 1e16, 1e17, 1e21, 1e22, 1e-5, 1e-7, 1.2345e-7,
            5e-324, f64::MIN_POSITIVE, f64::MAX, f64::MIN, f64::EPSILON, 2.5e10, 1234567890123456789.0, 9007199254740993.0,
            f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 1e9, 0.5, 2.0f64.powi(60), 1.0 / 3.0, 2.0 / 3.0, 299792458.0,
            1.3085487957268623e15,
        ];
        // Bit patterns from a fixed stream (SplitMix64), all exponents.
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..200_000 {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            values.push(f64::from_bits(z));
            // Short decimals too, as scenarios have them.
            values.push((z % 100_000) as f64 / [1.0, 10.0, 100.0, 1000.0, 1e6][(z >> 60) as usize % 5]);
        }
        for v in values {
            assert_eq!(Num(v).to_string(), v.to_string(), "{:e}", v);
        }
        assert_eq!(format!("[{:>6}]", Num(1.5)), "[   1.5]");
    }

    /// For JS, infinities survive as numbers JSON.parse reads back as ±Infinity.
    #[test]
    fn infinities_survive_for_js() {
        assert_eq!(write(&[f64::INFINITY, f64::NEG_INFINITY, f64::NAN, 1.0], Style::Js).unwrap(), "[1e999,-1e999,null,1.0]");
        assert_eq!(write(&[f64::INFINITY], Style::Pretty).unwrap(), "[\n  null\n]");
    }
}
