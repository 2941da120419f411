// A message's state in words, in English and Chinese: every state of the
// ledger (`MsgState`, src/ledger.rs) as the inspector shows it, and the two
// the diagram's legend adds (a redelivered message, a duplicate), which are
// how a message is drawn rather than where the ledger has it.

export const STATES = {
  en: {
    producing: 'on its way to the broker',
    stored: 'stored',
    delayed: 'delayed',
    in_flight: 'in flight',
    processed: 'processed',
    dead_lettered: 'dead-lettered',
    expired: 'expired',
    dropped: 'dropped',
    lost: 'lost',
    redelivered: 'redelivered',
    duplicate: 'duplicate',
  },
  zh: {
    producing: '发往 Broker 途中',
    stored: '已存储',
    delayed: '延迟中',
    in_flight: '处理中',
    processed: '已处理',
    dead_lettered: '死信',
    expired: '已过期',
    dropped: '被丢弃',
    lost: '丢失',
    redelivered: '重新投递',
    duplicate: '重复',
  },
};
