//! The JSON writer: one serializer for every type, laid out as serde_json's
//! pretty printer or compactly for JS.

use std::fmt;

use serde::ser;

/// The writer's error: its message.
#[derive(Debug)]
pub struct WriteError(String);

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WriteError {}

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

