"""Tutorial 6, "RPC": answers fib(n) requests on the rpc queue, replying to reply_to."""

import pika

from tutorial import arguments, connect, emit, name, text

args = arguments("Serves Fibonacci numbers until killed.")
connection = connect(args)
channel = connection.channel()

queue = name("rpc_queue", args)
channel.queue_declare(queue=queue)


def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def on_request(ch, method, props, body):
    n = int(text(body))
    emit("REQUEST", n, props.correlation_id)
    ch.basic_publish(
        exchange="",
        routing_key=props.reply_to,
        properties=pika.BasicProperties(correlation_id=props.correlation_id),
        body=str(fib(n)),
    )
    ch.basic_ack(delivery_tag=method.delivery_tag)


channel.basic_qos(prefetch_count=1)
channel.basic_consume(queue=queue, on_message_callback=on_request)
emit("READY")
channel.start_consuming()
