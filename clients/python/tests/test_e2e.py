"""End to end against a running Vigil (``npm start``): set VIGIL_URL and VIGIL_API_KEY.

clients/senders.e2e.test.ts starts a stack and runs these with Debian's python3 (which
has pandas); without the variables they are skipped, and that run fails on any skip.
"""
import json
import os
import time
import unittest
import urllib.request
import uuid

from vigil_client import Vigil

from .fault_server import FaultServer

URL = os.environ.get("VIGIL_URL")
KEY = os.environ.get("VIGIL_API_KEY")

try:
    import pandas as pd
except ImportError:
    pd = None


def live(model, version):
    req = urllib.request.Request("%s/v1/models/%s/versions/%s/live" % (URL, model, version), headers={"Authorization": "Bearer " + KEY})
    with urllib.request.urlopen(req, timeout=10) as res:
        return json.loads(res.read())


def events(n, prefix, model, version="v1"):
    now = time.time() * 1000
    return [{"model": model, "version": version, "prediction_id": "%s-%d" % (prefix, i), "timestamp": now,
             "features": {"age": 20 + i % 50, "region": ["north", "south"][i % 2]}, "prediction": i % 2, "score": (i % 10) / 10}
            for i in range(n)]


@unittest.skipUnless(URL and KEY, "VIGIL_URL and VIGIL_API_KEY name a running Vigil")
class EndToEndTest(unittest.TestCase):
    def model(self):
        return "py-e2e-" + uuid.uuid4().hex[:8]

    def wait_for_totals(self, model, **expected):
        deadline = time.time() + 20
        totals = {}
        while time.time() < deadline:
            totals = live(model, "v1")["totals"]
            if all(totals.get(k) == v for k, v in expected.items()):
                return totals
            time.sleep(0.2)
        self.fail("totals %r never reached %r" % (totals, expected))

    def test_events_sent_are_events_counted_and_actuals_join(self):
        model = self.model()
        with Vigil(URL, KEY, batch_size=500, flush_at_exit=False) as vigil:
            for e in events(2000, "p", model):
                vigil.log(**e)
            vigil.flush(30)
            for i in range(0, 2000, 2):
                vigil.log_actual(model=model, version="v1", prediction_id="p-%d" % i, actual=1)
            vigil.log_outcome(model=model, kpi="revenue", value=10.5, prediction_id="p-0")
        s = vigil.stats()
        self.assertEqual((s.delivered, s.failed, s.rejected, s.dropped), (2000 + 1000 + 1, 0, 0, 0))
        self.wait_for_totals(model, events=2000, batches=4, actuals=1000, duplicateBatches=0)

    def test_a_503_after_vigil_stored_the_batch_is_retried_and_counted_once(self):
        model = self.model()
        proxy = FaultServer(upstream=URL)
        proxy.script({"status": 503})
        try:
            with Vigil(proxy.url, KEY, batch_size=500, backoff_base_s=0.05, flush_at_exit=False) as vigil:
                for e in events(500, "p", model):
                    vigil.log(**e)
        finally:
            proxy.close()
        self.assertEqual(len(proxy.requests), 2)
        self.assertEqual(proxy.requests[0][3]["batch_id"], proxy.requests[1][3]["batch_id"])
        s = vigil.stats()
        self.assertEqual((s.delivered, s.duplicate_batches, s.retries), (500, 1, 1))
        self.wait_for_totals(model, events=500, batches=1, duplicateBatches=1)

    def test_a_full_queue_drops_the_oldest_and_vigil_counts_the_rest(self):
        model = self.model()
        proxy = FaultServer(upstream=URL)
        proxy.hold()
        try:
            vigil = Vigil(proxy.url, KEY, batch_size=100, max_queue=300, flush_interval_s=0.01, concurrency=1, flush_at_exit=False)
            sent = events(1000, "p", model)
            for e in sent[:100]:
                vigil.log(**e)
            deadline = time.time() + 5
            while vigil.stats().in_flight != 100 and time.time() < deadline:
                time.sleep(0.01)
            for e in sent[100:]:
                vigil.log(**e)
            s = vigil.stats()
            self.assertEqual((s.queued, s.dropped), (300, 600))
            proxy.release()
            vigil.close(timeout_s=30)
        finally:
            proxy.close()
        s = vigil.stats()
        self.assertEqual((s.delivered, s.dropped, s.failed), (400, 600, 0))
        self.wait_for_totals(model, events=400)

    @unittest.skipIf(pd is None, "pandas is not installed (run with Debian's /usr/bin/python3)")
    def test_log_dataframe_and_upload_baseline(self):
        model = self.model()
        df = pd.DataFrame({"id": ["r%d" % i for i in range(300)], "age": [20.0 + i % 40 for i in range(300)],
                           "region": [["north", "south", "east"][i % 3] for i in range(300)], "label": [i % 2 for i in range(300)]})
        with Vigil(URL, KEY, flush_at_exit=False) as vigil:
            self.assertEqual(vigil.log_dataframe(df, model=model, version="v1", prediction_col="label", id_col="id"), 300)
            vigil.flush(30)
            reply = vigil.upload_baseline(df.drop(columns=["id"]).rename(columns={"label": "prediction"}), model=model, version="v1", name="training")
        self.assertEqual(reply["status"], "ready")
        self.assertEqual(reply["rows"], 300)
        self.assertEqual(sorted(reply["dataset"]["features"]), ["age", "region"])
        self.wait_for_totals(model, events=300)


if __name__ == "__main__":
    unittest.main()
