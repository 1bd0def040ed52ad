'use strict';
// Tutorial 3, "Publish/Subscribe": an exclusive server-named queue bound to the fanout exchange,
// stopping after --count messages.

const { options, connect, name, emit, run } = require('./tutorial');

run(async () => {
  const count = Number(options.count ?? 1);
  const connection = await connect();
  const channel = await connection.createChannel();
  const exchange = name('logs');

  await channel.assertExchange(exchange, 'fanout', { durable: false });
  const { queue } = await channel.assertQueue('', { exclusive: true });
  await channel.bindQueue(queue, exchange, '');
  let received = 0;
  await channel.consume(
    queue,
    (msg) => {
      emit('RECEIVED', msg.content.toString());
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
