"""Tutorial 4, "Routing": binds one queue once per severity it wants."""

from tutorial import arguments, connect, emit, name, text

args = arguments(
    "Prints the log messages of the given severities.",
    ("severities", {"nargs": "+"}),
    ("--count", {"type": int, "default": 1}),
)
connection = connect(args)
channel = connection.channel()

exchange = name("direct_logs", args)
channel.exchange_declare(exchange=exchange, exchange_type="direct")
result = channel.queue_declare(queue="", exclusive=True)
queue = result.method.queue
for severity in args.severities:
    channel.queue_bind(exchange=exchange, queue=queue, routing_key=severity)
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
