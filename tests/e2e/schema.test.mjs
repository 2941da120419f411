// The scenario schema (schema/scenario.schema.json, generated from the
// readers' field lists by tests/schema.rs) in a standard validator, ajv, as
// an editor or a doc author's CI would use it: every preset is valid, and
// every case of the bad-input catalogue that mqsim's reader refuses (a wrong
// type, an unknown field or variant, a missing field, a malformed duration)
// is invalid too, but for the few a schema cannot see, each named below with
// why. Ranges, references between names and budgets are the engine's own
// checks (its error, with its path, stays the final word), and the syntax
// errors are JSON.parse's.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SCHEMA_FILE = path.join(ROOT, 'schema/scenario.schema.json');
// The catalogue (tests/common/bad_input.rs) with the stage that refuses each
// case, written by tests/schema.rs, which fails when it is out of date.
const CATALOGUE = path.join(ROOT, 'tests/schema/bad-input.json');

// Cases the reader refuses that no JSON Schema can, and why.
const BEYOND_A_SCHEMA = {
  // JSON.parse keeps the last of two equal keys; the schema never sees the first.
  'duplicate key': 'a duplicate key is gone once the text is parsed',
  // "99999999999h" has the form of a duration; that it exceeds simulated
  // time's 584 years is arithmetic, not form.
  'overflowing duration': 'a duration beyond 584 years is well formed',
};

const readJson = async (file) => JSON.parse(await readFile(file, 'utf8'));

async function validator() {
  // strict: a keyword ajv does not know, or a schema it would read otherwise
  // than written, is an error rather than ignored. A union type
  // (`"type": ["string", "null"]`) is standard JSON Schema, which strict
  // mode asks to allow by name.
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  return ajv.compile(await readJson(SCHEMA_FILE));
}

const where = (errors) => errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');

test('every preset is valid against the schema', async () => {
  const validate = await validator();
  const files = (await readdir(path.join(ROOT, 'scenarios'))).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 30, `${files.length} presets`);
  for (const file of files) {
    const scenario = await readJson(path.join(ROOT, 'scenarios', file));
    assert.equal(scenario.$schema, '../schema/scenario.schema.json', `${file} names the schema`);
    assert.ok(validate(scenario), `${file}: ${where(validate.errors ?? [])}`);
  }
});

test('the schema rejects every bad input the reader refuses, but those beyond a schema', async () => {
  const validate = await validator();
  const catalogue = await readJson(CATALOGUE);
  const read = catalogue.filter((c) => c.stage === 'read');
  assert.ok(read.length >= 10, `${read.length} cases refused by the reader`);
  for (const { name, text, path: at } of read) {
    const valid = validate(JSON.parse(text));
    if (name in BEYOND_A_SCHEMA) {
      assert.ok(valid, `${name}: listed as beyond a schema (${BEYOND_A_SCHEMA[name]}), but the schema rejects it`);
    } else {
      assert.ok(!valid, `${name}: the reader refuses it at \`${at}\`, the schema accepts it`);
    }
  }
  for (const name of Object.keys(BEYOND_A_SCHEMA)) {
    assert.ok(read.some((c) => c.name === name), `${name} is no longer a case the reader refuses`);
  }
});

test('the schema points at the problem where the reader does', async () => {
  const validate = await validator();
  const catalogue = await readJson(CATALOGUE);
  const unknown = catalogue.find((c) => c.name === 'unknown field');
  assert.ok(!validate(JSON.parse(unknown.text)));
  const extra = validate.errors.find((e) => e.keyword === 'additionalProperties');
  assert.equal(extra.instancePath, '/consumers/0');
  assert.equal(extra.params.additionalProperty, 'prefech');
});
