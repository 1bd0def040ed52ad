"""Publishes one message over AMQPS with pika's ssl_options and reads it back.

Used by Warren's TLS tests: --cafile trusts the test CA; --certfile/--keyfile present a client
certificate; --external logs in with SASL EXTERNAL (the certificate's CN) instead of guest/guest.
"""
import argparse
import ssl

import pika
from pika.credentials import ExternalCredentials

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--cafile", required=True)
parser.add_argument("--certfile")
parser.add_argument("--keyfile")
parser.add_argument("--external", action="store_true")
args = parser.parse_args()

context = ssl.create_default_context(cafile=args.cafile)
context.minimum_version = ssl.TLSVersion.TLSv1_2
if args.certfile:
    context.load_cert_chain(args.certfile, args.keyfile)
credentials = ExternalCredentials() if args.external else pika.PlainCredentials("guest", "guest")
parameters = pika.ConnectionParameters(
    host="127.0.0.1",
    port=args.port,
    credentials=credentials,
    ssl_options=pika.SSLOptions(context, "localhost"),
    blocked_connection_timeout=30,
    socket_timeout=30,
)
connection = pika.BlockingConnection(parameters)
channel = connection.channel()
queue = channel.queue_declare(queue="", exclusive=True).method.queue
channel.basic_publish(exchange="", routing_key=queue, body=b"over tls")
for _ in range(100):
    method, properties, body = channel.basic_get(queue, auto_ack=True)
    if method is not None:
        print("RECEIVED " + body.decode())
        break
    connection.sleep(0.05)
connection.close()
