'use strict';
// Tutorial 6, "RPC": calls fib(n) through an exclusive callback queue, matching correlationId.

const crypto = require('node:crypto');
const { options, positional, connect, name, emit, run } = require('./tutorial');

run(async () => {
  const n = Number(positional[0]);
  const timeoutMillis = Number(options.timeout ?? 30) * 1000;
  const connection = await connect();
  const channel = await connection.createChannel();
  const { queue: callbackQueue } = await channel.assertQueue('', { exclusive: true });
  const correlationId = crypto.randomUUID();

  const reply = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no reply within ${timeoutMillis} ms`)), timeoutMillis);
    channel.consume(
      callbackQueue,
      (msg) => {
        // Replies to earlier, abandoned calls can still arrive; only ours counts.
        if (msg.properties.correlationId === correlationId) {
          clearTimeout(timer);
          resolve(msg.content.toString());
        }
      },
      { noAck: true },
    );
  });
  channel.sendToQueue(name('rpc_queue'), Buffer.from(n.toString()), {
    correlationId,
    replyTo: callbackQueue,
  });
  emit('REPLY', n, await reply);
  await connection.close();
});
