'use strict';
// Tutorial 6, "RPC": answers fib(n) requests on the rpc queue, replying to reply_to.

const { connect, name, emit, run } = require('./tutorial');

function fibonacci(n) {
  let [a, b] = [0n, 1n];
  for (let i = 0; i < n; i++) {
    [a, b] = [b, a + b];
  }
  return a;
}

run(async () => {
  const connection = await connect();
  const channel = await connection.createChannel();
  const queue = name('rpc_queue');

  await channel.assertQueue(queue, { durable: false });
  await channel.prefetch(1);
  await channel.consume(queue, (msg) => {
    const n = Number(msg.content.toString());
    emit('REQUEST', n, msg.properties.correlationId);
    channel.sendToQueue(msg.properties.replyTo, Buffer.from(fibonacci(n).toString()), {
      correlationId: msg.properties.correlationId,
    });
    channel.ack(msg);
  });
  emit('READY');
});
