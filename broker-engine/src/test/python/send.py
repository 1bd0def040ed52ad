"""Tutorial 1, "Hello World!": the producer."""

from tutorial import arguments, connect, emit, name

args = arguments("Sends one message to the hello queue.", ("message", {"nargs": "?", "default": "Hello World!"}))
connection = connect(args)
channel = connection.channel()

queue = name("hello", args)
channel.queue_declare(queue=queue)
channel.basic_publish(exchange="", routing_key=queue, body=args.message)
emit("SENT", args.message)
connection.close()
