// A lesson step's run and measure in JS, for the page and the widget: the
// twin of src/lesson/measure.rs and check.rs's `run_step`, read from the
// wasm's existing summary() and series() (the lesson module is native only,
// so the wasm does not grow). tests/e2e/lessons.test.mjs checks that both
// give the same value for every step of every lesson.

/** Splits `a.b[0].c[name=x.y]` into segments, or null when malformed. */
export function pathSegments(path) {
  const out = [];
  let rest = path;
  while (rest.length) {
    if (rest[0] === '[') {
      const end = rest.indexOf(']');
      if (end < 0) return null;
      const sel = rest.slice(1, end);
      if (sel.startsWith('name=')) {
        if (sel.length === 5) return null;
        out.push({ name: sel.slice(5) });
      } else {
        if (!/^\d+$/.test(sel)) return null;
        out.push({ index: Number(sel) });
      }
      rest = rest.slice(end + 1);
    } else {
      const m = rest.search(/[.[]/);
      const end = m < 0 ? rest.length : m;
      if (end === 0) return null;
      out.push({ key: rest.slice(0, end) });
      rest = rest.slice(end);
    }
    if (rest[0] === '.') rest = rest.slice(1);
  }
  return out.length ? out : null;
}

/** The value at a summary path, or undefined. */
export function lookup(root, path) {
  const segments = pathSegments(path);
  if (!segments) return undefined;
  let here = root;
  for (const s of segments) {
    if (here == null || typeof here !== 'object') return undefined;
    if ('key' in s) here = Array.isArray(here) ? undefined : here[s.key];
    else if ('index' in s) here = Array.isArray(here) ? here[s.index] : undefined;
    else here = Array.isArray(here) ? here.find((v) => v?.name === s.name) : undefined;
  }
  return here;
}

/** A duration as scenarios write it ("1.5s", "350ms") in ms. */
export function durationMs(text) {
  if (text == null) return 0;
  const m = /^\s*(\d*\.?\d*)(ns|us|ms|s|m|h|d)\s*$/.exec(String(text));
  if (!m) throw new Error(`"${text}" is not a duration`);
  const scale = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 }[m[2]];
  return Number(m[1]) * scale;
}

function present(v) {
  return typeof v === 'number' && !Number.isNaN(v) ? v : null;
}

/** A summary value as a number: a boolean is 1 or 0; anything else not a number is none. */
function summaryNumber(summary, path) {
  const v = lookup(summary, path);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return present(v);
}

/** A measure's value (null when it has none), from a run's summary and series ({column: values}). */
export function evaluate(measure, summary, series) {
  if (measure.summary != null) {
    const v = summaryNumber(summary, measure.summary);
    const per = measure.per ?? [];
    if (v == null || per.length === 0) return v;
    let whole = 0;
    for (const path of per) {
      const part = summaryNumber(summary, path);
      if (part == null) return null;
      whole += part;
    }
    const share = v / whole;
    return Number.isFinite(share) ? share : null;
  }
  const column = series[measure.series];
  const times = series.t_ms;
  if (!column || !times) return null;
  const values = column.filter((v) => present(v) != null);
  const firstWhere = (keep) => {
    const after = durationMs(measure.after ?? '0s');
    for (let i = 0; i < times.length; i++) if (times[i] >= after && present(column[i]) != null && keep(column[i])) return times[i] / 1000;
    return null;
  };
  switch (measure.aggregate) {
    case 'max':
      return values.length ? values.reduce((a, b) => Math.max(a, b)) : null;
    case 'min':
      return values.length ? values.reduce((a, b) => Math.min(a, b)) : null;
    case 'last':
      return present(column[column.length - 1]);
    case 'at': {
      const at = durationMs(measure.at);
      let i = -1;
      for (let k = 0; k < times.length; k++) if (times[k] <= at) i = k;
      return i < 0 ? null : present(column[i]);
    }
    case 'first_at_most':
      return firstWhere((v) => v <= measure.value);
    case 'first_at_least':
      return firstWhere((v) => v >= measure.value);
    default:
      return null;
  }
}

/** The commands a step's run applies: its own and, for a "try", the learner's number in its command. */
export function stepCommands(step, input) {
  const commands = [...(step.commands ?? [])];
  const t = step.question?.answer?.try;
  if (t && input != null) {
    const fill = (v) => (v === '$input' ? input : Array.isArray(v) ? v.map(fill) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)])) : v);
    commands.push({ at: t.at, command: fill(t.command) });
    // A stable sort by instant, as the native checker's.
    commands.sort((a, b) => durationMs(a.at) - durationMs(b.at));
  }
  return commands;
}

/** Where a step's run stops, in ms, for a sim already built: the end, an instant, or (for until_series) null. */
export function stopMs(step, sim) {
  const run = step.run ?? 'end';
  if (run === 'end') return sim.endMs;
  if (run.until != null) return Math.min(durationMs(run.until), sim.endMs);
  return null;
}

/** Whether a run with an until_series condition should stop at the series' last sample. */
export function conditionMet(condition, tMs, value) {
  if (tMs < durationMs(condition.after ?? '0s') || present(value) == null) return false;
  if (condition.at_most != null) return value <= condition.at_most;
  return value >= condition.at_least;
}

/**
 * Runs a built simulation (commands scheduled) as the step says, as
 * check.rs's run_step does: to the end, to an instant, or sample by sample
 * until the condition holds.
 */
export function runStep(step, sim, sampleEveryMs) {
  const stop = stopMs(step, sim);
  if (stop != null) {
    sim.runUntil(stop);
    return;
  }
  const c = step.run.until_series;
  while (!sim.finished && sim.nowMs < sim.endMs) {
    const next = (Math.floor(sim.nowMs / sampleEveryMs + 1e-9) + 1) * sampleEveryMs;
    sim.runUntil(next);
    const n = sim.seriesLength;
    if (n === 0) continue;
    const last = sim.series(n - 1);
    if (conditionMet(c, last.t_ms[0], last[c.column][0])) break;
  }
}

/** Whether a learner's number is right: within the step's tolerance of the measured value. */
export function numberRight(answer, guess, measured) {
  if (guess == null || measured == null || !Number.isFinite(guess)) return false;
  const tolerance = answer.tolerance ?? 0.1;
  return Math.abs(guess - measured) <= tolerance * Math.abs(measured) + 1e-9;
}

/** The index of the choice whose range holds the measured value (-1 if none). */
export function rightChoice(options, measured) {
  if (measured == null) return -1;
  return options.findIndex((o) => inRange(o.range, measured));
}

export function inRange(range, v) {
  return v != null && (range.at_least == null || v >= range.at_least) && (range.at_most == null || v <= range.at_most);
}

/**
 * Builds and runs one step headless: the scenario text, the learner's input
 * (a "try"), with the wasm API. Returns {value, summary, series, nowMs}; the
 * caller frees nothing (the simulation is freed here).
 */
export function runHeadless(api, scenarioJson, step, input = null) {
  const sim = new api.Simulation(scenarioJson);
  try {
    const commands = stepCommands(step, input);
    if (commands.length) sim.scheduleCommands(commands);
    const sampleEveryMs = durationMs(JSON.parse(scenarioJson).sample_every ?? '100ms');
    runStep(step, sim, sampleEveryMs);
    const summary = sim.summary();
    const series = sim.series(0);
    const value = step.measure ? evaluate(step.measure, summary, series) : null;
    return { value, summary, series, nowMs: sim.nowMs };
  } finally {
    sim.free();
  }
}
