// Why a message was put back or dead-lettered, in English and Chinese.
// `REASONS` are the engine's causes (`Cause`, src/observe/journal.rs;
// `vocabulary().reasons`), shown after the event in the event log and the
// inspector: "requeued · consumer crashed" (`t(lang, 'reason.consumer_crash')`).
// `DEAD_LETTER_REASONS` are RabbitMQ's x-death reasons (`DeadReason`;
// `vocabulary().dead_letter_reasons`), as a dead letter lists them
// (`t(lang, 'dlq.expired')`). Code 0 of the reasons, "none", is never shown.

export const REASONS = {
  en: {
    consumer_crash: 'its consumer crashed',
    scaled_in: 'its consumer was scaled in',
    processing_failed: 'processing failed',
    ack_timeout: 'no ack in time',
    lost_ack: 'its ack was lost',
    broker_crash: 'the broker crashed',
  },
  zh: {
    consumer_crash: '消费者宕机',
    scaled_in: '消费者实例被缩容',
    processing_failed: '处理失败',
    ack_timeout: '未在时限内确认',
    lost_ack: '确认在途中丢失',
    broker_crash: 'Broker 宕机',
  },
};

export const DEAD_LETTER_REASONS = {
  en: {
    rejected: 'rejected',
    expired: 'expired',
    maxlen: 'queue full',
    delivery_limit: 'delivery limit reached',
  },
  zh: {
    rejected: '被拒绝',
    expired: '已过期',
    maxlen: '队列已满',
    delivery_limit: '超过投递次数',
  },
};
