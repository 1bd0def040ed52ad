"""What every tutorial script shares: the broker address, the per-test name suffix, and the output.

The Java interop drivers run each script as its own process and read its stdout line by line, so
every line a script prints is a small machine-readable record (``READY``, ``SENT <body>``,
``RECEIVED <body> redelivered=<bool>``, ...), flushed at once.
"""

import argparse

import pika


def arguments(description, *extra):
    """Parses ``--port`` and ``--suffix`` plus the script's own positional arguments."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5672)
    parser.add_argument(
        "--suffix", default="", help="appended to queue and exchange names so tests never share them"
    )
    for name, options in extra:
        parser.add_argument(name, **options)
    return parser.parse_args()


def connect(args):
    return pika.BlockingConnection(pika.ConnectionParameters(host=args.host, port=args.port))


def name(base, args):
    return base + args.suffix


def emit(*fields):
    print(*fields, flush=True)


def text(body):
    return body.decode("utf-8")
