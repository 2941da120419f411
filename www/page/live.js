// The live-changes panel: a row per producer, topic, consumer, group and
// service with the commands that change it while the run goes on, the
// cluster's brokers, and the list of recorded actions.
import { describeCommand, t } from '../lib/i18n.js';
import { $, button, clearError, element, field, guarded, numberInput, select } from './dom.js';
import { markDirty, page, renderNow } from './run.js';
import { syncUrl } from './share.js';

const SLOW_FACTOR = 10; // the "slow" fault button multiplies service times by this

let liveShape = null;

/** Applies a live command now and records it in the URL; a wrong one throws the engine's error. */
export function applyCommand(cmd) {
  clearError();
  page.session.command(cmd);
  page.view.setTopology(page.session.topology);
  markDirty();
  renderLive();
  renderNow();
  syncUrl();
}

/** A producer's rate as last set: by a recorded command, else the scenario's. */
function currentRate(name, spec) {
  const set = page.session.commandLog().filter((c) => c.command.set_rate?.producer === name);
  if (set.length) return set.at(-1).command.set_rate.rate;
  const a = spec.arrivals;
  return a.constant?.rate ?? a.poisson?.rate ?? '';
}

export function renderLive() {
  const el = $('live');
  el.replaceChildren();
  const scenario = JSON.parse(page.session.sim.scenarioJson());
  const nodes = page.session.topology.nodes;
  const cluster = nodes.find((n) => n.kind === 'topic');
  if (cluster) el.append(brokerRow(cluster.brokers));
  for (const node of nodes) {
    const row = nodeRow(node, scenario);
    if (row) el.append(row);
  }
  renderCommandLog();
}

/** A node's row of live controls, or null for a node that has none. */
function nodeRow(node, scenario) {
  const lang = page.lang;
  const kind = element('span', { class: 'kind', text: t(lang, `node.${node.kind}`) });
  const row = element('div', { class: 'live-row', 'data-node': node.id }, element('strong', { text: node.name }), kind);
  if (node.kind === 'producer') row.append(...producerControls(node, scenario));
  else if (node.kind === 'topic') row.append(button(t(lang, 'live.add-partition'), () => applyCommand({ add_partitions: { topic: node.name, partitions: node.partitions.length + 1 } }), `add-partition-${node.name}`));
  else if (node.kind === 'consumer_group') row.append(...groupControls(node));
  else if (node.kind === 'consumer') row.append(...consumerControls(node));
  else if (node.kind === 'service') {
    row.append(serviceButton(node));
    if (node.down) kind.textContent += ` · ${t(lang, 'node.down')}`;
  } else return null;
  return row;
}

function producerControls(node, scenario) {
  const lang = page.lang;
  const input = numberInput(currentRate(node.name, scenario.producers[node.index]), 0, `rate-${node.name}`);
  const out = [field(t(lang, 'live.rate'), input), button(t(lang, 'live.apply'), () => applyCommand({ set_rate: { producer: node.name, rate: Number(input.value) } }), `apply-rate-${node.name}`)];
  if (node.acks) {
    const acks = select(['0', '1', 'all'], node.acks, `acks-${node.name}`, (value) => applyCommand({ set_acks: { producer: node.name, acks: value } }));
    out.push(field(t(lang, 'live.acks'), acks));
  }
  return out;
}

/** −/+ buttons that set a consumer's (or group's) count, labelled for screen readers. */
function countButtons(name, current, unit) {
  const minus = button('−', () => applyCommand({ set_consumers: { consumer: name, count: Math.max(0, current - 1) } }), `minus-${name}`);
  const plus = button('+', () => applyCommand({ set_consumers: { consumer: name, count: current + 1 } }), `plus-${name}`);
  minus.setAttribute('aria-label', `${name}: ${unit} −1`);
  plus.setAttribute('aria-label', `${name}: ${unit} +1`);
  return [minus, plus];
}

function groupControls(node) {
  const lang = page.lang;
  const running = node.members.filter((m) => m.running && !m.leaving).length;
  const [minus, plus] = countButtons(node.name, running, t(lang, 'live.members'));
  const count = element('output', { text: String(running), testid: `count-${node.name}` });
  const commit = select(['auto', 'after_processing', 'before_processing'], node.commit, `commit-${node.name}`, (value) => applyCommand({ set_commit: { consumer: node.name, commit: value } }), (v) => t(lang, `commit.${v}`));
  const line = element('div', { class: 'live-line' }, minus, field(t(lang, 'live.members'), count), plus, field(t(lang, 'live.commit'), commit));
  return [line, instanceButtons(node.name, node.members.map((m) => ({ instance: m.instance, alive: m.running, slow: m.slow })))];
}

function consumerControls(node) {
  const lang = page.lang;
  const alive = node.instances.filter((i) => i.alive).length;
  const count = numberInput(alive, 0, `count-${node.name}`);
  count.step = '1';
  count.addEventListener('change', guarded(() => applyCommand({ set_consumers: { consumer: node.name, count: Math.round(Number(count.value)) } })));
  const [minus, plus] = countButtons(node.name, alive, t(lang, 'live.instances'));
  const prefetch = numberInput(node.prefetch, 1, `prefetch-${node.name}`);
  prefetch.step = '1';
  const apply = button(t(lang, 'live.apply'), () => applyCommand({ set_prefetch: { consumer: node.name, prefetch: Math.round(Number(prefetch.value)) } }), `apply-prefetch-${node.name}`);
  const line = element('div', { class: 'live-line' }, minus, field(t(lang, 'live.instances'), count), plus, field(t(lang, 'live.prefetch'), prefetch), apply);
  return [line, instanceButtons(node.name, node.instances)];
}

function serviceButton(node) {
  const lang = page.lang;
  const b = node.live_outage
    ? button(t(lang, 'live.up'), () => applyCommand({ service_up: { service: node.name } }), `up-${node.name}`)
    : button(t(lang, 'live.down'), () => applyCommand({ service_down: { service: node.name } }), `down-${node.name}`);
  b.className = node.live_outage ? 'recover' : 'fault';
  return b;
}

/** The Kafka cluster's brokers, each with a crash or restart button. */
function brokerRow(brokers) {
  const lang = page.lang;
  const box = element('div', { class: 'instances' });
  for (const b of brokers) {
    const action = b.alive ? 'crash_broker' : 'restart_broker';
    const el = button(t(lang, b.alive ? 'live.crash-broker' : 'live.restart-broker', { n: b.id }), () => applyCommand({ [action]: { broker: b.id } }), `${b.alive ? 'crash' : 'restart'}-broker-${b.id}`);
    el.className = b.alive ? 'fault' : 'recover';
    box.append(el);
  }
  return element('div', { class: 'live-row', 'data-node': 'kafka-cluster' }, element('strong', { text: t(lang, 'live.cluster') }), box);
}

/** Crash/restart and slow/normal buttons for each instance of a consumer (queue or Kafka group). */
function instanceButtons(consumer, instances) {
  const lang = page.lang;
  const box = element('div', { class: 'instances' });
  for (const inst of instances) {
    const action = inst.alive ? 'crash_consumer' : 'restart_consumer';
    const b = button(t(lang, inst.alive ? 'live.crash' : 'live.restart', { n: inst.instance }), () => applyCommand({ [action]: { consumer, instance: inst.instance } }), `${inst.alive ? 'crash' : 'restart'}-${consumer}-${inst.instance}`);
    b.className = inst.alive ? 'fault' : 'recover';
    box.append(b);
    if (!inst.alive) continue;
    const slow = inst.slow !== 1;
    const factor = slow ? 1 : SLOW_FACTOR;
    const s = button(t(lang, slow ? 'live.normal' : 'live.slow', { n: inst.instance }), () => applyCommand({ slow_consumer: { consumer, instance: inst.instance, factor } }), `${slow ? 'normal' : 'slow'}-${consumer}-${inst.instance}`);
    s.className = slow ? 'recover' : 'fault';
    box.append(s);
  }
  return box;
}

/** Keeps instance and service buttons in step with the run (faults in the scenario change them too). */
export function renderLiveState() {
  const shape = JSON.stringify(
    page.session.topology.nodes.map((n) => [n.id, n.instances?.map((i) => [i.alive, i.slow]), n.down, n.live_outage, n.acks, n.commit, n.members?.map((m) => [m.running && !m.leaving, m.slow]), n.brokers?.map((b) => b.alive), n.partitions?.length]),
  );
  if (shape !== liveShape) {
    liveShape = shape;
    renderLive();
  }
}

function renderCommandLog() {
  const list = $('command-log');
  const log = page.session.commandLog();
  const applied = page.session.sim.commandsApplied;
  if (log.length === 0) {
    list.replaceChildren(element('li', { class: 'empty', text: t(page.lang, 'live.log-empty') }));
    return;
  }
  list.replaceChildren(...log.map((entry, i) => element('li', { class: i >= applied ? 'pending' : null, text: `${entry.at} — ${describeCommand(page.lang, entry.command)}` })));
}
