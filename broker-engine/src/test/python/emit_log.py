"""Tutorial 3, "Publish/Subscribe": publishes a log line to the fanout exchange."""

from tutorial import arguments, connect, emit, name

args = arguments("Publishes one log message to every subscriber.", ("message", {}))
connection = connect(args)
channel = connection.channel()

exchange = name("logs", args)
channel.exchange_declare(exchange=exchange, exchange_type="fanout")
channel.basic_publish(exchange=exchange, routing_key="", body=args.message)
emit("SENT", args.message)
connection.close()
