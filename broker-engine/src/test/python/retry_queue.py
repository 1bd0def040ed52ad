"""A retry queue built from TTL and dead-lettering: a failed message waits in a retry queue, then
returns to the work queue; after --attempts deliveries it is accepted. Prints the x-death count seen
on every retry."""

import time

from tutorial import arguments, connect, emit, name, text

args = arguments("Retries one message through a TTL queue.", ("--attempts", {"type": int, "default": 3}))
connection = connect(args)
channel = connection.channel()

work = name("work", args)
retry = name("retry", args)
channel.queue_declare(
    queue=work,
    auto_delete=True,
    arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": retry},
)
channel.queue_declare(
    queue=retry,
    auto_delete=True,
    arguments={"x-message-ttl": 20, "x-dead-letter-exchange": "", "x-dead-letter-routing-key": work},
)
channel.basic_publish(exchange="", routing_key=work, body=b"job")

attempt = 0
deadline = time.monotonic() + 30
while attempt < args.attempts and time.monotonic() < deadline:
    method, properties, body = channel.basic_get(queue=work)
    if method is None:
        connection.sleep(0.01)
        continue
    attempt += 1
    deaths = (properties.headers or {}).get("x-death", [])
    count = deaths[0]["count"] if deaths else 0
    if attempt < args.attempts:
        emit("RETRY", text(body), "attempt=%d" % attempt, "x-death-count=%d" % count)
        channel.basic_reject(delivery_tag=method.delivery_tag, requeue=False)
    else:
        emit("DONE", text(body), "attempt=%d" % attempt, "x-death-count=%d" % count)
        channel.basic_ack(delivery_tag=method.delivery_tag)
connection.close()
