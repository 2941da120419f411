// The scenario picker's topics.
/** Topics of the scenario picker, in order; a preset in none goes under "More scenarios". */
export const TOPICS = [
  { id: 'buffering', title: { en: 'Peak shaving and buffering', zh: '削峰填谷与缓冲' }, presets: ['peak-shaving'] },
  {
    id: 'decoupling',
    title: { en: 'Decoupling and asynchronous work', zh: '系统解耦与异步处理' },
    presets: ['order-decoupling', 'async-response-time'],
  },
  {
    id: 'reliability',
    title: { en: 'Reliability: acks, crashes, dead letters', zh: '可靠性：确认、宕机与死信队列' },
    presets: ['consumer-crash-manual-ack', 'consumer-crash-auto-ack', 'poison-message-dlq'],
  },
  { id: 'theory', title: { en: 'Queueing theory', zh: '排队论' }, presets: ['mmc-erlang-c'] },
];
