// The scenario schema as the page's editor gets it: every `$ref` to a
// definition replaced by the definition itself (the same object, shared,
// not a copy). codemirror-json-schema 0.8 offers no property of an object
// in an array whose `items` is a `$ref` once that object has a property
// (with the document's data, its lookup loses the reference), which is
// every producer and consumer being edited. A reference that would recur
// into itself stays a `$ref`; the scenario schema has none.
export function inlineRefs(schema) {
  const definitions = schema.definitions ?? {};
  const resolved = new Map();
  const walk = (node, within) => {
    if (Array.isArray(node)) return node.map((item) => walk(item, within));
    if (node === null || typeof node !== 'object') return node;
    const name = typeof node.$ref === 'string' && node.$ref.startsWith('#/definitions/') ? node.$ref.slice('#/definitions/'.length) : null;
    if (name !== null && name in definitions && Object.keys(node).length === 1) {
      if (within.has(name)) return node;
      if (!resolved.has(name)) resolved.set(name, walk(definitions[name], new Set([...within, name])));
      return resolved.get(name);
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value, within)]));
  };
  return walk(schema, new Set());
}
