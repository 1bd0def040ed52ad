"""Tutorial 5, "Topics": publishes a log line with a <facility>.<severity> routing key."""

from tutorial import arguments, connect, emit, name

args = arguments("Publishes one log message by topic.", ("routing_key", {}), ("message", {}))
connection = connect(args)
channel = connection.channel()

exchange = name("topic_logs", args)
channel.exchange_declare(exchange=exchange, exchange_type="topic")
channel.basic_publish(exchange=exchange, routing_key=args.routing_key, body=args.message)
emit("SENT", args.routing_key, args.message)
connection.close()
