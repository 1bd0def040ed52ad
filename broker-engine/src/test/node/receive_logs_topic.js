'use strict';
// Tutorial 5, "Topics": binds one exclusive queue with each of the given patterns (* and #),
// stopping after --count messages.

const { options, positional, connect, name, emit, run } = require('./tutorial');

run(async () => {
  const count = Number(options.count ?? 1);
  const connection = await connect();
  const channel = await connection.createChannel();
  const exchange = name('topic_logs');

  await channel.assertExchange(exchange, 'topic', { durable: false });
  const { queue } = await channel.assertQueue('', { exclusive: true });
  for (const bindingKey of positional) {
    await channel.bindQueue(queue, exchange, bindingKey);
  }
  let received = 0;
  await channel.consume(
    queue,
    (msg) => {
      emit('RECEIVED', msg.fields.routingKey, msg.content.toString());
      received += 1;
      if (received === count) {
        connection.close().catch((error) => {
          console.error(error);
          process.exit(1);
        });
      }
    },
    { noAck: true },
  );
  emit('READY', queue);
});
