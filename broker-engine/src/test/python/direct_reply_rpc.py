"""RPC over direct reply-to: the client consumes amq.rabbitmq.reply-to (no-ack), publishes a
request with that reply_to, a server on a second connection answers to the rewritten address."""

import time

import pika

from tutorial import arguments, connect, emit, name, text

args = arguments("One RPC call over amq.rabbitmq.reply-to.")
client = connect(args)
client_channel = client.channel()
server = connect(args)
server_channel = server.channel()

requests = name("rpc_direct", args)
server_channel.queue_declare(queue=requests, auto_delete=True)
replies = []


def on_reply(ch, method, properties, body):
    replies.append((properties.correlation_id, text(body)))


client_channel.basic_consume(
    queue="amq.rabbitmq.reply-to", on_message_callback=on_reply, auto_ack=True
)
client_channel.basic_publish(
    exchange="",
    routing_key=requests,
    properties=pika.BasicProperties(reply_to="amq.rabbitmq.reply-to", correlation_id="c1"),
    body=b"21",
)

deadline = time.monotonic() + 30
request = (None, None, None)
while request[0] is None and time.monotonic() < deadline:
    request = server_channel.basic_get(queue=requests, auto_ack=True)
    if request[0] is None:
        server.sleep(0.01)
method, properties, body = request
emit("REPLY_TO_REWRITTEN", properties.reply_to.startswith("amq.rabbitmq.reply-to."))
server_channel.basic_publish(
    exchange="",
    routing_key=properties.reply_to,
    properties=pika.BasicProperties(correlation_id=properties.correlation_id),
    body=str(int(text(body)) * 2).encode(),
)

while not replies and time.monotonic() < deadline:
    client.process_data_events(time_limit=0.05)
for correlation_id, reply in replies:
    emit("REPLY", correlation_id, reply)
server.close()
client.close()
