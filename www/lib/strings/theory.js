// The theory panel's models and notes, in English and Chinese: which model
// the engine sets next to a queue's or a Kafka group's measurement
// (`Model`, src/theory.rs; `vocabulary().models`: `t(lang, 'theory.model.mmc')`)
// and, where M/M/c does not apply or is only a reference, why
// (`TheoryNote`; `vocabulary().theory_notes`: `t(lang, 'theory.note.one_off_burst')`).
// A note is a sentence for someone who has not studied queueing theory.

export const MODELS = {
  en: {
    mmc: 'M/M/c queue (Erlang C)',
    burst: 'one-off burst',
    none: 'no model applies',
  },
  zh: {
    mmc: 'M/M/c 排队模型（Erlang C）',
    burst: '一次性突发',
    none: '没有适用的模型',
  },
};

export const THEORY_NOTES = {
  en: {
    not_markovian:
      'The formulas assume random (Poisson) arrivals and exponentially spread service times, one message at a time per consumer. This queue differs, so M/M/c is shown as a reference only.',
    one_off_burst:
      'The arrivals came as a one-off burst, faster than the consumers could take them, and then stopped: there is no steady state for M/M/c to describe.',
    consumers_changed: 'The number of consumers changed during the run, so no single c describes it: M/M/c does not apply.',
    rate_changed: 'A producer’s rate was changed during the run, so no single λ describes it: M/M/c does not apply.',
    arrivals_vary: 'The arrival rate follows a shape (a spike, a step, a ramp…), so no single λ describes it: M/M/c does not apply.',
    queue_limits: 'Messages leave this queue unserved (they expire, or a full queue drops them), which no model here includes.',
    broker_crashed: 'A broker crashed during the run and deliveries stopped for a while, so no steady-state model describes it.',
    service_outage:
      'A service the consumers call was down for a while and they waited with their messages, so no steady-state model describes the run.',
    no_consumers: 'Nothing consumes from this queue, so there is no service to model.',
    no_data: 'No consumer has served a message from it yet.',
    kafka_partitioned:
      'In a Kafka group each member serves only its own partitions, so the measured wait is compared with that many separate queues, one per member. Fetching in batches and how keys spread over partitions are outside the formula: a reference only.',
    kafka_members_changed:
      'The group’s members or partitions changed during the run and it rebalanced, so no single c describes it: M/M/c does not apply.',
  },
  zh: {
    not_markovian: '公式假设消息随机到达（泊松过程）、服务时间服从指数分布、每个消费者一次处理一条。这个队列不满足这些条件，所以 M/M/c 只作参考。',
    one_off_burst: '消息以一次性突发的方式到达，速度超过消费者的处理能力，随后停止：不存在稳态，M/M/c 无从描述。',
    consumers_changed: '运行期间消费者数量发生了变化，没有一个固定的 c 能描述它：M/M/c 不适用。',
    rate_changed: '运行期间生产者的速率被修改过，没有一个固定的 λ 能描述它：M/M/c 不适用。',
    arrivals_vary: '到达速率随时间变化（尖峰、阶跃、斜坡……），没有一个固定的 λ 能描述它：M/M/c 不适用。',
    queue_limits: '这个队列中有消息未经处理就离开了（过期，或队列满时被丢弃），这里的模型都没有考虑这种情况。',
    broker_crashed: '运行期间有 Broker 宕机，投递中断了一段时间，没有哪个稳态模型能描述它。',
    service_outage: '消费者调用的某个服务宕机了一段时间，消费者只能拿着消息等待，没有哪个稳态模型能描述这次运行。',
    no_consumers: '没有消费者读取这个队列，无从建模。',
    no_data: '还没有消费者处理过这个队列的消息。',
    kafka_partitioned:
      'Kafka 消费者组里每个成员只处理自己的分区，所以实测的等待时间与同样数量的独立队列（每个成员一个）相比较。批量拉取以及键在分区间的分布都不在公式之内：仅作参考。',
    kafka_members_changed: '运行期间组的成员或分区发生了变化并发生了重平衡，没有一个固定的 c 能描述它：M/M/c 不适用。',
  },
};
