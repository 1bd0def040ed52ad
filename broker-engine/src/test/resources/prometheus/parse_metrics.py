# Parses Prometheus text exposition from stdin with the official Python client's parser
# (Debian's python3-prometheus-client) and prints the families as JSON, for the tests.
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

families = []
for family in text_string_to_metric_families(sys.stdin.read()):
    families.append({
        "name": family.name,
        "type": family.type,
        "samples": [
            {"name": s.name, "labels": s.labels, "value": s.value} for s in family.samples
        ],
    })
json.dump(families, sys.stdout)
