// The widgets' own words, in English and Chinese. Words the widgets share
// with the full page (counter names, chart axes, node kinds) come from
// lib/i18n.js through `t`; this table holds only what the widgets alone say,
// so that the page and the widgets can change their strings independently.
import { t } from '../lib/i18n.js';

const STRINGS = {
  en: {
    'widget.play': 'Play',
    'widget.pause': 'Pause',
    'widget.reset': 'Reset',
    'widget.speed': 'Speed',
    'widget.speed-max': 'max',
    'widget.open': 'Open in the full simulator',
    'widget.crash': '{consumer}: crash #{n}',
    'widget.restart': '{consumer}: restart #{n}',
    'widget.missing': 'This demo’s scenario ({presets}) is not in this build of mqsim.',
    'widget.controls': 'Simulation controls',
    'widget.diagram': 'Topology and message flow: {title}',
    'widget.progress': 'Progress of the run',
    'widget.variant': 'Run',
    'widget.peak-at': 'at {t}',
    'widget.requests-value': '{ok} ok · {failed} failed',
    'widget.requests-label': '{flow}: requests',
    'widget.response': 'response p50 {p50}',
    'widget.group-duplicates': '{group}: duplicates',
    'widget.dedup-hits': '{n} caught by dedup',
    'widget.no-dedup': 'no dedup',
    'widget.queue-peak': '{queue}: peak backlog',
    'chart.duplicates': 'Duplicates and dedup hits',
    'chart.redelivered-lost': 'Redelivered and lost',
    'series.duplicates': 'duplicates',
    'series.dedup-hits': 'caught by dedup',
    'series.group-duplicates': '{group}: duplicates',
    'figures.title': 'Queueing theory',
    'figures.rho': 'Utilisation ρ = λ/(cμ)',
    'figures.rho-value': '{rho} (λ {lambda}/s, μ {mu}/s, c {c})',
    'figures.wq': 'Mean wait: simulated vs Erlang C',
    'figures.l': 'Messages waiting L: measured vs λ·W (Little)',
    'figures.vs': '{a} vs {b}',
    'figures.unstable': 'ρ ≥ 1: no steady state, the backlog grows for as long as the load lasts.',
    'figures.markovian': 'Poisson arrivals and exponential service: the M/M/c model (Erlang C) applies.',
    'figures.not-markovian': 'Arrivals or service are not Poisson/exponential here: Erlang C is only a reference.',
    'figures.empty': 'Appears once a consumer has served something.',
    'figures.burst-peak': 'Peak backlog: predicted h − r·d at t = d vs measured',
    'figures.burst-drain': 'Empty after: predicted h / r vs measured',
    'figures.at': '{n} at {t}',
    'table.design': 'Design',
    'table.published': 'Published',
    'table.got': '{consumer} processed',
  },
  zh: {
    'widget.play': '播放',
    'widget.pause': '暂停',
    'widget.reset': '重置',
    'widget.speed': '速度',
    'widget.speed-max': '最快',
    'widget.open': '在完整模拟器中打开',
    'widget.crash': '{consumer}：宕机 #{n}',
    'widget.restart': '{consumer}：重启 #{n}',
    'widget.missing': '此演示的场景（{presets}）不在这个 mqsim 版本中。',
    'widget.controls': '模拟控制',
    'widget.diagram': '拓扑与消息流：{title}',
    'widget.progress': '运行进度',
    'widget.variant': '运行',
    'widget.peak-at': '于 {t}',
    'widget.requests-value': '成功 {ok} · 失败 {failed}',
    'widget.requests-label': '{flow}：请求',
    'widget.response': '响应 p50 {p50}',
    'widget.group-duplicates': '{group}：重复消费',
    'widget.dedup-hits': '去重拦截 {n} 次',
    'widget.no-dedup': '未去重',
    'widget.queue-peak': '{queue}：积压峰值',
    'chart.duplicates': '重复消费与去重拦截',
    'chart.redelivered-lost': '重新投递与丢失',
    'series.duplicates': '重复消费',
    'series.dedup-hits': '被去重拦截',
    'series.group-duplicates': '{group}：重复消费',
    'figures.title': '排队论',
    'figures.rho': '利用率 ρ = λ/(cμ)',
    'figures.rho-value': '{rho}（λ {lambda}/秒，μ {mu}/秒，c {c}）',
    'figures.wq': '平均等待时间：模拟值 vs Erlang C',
    'figures.l': '排队消息数 L：实测 vs λ·W（利特尔法则）',
    'figures.vs': '{a} vs {b}',
    'figures.unstable': 'ρ ≥ 1：没有稳态，只要负载持续，积压就一直增长。',
    'figures.markovian': '泊松到达、指数服务时间：M/M/c 模型（Erlang C 公式）适用。',
    'figures.not-markovian': '此处到达或服务过程不是泊松/指数分布：Erlang C 只作参考。',
    'figures.empty': '消费者处理过消息后显示。',
    'figures.burst-peak': '积压峰值：预测 h − r·d（t = d 时）vs 实测',
    'figures.burst-drain': '清空用时：预测 h / r vs 实测',
    'figures.at': '{n}，于 {t}',
    'table.design': '方案',
    'table.published': '已发布',
    'table.got': '{consumer} 已处理',
  },
};

/** Every widget string key, for the completeness test. */
export const WIDGET_STRING_KEYS = Object.keys(STRINGS.en);

/** Languages the widget table covers (the test checks each has every key). */
export const WIDGET_STRINGS = STRINGS;

/** A widget string in `lang`; keys the widgets share with the page fall through to lib/i18n.js. */
export function wt(lang, key, params = {}) {
  const text = STRINGS[lang]?.[key] ?? STRINGS.en[key];
  if (text == null) return t(lang, key, params);
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}
