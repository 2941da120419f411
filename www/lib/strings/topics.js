// The scenario picker's topics, in order, each with its presets in the
// order a learner might take them. README.md's table of presets has the
// same topics and the same presets in the same order (a test compares them).

export const TOPICS = [
  {
    id: 'load',
    title: { en: 'Peak shaving, response time, decoupling', zh: '削峰填谷、响应时间与系统解耦' },
    presets: ['peak-shaving', 'flash-sale-layers', 'backpressure', 'async-response-time', 'order-decoupling', 'order-system', 'mmc-erlang-c'],
  },
  {
    id: 'reliability',
    title: { en: 'Reliability with queues: acks, retries, dead letters', zh: '队列的可靠性：确认、重试与死信' },
    presets: [
      'consumer-crash-manual-ack',
      'consumer-crash-auto-ack',
      'poison-message-dlq',
      'poison-requeue-forever',
      'retry-backoff',
      'ttl-expiry',
      'dlq-replay',
      'publisher-confirms-broker-crash',
      'idempotent-consumer',
      'outbox-vs-dual-write',
    ],
  },
  {
    id: 'patterns',
    title: { en: 'Routing and messaging patterns', zh: '路由与消息模式' },
    presets: ['exchange-routing', 'rocketmq-delay-levels', 'request-reply', 'nats-core-vs-durable', 'saga-choreography', 'queue-vs-log'],
  },
  {
    id: 'kafka',
    title: { en: 'Kafka: replication, consumer groups, ordering', zh: 'Kafka：副本、消费者组与顺序' },
    presets: [
      'kafka-acks-leader-crash',
      'kafka-clean-election',
      'kafka-unclean-election',
      'kafka-producer-retries',
      'kafka-commit-modes-crash',
      'kafka-rebalance-eager-vs-cooperative',
      'kafka-key-ordering',
      'kafka-global-order',
      'kafka-idle-consumers',
      'backlog-emergency',
    ],
  },
];
