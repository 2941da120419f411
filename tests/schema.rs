//! The JSON Schema of scenario files, `schema/scenario.schema.json`, is
//! generated from the readers' own field and variant lists (`read_struct!`
//! and `read_enum!` write `mqsim::json::schema`'s impls), with each field's
//! doc comment, read from the source here, as its `description`. This test
//! fails when the committed file is not what the source generates; to write
//! it anew: `MQSIM_BLESS=1 cargo test --test schema`.
//!
//! It also writes `tests/schema/bad-input.json`, the bad-input catalogue
//! (`tests/common/bad_input.rs`) with the stage that refuses each case, for
//! `tests/e2e/schema.test.mjs`, which checks presets and catalogue against
//! the schema with ajv.

// Native only: it reads the source (with syn, a native dev-dependency) and
// writes files; the schema module is not built for wasm32.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use mqsim::json::schema::Doc;
use mqsim::json::JsonError;
use mqsim::scenario::Scenario;
use serde_json::{Value, json};

const SCHEMA: &str = "schema/scenario.schema.json";
const CATALOGUE: &str = "tests/schema/bad-input.json";
/// What every preset's `$schema` says: the schema, relative to `scenarios/`.
const PRESET_SCHEMA_REF: &str = "../schema/scenario.schema.json";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

// ---- doc comments, from the source --------------------------------------------

/// A type's doc comments: its own, its fields' and its variants' (with
/// their fields').
#[derive(Default)]
struct TypeDocs {
    doc: Option<String>,
    fields: BTreeMap<String, String>,
    variants: BTreeMap<String, (Option<String>, BTreeMap<String, String>)>,
}

/// Every struct and enum under `src/`, by module path ("mqsim::scenario")
/// and name.
struct SourceDocs {
    types: BTreeMap<(String, String), TypeDocs>,
    /// Types the schema asked about that the source does not define where
    /// `module_path!()` said: the lookup would then be silently empty.
    not_found: Mutex<Vec<String>>,
}

/// A doc comment as one text: the lines of a paragraph joined (they are
/// wrapped for the source's width, not for an editor's tooltip), paragraphs
/// and list items kept apart.
fn doc_text(attrs: &[syn::Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc"))
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(syn::MetaNameValue { value: syn::Expr::Lit(lit), .. }) => match &lit.lit {
                syn::Lit::Str(s) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| line.strip_prefix(' ').unwrap_or(&line).trim_end().to_string())
        .collect();
    let mut text = String::new();
    for line in &lines {
        if line.is_empty() {
            text.push_str("\n\n");
        } else if text.is_empty() || text.ends_with("\n\n") {
            text.push_str(line);
        } else if line.starts_with("- ") {
            text.push('\n');
            text.push_str(line);
        } else {
            text.push(' ');
            text.push_str(line);
        }
    }
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
}

fn field_docs(fields: &syn::Fields) -> BTreeMap<String, String> {
    fields
        .iter()
        .filter_map(|field| Some((field.ident.as_ref()?.to_string(), doc_text(&field.attrs)?)))
        .collect()
}

fn collect(module: &str, items: &[syn::Item], types: &mut BTreeMap<(String, String), TypeDocs>) {
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                let docs = TypeDocs { doc: doc_text(&s.attrs), fields: field_docs(&s.fields), ..TypeDocs::default() };
                types.insert((module.to_string(), s.ident.to_string()), docs);
            }
            syn::Item::Enum(e) => {
                let variants = e
                    .variants
                    .iter()
                    .map(|v| (v.ident.to_string(), (doc_text(&v.attrs), field_docs(&v.fields))))
                    .collect();
                let docs = TypeDocs { doc: doc_text(&e.attrs), variants, ..TypeDocs::default() };
                types.insert((module.to_string(), e.ident.to_string()), docs);
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    collect(&format!("{module}::{}", m.ident), items, types);
                }
            }
            _ => {}
        }
    }
}

/// `src/scenario/mod.rs` is `mqsim::scenario`, `src/time.rs` `mqsim::time`.
fn module_of(file: &Path) -> String {
    let relative = file.strip_prefix(root().join("src")).unwrap().with_extension("");
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    std::iter::once("mqsim".to_string()).chain(parts).collect::<Vec<_>>().join("::")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

impl SourceDocs {
    fn read() -> SourceDocs {
        let mut files = Vec::new();
        rust_files(&root().join("src"), &mut files);
        let mut types = BTreeMap::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            collect(&module_of(&file), &parsed.items, &mut types);
        }
        SourceDocs { types, not_found: Mutex::new(Vec::new()) }
    }

    fn of_type(&self, module: &str, ty: &str) -> Option<&TypeDocs> {
        let found = self.types.get(&(module.to_string(), ty.to_string()));
        if found.is_none() {
            self.not_found.lock().unwrap().push(format!("{module}::{ty}"));
        }
        found
    }

    fn lookup(&self, key: Doc<'_>) -> Option<String> {
        match key {
            Doc::Type { module, ty } => self.of_type(module, ty)?.doc.clone(),
            Doc::Field { module, ty, variant: None, field } => self.of_type(module, ty)?.fields.get(field).cloned(),
            Doc::Field { module, ty, variant: Some(variant), field } => {
                self.of_type(module, ty)?.variants.get(variant)?.1.get(field).cloned()
            }
            Doc::Variant { module, ty, variant } => self.of_type(module, ty)?.variants.get(variant)?.0.clone(),
        }
    }
}

/// The schema as the source generates it, and the types it could not find.
fn generate() -> (Value, Vec<String>) {
    let docs = SourceDocs::read();
    let schema = mqsim::scenario::Scenario::schema(&|key| docs.lookup(key));
    let not_found = docs.not_found.lock().unwrap().clone();
    (schema, not_found)
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap() + "\n"
}

/// Writes `text` to `file` under MQSIM_BLESS, else checks the file holds it.
fn check_or_bless(file: &str, text: &str) {
    let path = root().join(file);
    if std::env::var_os("MQSIM_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == text, "{file} is not what the source generates; run `MQSIM_BLESS=1 cargo test --test schema` and commit it");
}

// ---- the schema ---------------------------------------------------------------

/// The committed schema is the one the readers' field lists generate.
#[test]
fn the_committed_schema_is_up_to_date() {
    let (schema, not_found) = generate();
    assert!(not_found.is_empty(), "types whose doc comments were not found where their reader is: {not_found:?}");
    check_or_bless(SCHEMA, &pretty(&schema));
}

/// A field's doc comment is its description, wrapped lines joined.
#[test]
fn a_fields_doc_comment_is_its_description() {
    let (schema, _) = generate();
    assert_eq!(schema["properties"]["seed"]["description"], "The seed of the run's one random stream.");
    assert_eq!(
        schema["definitions"]["ProducerSpec"]["properties"]["non_critical_fraction"]["description"],
        "The fraction of its messages that are not critical (analytics, logs): a backlog emergency may skip them. Default 0."
    );
}

/// A field the reader can do without is optional, with its default; the
/// others are required; no other key is allowed.
#[test]
fn required_fields_defaults_and_no_other_keys() {
    let (schema, _) = generate();
    assert_eq!(schema["required"], json!(["name", "seed", "duration"]));
    assert_eq!(schema["properties"]["sample_every"]["default"], "100ms");
    let consumer = &schema["definitions"]["ConsumerSpec"];
    assert_eq!(consumer["required"], json!(["name", "service"]));
    assert_eq!(consumer["properties"]["prefetch"]["default"], 1);
    assert_eq!(consumer["additionalProperties"], false);
}

/// An enum lists the names the reader allows, a variant's other names too.
#[test]
fn enums_list_their_allowed_values() {
    let (schema, _) = generate();
    let defs = &schema["definitions"];
    assert_eq!(defs["Overflow"]["enum"], json!(["drop_head", "reject_publish", "block"]));
    assert_eq!(defs["Acks"]["enum"], json!(["0", "1", "-1", "all"]));
    // Unit variants as strings, the others as an object of one entry.
    let failure = defs["OnFailure"]["anyOf"].as_array().unwrap();
    assert_eq!(failure[0]["enum"], json!(["requeue", "dead_letter"]));
    assert_eq!(failure[1]["required"], json!(["retry"]));
    assert!(defs["Overflow"]["description"].as_str().unwrap().contains("- `block`: Make the publisher wait"));
}

/// The document itself may say which schema it follows.
#[test]
fn the_schema_allows_a_dollar_schema_key() {
    let (schema, _) = generate();
    assert_eq!(schema["properties"]["$schema"]["type"], json!(["string", "null"]));
    assert!(schema["properties"]["$schema"]["description"].as_str().unwrap().starts_with("The JSON Schema this file follows"));
}

// ---- `$schema` in scenario files -----------------------------------------------

fn preset_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Every preset names the schema, so that an editor opening it checks it.
#[test]
fn every_preset_names_the_schema() {
    let files = preset_files();
    assert!(files.len() > 20);
    for file in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(doc["$schema"], PRESET_SCHEMA_REF, "{}", file.display());
    }
}

/// The simulation ignores `$schema`: the run is the same, event for event.
#[test]
fn the_simulation_ignores_dollar_schema() {
    let mut doc = common::bad_input::queue_base();
    let plain = common::run(Scenario::from_json(&doc.to_string()).unwrap());
    doc["$schema"] = json!(PRESET_SCHEMA_REF);
    let named = common::run(Scenario::from_json(&doc.to_string()).unwrap());
    assert_eq!(named.trace_hash, plain.trace_hash);
    assert!(named.events > 1000);
}

/// `$schema` is a string; anything else is refused at its path.
#[test]
fn a_dollar_schema_that_is_not_a_string_is_refused() {
    let mut doc = common::bad_input::queue_base();
    doc["$schema"] = json!(7);
    let err = Scenario::from_json(&doc.to_string()).unwrap_err().to_string();
    assert!(err.contains("`$schema`") && err.contains("expected a string"), "{err}");
}

// ---- the bad-input catalogue, for ajv -----------------------------------------

/// Which step refuses a text: its syntax, the reader (a wrong type, an
/// unknown field or variant, a missing field, a malformed value: what a
/// schema describes), or the engine's checks (ranges, references, budgets).
fn stage(text: &str) -> &'static str {
    match mqsim::json::parse::<Scenario>(text) {
        Err(JsonError::Syntax { .. }) => "syntax",
        Err(JsonError::Invalid { .. }) => "read",
        Ok(scenario) => match scenario.validate() {
            Err(_) => "check",
            Ok(()) => "accepted",
        },
    }
}

/// The committed catalogue for the schema's test is the shared one.
#[test]
fn the_committed_catalogue_is_up_to_date() {
    let cases: Vec<Value> = common::bad_input::catalogue()
        .iter()
        .map(|case| json!({ "name": case.name, "path": case.path, "stage": stage(&case.text), "text": case.text }))
        .collect();
    assert!(cases.iter().all(|case| case["stage"] != "accepted"));
    check_or_bless(CATALOGUE, &pretty(&Value::Array(cases)));
}
