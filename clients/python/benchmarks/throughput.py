"""Throughput of the Python client from one process: events/s through log() at 1,000-event
batches, timed from the first log() to flush() returning (every batch stored).

    VIGIL_URL=... VIGIL_API_KEY=... python3 clients/python/benchmarks/throughput.py [events] [features]

Prints one JSON line. scripts/bench/clients.bench.ts runs it against its own npm start.
"""
import json
import os
import random
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from vigil_client import Vigil  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    features = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    model = "bench-py-" + uuid.uuid4().hex[:6]
    rnd = random.Random(7)
    rows = [{"f%d" % j: rnd.random() * 100 for j in range(features)} for _ in range(1000)]
    now = time.time() * 1000
    vigil = Vigil(os.environ["VIGIL_URL"], os.environ["VIGIL_API_KEY"], batch_size=1000, max_queue=n + 1, flush_at_exit=False)
    t0 = time.perf_counter()
    for i in range(n):
        vigil.log(model=model, version="v1", prediction_id="p%d" % i, timestamp=now, features=rows[i % 1000], prediction=i % 2, score=0.5)
    logged = time.perf_counter()
    vigil.flush()
    done = time.perf_counter()
    vigil.close()
    s = vigil.stats()
    print(json.dumps({"client": "python", "python": sys.version.split()[0], "model": model, "events": n, "features": features,
                      "log_s": round(logged - t0, 3), "total_s": round(done - t0, 3), "events_per_s": round(n / (done - t0)),
                      "delivered": s.delivered, "failed": s.failed, "retries": s.retries}))


if __name__ == "__main__":
    main()
