"""Tutorial 1, "Hello World!": the consumer (auto-ack), stopping after --count messages."""

from tutorial import arguments, connect, emit, name, text

args = arguments("Prints the messages of the hello queue.", ("--count", {"type": int, "default": 1}))
connection = connect(args)
channel = connection.channel()

queue = name("hello", args)
channel.queue_declare(queue=queue)
received = 0


def callback(ch, method, properties, body):
    global received
    emit("RECEIVED", text(body))
    received += 1
    if received >= args.count:
        ch.stop_consuming()


channel.basic_consume(queue=queue, on_message_callback=callback, auto_ack=True)
emit("READY")
channel.start_consuming()
connection.close()
