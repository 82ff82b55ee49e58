"""log_dataframe and upload_baseline against a local server (needs pandas; Debian's python3 has it)."""
import gzip
import io
import os
import tempfile
import unittest

from vigil_client import Vigil

from .fault_server import FaultServer

try:
    import numpy as np
    import pandas as pd
except ImportError:  # the client itself never needs them
    pd = None


@unittest.skipIf(pd is None, "pandas is not installed (run with Debian's /usr/bin/python3)")
class DataFrameTest(unittest.TestCase):
    def setUp(self):
        self.server = FaultServer()
        self.vigil = Vigil(self.server.url, "vgl_test", flush_at_exit=False, backoff_base_s=0.01)

    def tearDown(self):
        self.vigil.close(timeout_s=2)
        self.server.close()

    def test_one_event_per_row_with_numpy_values_and_missing_as_null(self):
        df = pd.DataFrame({
            "id": np.array([10, 11, 12], dtype=np.int64),
            "age": [41.0, np.nan, 29.5],
            "region": ["north", None, "east"],
            "pred": np.array([1, 0, 1], dtype=np.int64),
            "proba": [0.8, 0.1, np.nan],
            "at": pd.to_datetime(["2026-11-26T10:00:00Z", "2026-11-26T10:01:00Z", "2026-11-26T10:02:00Z"]),
        })
        n = self.vigil.log_dataframe(df, model="m", version="v1", prediction_col="pred", id_col="id", score_col="proba", timestamp_col="at")
        self.assertEqual(n, 3)
        self.vigil.flush(10)
        events = self.server.requests[0][3]["events"]
        self.assertEqual(events[0], {"prediction_id": "10", "features": {"age": 41.0, "region": "north"}, "prediction": 1, "score": 0.8, "timestamp": "2026-11-26T10:00:00+00:00"})
        self.assertEqual(events[1]["features"], {"age": None, "region": None})
        self.assertNotIn("score", events[2])

    def test_sends_an_embedding_column_of_numpy_vectors_as_arrays(self):
        df = pd.DataFrame({"id": [1, 2], "pred": [0, 1]})
        df["text"] = [np.array([0.5, -1.25, 2.0], dtype=np.float32), np.array([np.nan, 0.0, 1.0])]
        self.vigil.log_dataframe(df, model="m", version="v1", prediction_col="pred", id_col="id")
        self.vigil.flush(10)
        events = self.server.requests[0][3]["events"]
        self.assertEqual(events[0]["features"], {"text": [0.5, -1.25, 2.0]})
        # NaN has no JSON form: it goes as null, which Vigil refuses by name for that event alone.
        self.assertEqual(events[1]["features"], {"text": [None, 0.0, 1.0]})

    def test_names_a_missing_column(self):
        df = pd.DataFrame({"id": [1], "x": [2]})
        with self.assertRaisesRegex(KeyError, "column 'pred' is not in the DataFrame"):
            self.vigil.log_dataframe(df, model="m", version="v1", prediction_col="pred", id_col="id")

    def test_upload_baseline_sends_gzip_csv_from_a_dataframe_and_files_by_extension(self):
        df = pd.DataFrame({"age": [41, 29], "region": ["north", "east"]})
        self.vigil.upload_baseline(df, model="credit risk", version="v1", name="training", note="2026-11")
        _, path, headers, _ = self.server.requests[-1]
        self.assertEqual(path, "/v1/models/credit%20risk/versions/v1/baseline?name=training&note=2026-11")
        self.assertEqual((headers["Content-Type"], headers["Content-Encoding"]), ("text/csv", "gzip"))
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "ref.jsonl")
            with open(p, "w") as f:
                f.write('{"age": 41}\n')
            self.vigil.upload_baseline(p, model="m", version="v1")
            self.assertEqual(self.server.requests[-1][2]["Content-Type"], "application/x-ndjson")
            with self.assertRaisesRegex(ValueError, "is not .csv"):
                self.vigil.upload_baseline(os.path.join(d, "ref.parquet"), model="m", version="v1")


if __name__ == "__main__":
    unittest.main()
