//! JSON text to a `serde_json::Value`: syntax errors keep their line and
//! column, and a key given twice in one object is refused with its path
//! (serde_json's own `Value` keeps the last one silently).

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::JsonError;

pub(super) fn parse_value(text: &str) -> Result<Value, JsonError> {
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
pub(super) enum Segment {
    Key(String),
    Index(usize),
}

/// The path as it is written in errors: `producers[0].arrivals.poisson`.
pub(super) fn format_path(path: &[Segment]) -> String {
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

