//! A JSON Schema (draft-07) of what the readers accept, built from the same
//! field and variant lists that the readers are: `read_struct!` and
//! `read_enum!` write a [`JsonSchema`] impl beside each [`FromJson`] impl, so
//! a field added to a reader is in the schema too, with nothing written twice.
//!
//! The lists do not hold doc comments (the macros never see them), so
//! descriptions come from a [`Docs`] lookup that the caller gives: the
//! generator (`tests/schema.rs`, which writes `schema/scenario.schema.json`)
//! reads them from the source with `syn`. Native only: the wasm module has
//! no use for a schema, and this keeps it out of the size budget.
//!
//! Where the schema and the reader differ, the schema is stricter on form and
//! silent on meaning:
//! - a unit variant's `{"name": null}` form, which the reader still takes as
//!   serde did, is left out: editors then offer the plain `"name"` only;
//! - JSON Schema's `integer` takes `1.0`, which the reader refuses;
//! - ranges, references between names and budgets are the engine's own
//!   checks (`scenario/validate.rs`), and its error stays the final word.
//!
//! [`FromJson`]: super::FromJson

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value, json};

/// What a description is looked up for: a type (struct or enum), a field of
/// a struct or of a struct variant, or a variant. `module` is the module
/// whose `read_struct!`/`read_enum!` wrote the reader (`module_path!()`),
/// names are Rust's.
#[derive(Clone, Copy, Debug)]
pub enum Doc<'a> {
    Type { module: &'a str, ty: &'a str },
    Field { module: &'a str, ty: &'a str, variant: Option<&'a str>, field: &'a str },
    Variant { module: &'a str, ty: &'a str, variant: &'a str },
}

/// The descriptions: a doc comment, as text, or none.
pub type Docs<'d> = &'d dyn Fn(Doc<'_>) -> Option<String>;

/// A type whose JSON form has a schema.
pub trait JsonSchema {
    /// The schema of the type's JSON form; a struct or an enum is a
    /// `$ref` to its entry in `defs`.
    fn schema(defs: &mut Definitions<'_>) -> Value;
}

/// The named schemas (`#/definitions/…`) being collected, and the docs.
pub struct Definitions<'d> {
    docs: Docs<'d>,
    /// Each name's module (two types of one name would collide) and schema
    /// (`None` while it is being built: a recursive type refers to itself).
    entries: BTreeMap<&'static str, (&'static str, Option<Value>)>,
}

impl<'d> Definitions<'d> {
    pub fn new(docs: Docs<'d>) -> Definitions<'d> {
        Definitions { docs, entries: BTreeMap::new() }
    }

    pub fn doc(&self, key: Doc<'_>) -> Option<String> {
        (self.docs)(key)
    }

    /// A `$ref` to definition `name`, which `build` makes the first time.
    pub fn define(&mut self, module: &'static str, name: &'static str, build: impl FnOnce(&mut Self) -> Value) -> Value {
        match self.entries.get(name) {
            Some((other, _)) if *other != module => {
                panic!("two types are named {name} ({other} and {module}); the schema names definitions by type")
            }
            Some(_) => {}
            None => {
                self.entries.insert(name, (module, None));
                let mut schema = build(self);
                describe(&mut schema, self.doc(Doc::Type { module, ty: name }));
                self.entries.insert(name, (module, Some(schema)));
            }
        }
        json!({ "$ref": format!("#/definitions/{name}") })
    }

    /// Definition `name`, taken out (to inline the document's own type).
    fn take(&mut self, name: &str) -> Option<Value> {
        self.entries.remove(name).and_then(|(_, schema)| schema)
    }

    fn into_map(self) -> Map<String, Value> {
        self.entries.into_iter().filter_map(|(name, (_, schema))| Some((name.to_string(), schema?))).collect()
    }
}

/// A field's schema that can carry the field's own description and default:
/// a `$ref` is wrapped in `allOf` (draft-07 ignores a `$ref`'s siblings, and
/// so do editors that resolve it: they would show the type's doc instead).
fn annotatable(schema: Value) -> Value {
    match schema.get("$ref") {
        Some(_) => json!({ "allOf": [schema] }),
        None => schema,
    }
}

/// Adds `doc` to a schema object's description, before what it says
/// already (an enum's list of values, below its type's doc).
fn describe(schema: &mut Value, doc: Option<String>) {
    if let (Value::Object(object), Some(doc)) = (schema, doc) {
        let text = match object.get("description") {
            Some(Value::String(below)) => format!("{doc}\n\n{below}"),
            _ => doc,
        };
        object.insert("description".into(), Value::String(text));
    }
}

// ---- structs ------------------------------------------------------------------

/// The fields of a struct (or of a struct variant), as `read_struct!` lists them.
pub struct Object {
    module: &'static str,
    ty: &'static str,
    variant: Option<&'static str>,
    properties: Map<String, Value>,
    required: Vec<Value>,
}

impl Object {
    pub fn new(module: &'static str, ty: &'static str, variant: Option<&'static str>) -> Object {
        Object { module, ty, variant, properties: Map::new(), required: Vec::new() }
    }

    /// A field without a default, read as JSON key `key` into Rust field
    /// `field`, whose type `_access` names (it is never called).
    pub fn required<S, T: JsonSchema, F: Fn(&S) -> &T>(&mut self, defs: &mut Definitions, key: &'static str, field: &'static str, _access: F) {
        let schema = annotatable(T::schema(defs));
        self.property(defs, key, field, schema);
        self.required.push(Value::String(key.into()));
    }

    /// A field that takes `default()` when it is absent; the default is the
    /// schema's `default` (unless it is `null`: an absent `Option`).
    pub fn optional<S, T: JsonSchema + Serialize, F: Fn(&S) -> &T>(
        &mut self,
        defs: &mut Definitions,
        key: &'static str,
        field: &'static str,
        _access: F,
        default: fn() -> T,
    ) {
        let mut schema = annotatable(T::schema(defs));
        let value = serde_json::to_value(default()).expect("a default value serializes");
        if let (false, Value::Object(object)) = (value.is_null(), &mut schema) {
            object.insert("default".into(), value);
        }
        self.property(defs, key, field, schema);
    }

    fn property(&mut self, defs: &Definitions, key: &'static str, field: &'static str, mut schema: Value) {
        let doc = Doc::Field { module: self.module, ty: self.ty, variant: self.variant, field };
        describe(&mut schema, defs.doc(doc));
        self.properties.insert(key.into(), schema);
    }

    /// An object of exactly these fields (the reader refuses any other key).
    pub fn finish(self) -> Value {
        let mut schema = json!({ "type": "object", "properties": self.properties, "additionalProperties": false });
        if !self.required.is_empty() {
            schema["required"] = Value::Array(self.required);
        }
        schema
    }
}

// ---- enums --------------------------------------------------------------------

/// The variants of an externally tagged enum, as `read_enum!` lists them:
/// a unit variant is its name as a string, any other an object of one entry,
/// its name and its content.
pub struct Variants {
    module: &'static str,
    ty: &'static str,
    /// The unit variants' names, and each one's doc.
    units: Vec<(&'static str, Option<String>)>,
    /// One object schema per other variant.
    tagged: Vec<Value>,
}

impl Variants {
    pub fn new(module: &'static str, ty: &'static str) -> Variants {
        Variants { module, ty, units: Vec::new(), tagged: Vec::new() }
    }

    fn doc(&self, defs: &Definitions, variant: &'static str) -> Option<String> {
        defs.doc(Doc::Variant { module: self.module, ty: self.ty, variant })
    }

    /// A unit variant, known to JSON by `names`.
    pub fn unit(&mut self, defs: &mut Definitions, names: &[&'static str], variant: &'static str) {
        let doc = self.doc(defs, variant);
        self.units.extend(names.iter().map(|name| (*name, doc.clone())));
    }

    /// A newtype variant whose constructor, `_ctor`, names its content's type.
    pub fn newtype<T: JsonSchema, S, F: Fn(T) -> S>(&mut self, defs: &mut Definitions, names: &[&'static str], variant: &'static str, _ctor: F) {
        let content = T::schema(defs);
        self.tag(defs, names, variant, content);
    }

    /// A struct variant, whose fields `object` lists.
    pub fn object(&mut self, defs: &mut Definitions, names: &[&'static str], variant: &'static str, object: Object) {
        self.tag(defs, names, variant, object.finish());
    }

    /// The fields of struct variant `variant`, for [`Variants::object`].
    pub fn fields_of(&self, variant: &'static str) -> Object {
        Object::new(self.module, self.ty, Some(variant))
    }

    /// `{"name": content}`: an object of exactly one entry, one of `names`.
    fn tag(&mut self, defs: &Definitions, names: &[&'static str], variant: &'static str, content: Value) {
        let properties: Map<String, Value> = names.iter().map(|name| (name.to_string(), content.clone())).collect();
        let mut schema = json!({
            "type": "object",
            "properties": properties,
            "minProperties": 1,
            "maxProperties": 1,
            "additionalProperties": false,
        });
        if let [name] = names {
            schema["required"] = json!([name]);
            schema.as_object_mut().map(|o| (o.remove("minProperties"), o.remove("maxProperties")));
        }
        describe(&mut schema, self.doc(defs, variant));
        self.tagged.push(schema);
    }

    /// The enum's schema: a string of the unit variants' names, an object of
    /// one of the others, or either. The names' docs are listed in the
    /// description (draft-07 has no place for a description per value).
    pub fn finish(self) -> Value {
        let mut alternatives = self.tagged;
        if !self.units.is_empty() {
            let names: Vec<&str> = self.units.iter().map(|(name, _)| *name).collect();
            let mut schema = json!({ "type": "string", "enum": names });
            let listed: Vec<String> = self
                .units
                .iter()
                .map(|(name, doc)| match doc {
                    Some(doc) => format!("- `{name}`: {doc}"),
                    None => format!("- `{name}`"),
                })
                .collect();
            describe(&mut schema, Some(listed.join("\n")));
            alternatives.insert(0, schema);
        }
        match alternatives.len() {
            1 => alternatives.pop().expect("one"),
            _ => json!({ "anyOf": alternatives }),
        }
    }
}

// ---- leaves -------------------------------------------------------------------

macro_rules! unsigned {
    ($($t:ident),*) => {$(
        impl JsonSchema for $t {
            fn schema(_: &mut Definitions) -> Value {
                json!({ "type": "integer", "minimum": 0, "maximum": $t::MAX })
            }
        }
    )*};
}

unsigned!(u8, u32, u64);

impl JsonSchema for f64 {
    fn schema(_: &mut Definitions) -> Value {
        json!({ "type": "number" })
    }
}

impl JsonSchema for bool {
    fn schema(_: &mut Definitions) -> Value {
        json!({ "type": "boolean" })
    }
}

impl JsonSchema for String {
    fn schema(_: &mut Definitions) -> Value {
        json!({ "type": "string" })
    }
}

/// `null` is `None`, as the reader takes it.
impl<T: JsonSchema> JsonSchema for Option<T> {
    fn schema(defs: &mut Definitions) -> Value {
        let inner = T::schema(defs);
        match inner.get("type") {
            Some(Value::String(ty)) if inner.as_object().is_some_and(|o| o.len() == 1) => json!({ "type": [ty, "null"] }),
            _ => json!({ "anyOf": [inner, { "type": "null" }] }),
        }
    }
}

impl<T: JsonSchema> JsonSchema for Vec<T> {
    fn schema(defs: &mut Definitions) -> Value {
        json!({ "type": "array", "items": T::schema(defs) })
    }
}

/// A pair is an array of exactly two (draft-07's tuple form of `items`).
impl<A: JsonSchema, B: JsonSchema> JsonSchema for (A, B) {
    fn schema(defs: &mut Definitions) -> Value {
        json!({ "type": "array", "items": [A::schema(defs), B::schema(defs)], "minItems": 2, "maxItems": 2 })
    }
}

impl<T: JsonSchema> JsonSchema for BTreeMap<String, T> {
    fn schema(defs: &mut Definitions) -> Value {
        json!({ "type": "object", "additionalProperties": T::schema(defs) })
    }
}

/// Any JSON value: a lesson's inline scenario, which the scenario reader
/// checks when the lesson is read (a scenario file's own schema is
/// `scenario::schema`).
impl JsonSchema for Value {
    fn schema(_: &mut Definitions) -> Value {
        json!({})
    }
}

// ---- the document -------------------------------------------------------------

/// A schema document whose root is `T`'s definition (named `root`), with
/// every type it reaches under `definitions`. The scenario file's is
/// `scenario::schema`.
pub fn document<T: JsonSchema>(docs: Docs<'_>, root: &str, title: &str) -> Value {
    let mut defs = Definitions::new(docs);
    T::schema(&mut defs);
    let root = defs.take(root).expect("the root type is defined");
    let mut document = Map::new();
    document.insert("$schema".into(), json!("http://json-schema.org/draft-07/schema#"));
    document.insert("title".into(), json!(title));
    if let Value::Object(fields) = root {
        document.extend(fields);
    }
    document.insert("definitions".into(), Value::Object(defs.into_map()));
    Value::Object(document)
}
