'use strict';
// Tutorial 3, "Publish/Subscribe": publishes a log line to the fanout exchange.

const { positional, connect, name, emit, run } = require('./tutorial');

run(async () => {
  const connection = await connect();
  const channel = await connection.createChannel();
  const exchange = name('logs');
  const message = positional.join(' ') || 'Hello World!';

  await channel.assertExchange(exchange, 'fanout', { durable: false });
  channel.publish(exchange, '', Buffer.from(message));
  emit('SENT', message);
  await channel.close();
  await connection.close();
});
