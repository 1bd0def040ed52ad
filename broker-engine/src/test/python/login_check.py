"""Tries one AMQP login and prints CONNECTED or REFUSED; used by Warren's loopback_users test."""
import argparse

import pika
from pika.exceptions import AMQPConnectionError

parser = argparse.ArgumentParser()
parser.add_argument("--host", required=True)
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--user", required=True)
parser.add_argument("--password", required=True)
args = parser.parse_args()

parameters = pika.ConnectionParameters(
    host=args.host,
    port=args.port,
    credentials=pika.PlainCredentials(args.user, args.password),
    connection_attempts=1,
    socket_timeout=20,
)
try:
    pika.BlockingConnection(parameters).close()
    print("CONNECTED")
except AMQPConnectionError as e:
    print("REFUSED " + type(e).__name__ + " " + repr(e))
