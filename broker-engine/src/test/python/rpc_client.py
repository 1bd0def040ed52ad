"""Tutorial 6, "RPC": calls fib(n) through an exclusive callback queue, matching correlation_id."""

import sys
import time
import uuid

import pika

from tutorial import arguments, connect, emit, name, text

args = arguments(
    "Asks the RPC server for fib(n) and prints the answer.",
    ("n", {"type": int}),
    ("--timeout", {"type": float, "default": 30.0}),
)


class FibonacciRpcClient:
    def __init__(self):
        self.connection = connect(args)
        self.channel = self.connection.channel()
        result = self.channel.queue_declare(queue="", exclusive=True)
        self.callback_queue = result.method.queue
        self.channel.basic_consume(
            queue=self.callback_queue, on_message_callback=self.on_response, auto_ack=True
        )
        self.response = None
        self.corr_id = None

    def on_response(self, ch, method, props, body):
        # Replies to earlier, abandoned calls can still arrive; only ours counts.
        if self.corr_id == props.correlation_id:
            self.response = text(body)

    def call(self, n):
        self.response = None
        self.corr_id = str(uuid.uuid4())
        self.channel.basic_publish(
            exchange="",
            routing_key=name("rpc_queue", args),
            properties=pika.BasicProperties(reply_to=self.callback_queue, correlation_id=self.corr_id),
            body=str(n),
        )
        deadline = time.monotonic() + args.timeout
        while self.response is None and time.monotonic() < deadline:
            self.connection.process_data_events(time_limit=1)
        return self.response


client = FibonacciRpcClient()
response = client.call(args.n)
if response is None:
    emit("TIMEOUT", args.n)
    sys.exit(1)
emit("REPLY", args.n, response)
client.connection.close()
