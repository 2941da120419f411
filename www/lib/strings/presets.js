// Each preset's title and what to watch for, in English and Chinese.
/** Per preset: a short title and what to watch for. */
export const PRESET_TEXT = {
  'peak-shaving': {
    title: { en: 'Peak shaving: a flash sale', zh: '削峰填谷：秒杀' },
    watch: {
      en: 'A flash sale sends 100,000 orders in one second; the database behind the consumer takes 1,000 per second. Press play and watch the queue absorb the spike: the backlog climbs to 99,000 at t = 1 s (100,000 − 1,000), then drains at a steady 1,000/s for 99 s. In the rate chart the producer and the consumer are a hundred times apart, yet the database never sees more than 1,000/s. Add consumers to drain it faster.',
      zh: '秒杀在 1 秒内涌入 100,000 个订单，而消费者背后的数据库每秒只能处理 1,000 个。点击播放，观察队列吸收流量洪峰：t = 1 秒时积压达到 99,000（100,000 − 1,000），随后以稳定的每秒 1,000 条消化 99 秒。速率图中生产与消费相差百倍，但数据库承受的压力始终不超过每秒 1,000。增加消费者，积压会消化得更快。',
    },
  },
  'mmc-erlang-c': {
    title: { en: 'M/M/10 and Erlang C', zh: 'M/M/10 与 Erlang C 公式' },
    watch: {
      en: 'Poisson arrivals at 900/s, ten consumers each serving 100/s on average: utilisation ρ = 0.9. Watch the queueing-theory panel: the simulated mean wait approaches Erlang C’s 6.687 ms, and L matches λ·W (Little’s law). Raise the producer’s rate above 1,000/s and ρ passes 1: the queue grows without bound.',
      zh: '到达为泊松过程，每秒 900 条；10 个消费者，每个平均每秒处理 100 条：利用率 ρ = 0.9。观察排队论面板：模拟的平均等待时间趋近 Erlang C 公式的 6.687 ms，L 与 λ·W 相符（利特尔法则）。把生产速率调到每秒 1,000 以上，ρ 超过 1，队列将无限增长。',
    },
  },
  'consumer-crash-manual-ack': {
    title: { en: 'A consumer crash with manual acks', zh: '手动确认下的消费者宕机' },
    watch: {
      en: 'A burst at t = 4 s builds a backlog; at t = 5 s one of two consumers crashes holding up to 10 unacknowledged messages (its prefetch). Watch them go back to the head of the queue and be redelivered (orange) to the survivor: nothing is lost. Crash a consumer yourself with the live buttons.',
      zh: 't = 4 秒的突发流量造成积压；t = 5 秒两个消费者中的一个宕机，手中最多有 10 条未确认消息（预取数）。观察它们回到队列头部，被重新投递（橙色）给存活的消费者：没有一条丢失。也可以用实时按钮让消费者宕机。',
    },
  },
  'consumer-crash-auto-ack': {
    title: { en: 'The same crash with automatic acks', zh: '自动确认下的同一次宕机' },
    watch: {
      en: 'The same burst and crash, but with automatic acks the broker forgets each message the moment it sends it and ignores prefetch, so each consumer holds a large part of the backlog. When the consumer crashes, everything it held is lost: watch the “lost” counter.',
      zh: '同样的突发与宕机，但在自动确认模式下，Broker 在发送消息的那一刻就将其遗忘，并忽略预取限制，每个消费者手里都压着大量积压。消费者宕机时，它持有的消息全部丢失：留意“丢失”计数。',
    },
  },
  'poison-message-dlq': {
    title: { en: 'Poison messages and the dead-letter queue', zh: '毒消息与死信队列' },
    watch: {
      en: '2 % of payments are poison (every attempt fails) and any attempt fails by chance 5 % of the time. A failed message is redelivered; after its third failed delivery it moves to the dead-letter queue. Watch poison messages pile up in payments.dlq while transient failures are retried and succeed.',
      zh: '2% 的支付消息是毒消息（每次处理都失败），每次处理还有 5% 的偶发失败。失败的消息会被重新投递；第三次投递仍失败后，它被转入死信队列。观察毒消息在 payments.dlq 中堆积，而偶发失败的消息重试后都处理成功。',
    },
  },
  'async-response-time': {
    title: { en: 'Asynchronous processing: 350 ms or 155 ms', zh: '异步处理：350 ms 还是 155 ms' },
    watch: {
      en: 'An order takes 100 ms of work and a 50 ms stock call. Done synchronously, the user also waits for the SMS and the e-mail: 350 ms. Done asynchronously, the order service publishes one message (5 ms) and answers after 155 ms; a notifier sends the SMS and e-mail afterwards. Compare the two lines in the response-time chart.',
      zh: '下单需要 100 ms 自身处理和 50 ms 扣库存调用。同步方式下，用户还要等待短信和邮件：共 350 ms。异步方式下，订单服务只发一条消息（5 ms），155 ms 即可返回；通知服务随后发送短信和邮件。对比响应时间图中的两条曲线。',
    },
  },
  'order-decoupling': {
    title: { en: 'Decoupling: the order system', zh: '系统解耦：订单系统' },
    watch: {
      en: 'A synchronous checkout calls inventory (200 ms), payment (500 ms) and logistics (300 ms): the user waits 1,000 ms. A queued checkout publishes one event per service and answers in 50 ms. Inventory is down from t = 20 s to 40 s: synchronous orders fail, queued ones wait in inventory-tasks and all complete once it is back. Take a service down yourself with the live buttons.',
      zh: '同步下单依次调用库存（200 ms）、支付（500 ms）和物流（300 ms）：用户要等 1,000 ms。通过消息队列下单，只需为每个服务发布一条事件，50 ms 即可返回。库存服务在 t = 20 秒到 40 秒之间宕机：同步订单全部失败，队列中的订单在 inventory-tasks 中等待，恢复后全部完成。也可以用实时按钮让某个服务宕机。',
    },
  },
};
