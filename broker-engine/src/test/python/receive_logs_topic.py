"""Tutorial 5, "Topics": binds one queue with each of the given patterns (* and #)."""

from tutorial import arguments, connect, emit, name, text

args = arguments(
    "Prints the log messages matching the given binding keys.",
    ("binding_keys", {"nargs": "+"}),
    ("--count", {"type": int, "default": 1}),
)
connection = connect(args)
channel = connection.channel()

exchange = name("topic_logs", args)
channel.exchange_declare(exchange=exchange, exchange_type="topic")
result = channel.queue_declare(queue="", exclusive=True)
queue = result.method.queue
for binding_key in args.binding_keys:
    channel.queue_bind(exchange=exchange, queue=queue, routing_key=binding_key)
received = 0


def callback(ch, method, properties, body):
    global received
    emit("RECEIVED", method.routing_key, text(body))
    received += 1
    if received >= args.count:
        ch.stop_consuming()


channel.basic_consume(queue=queue, on_message_callback=callback, auto_ack=True)
emit("READY", queue)
channel.start_consuming()
connection.close()
