"""Tutorial 4, "Routing": publishes a log line with its severity as routing key."""

from tutorial import arguments, connect, emit, name

args = arguments("Publishes one log message by severity.", ("severity", {}), ("message", {}))
connection = connect(args)
channel = connection.channel()

exchange = name("direct_logs", args)
channel.exchange_declare(exchange=exchange, exchange_type="direct")
channel.basic_publish(exchange=exchange, routing_key=args.severity, body=args.message)
emit("SENT", args.severity, args.message)
connection.close()
