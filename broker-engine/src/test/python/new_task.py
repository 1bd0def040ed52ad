"""Tutorial 2, "Work Queues": publishes a persistent task to the durable task queue."""

from tutorial import arguments, connect, emit, name
import pika

args = arguments("Publishes one task; each dot in it is a unit of work.", ("message", {}))
connection = connect(args)
channel = connection.channel()

queue = name("task_queue", args)
channel.queue_declare(queue=queue, durable=True)
channel.basic_publish(
    exchange="",
    routing_key=queue,
    body=args.message,
    properties=pika.BasicProperties(delivery_mode=pika.spec.PERSISTENT_DELIVERY_MODE),
)
emit("SENT", args.message)
connection.close()
