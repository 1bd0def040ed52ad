"""Tutorial 3, "Publish/Subscribe": an exclusive server-named queue bound to the fanout exchange."""

from tutorial import arguments, connect, emit, name, text

args = arguments("Prints every log message.", ("--count", {"type": int, "default": 1}))
connection = connect(args)
channel = connection.channel()

exchange = name("logs", args)
channel.exchange_declare(exchange=exchange, exchange_type="fanout")
result = channel.queue_declare(queue="", exclusive=True)
queue = result.method.queue
channel.queue_bind(exchange=exchange, queue=queue)
received = 0


def callback(ch, method, properties, body):
    global received
    emit("RECEIVED", text(body))
    received += 1
    if received >= args.count:
        ch.stop_consuming()


channel.basic_consume(queue=queue, on_message_callback=callback, auto_ack=True)
emit("READY", queue)
channel.start_consuming()
connection.close()
