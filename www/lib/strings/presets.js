// Each preset's title and what to watch for, in English and Chinese, for
// someone who has not read the design documents. A text names only what is
// on screen: a chart, counter, panel, event or column is named in “quotes”,
// exactly as the page shows it (tests/e2e/strings-presets.test.mjs checks
// each quoted name against the page's strings), and every figure a text
// states is asserted by a test (tests/presets.rs and the family's tests).
//
// The queue family first, then the Kafka presets, in the picker's order
// (lib/strings/topics.js).

export const PRESET_TEXT = {
  // Peak shaving, response time, decoupling.
  'peak-shaving': {
    title: { en: 'Peak shaving: a flash sale', zh: '削峰填谷：秒杀' },
    watch: {
      en: 'A flash sale sends 100,000 orders in one second, but the database behind the consumer can write only 1,000 a second. The queue takes the whole spike and hands it on at the database’s pace. In “Queue depth” the backlog climbs to 99,000 at t = 1 s (100,000 arrived, 1,000 written), then falls in a straight line to 0 at about t = 100 s. The “Queueing theory” panel sets the burst model beside this: 100,000 messages in d = 1 s against 1,000 a second predict a peak of 100,000 − 1,000 × 1 = 99,000 at t = 1 s and an empty queue at 100,000 / 1,000 = 100 s. In “Produce vs consume rate” the two sides are a hundred times apart, yet the consume rate never passes 1,000 a second. Set the consumer’s instances to 3 in “Live changes” right after the spike: three consumers empty the queue in about 33 s instead of 99 s, and the database takes three times the load.',
      zh: '秒杀活动在 1 秒内涌入 100,000 个订单，而消费者背后的数据库每秒只能写入 1,000 条。队列先把整个洪峰接下来，再按数据库的节奏交给它。在“队列深度”图中，积压在 t = 1 秒时升到 99,000（到达 100,000，已写入 1,000），随后直线下降，约在 t = 100 秒时清零。“排队论”面板把突发模型的预测放在旁边：d = 1 秒内到达 100,000 条、每秒处理 1,000 条，预测峰值为 100,000 − 1,000 × 1 = 99,000（t = 1 秒时），队列在 100,000 / 1,000 = 100 秒时清空。“生产速率与消费速率”图中两边相差百倍，但消费速率始终不超过每秒 1,000。洪峰一过，在“实时调整”里把消费者的实例数改为 3：三个消费者约 33 秒就能清空队列，而不是 99 秒，代价是数据库要承受三倍的压力。',
    },
  },
  'flash-sale-layers': {
    title: { en: 'Layered peak shaving: gateway, service, queue', zh: '分层削峰：网关、服务层与队列' },
    watch: {
      en: 'A flash sale sends 100,000 requests a second for 5 s. Each layer lets through only what the next one can take: the gateway’s rate limiter passes 10,000 a second, the service layer’s 5,000 a second, and only those become orders in the queue; the rest are refused at once (the user-requests node in “Topology and message flow” counts ok and failed). Consumers write to a database that takes 1,000 writes a second. Watch “Queue depth” climb while the sale lasts and drain after it. The autoscaler starts with 2 consumers and adds one at a time while the backlog is above 10,000 (a new one needs 2 s to start), up to 4, then removes them once it falls below 1,000. Even with 4 consumers, “Produce vs consume rate” never shows more than 1,000 writes a second: the database stays the limit.',
      zh: '秒杀期间，每秒 100,000 个请求，持续 5 秒。每一层只放行下一层承受得住的量：网关限流每秒放行 10,000 个，服务层限流每秒放行 5,000 个，只有这些请求才会变成队列里的订单，其余的立即被拒绝（“拓扑与消息流”中用户请求节点显示成功和失败的数量）。消费者把订单写入数据库，数据库每秒最多写入 1,000 条。观察“队列深度”：活动期间不断上涨，结束后逐渐消化。自动扩缩容从 2 个消费者开始，积压超过 10,000 时每次增加一个（新实例需要 2 秒启动），最多 4 个；积压降到 1,000 以下后再逐个减少。即使有 4 个消费者，“生产速率与消费速率”中的写入速率也从不超过每秒 1,000：瓶颈始终是数据库。',
    },
  },
  backpressure: {
    title: { en: 'Backpressure: when the queue is full', zh: '背压：队列满了怎么办' },
    watch: {
      en: 'Three identical services each receive 400 requests a second for 10 s, but their workers handle only 200 a second. Each service puts the work in its own queue. The unbounded queue answers every user in 5 ms, but its backlog grows past 2,000 and the work itself waits longer and longer: see “Queue depth”. The queue bounded to 500 that rejects publishes stops at 500 and turns the overflow into errors: the reject node in “Topology and message flow” counts them as failed, and “Dropped” counts the refused messages. The queue bounded to 500 that blocks publishers also stops at 500, but makes users wait for room instead: in “User response time” the block lines climb to seconds while the other two stay at 5 ms.',
      zh: '三个相同的服务，每个每秒收到 400 个请求，持续 10 秒，而它们的工作进程每秒只能处理 200 个。每个服务把工作放进自己的队列。无界队列对每个用户都在 5 ms 内响应，但积压涨到 2,000 以上，工作本身要等得越来越久：见“队列深度”。上限为 500、满了就拒绝发布的队列停在 500，把溢出的部分变成错误：“拓扑与消息流”中 reject 节点把它们计为失败，“被丢弃”计数器统计被拒绝的消息。上限为 500、满了就阻塞发布者的队列同样停在 500，但让用户等待空位：“用户响应时间”图中 block 的曲线升到数秒，另外两个服务始终是 5 ms。',
    },
  },
  'async-response-time': {
    title: { en: 'Asynchronous processing: 350 ms or 155 ms', zh: '异步处理：350 ms 还是 155 ms' },
    watch: {
      en: 'Placing an order takes 100 ms of the order service’s own work and a 50 ms stock call. Done synchronously, the user also waits while an SMS and an e-mail are sent (100 ms each): 350 ms. Done asynchronously, the order service only publishes one message (5 ms) and answers after 155 ms; a notifier takes the message from the queue and sends the SMS and the e-mail afterwards. Compare the sync-order and async-order lines in “User response time”: flat at 350 ms and 155 ms. No notification is skipped: at the end “Processed” equals “Published”.',
      zh: '下单需要订单服务自身处理 100 ms，外加一次 50 ms 的扣库存调用。同步处理时，用户还要等短信和邮件发完（各 100 ms）：共 350 ms。异步处理时，订单服务只发布一条消息（5 ms），155 ms 后就返回；通知服务随后从队列取出消息，再发送短信和邮件。对比“用户响应时间”图中 sync-order 和 async-order 两条线：分别平稳地停在 350 ms 和 155 ms。通知一条也没少：结束时“已处理”等于“已发布”。',
    },
  },
  'order-decoupling': {
    title: { en: 'Decoupling: when a service goes down', zh: '系统解耦：下游服务宕机时' },
    watch: {
      en: 'A checkout needs inventory (200 ms), payment (500 ms) and logistics (300 ms). The synchronous checkout calls them one after another, so the user waits 1,000 ms; the queued checkout publishes one task per service and answers in 50 ms. From t = 20 s to 40 s the inventory service is down. The synchronous checkout fails every order in that window (its node in “Topology and message flow” counts them), while the queued checkout keeps answering: its inventory tasks wait in inventory-tasks (“Queue depth” rises until t = 40 s) and are all done once inventory is back. Take a service down yourself in “Live changes”.',
      zh: '一次下单需要库存（200 ms）、支付（500 ms）和物流（300 ms）三个服务。同步下单依次调用它们，用户要等 1,000 ms；通过队列下单则为每个服务发布一条任务，50 ms 即可返回。t = 20 秒到 40 秒之间库存服务宕机。这段时间里同步下单全部失败（“拓扑与消息流”中它的节点记录失败数），而队列下单照常返回：库存任务在 inventory-tasks 中等待（“队列深度”一直升到 t = 40 秒），库存服务恢复后全部完成。也可以在“实时调整”里亲手让某个服务宕机。',
    },
  },
  'order-system': {
    title: { en: 'The order system: one event, four services', zh: '订单系统：一条事件，四个服务' },
    watch: {
      en: 'An order service publishes one event per order (about 40 a second) to a fanout exchange, order-events, which gives each of four services its own queue and its own copy: inventory, payment, logistics and notification. Each service has its own workers and its own speed and keeps up on its own, so none waits for another; a fifth service would only need its own queue bound to the exchange, with no change to the order service. The “Published” counter shows the orders and, beside them, the copies: four per order. In “Queue depth” payment, the slowest service (its four workers are busy about three quarters of the time), builds the longest queue, yet every queue empties and nothing is lost. The “Queueing theory” panel sets each queue beside the M/M/c formulas, which apply here: orders arrive at random, and the work takes a random, exponentially distributed time.',
      zh: '订单服务为每个订单发布一条事件（每秒约 40 条）到扇出交换机 order-events，交换机为库存、支付、物流和通知四个服务各建一个队列，各送一份副本。每个服务有自己的工作进程和自己的速度，各自跟上进度，互不等待；再加第五个服务，也只需把它的队列绑定到交换机上，订单服务不用做任何改动。“已发布”计数器显示订单数，旁边是副本总数：每个订单四份。在“队列深度”图中，最慢的支付服务（四个工作进程约四分之三的时间都在忙）积压最多，但每个队列最终都会清空，一条消息也不丢。“排队论”面板把每个队列与 M/M/c 公式并列对照，这里公式的假设成立：订单随机到达，处理时间随机且服从指数分布。',
    },
  },
  'mmc-erlang-c': {
    title: { en: 'M/M/10 and the Erlang C formula', zh: 'M/M/10 与 Erlang C 公式' },
    watch: {
      en: 'Jobs arrive at random (a Poisson process) at 900 a second, and ten consumers each serve 100 a second on average (exponential service times): the utilisation is ρ = 900 / (10 × 100) = 0.9. Queueing theory predicts the mean wait in this queue with the Erlang C formula: 6.687 ms at these rates. The “Queueing theory” panel computes the prediction from the rates it measured and puts the simulated wait beside it; by the end of the run they are within 10 % of each other. A longer run comes closer: make the scenario’s duration 1200s in the scenario editor (about a million jobs), and they are 2.3 % apart. L, the number waiting, matches λ·W (Little’s law). Raise the producer’s rate above 1,000 a second in “Live changes”: ρ passes 1, the consumers can no longer keep up, and “Queue depth” grows for as long as the load lasts.',
      zh: '任务随机到达（泊松过程），每秒 900 个；10 个消费者，每个平均每秒处理 100 个（服务时间服从指数分布）：利用率 ρ = 900 / (10 × 100) = 0.9。排队论用 Erlang C 公式预测平均排队等待时间：在这组速率下是 6.687 ms。“排队论”面板用实测的速率算出预测值，并把模拟得到的等待时间放在旁边；运行结束时两者相差不到 10%。运行得越久越接近：在场景编辑器里把场景的 duration 改为 1200s（大约一百万个任务），两者只差 2.3%。排队数 L 与 λ·W 相符（利特尔法则）。在“实时调整”里把生产速率调到每秒 1,000 以上：ρ 超过 1，消费者再也跟不上，只要负载持续，“队列深度”就一直上涨。',
    },
  },

  // Reliability with queues.
  'consumer-crash-manual-ack': {
    title: { en: 'A consumer crash with manual acks', zh: '手动确认下的消费者宕机' },
    watch: {
      en: 'Two consumers share a queue, and each may hold up to 10 messages it has not yet acknowledged (its prefetch). A burst at t = 4 s builds a backlog, and at t = 5 s worker#0 crashes holding 10 unacknowledged messages. With manual acks the broker still has them: it puts them back at the head of the queue and the survivor processes them, flagged as redelivered (orange diamonds in the diagram). “Redelivered” reads 10 and “Lost” 0. The crashed consumer restarts at t = 12 s. Crash a consumer yourself in “Live changes”.',
      zh: '两个消费者共享一个队列，每个最多可以持有 10 条尚未确认的消息（预取数）。t = 4 秒的突发流量造成积压，t = 5 秒 worker#0 宕机，手里有 10 条未确认的消息。在手动确认模式下，Broker 仍保留着它们：把它们放回队列头部，由存活的消费者处理，并标记为重新投递（图中橙色菱形）。“重新投递”为 10，“丢失”为 0。宕机的消费者在 t = 12 秒重启。也可以在“实时调整”里亲手让消费者宕机。',
    },
  },
  'consumer-crash-auto-ack': {
    title: { en: 'The same crash with automatic acks', zh: '自动确认下的同一次宕机' },
    watch: {
      en: 'The same burst and the same crash as with manual acks, but with automatic acks the broker counts a message as done the moment it sends it, and prefetch no longer limits how many a consumer holds. So each consumer takes a large share of the backlog, and when worker#0 crashes at t = 5 s everything it held is gone: “Lost” reads 218 and “Redelivered” stays at 0. Compare “Redelivered, dead-lettered, lost” with the manual-ack run.',
      zh: '同样的突发流量，同样的宕机，但在自动确认模式下，Broker 一发出消息就认为它已完成，预取数也不再限制消费者持有的数量。于是每个消费者都揽下大量积压，t = 5 秒 worker#0 宕机时，它持有的消息全部丢失：“丢失”为 218，“重新投递”始终为 0。把“重新投递、死信、丢失”图与手动确认的那次运行对比一下。',
    },
  },
  'poison-message-dlq': {
    title: { en: 'Poison messages and the dead-letter queue', zh: '毒消息与死信队列' },
    watch: {
      en: '2 % of payments are poison: processing them always fails. Any other attempt fails by chance 5 % of the time. A failed message goes back to the queue and is delivered again; after its third failed delivery, the queue’s delivery limit moves it to the dead-letter queue payments.dlq. Watch “Redelivered” climb as failures are retried, and “Dead-lettered” count the messages that end in payments.dlq (57 here). A message that failed only by chance almost always succeeds on a later try. The “Event log” marks each move “dead-lettered (delivery limit)”.',
      zh: '2% 的支付消息是毒消息：每次处理都会失败。其他消息每次处理也有 5% 的概率偶然失败。失败的消息回到队列，再次投递；第三次投递仍失败后，队列的投递次数上限把它转入死信队列 payments.dlq。观察“重新投递”随重试不断上升，“进入死信队列”统计最终落入 payments.dlq 的消息（本次为 57 条）。偶然失败的消息几乎都会在之后的某次重试中成功。“事件日志”把每次转移记为“进入死信队列（超过投递次数）”。',
    },
  },
  'poison-requeue-forever': {
    title: { en: 'Poison messages with no limit: requeued forever', zh: '没有上限的毒消息：无休止地重新入队' },
    watch: {
      en: 'Payments again, 2 % of them poison, but with no delivery limit and no dead-letter queue: a consumer that fails a message rejects it with requeue, so it goes back to the head of the queue and comes round again, forever. Watch “Redelivered” grow without end. Each of the 3 consumers holds up to 5 messages (15 slots in all); once 15 poison messages fill every slot, nothing else is delivered: “Processed” stops rising and the backlog in “Queue depth” climbs, although the consumers are busy all the time. Compare “Poison messages and the dead-letter queue”, where a delivery limit takes them out of the way.',
      zh: '同样是支付消息，其中 2% 是毒消息，但这次没有投递次数上限，也没有死信队列：消费者处理失败后带着重新入队的标志拒绝它，消息回到队列头部，转一圈又回来，永无止境。观察“重新投递”无限增长。3 个消费者各自最多持有 5 条消息（共 15 个位置）；一旦 15 条毒消息占满所有位置，其他消息就再也投递不出去：“已处理”不再增加，“队列深度”中的积压不断上涨，而消费者一直在忙。对比“毒消息与死信队列”：在那里，投递次数上限会把毒消息移开。',
    },
  },
  'retry-backoff': {
    title: { en: 'Retry with backoff', zh: '退避重试' },
    watch: {
      en: 'A mailer that fails to send an e-mail does not put it straight back: it retries after 1 s, then 5 s, then 30 s, and after the third retry rejects it to the dead-letter queue emails.dlq. 10 % of attempts fail by chance, and 1 % of the e-mails can never be sent. Chance failures almost always succeed on a retry; the hopeless ones take all three retries and reach emails.dlq 36 s after their first attempt (“Dead-lettered”: 6). The “Event log” shows “retry scheduled” each time a message is held back for its retry.',
      zh: '邮件服务发送失败后，不会马上把邮件放回队列，而是 1 秒后重试，然后 5 秒、30 秒；第三次重试仍失败，就把它拒绝到死信队列 emails.dlq。10% 的发送尝试会偶然失败，另有 1% 的邮件永远发不出去。偶然失败的邮件几乎都会在重试时成功；发不出去的邮件用完三次重试，在第一次尝试 36 秒后进入 emails.dlq（“进入死信队列”为 6）。每当一条消息被暂存等待重试，“事件日志”都会记一条“已安排重试”。',
    },
  },
  'ttl-expiry': {
    title: { en: 'Message expiry (TTL)', zh: '消息过期（TTL）' },
    watch: {
      en: 'Two queues whose consumers are slower than their producers, so backlogs build. Notifications may wait at most 2 s in their queue (a time-to-live set on the queue); quotes carry their own 500 ms expiry (set on each message). A message that reaches the head of its queue too late is never delivered. Expired notifications go to the dead-letter queue notifications.expired (“Dead-lettered”: 64); expired quotes have no dead-letter queue and are discarded (“Expired”: 296). The “Event log” shows “dead-lettered (expired)” and “expired”.',
      zh: '两个队列的消费者都比生产者慢，积压不断形成。通知在队列中最多等待 2 秒（队列级 TTL）；报价消息各自带着 500 ms 的有效期（消息级 TTL）。轮到队首时已经过期的消息不会被投递。过期的通知进入死信队列 notifications.expired（“进入死信队列”为 64）；报价队列没有死信队列，过期的报价直接被丢弃（“已过期”为 296）。“事件日志”中可以看到“进入死信队列（已过期）”和“已过期”。',
    },
  },
  'dlq-replay': {
    title: { en: 'Replaying dead letters', zh: '死信重放' },
    watch: {
      en: 'Orders may wait 3 s in their queue. The only worker crashes at t = 5 s and comes back at t = 12 s; meanwhile orders expire into the dead-letter queue orders.dlq, where they wait (in “Queue depth”, orders.dlq climbs to 79). At t = 15 s an operator replays them into orders, and in the end every order is processed: “Processed” equals “Published”. The “Event log” shows each one “dead-lettered (expired)” and later “replayed from the dead-letter queue”.',
      zh: '订单在队列中最多等待 3 秒。唯一的工作进程在 t = 5 秒宕机，t = 12 秒恢复；这期间订单过期，进入死信队列 orders.dlq 等候（“队列深度”中 orders.dlq 升到 79）。t = 15 秒，运维人员把它们重放回 orders，最终每个订单都被处理：“已处理”等于“已发布”。“事件日志”中每条订单先是“进入死信队列（已过期）”，之后是“从死信队列重放”。',
    },
  },
  'publisher-confirms-broker-crash': {
    title: { en: 'Publisher confirms and a broker crash', zh: '发布确认与 Broker 宕机' },
    watch: {
      en: 'Two producers write to one broker. Payments are persistent and confirmed: the broker tells the producer a payment is safe only once it is on disk (it writes to disk every 100 ms). Page views are neither. Both queues back up behind slow consumers. The broker crashes at t = 5 s and restarts at t = 7 s. Every page view it held is lost; payments lose only the few not yet on disk, never one that had been confirmed; and every publish fails while the broker is down (“Event log”: “publish failed (broker down)”). “Lost” reads 1,161 at the end. The 20 payments the workers were processing at the crash are still on disk: they are delivered again at t = 7 s, and since the workers had finished them, each is charged twice (“Redelivered” and “Duplicates”: 20).',
      zh: '两个生产者向同一个 Broker 写消息。支付消息是持久化的，并开启了发布确认：只有写入磁盘后（每 100 ms 刷一次盘），Broker 才告诉生产者这条消息安全了。页面浏览消息两者都没有。两个队列都因消费者较慢而积压。Broker 在 t = 5 秒宕机，t = 7 秒重启。它持有的页面浏览消息全部丢失；支付消息只丢了少数尚未落盘的，已确认的一条也没丢；Broker 宕机期间每次发布都失败（“事件日志”：“发布失败（Broker 宕机）”）。最终“丢失”为 1,161。宕机时工作进程正在处理的 20 条支付消息仍在磁盘上：t = 7 秒它们被再次投递，而工作进程其实已经处理过，于是每笔都扣了两次款（“重新投递”和“重复消费”都是 20）。',
    },
  },
  'idempotent-consumer': {
    title: { en: 'Idempotent consumers: charged once or twice', zh: '幂等消费：扣一次款还是两次' },
    watch: {
      en: 'A fanout exchange copies one stream of payments to three groups of consumers that charge a card. 1 % of acks are lost after the card was charged; 5 s later the broker stops waiting for the ack and hands the payment to another consumer, which charges again. The plain group has no protection, so each lost ack becomes a double charge. The dedup group remembers every payment id for a minute and skips the second charge (the “Event log” shows “duplicate caught by dedup”). The short-window group remembers ids for only 2 s, less than the 5 s before redelivery, so it has already forgotten them and charges twice as well. “Duplicates” counts the double charges: 56, all from plain and short-window.',
      zh: '扇出交换机把同一支付流复制给三组扣款的消费者。1% 的确认在扣款之后丢失；5 秒后 Broker 不再等待这个确认，把支付消息交给另一个消费者，于是又扣了一次。plain 组没有任何防护，每丢一个确认就多扣一次款。dedup 组把每个支付编号记住一分钟，跳过第二次扣款（“事件日志”中显示“去重拦截了重复消息”）。short-window 组只记住 2 秒，比重新投递前的 5 秒还短，等消息再来时早已忘记，同样扣了两次。“重复消费”统计重复扣款：共 56 次，全部来自 plain 和 short-window。',
    },
  },
  'outbox-vs-dual-write': {
    title: { en: 'Transactional outbox vs dual write', zh: '本地消息表与双写' },
    watch: {
      en: 'Two order services save each order in their database and must then tell the broker. The dual-write service publishes after its database commit. The outbox service writes the event into an outbox table in the same transaction as the order, and a relay publishes the table’s events every 100 ms. Both services crash at t = 5 s, 10 s and 15 s, for 1 s each time. A crash between a dual write’s commit and its publish loses that event: the order exists, but nobody downstream hears of it (“Lost”: 37, all dual-write events). The outbox loses none: the relay publishes what the table holds once the service is back. Users of both services see failed requests during each crash (the request nodes in “Topology and message flow”).',
      zh: '两个订单服务都先把订单存入数据库，然后通知 Broker。双写服务在数据库提交之后发布消息。本地消息表服务在同一个事务里把事件写入消息表，再由一个中继进程每 100 ms 发布表中的事件。两个服务都在 t = 5 秒、10 秒和 15 秒宕机，每次 1 秒。如果宕机恰好发生在双写的提交之后、发布之前，这条事件就丢了：订单存在，下游却永远不知道（“丢失”为 37，全是双写服务的事件）。本地消息表一条也不丢：服务恢复后，中继会发布表里积存的事件。两个服务的用户在每次宕机期间都会遇到失败的请求（见“拓扑与消息流”中的请求节点）。',
    },
  },

  // Routing and messaging patterns.
  'exchange-routing': {
    title: { en: 'Exchanges: routing by key and by header', zh: '交换机：按路由键和消息头路由' },
    watch: {
      en: 'A topic exchange, orders, routes each order by its routing key: orders.eu.* to the queue orders.eu, orders.*.paid to orders.paid, and orders.# on to a fanout exchange, audit, which is bound back to orders. The broker cuts such cycles, so audit.log still gets exactly one copy of each order. Refunds match no binding and go to the alternate exchange, into unrouted. A direct exchange, billing, has a queue only for created invoices; its publisher marks every message mandatory, so the voided invoices, which no queue takes, go back to it (“Dropped”: 50). A headers exchange, documents, takes PDF reports (every header must match). In “Topology and message flow” one published message can become several copies: the “Published” counter says how many there are in all.',
      zh: '主题交换机 orders 按路由键分发订单：orders.eu.* 进入 orders.eu 队列，orders.*.paid 进入 orders.paid，orders.# 转发到扇出交换机 audit，而 audit 又绑定回 orders。Broker 会切断这样的环路，所以 audit.log 对每个订单仍只收到一份副本。退款消息匹配不到任何绑定，转给备用交换机，进入 unrouted。直连交换机 billing 只为已创建的发票准备了队列；它的发布者把每条消息都标为 mandatory，所以没有队列接收的作废发票会退回给发布者（“被丢弃”为 50）。消息头交换机 documents 接收 PDF 报表（所有消息头都必须匹配）。在“拓扑与消息流”中，一条发布的消息可能变成多份副本：“已发布”计数器会显示副本总数。',
    },
  },
  'rocketmq-delay-levels': {
    title: { en: 'Delayed messages: RocketMQ’s delay levels', zh: '延迟消息：RocketMQ 的延迟级别' },
    watch: {
      en: 'RocketMQ lets a producer delay a message by one of 18 fixed levels: 1 s, 5 s, 10 s, 30 s, every minute from 1 to 10 minutes, 20 minutes, 30 minutes, 1 hour and 2 hours. One producer sends one message per level, twice over; the broker holds each one and releases it to the queue exactly when its delay is up, so the last two arrive 2 hours after they were sent. A second producer delays order-timeout checks by a random 1 to 10 minutes. No message is delivered before its time. The “Event log” shows “held back (delayed)” and later “released (delay over)”; “Latency percentiles” shows the long waits. Press “Run to end”: the run covers two hours.',
      zh: 'RocketMQ 允许生产者从 18 个固定级别中选一个来延迟消息：1 秒、5 秒、10 秒、30 秒，1 到 10 分钟每分钟一级，20 分钟、30 分钟、1 小时和 2 小时。一个生产者为每个级别各发一条消息，共发两轮；Broker 暂存每条消息，在延迟到期的那一刻准时放入队列，所以最后两条在发送 2 小时后才到达。另一个生产者把订单超时检查随机延迟 1 到 10 分钟。没有一条消息会提前投递。“事件日志”中先是“延迟暂存”，之后是“延迟到期，放行”；“延迟百分位”图显示漫长的等待。点击“运行到结束”：这次运行覆盖两个小时。',
    },
  },
  'request-reply': {
    title: { en: 'Request-reply over queues', zh: '基于队列的请求-响应' },
    watch: {
      en: 'A client sends requests to rpc.requests, each naming rpc.replies as the queue to answer to, and waits 250 ms for each answer. Three servers reply with the request’s id, so that the client can match replies to requests. Most replies come in time, but now and then a server takes far longer than usual (its service times have a long tail): the client gives up on that request, and the reply, arriving later, finds nobody waiting. In this run 197 of the 1,010 requests time out (the counter “Requests / timed out”). The “Event log” shows “reply received in time”, “request timed out” and “reply arrived too late”.',
      zh: '客户端向 rpc.requests 发送请求，每个请求都注明响应应发往 rpc.replies，并为每个响应等待 250 ms。三个服务端回复时带上请求的编号，客户端据此把响应与请求对应起来。大多数响应都按时到达，但服务端偶尔会比平时慢得多（服务时间有长尾）：客户端放弃这个请求，之后才到的响应已无人等待。本次运行的 1,010 个请求中有 197 个超时（计数器“请求 / 超时”）。“事件日志”中可以看到“按时收到响应”“请求超时”和“响应来得太晚”。',
    },
  },
  'nats-core-vs-durable': {
    title: { en: 'Pub/sub: a plain subscription vs a durable one', zh: '发布订阅：普通订阅与持久订阅' },
    watch: {
      en: 'One subject fans out to two subscribers. The core subscriber is like NATS core: its subscription exists only while it is connected, nothing is stored for it and nothing is acknowledged. The durable one is like a JetStream durable consumer or a RabbitMQ durable queue. Both go offline from t = 5 s to 10 s. The core subscriber misses the 500 messages published meanwhile (the “Event log” shows “missed (subscriber offline)”); for the durable one they wait in durable.sub (“Queue depth” climbs to 500), and it catches up when it returns.',
      zh: '同一个主题扇出给两个订阅者。core 订阅者类似 NATS core：订阅只在连接期间存在，不为它保存任何消息，也没有确认。durable 订阅者类似 JetStream 的持久消费者或 RabbitMQ 的持久队列。两者都在 t = 5 秒到 10 秒之间离线。core 订阅者错过了这期间发布的 500 条消息（“事件日志”中显示“错过（订阅者离线）”）；durable 订阅者的消息在 durable.sub 中等待（“队列深度”升到 500），它回来后很快追上。',
    },
  },
  'saga-choreography': {
    title: { en: 'A saga by choreography', zh: 'Saga：编舞式的分布式事务' },
    watch: {
      en: 'An order goes through three services, each reacting to the previous one’s event, with no coordinator. The order service creates the order and publishes to order-created; inventory reserves the stock and publishes to payment-requested; payment charges the card and publishes to order-confirmed, or, for about 20 % of orders, declines and publishes to payment-declined. The compensation reacts to that: inventory releases the stock and publishes to order-cancelled, and the order is cancelled. Every order ends either confirmed or fully undone: the five queues in “Queue depth” empty, and at the end “Processed” equals “Published”. Each decline appears in the “Event log” as “declined (compensation starts)”.',
      zh: '一个订单依次经过三个服务，每个服务响应上一个服务的事件，没有中央协调者。订单服务创建订单并发布到 order-created；库存服务预留库存并发布到 payment-requested；支付服务扣款后发布到 order-confirmed，或者（约 20% 的订单）拒绝支付并发布到 payment-declined。补偿流程由此触发：库存服务释放库存并发布到 order-cancelled，订单随之取消。每个订单最终要么确认，要么完全撤销：“队列深度”中的五个队列都会清空，结束时“已处理”等于“已发布”。每次拒绝都会在“事件日志”中显示为“被拒绝（开始补偿）”。',
    },
  },
  'queue-vs-log': {
    title: { en: 'Queue vs log: who gets each order', zh: '队列与日志：每个订单由谁收到' },
    watch: {
      en: 'The same 200 orders a second go through three designs. In a queue read by a billing worker and a shipping worker, the two compete: each order reaches only one of them (point-to-point). A fanout exchange with one queue per service gives both every order, as separate copies (publish/subscribe). A Kafka topic read by two consumer groups also gives both every order, but the log keeps a single copy of each record and each group only moves its own offset through it. Compare what each consumer processed in “Topology and message flow”, and the two groups in “Partitions and offsets”.',
      zh: '同样每秒 200 个订单，走三种不同的设计。一个队列由账单和发货两个工作进程共同读取，它们互相竞争：每个订单只会到达其中一个（点对点）。扇出交换机为每个服务各建一个队列，两者都收到每个订单，各是一份副本（发布订阅）。一个 Kafka 主题由两个消费者组读取，两者同样收到每个订单，但日志里每条记录只有一份，每个组只是移动自己的偏移量。对比“拓扑与消息流”中各消费者处理的数量，以及“分区与偏移量”中的两个组。',
    },
  },

  // Kafka.
  'kafka-acks-leader-crash': {
    title: { en: 'Kafka acks 0, 1 and all when the leader crashes', zh: 'Kafka 首领宕机时的 acks=0、1 与 all' },
    watch: {
      en: 'Three topics, each with one partition copied on brokers 0, 1 and 2 and led by broker 0, are written at 1,000 records a second with acks=0, acks=1 and acks=all. The followers copy the leader every 50 ms. At t = 5.045 s broker 0 crashes. A millisecond later the producers see their connections to it close, and they cannot connect to it again: until the cluster notices, 2 s later, and makes broker 1 the leader, their new records wait with them, and then go to broker 1. With acks=0 the producer never waits for an answer: the batch it sent as broker 0 died reaches no log (5 records), the 40 records the followers had not copied yet are cut from the log, and the producer is never told. With acks=1 only the leader answered, so just that un-copied tail is lost (40), records the producer had been told were written. With acks=all a record counts as written only once the in-sync replicas have it: nothing is lost, the producer retries the requests that were in flight. “Lost” reads 85 at the end. Broker 0 returns at t = 12 s, drops its extra records and catches up.',
      zh: '三个主题，每个只有一个分区，副本分布在 broker 0、1、2 上，首领是 broker 0；三个生产者分别以 acks=0、acks=1 和 acks=all 每秒写入 1,000 条记录。追随者每 50 ms 从首领复制一次。t = 5.045 秒 broker 0 宕机。1 毫秒后生产者发现与它的连接断开，之后也连不上它：直到 2 秒后集群察觉、选 broker 1 为新首领之前，新记录都留在生产者这里等待，之后再发往 broker 1。acks=0 的生产者从不等待应答：broker 0 宕机时刚发出的那一批（5 条）没有进入任何日志，追随者还没复制的 40 条也从日志中被截断，而生产者对此一无所知。acks=1 只有首领应答，所以只丢了这段未复制的尾部（40 条），而生产者曾被告知这些记录已经写入。acks=all 要等所有同步副本都写入才算成功：一条不丢，生产者只是重试在途的请求。最终“丢失”为 85。broker 0 在 t = 12 秒恢复，截掉多出的记录后追上进度。',
    },
  },
  'kafka-clean-election': {
    title: { en: 'Clean leader election: wait rather than lose', zh: '干净选举：宁可等待，也不丢数据' },
    watch: {
      en: 'Topic payments has one partition on brokers 0 (the leader) and 1, written at 200 records a second with acks=all; the leader may go on accepting writes when it is the only in-sync replica. Broker 1 crashes at t = 3 s and drops out of the in-sync replicas (ISR); the leader carries on alone. At t = 8 s the leader crashes too. At t = 10 s broker 1 comes back, but its copy ends at t = 3 s, and unclean election is off (Kafka’s default), so it may not lead. The partition stays offline, while the producer holds its records, waiting for a leader, until broker 0, the last in-sync replica, returns at t = 15 s with every record. Nothing is lost (“Lost”: 0); the price is 6 s with no leader (the “Event log” shows “partition offline (no leader)”). Compare “Unclean leader election: available but lossy”.',
      zh: '主题 payments 只有一个分区，副本在 broker 0（首领）和 broker 1 上，生产者以 acks=all 每秒写入 200 条；首领在只剩自己同步时仍可继续接受写入。t = 3 秒 broker 1 宕机，退出同步副本集合（ISR）；首领独自继续工作。t = 8 秒首领也宕机了。t = 10 秒 broker 1 回来了，但它的数据停在 t = 3 秒，而脏选举是关闭的（Kafka 的默认设置），所以它不能当首领。分区一直离线，生产者保留记录等待新首领，直到 t = 15 秒最后一个同步副本 broker 0 带着全部记录回来。一条不丢（“丢失”为 0）；代价是 6 秒没有首领（“事件日志”中显示“分区离线（没有首领）”）。对比“脏选举：可用，但会丢数据”。',
    },
  },
  'kafka-unclean-election': {
    title: { en: 'Unclean leader election: available but lossy', zh: '脏选举：可用，但会丢数据' },
    watch: {
      en: 'The same failures as with clean election, but unclean election is allowed. When broker 1 returns at t = 10 s it becomes the leader at once, although its copy of the log ends at t = 3 s. The partition was without a leader for only 1 s, but about five seconds of records that had been acknowledged are cut from the log (the “truncated” column of “Partitions and offsets”: 1,001), and the reports group, which reads slowly, loses the ones it had not read yet (“Lost”: 297). The “Event log” shows “out-of-sync leader elected (unclean)”. Compare “Clean leader election: wait rather than lose”.',
      zh: '故障与干净选举完全相同，但允许脏选举。t = 10 秒 broker 1 回来后立即成为首领，尽管它的日志只到 t = 3 秒。分区只离线了 1 秒，但大约五秒的已确认记录从日志中被截断（“分区与偏移量”的“被截断”列：1,001），读得慢的 reports 组丢失了其中还没读到的部分（“丢失”为 297）。“事件日志”中显示“选出未同步的首领（脏选举）”。对比“干净选举：宁可等待，也不丢数据”。',
    },
  },
  'kafka-producer-retries': {
    title: { en: 'Idempotent producer: retries without duplicates', zh: '幂等生产者：重试而不重复' },
    watch: {
      en: 'Two producers write 1,000 records a second, each to its own topic copied on brokers 0 (the leader), 1 and 2. Both wait for every in-sync replica (acks=all), retry failed requests and keep up to 5 requests in flight. At t = 5.025 s broker 0 crashes with five requests of each producer in flight. A millisecond later the producers see the connection close, and all five fail at once. Each failed batch goes back to the front of its queue as its failure is handled, oldest first, so the oldest ends up last. No connection to broker 0 can be made, so nothing more is sent until broker 1 leads, 1 s later; new records wait behind the retries. Broker 1 already had the oldest of the five batches (the followers had copied it, but it was not yet acknowledged), so the plain producer writes it again (“duplicate appends” in “Partitions and offsets”: 5). The other four it lacked, and the plain producer sends them newest first: the read-plain group processes 15 records after a later record of the same key (“Out of order”: 15). The idempotent producer puts failed batches back in sequence order and sends them oldest first, and broker 1 knows the batch it already has by its sequence number: nothing twice, nothing out of order. With one request in flight a plain producer keeps its order too: a failed batch goes back to the front, and its partition waits until it is written.',
      zh: '两个生产者每秒各写入 1,000 条记录，各自写入一个主题，副本在 broker 0（首领）、1、2 上。两者都等待所有同步副本确认（acks=all），失败的请求会重试，最多同时有 5 个请求在途。t = 5.025 秒 broker 0 宕机，此时每个生产者各有 5 个请求在途。1 毫秒后生产者发现连接断开，这 5 个请求同时失败。失败的批次按处理顺序（从最早的开始）逐个放回队列最前面，于是最早的一批排到了最后。broker 0 连不上，所以在 1 秒后 broker 1 成为首领之前什么也不发送；新记录排在重试的批次后面等待。broker 1 已经有这 5 批中最早的一批（追随者已复制，但尚未确认），普通生产者又把它写了一遍（“分区与偏移量”中的“重复追加”为 5）。另外四批 broker 1 没有，普通生产者按从新到旧的顺序发出：read-plain 组有 15 条记录在同一个键更晚的记录之后才被处理（“乱序”为 15）。幂等生产者按序号把失败的批次放回队列，从最早的开始发送，broker 1 凭序号认出已有的那一批：既无重复，也无乱序。只允许 1 个请求在途时，普通生产者也能保持顺序：失败的批次回到队列最前面，在它写入之前整个分区都等着它。',
    },
  },
  'kafka-commit-modes-crash': {
    title: { en: 'Offset commits: at least once, at most once, auto', zh: '偏移量提交：至少一次、至多一次与自动提交' },
    watch: {
      en: 'Three consumer groups read the same topic (4 partitions, 500 records a second), each with two members that together process only 400 a second. They differ only in when they commit their offset. At t = 10.05 s member 0 of every group crashes in the middle of a batch; 3 s later its partitions move to member 1, which starts from the last committed offset. at-least-once commits after processing: it repeats what had been processed but not committed, and loses nothing. at-most-once commits before processing: it skips what had been committed but not processed, and repeats nothing. auto-commit commits every second whatever was handed out, so it can do either; here the crash comes 50 ms after a commit and it loses. The “Duplicates” and “Lost” counters, split by group, show it: at-least-once 59 duplicates; at-most-once and auto-commit 41 lost each.',
      zh: '三个消费者组读取同一个主题（4 个分区，每秒 500 条），每组两个成员，合计每秒只能处理 400 条。它们唯一的区别是何时提交偏移量。t = 10.05 秒，每组的 0 号成员都在处理一批记录的中途宕机；3 秒后它的分区转给 1 号成员，从最后提交的偏移量开始读。at-least-once 在处理之后提交：已处理但未提交的记录会被再处理一遍，但不会丢。at-most-once 在处理之前提交：已提交但未处理的记录会被跳过，但不会重复。auto-commit 每秒自动提交一次已拉取的偏移量，两种情况都可能发生；这次宕机恰好在一次提交后 50 ms，所以它丢了数据。按组拆分的“重复消费”和“丢失”计数器说明了一切：at-least-once 重复 59 条；at-most-once 和 auto-commit 各丢失 41 条。',
    },
  },
  'kafka-rebalance-eager-vs-cooperative': {
    title: { en: 'Rebalancing: eager vs cooperative', zh: '重平衡：急切式与协作式' },
    watch: {
      en: 'Two consumer groups read the same 6-partition topic, with the same members and the same events: a third member joins at t = 10 s, one leaves at t = 20 s, and one crashes at t = 30 s (noticed after a 5 s session timeout). The eager group stops every partition at each rebalance until the slowest member has finished its batch; the cooperative group stops only the partitions that move. In “Partitions owned” the eager line drops to 0 at each rebalance, while the cooperative one only dips; the “unowned partition time” column of “Partitions and offsets” adds it up: 2.4 s for eager against 1.3 s for cooperative. The crash makes both groups repeat what the dead member had processed since its last commit (“Duplicates”, about 1,800 in each group).',
      zh: '两个消费者组读取同一个 6 分区的主题，成员相同，经历的事件也相同：t = 10 秒加入第三个成员，t = 20 秒一个成员离开，t = 30 秒一个成员宕机（5 秒会话超时后才被发现）。急切式（eager）组每次重平衡都停下所有分区，直到最慢的成员处理完手头的批次；协作式（cooperative）组只停下需要移动的分区。在“持有的分区数”图中，每次重平衡时 eager 的曲线都跌到 0，而 cooperative 的曲线只是略微下降；“分区与偏移量”中的“分区无人持有的时间”列给出总和：eager 2.4 秒，cooperative 1.3 秒。宕机让两个组都重复处理了宕机成员自上次提交以来处理过的记录（“重复消费”，每组约 1,800 条）。',
    },
  },
  'kafka-key-ordering': {
    title: { en: 'Per-key order and parallel processing', zh: '按键有序与并行处理' },
    watch: {
      en: 'Each of 12 busy orders has its own key, so all of one order’s events land on the same partition, in order. Three groups read them, with two members each. single-thread processes one record at a time: never out of order. thread-pool processes 8 at once with no rule, so a later event of an order often finishes before an earlier one. key-ordered also runs 8 at once, but never two with the same key: it keeps up and is never out of order. The “Out of order” counter, split by group, reads 2,190, all of them in thread-pool.',
      zh: '12 个繁忙的订单各用自己的键，因此同一订单的所有事件都按顺序落在同一个分区。三个消费者组读取它们，每组两个成员。single-thread 一次只处理一条记录：从不乱序。thread-pool 同时处理 8 条且不加任何约束，于是一个订单较晚的事件常常比较早的事件先处理完。key-ordered 也同时处理 8 条，但从不同时处理同一个键的两条：既跟得上，也从不乱序。按组拆分的“乱序”计数器为 2,190，全部来自 thread-pool。',
    },
  },
  'kafka-global-order': {
    title: { en: 'Global order costs parallelism', zh: '全局有序的代价：失去并行' },
    watch: {
      en: 'A topic with a single partition keeps every record in one order, but a partition is read by only one member of a group, so the whole group works at one consumer’s speed. 150 records a second arrive on each of two topics, and each member processes 100 a second. ledger-workers, four members on the one-partition ledger topic, has three idle members (the diagram marks them “idle”). order-workers, four members on the four-partition orders topic, keeps up. Compare the two lines in “Consumer lag”: lag counts the records not yet committed, and offsets are committed every 5 seconds, so both lines climb between commits and drop at each one. After each commit order-workers’ lag is back to 0; ledger-workers’ is not: 395 at t = 10 s, 645 at 15 s, 895 at 20 s, about 50 more every second.',
      zh: '只有一个分区的主题能让所有记录保持唯一的顺序，但一个分区只能由组内的一个成员读取，所以整个组只有一个消费者的速度。两个主题每秒各到达 150 条记录，每个成员每秒处理 100 条。ledger-workers 组有四个成员，读取只有一个分区的 ledger 主题：三个成员闲着（图中标为“空闲”）。order-workers 组同样四个成员，读取四个分区的 orders 主题，轻松跟上。对比“消费积压（Lag）”图中的两条线：积压是尚未提交的记录数，而偏移量每 5 秒提交一次，所以两条线都在两次提交之间上升、在每次提交时回落。每次提交后，order-workers 的积压回到 0；ledger-workers 的却回不去：t = 10 秒时 395，15 秒时 645，20 秒时 895，每秒多出约 50 条。',
    },
  },
  'kafka-idle-consumers': {
    title: { en: 'More consumers than partitions', zh: '消费者比分区多' },
    watch: {
      en: '900 records a second go to a topic with 3 partitions, read by a group of 6 members that each process 250 a second. Only 3 members get a partition; the other 3 sit idle (the diagram marks them “idle”), so the group drains at most 750 a second while 900 arrive, and its lag climbs: 1,214 at t = 5 s, 2,104 at 10 s, 2,501 at 15 s (see “Consumer lag”). At t = 15 s the topic grows to 6 partitions. After the rebalance every member has one, the group can drain 1,500 a second, and the backlog melts. But keys now map to new partitions, so some orders’ newer events are processed before older ones still waiting on their old partition: “Out of order” reads 738 at the end. Adding partitions breaks per-key order.',
      zh: '每秒 900 条记录写入一个 3 分区的主题，由 6 个成员的组读取，每个成员每秒处理 250 条。只有 3 个成员分到分区，另外 3 个闲着（图中标为“空闲”），所以整个组每秒最多消化 750 条，而每秒到达 900 条，积压不断攀升：t = 5 秒时 1,214，10 秒时 2,104，15 秒时 2,501（见“消费积压（Lag）”）。t = 15 秒主题扩到 6 个分区。重平衡后每个成员各有一个分区，整个组每秒能消化 1,500 条，积压迅速消退。但键现在映射到了新的分区，一些订单较新的事件先于仍在旧分区排队的旧事件被处理：结束时“乱序”为 738。增加分区会破坏按键的顺序。',
    },
  },
  'backlog-emergency': {
    title: { en: 'A Kafka backlog: three emergency measures', zh: '消息积压：三种应急手段' },
    watch: {
      en: 'Three identical order streams of 600 records a second, each on its own topic, each read by a group whose members together process only 400 a second: every backlog grows. At t = 20 s each team tries a different emergency measure. add-consumers, on a topic with 4 partitions, adds 2 members and drains. add-partitions also adds 2 members, but its topic has only 2 partitions, so the newcomers sit idle with nothing to read (the diagram marks them “idle”) until the topic grows to 4 partitions at t = 30 s. skip-non-critical adds nobody: it starts skipping the half of its records that are only for analytics, and drains. Compare the three lines in “Consumer lag”.',
      zh: '三条相同的订单流，每秒各 600 条，各自写入自己的主题；读取它们的每个组合计每秒只能处理 400 条：三处积压都在增长。t = 20 秒，三个团队各自采取不同的应急手段。add-consumers 的主题有 4 个分区，增加 2 个成员后积压开始消化。add-partitions 同样增加 2 个成员，但它的主题只有 2 个分区，新成员无事可做（图中标为“空闲”），直到 t = 30 秒主题扩到 4 个分区。skip-non-critical 一台机器也没加：它开始跳过一半仅用于数据分析的记录，积压同样得以消化。对比“消费积压（Lag）”图中的三条线。',
    },
  },
};
