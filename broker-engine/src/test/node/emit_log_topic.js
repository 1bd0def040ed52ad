'use strict';
// Tutorial 5, "Topics": publishes a log line with a <facility>.<severity> routing key.

const { positional, connect, name, emit, run } = require('./tutorial');

run(async () => {
  const [routingKey, ...words] = positional;
  const message = words.join(' ') || 'Hello World!';
  const connection = await connect();
  const channel = await connection.createChannel();
  const exchange = name('topic_logs');

  await channel.assertExchange(exchange, 'topic', { durable: false });
  channel.publish(exchange, routingKey, Buffer.from(message));
  emit('SENT', routingKey, message);
  await channel.close();
  await connection.close();
});
