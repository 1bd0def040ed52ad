'use strict';
// Tutorial 2, "Work Queues": a worker with prefetch 1 that acks only after the work is done.
// Every dot in a task is --seconds-per-dot of work (one second in the tutorial), so a test can start
// one fast and one very slow worker and kill the slow one while it holds an unacknowledged task.

const { options, connect, name, emit, run } = require('./tutorial');

run(async () => {
  const secondsPerDot = Number(options['seconds-per-dot'] ?? 1);
  const connection = await connect();
  const channel = await connection.createChannel();
  const queue = name('task_queue');

  await channel.assertQueue(queue, { durable: true });
  await channel.prefetch(1);
  await channel.consume(
    queue,
    (msg) => {
      const task = msg.content.toString();
      emit('RECEIVED', task, `redelivered=${msg.fields.redelivered}`);
      const dots = task.split('.').length - 1;
      setTimeout(() => {
        channel.ack(msg);
        emit('DONE', task);
      }, dots * secondsPerDot * 1000);
    },
    { noAck: false },
  );
  emit('READY');
});
