"""Tutorial 2, "Work Queues": a worker with prefetch 1 that acks only after the work is done.

Every dot in a task is --seconds-per-dot of work (one second in the tutorial), so a test can start
one fast and one very slow worker and kill the slow one while it holds an unacknowledged task.
"""

import time

from tutorial import arguments, connect, emit, name, text

args = arguments(
    "Works on tasks from the task queue until killed.",
    ("--seconds-per-dot", {"type": float, "default": 1.0}),
)
connection = connect(args)
channel = connection.channel()

queue = name("task_queue", args)
channel.queue_declare(queue=queue, durable=True)


def callback(ch, method, properties, body):
    task = text(body)
    emit("RECEIVED", task, "redelivered=" + str(method.redelivered))
    time.sleep(task.count(".") * args.seconds_per_dot)
    ch.basic_ack(delivery_tag=method.delivery_tag)
    emit("DONE", task)


channel.basic_qos(prefetch_count=1)
channel.basic_consume(queue=queue, on_message_callback=callback)
emit("READY")
channel.start_consuming()
