// Which preset each demo element of the design documents shows, and what it
// puts on screen: its counters, charts, figures and live actions, with a
// title and a text in English and Chinese that names only those. Text only:
// every number a text states is a figure the simulation produces, and
// tests/e2e/widgets.test.mjs checks it on screen.
//
// `presets` lists candidates in order of preference: the first one bundled
// (www/pkg/presets/) wins. `variants` offers the reader a switch between
// presets (the same scenario with one setting changed). `mentions` lists the
// string keys of the on-screen names the text uses (a chart's or counter's
// title), so a test can check that each is both in the text and on screen.

import { chartKinds } from '../lib/chart-lines.js';
import { t } from '../lib/i18n.js';

/** Counters every scenario has; a demo lists the ones its text needs. */
export const DEFAULT_COUNTERS = ['published', 'processed', 'stored', 'redelivered', 'dead_lettered', 'lost'];

export const DEMOS = {
  'mq-architecture-demo': {
    presets: ['order-system'],
    speed: 2,
    counters: ['published', 'processed', 'lost', 'queue-peaks'],
    charts: ['depth'],
    actions: ['crash'],
    mentions: ['counter.published', 'counter.lost', 'charts.depth'],
    title: { en: 'Message queue architecture: the order system', zh: '消息队列架构：订单系统' },
    text: {
      en: 'The order service publishes one event per order to the order-events exchange, which gives inventory, payment, logistics and notification each its own queue and its own copy: Published counts the orders, and the copies are four times as many. Each service consumes at its own pace and none waits for another: payment, the slowest, builds the longest queue (the peak backlogs, and the Queue depth chart), and Lost stays at 0. Crash an inventory-service worker with its button: inventory-events backs up while the other three carry on.',
      zh: '订单服务为每个订单向 order-events 交换机发布一条事件，交换机为库存、支付、物流和通知各准备一个队列、各复制一份：“已发布”是订单数，副本是它的四倍。各服务按自己的节奏消费，谁也不等谁：最慢的支付服务积压最多（各队列的积压峰值，以及队列深度图），“丢失”始终为 0。点击按钮让一个 inventory-service 实例宕机：inventory-events 开始积压，另外三个服务照常运行。',
    },
  },
  'mq-producer-consumer-demo': {
    presets: ['mmc-erlang-c'],
    speed: 1,
    counters: ['published', 'processed', 'stored', 'in_flight'],
    charts: ['depth'],
    figures: 'mmc',
    actions: ['rate', 'consumers'],
    mentions: ['figures.title', 'charts.depth'],
    title: { en: 'Producers, a queue and competing consumers', zh: '生产者、队列与竞争消费者' },
    text: {
      en: 'Poisson arrivals at 900/s meet ten consumers that each serve 100/s on average: utilisation ρ = 0.9 by design (the figures show the measured one). The Queueing theory figures compare the simulated mean wait with Erlang C’s prediction for the measured rates, and the measured L with λ·W (Little’s law). Press “rate /s ×2”: messages now come faster than ten consumers take them, the Queue depth chart climbs for as long as it lasts, and the figures say why M/M/c no longer applies; add consumers and it drains.',
      zh: '到达为泊松过程，每秒 900 条；10 个消费者，每个平均每秒处理 100 条：设计利用率 ρ = 0.9（数据中是实测值）。“排队论”数据把模拟的平均等待时间与 Erlang C 公式按实测速率给出的预测相比较，并把实测的 L 与 λ·W（利特尔法则）相比较。点击“速率 /秒 ×2”：消息到达得比 10 个消费者处理得更快，只要负载持续，队列深度图就一直上升，数据中会说明 M/M/c 为何不再适用；增加消费者，积压就会消化。',
    },
  },
  'mq-decoupling-demo': {
    presets: ['order-decoupling'],
    speed: 5,
    counters: ['requests', 'queue-peaks'],
    charts: ['depth'],
    actions: ['service'],
    mentions: ['charts.depth'],
    title: { en: 'Decoupling: a service down, the orders still taken', zh: '系统解耦：服务宕机，订单照常接收' },
    text: {
      en: 'Checkouts arrive at 10/s by each path, and inventory is down from t = 20 s to 40 s. The synchronous checkout calls inventory (200 ms), payment (500 ms) and logistics (300 ms) in turn: its response p50 is 1 s, and it fails while inventory is down. The queued checkout publishes one task per service and answers in 50 ms, and none fails: its inventory tasks wait in inventory-tasks (Queue depth chart) and all are done once inventory is back.',
      zh: '两条路径各以每秒 10 个的速率下单，库存服务在 t = 20 秒到 40 秒之间宕机。同步下单依次调用库存（200 ms）、支付（500 ms）和物流（300 ms）：响应 p50 为 1 秒，库存宕机期间全部失败。通过队列下单只为每个服务发布一条任务，50 ms 即应答，没有一个失败：库存任务在 inventory-tasks 中等待（队列深度图），库存恢复后全部完成。',
    },
  },
  'mq-peak-shaving-demo': {
    presets: ['peak-shaving'],
    speed: 10,
    counters: ['published', 'processed', 'stored', 'peak'],
    charts: ['depth', 'rates'],
    figures: 'burst',
    actions: ['consumers'],
    mentions: ['counter.peak', 'charts.depth', 'charts.rates', 'figures.title'],
    title: { en: 'Peak shaving: 100,000 orders in one second', zh: '削峰填谷：一秒涌入 100,000 个订单' },
    text: {
      en: 'A flash sale publishes 100,000 orders in one second; the consumer writes them to a database that takes 1,000 per second. The queue absorbs the spike: the backlog peaks at 99,000 at t = 1 s (Peak backlog) and drains at a steady 1,000/s for 99 s (Queue depth chart). In the Produce vs consume rate chart the producer runs a hundred times faster than the consumer for that one second, and the consumer never passes 1,000/s. The Queueing theory figures set the burst model’s prediction, a peak of h − r·d at t = d and an empty queue at h / r, next to what was measured.',
      zh: '秒杀在 1 秒内发布 100,000 个订单；消费者把它们写入每秒只能处理 1,000 个的数据库。队列吸收了洪峰：积压在 t = 1 秒时达到峰值 99,000（积压峰值），随后以稳定的每秒 1,000 条消化 99 秒（队列深度图）。在生产速率与消费速率图中，那一秒里生产速率是消费速率的一百倍，而消费速率始终不超过每秒 1,000。“排队论”数据把突发模型的预测（t = d 时积压峰值 h − r·d，h / r 时清空）与实测值并列。',
    },
  },
  'mq-reliability-demo': {
    presets: ['consumer-crash-manual-ack'],
    variants: [
      { preset: 'consumer-crash-manual-ack', label: { en: 'manual ack', zh: '手动确认' } },
      { preset: 'consumer-crash-auto-ack', label: { en: 'auto ack', zh: '自动确认' } },
    ],
    speed: 2,
    counters: ['published', 'processed', 'stored', 'redelivered', 'lost'],
    charts: ['redelivered-lost'],
    actions: ['crash'],
    mentions: ['counter.redelivered', 'counter.lost'],
    title: { en: 'Reliability: a consumer crash, manual or automatic acks', zh: '可靠性：消费者宕机，手动确认还是自动确认' },
    text: {
      en: 'A burst at t = 4 s builds a backlog; at t = 5 s worker #0, one of two consumers, crashes, and it restarts at t = 12 s. With manual acks its unacknowledged messages go back to the queue and are redelivered to the survivor: Redelivered rises and Lost stays at 0. Switch to auto ack for the same crash: the broker forgot each message as it sent it, so everything worker #0 held is lost.',
      zh: 't = 4 秒的突发流量造成积压；t = 5 秒两个消费者之一 worker #0 宕机，t = 12 秒重启。手动确认时，它未确认的消息回到队列，被重新投递给存活的消费者：“重新投递”上升，“丢失”保持为 0。切换到自动确认，运行同一次宕机：Broker 在发送每条消息时就已将其遗忘，worker #0 手中的消息全部丢失。',
    },
  },
  'mq-idempotence-demo': {
    presets: ['idempotent-consumer'],
    speed: 2,
    counters: ['published', 'redelivered', 'group-duplicates'],
    charts: ['duplicates'],
    actions: [],
    mentions: ['counter.duplicates'],
    title: { en: 'Idempotence: why the same message can arrive twice', zh: '幂等：同一条消息为什么会到达两次' },
    text: {
      en: 'One payment stream is copied to three consumer groups. About 1 % of acks are lost after the card was charged; 5 s later the broker redelivers the message and it is charged again. The duplicates counters show it: plain (no dedup) charges twice; dedup, which remembers message ids for a minute, catches every redelivery and has 0 duplicates; short-window remembers them for 2 s, less than the 5 s before the redelivery, and charges twice too.',
      zh: '同一条支付消息流被复制给三个消费组。约 1% 的确认在扣款之后丢失；5 秒后 Broker 重新投递这条消息，于是再扣一次款。看重复消费计数：plain（不去重）重复扣款；dedup 记住消息 ID 一分钟，拦下每一次重新投递，重复消费为 0；short-window 只记住 2 秒，短于重新投递前的 5 秒，同样重复扣款。',
    },
  },
  'mq-comparison-demo': {
    presets: ['queue-vs-log'],
    speed: 2,
    counters: [],
    charts: [],
    table: {
      columns: [
        { en: 'Billing processed', zh: '计费服务已处理' },
        { en: 'Shipping processed', zh: '发货服务已处理' },
      ],
      rows: [
      { design: { en: 'Shared queue', zh: '共享队列' }, producer: 'shop-queue', consumers: ['billing-competing', 'shipping-competing'] },
      { design: { en: 'Fanout exchange', zh: '扇出交换机' }, producer: 'shop-fanout', consumers: ['billing-subscriber', 'shipping-subscriber'] },
      { design: { en: 'Kafka log', zh: 'Kafka 日志' }, producer: 'shop-log', consumers: ['billing', 'shipping'] },
      ],
    },
    height: 420,
    actions: [],
    mentions: [],
    title: { en: 'Queue, fanout exchange and Kafka log compared', zh: '队列、扇出交换机与 Kafka 日志对比' },
    text: {
      en: 'The same 200 orders/s three ways, each with a billing and a shipping service. A shared queue gives each order to one of them: they split it. A fanout exchange copies it to both. A Kafka log keeps one copy that both consumer groups read, each at its own offset. The table compares what each design published with what each service processed.',
      zh: '同样每秒 200 个订单，三种方式，每种都有计费和发货两个服务。共享队列把每个订单只交给其中一个：两者分摊。扇出交换机为两者各复制一份。Kafka 日志只保存一份，两个消费者组各按自己的偏移量读取。表格对比每种方案发布的数量与每个服务处理的数量。',
    },
  },
};

/** Counters a preset's text may name (in “…”), beyond the default ones. */
const NAMEABLE_COUNTERS = ['in_flight', 'duplicates', 'peak'];

/**
 * What a widget with no demo entry (<mq-sim>) shows: the charts and counters
 * its preset's text names (`quoted`: does the English text quote this name?),
 * else the charts that tell most about the scenario (lib/chart-lines.js).
 */
export function genericDemo(columnNames, summary, quoted) {
  const available = chartKinds(columnNames);
  const named = available.filter((kind) => quoted(t('en', `charts.${kind}`)));
  const flows = summary.requests?.length > 0;
  const charts = named.length ? named : flows ? ['response', available[0]] : available.slice(0, 2);
  const counters = flows ? ['requests', 'processed', 'stored'] : [...DEFAULT_COUNTERS];
  for (const key of NAMEABLE_COUNTERS) if (quoted(t('en', `counter.${key}`)) && !counters.includes(key)) counters.push(key);
  return { counters, charts: [...new Set(charts)], actions: ['consumers'] };
}
