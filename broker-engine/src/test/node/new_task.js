'use strict';
// Tutorial 2, "Work Queues": publishes a persistent task to the durable task queue.

const { positional, connect, name, emit, run } = require('./tutorial');

run(async () => {
  const connection = await connect();
  const channel = await connection.createChannel();
  const queue = name('task_queue');
  const message = positional.join(' ') || 'Hello World!';

  await channel.assertQueue(queue, { durable: true });
  channel.sendToQueue(queue, Buffer.from(message), { persistent: true });
  emit('SENT', message);
  await channel.close();
  await connection.close();
});
