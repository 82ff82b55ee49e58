"""The client's batching, flushing, grouping and overflow policy against a local server that fails on cue."""
import datetime
import queue
import threading
import time
import unittest

from vigil_client import Vigil

from .fault_server import FaultServer


def event(i, model="m", version="v1"):
    return {"model": model, "version": version, "prediction_id": "p%d" % i, "features": {"x": i}, "prediction": i % 2, "score": 0.5}


class ClientTest(unittest.TestCase):
    def setUp(self):
        self.server = FaultServer()
        self.clients = []

    def tearDown(self):
        self.server.release()
        for c in self.clients:
            c.close(timeout_s=2)
        self.server.close()

    def client(self, **options):
        options.setdefault("backoff_base_s", 0.01)
        options.setdefault("backoff_max_s", 0.05)
        options.setdefault("flush_at_exit", False)
        c = Vigil(self.server.url, "vgl_test", **options)
        self.clients.append(c)
        return c

    def wait_for(self, predicate, timeout=5.0):
        deadline = time.time() + timeout
        while not predicate():
            if time.time() > deadline:
                self.fail("condition not met within %.1f s" % timeout)
            time.sleep(0.01)

    def test_full_batches_leave_at_once_and_the_rest_on_flush(self):
        vigil = self.client(batch_size=500, flush_interval_s=60)
        for i in range(1200):
            vigil.log(**event(i))
        self.wait_for(lambda: len(self.server.requests) >= 2)
        self.assertTrue(vigil.flush(10))
        self.assertEqual([len(r[3]["events"]) for r in self.server.requests], [500, 500, 200])
        self.assertEqual(self.server.counted(), 1200)
        s = vigil.stats()
        self.assertEqual((s.delivered, s.queued, s.in_flight, s.failed, s.dropped), (1200, 0, 0, 0, 0))

    def test_a_partial_batch_leaves_flush_interval_after_its_first_record(self):
        vigil = self.client(flush_interval_s=0.15)
        t0 = time.time()
        vigil.log(**event(1))
        vigil.log(**event(2))
        self.wait_for(lambda: len(self.server.requests) == 1)
        self.assertGreaterEqual(self.server.requests[0][0] - t0, 0.14)
        self.assertEqual(len(self.server.requests[0][3]["events"]), 2)

    def test_routes_shapes_and_grouping(self):
        with self.client() as vigil:
            vigil.log(**event(1, "a", "v1"))
            vigil.log(**event(2, "a", "v2"))
            vigil.log(**event(3, "a", "v1"))
            vigil.log_actual(model="a", version="v1", prediction_id="p1", actual=1,
                             timestamp=datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc))
            vigil.log_outcome(model="a", kpi="revenue", value=12.5, prediction_id="p1")
            vigil.log_outcome(model="a", version="v2", kpi="revenue", value=3, segment={"region": "north"})
        by_path = {}
        for _, path, _, body in self.server.requests:
            by_path.setdefault(path, []).append(body)
        ingest = sorted(by_path["/v1/ingest"], key=lambda b: b["version"])
        self.assertEqual([[e["prediction_id"] for e in b["events"]] for b in ingest], [["p1", "p3"], ["p2"]])
        self.assertRegex(ingest[0]["batch_id"], r"^[0-9a-f-]{36}$")
        self.assertEqual(by_path["/v1/actuals"], [{"model": "a", "version": "v1", "actuals": [{"prediction_id": "p1", "actual": 1, "timestamp": "1970-01-01T00:00:00+00:00"}]}])
        outcomes = sorted(by_path["/v1/outcomes"], key=lambda b: b.get("version", ""))
        self.assertEqual(outcomes[0]["outcomes"], [{"kpi": "revenue", "value": 12.5, "prediction_id": "p1"}])
        self.assertNotIn("version", outcomes[0])
        self.assertIn("batch_id", outcomes[0])
        self.assertEqual((outcomes[1]["version"], outcomes[1]["outcomes"]), ("v2", [{"kpi": "revenue", "value": 3, "segment": {"region": "north"}}]))

    def test_a_retry_after_a_503_and_a_lost_reply_is_not_double_counted(self):
        self.server.script({"status": 503}, {"lost_reply": True})
        vigil = self.client(batch_size=100)
        for i in range(300):
            vigil.log(**event(i))
        vigil.flush(10)
        self.assertEqual(self.server.counted(), 300)
        self.assertEqual(len(set(self.server.counted_ids())), 300)
        s = vigil.stats()
        self.assertEqual((s.delivered, s.duplicate_batches, s.retries, s.failed), (300, 1, 2, 0))

    def test_drop_oldest_counts_what_a_full_queue_drops(self):
        self.server.hold()
        vigil = self.client(batch_size=10, max_queue=50, flush_interval_s=0.01, concurrency=1)
        for i in range(10):
            vigil.log(**event(i))
        self.wait_for(lambda: vigil.stats().in_flight == 10)
        for i in range(10, 100):
            vigil.log(**event(i))
        s = vigil.stats()
        self.assertEqual((s.queued, s.dropped), (50, 40))
        self.server.release()
        vigil.flush(10)
        ids = self.server.counted_ids()
        self.assertEqual(len(ids), 60)
        self.assertEqual(ids[:10], ["p%d" % i for i in range(10)])
        self.assertEqual(sorted(ids[10:], key=lambda s: int(s[1:])), ["p%d" % i for i in range(50, 100)])

    def test_concurrency_puts_that_many_batches_in_flight(self):
        self.server.hold()
        vigil = self.client(batch_size=10, concurrency=3, flush_interval_s=0.01)
        for i in range(50):
            vigil.log(**event(i))
        self.wait_for(lambda: vigil.stats().in_flight == 30)
        self.assertEqual(vigil.stats().queued, 20)
        self.server.release()
        vigil.flush(10)
        self.assertEqual(self.server.counted(), 50)

    def test_block_makes_log_wait_and_drops_nothing(self):
        self.server.hold()
        vigil = self.client(batch_size=10, max_queue=20, overflow="block", flush_interval_s=0.01, concurrency=1)
        done = []

        def produce():
            for i in range(60):
                vigil.log(**event(i))
                done.append(i)

        t = threading.Thread(target=produce)
        t.start()
        self.wait_for(lambda: vigil.stats().in_flight == 10)
        time.sleep(0.2)
        self.assertEqual(len(done), 30)
        self.server.release()
        t.join(10)
        vigil.flush(10)
        self.assertEqual(self.server.counted(), 60)
        self.assertEqual(vigil.stats().dropped, 0)

    def test_block_timeout_raises_queue_full(self):
        self.server.hold()
        vigil = self.client(batch_size=10, max_queue=10, overflow="block", block_timeout_s=0.1, flush_interval_s=0.01, concurrency=1)
        for i in range(10):
            vigil.log(**event(i))
        self.wait_for(lambda: vigil.stats().in_flight == 10)
        for i in range(10, 20):
            vigil.log(**event(i))
        with self.assertRaises(queue.Full):
            vigil.log(**event(99))

    def test_a_refused_batch_reaches_on_error_and_the_others_go_on(self):
        self.server.script({"status": 400, "code": "validation_failed"})
        errors = []
        vigil = self.client(batch_size=5, on_error=lambda e, b: errors.append((e, b)))
        for i in range(10):
            vigil.log(**event(i))
        vigil.flush(10)
        self.assertEqual(len(errors), 1)
        self.assertEqual((errors[0][0].status, errors[0][0].code), (400, "validation_failed"))
        self.assertEqual({k: errors[0][1][k] for k in ("kind", "model", "version", "records")}, {"kind": "event", "model": "m", "version": "v1", "records": 5})
        s = vigil.stats()
        self.assertEqual((s.delivered, s.failed), (5, 5))

    def test_close_with_a_timeout_gives_up_a_retrying_batch_and_refuses_more(self):
        self.server.script(*[{"status": 503}] * 50)
        vigil = self.client(backoff_base_s=5, backoff_max_s=5)
        vigil.log(**event(1))
        t0 = time.time()
        vigil.close(timeout_s=0.3)
        self.assertLess(time.time() - t0, 4)
        s = vigil.stats()
        self.assertEqual((s.failed, s.delivered), (1, 0))
        with self.assertRaises(RuntimeError):
            vigil.log(**event(2))

    def test_checks_options_and_records(self):
        with self.assertRaisesRegex(ValueError, "url must be an http"):
            Vigil("ftp://x", "k")
        with self.assertRaisesRegex(ValueError, "batch_size must be an integer from 1 to 10000: 20000"):
            Vigil("http://x", "k", batch_size=20000)
        vigil = self.client()
        with self.assertRaisesRegex(ValueError, "prediction_id must be a non-empty string"):
            vigil.log(**dict(event(1), prediction_id=""))
        with self.assertRaisesRegex(ValueError, "value must be a finite number"):
            vigil.log_outcome(model="m", kpi="k", value=float("nan"))


if __name__ == "__main__":
    unittest.main()
