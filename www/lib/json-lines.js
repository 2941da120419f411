// Where a value sits in JSON text: maps a JSON path as mqsim's errors name it
// ("producers[0].arrivals.poisson.rate") to its line, so an editor can show
// the error next to the field. A small scanner: for a path it cannot find
// (an unknown field, say) it returns the line of the deepest part it found.

/** Splits "a[0].b" into ["a", 0, "b"]. */
export function parsePath(path) {
  const parts = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[2] != null ? Number(m[2]) : m[1]);
  return parts;
}

/** The 1-based line at which the value at `path` (or its deepest found ancestor) starts, or null. */
export function lineOfPath(text, path) {
  const target = parsePath(path);
  let i = 0;
  let line = 1;
  let best = null;
  let bestDepth = -1;

  const isPrefix = (at) => at.length <= target.length && at.every((x, k) => x === target[k]);
  const visit = (at, atLine) => {
    if (isPrefix(at) && at.length > bestDepth) {
      best = atLine;
      bestDepth = at.length;
    }
  };
  const skip = () => {
    while (i < text.length && /\s/.test(text[i])) {
      if (text[i] === '\n') line++;
      i++;
    }
  };
  const string = () => {
    let out = '';
    i++; // the opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        out += text[i + 1];
        i += 2;
      } else {
        if (text[i] === '\n') line++;
        out += text[i++];
      }
    }
    i++;
    return out;
  };
  const value = (at, atLine) => {
    skip();
    visit(at, atLine ?? line);
    const c = text[i];
    if (c === '{') {
      i++;
      for (skip(); i < text.length && text[i] === '"'; skip()) {
        const keyLine = line;
        const key = string();
        skip();
        if (text[i] !== ':') return false;
        i++;
        if (value([...at, key], keyLine) === false) return false;
        skip();
        if (text[i] === ',') i++;
      }
      i++;
    } else if (c === '[') {
      i++;
      for (let k = 0; ; k++) {
        skip();
        if (i >= text.length || text[i] === ']') break;
        if (value([...at, k]) === false) return false;
        skip();
        if (text[i] === ',') i++;
      }
      i++;
    } else if (c === '"') {
      string();
    } else {
      while (i < text.length && !/[\s,}\]]/.test(text[i])) i++;
    }
    return true;
  };
  value([]);
  return bestDepth > 0 || target.length === 0 ? best : null;
}
