"""Transport.deliver against a local server that fails on cue."""
import gzip
import json
import math
import time
import unittest

from vigil_client.errors import VigilError
from vigil_client.transport import Transport, encode_body

from .fault_server import FaultServer


def batch(n, batch_id="b-1"):
    return {"model": "m", "version": "v1", "batch_id": batch_id,
            "events": [{"prediction_id": "p%d" % i, "features": {"x": i}, "prediction": 1} for i in range(n)]}


class TransportTest(unittest.TestCase):
    def setUp(self):
        self.server = FaultServer()
        self.retries = []
        self.transport = Transport(self.server.url, "vgl_test_key", max_retries=5, backoff_base_s=0.02,
                                   backoff_max_s=0.2, timeout_s=5, on_retry=self.retries.append)

    def tearDown(self):
        self.server.close()

    def test_retries_5xx_and_a_cut_connection_with_the_same_batch_id(self):
        self.server.script({"status": 503}, {"status": 500}, {"reset": True})
        reply = self.transport.deliver("/v1/ingest", batch(50))
        self.assertEqual((reply["accepted"], reply["duplicate"]), (50, False))
        self.assertEqual(len(self.server.requests), 4)
        self.assertEqual({r[3]["batch_id"] for r in self.server.requests}, {"b-1"})
        self.assertEqual([r["reason"] for r in self.retries[:2]], ["503 status_503", "500 status_500"])
        self.assertEqual(self.server.counted(), 50)

    def test_a_lost_reply_is_retried_and_counted_once(self):
        self.server.script({"lost_reply": True})
        reply = self.transport.deliver("/v1/ingest", batch(10))
        self.assertTrue(reply["duplicate"])
        self.assertEqual(len(self.server.requests), 2)
        self.assertEqual(self.server.counted(), 10)

    def test_waits_at_least_retry_after_on_429(self):
        self.server.script({"status": 429, "retry_after": "1", "code": "rate_limited"})
        self.transport.deliver("/v1/ingest", batch(1))
        first, second = self.server.requests[0][0], self.server.requests[1][0]
        self.assertGreaterEqual(second - first, 0.99)

    def test_a_4xx_is_not_retried_and_carries_the_error_body(self):
        self.server.script({"status": 422, "code": "schema_mismatch"})
        with self.assertRaises(VigilError) as ctx:
            self.transport.deliver("/v1/ingest", batch(1))
        self.assertEqual((ctx.exception.status, ctx.exception.code, ctx.exception.message), (422, "schema_mismatch", "scripted 422"))
        self.assertEqual(len(self.server.requests), 1)

    def test_gives_up_after_max_retries(self):
        self.server.script(*[{"status": 502}] * 10)
        self.transport.max_retries = 2
        with self.assertRaises(VigilError) as ctx:
            self.transport.deliver("/v1/ingest", batch(1))
        self.assertEqual(ctx.exception.status, 502)
        self.assertTrue(ctx.exception.message.startswith("gave up after 3 attempts"))
        self.assertEqual(len(self.server.requests), 3)

    def test_an_unreachable_server_is_a_network_error(self):
        url = self.server.url
        self.server.close()
        self.transport.url = url
        self.transport.max_retries = 1
        with self.assertRaises(VigilError) as ctx:
            self.transport.deliver("/v1/ingest", batch(1))
        self.assertEqual((ctx.exception.status, ctx.exception.code), (0, "network_error"))
        self.server = FaultServer()

    def test_gzip_over_1_kib_and_json_safe_values(self):
        body, headers = encode_body(batch(100), True)
        self.assertEqual(headers["Content-Encoding"], "gzip")
        self.assertEqual(len(json.loads(gzip.decompress(body))["events"]), 100)
        small, small_headers = encode_body({"a": math.nan, "b": [float("inf"), 1.5]}, True)
        self.assertNotIn("Content-Encoding", small_headers)
        self.assertEqual(json.loads(small), {"a": None, "b": [None, 1.5]})


if __name__ == "__main__":
    unittest.main()
