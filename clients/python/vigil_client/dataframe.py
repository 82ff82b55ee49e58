"""pandas helpers: one event per DataFrame row, and reference datasets as baselines.

pandas is imported only inside these functions (``pip install vigil-client[pandas]``);
the rest of the client never needs it.
"""
import gzip
import os
import urllib.parse
from typing import Any, Dict, Iterable, Optional

from .transport import Transport


def _require_pandas() -> Any:
    try:
        import pandas
    except ImportError as err:  # pragma: no cover - exercised where pandas is absent
        raise ImportError("log_dataframe and upload_baseline(DataFrame) need pandas: pip install vigil-client[pandas]") from err
    return pandas


def _missing(value: Any) -> bool:
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        return False


def log_dataframe(vigil: Any, df: Any, *, model: str, version: str, prediction_col: str, id_col: str,
                  score_col: Optional[str] = None, timestamp_col: Optional[str] = None,
                  subject_col: Optional[str] = None, feature_cols: Optional[Iterable[str]] = None) -> int:
    """Queues one event per row: ``id_col`` is the prediction id, ``prediction_col`` the
    prediction, ``score_col``/``timestamp_col``/``subject_col`` optional; every other column
    (or ``feature_cols``) is a feature. Missing values (NaN, None, NaT) are sent as null.
    Returns the number of rows queued.
    """
    pandas = _require_pandas()
    if not isinstance(df, pandas.DataFrame):
        raise TypeError("log_dataframe: df must be a pandas DataFrame, got %s" % type(df).__name__)
    special = [c for c in (id_col, prediction_col, score_col, timestamp_col, subject_col) if c is not None]
    for column in special:
        if column not in df.columns:
            raise KeyError("log_dataframe: column %r is not in the DataFrame (columns: %s)" % (column, ", ".join(map(str, df.columns))))
    features = list(feature_cols) if feature_cols is not None else [c for c in df.columns if c not in special]
    unknown = [c for c in features if c not in df.columns]
    if unknown:
        raise KeyError("log_dataframe: feature columns not in the DataFrame: %s" % ", ".join(map(str, unknown)))
    rows = 0
    for row in df.itertuples(index=False, name=None):
        values = dict(zip(df.columns, row))
        pid = values[id_col]
        event = {
            "model": model,
            "version": version,
            "prediction_id": str(pid.item() if hasattr(pid, "item") else pid),
            "features": {str(c): (None if _missing(values[c]) else values[c]) for c in features},
            "prediction": values[prediction_col],
        }  # type: Dict[str, Any]
        if score_col is not None and not _missing(values[score_col]):
            event["score"] = values[score_col]
        if timestamp_col is not None and not _missing(values[timestamp_col]):
            ts = values[timestamp_col]
            event["timestamp"] = ts.isoformat() if hasattr(ts, "isoformat") else ts
        if subject_col is not None and not _missing(values[subject_col]):
            event["subject_id"] = str(values[subject_col])
        vigil.log(**event)
        rows += 1
    return rows


_TYPES = {".csv": "text/csv", ".jsonl": "application/x-ndjson", ".ndjson": "application/x-ndjson", ".json": "application/json"}

# A baseline upload creates a baseline record each time it is stored, so only statuses
# that mean "not processed" are retried: 429 and a gateway's 502/503/504.
def _retry_baseline(status: int) -> bool:
    return status in (429, 502, 503, 504)


def upload_baseline(transport: Transport, df_or_path: Any, *, model: str, version: str,
                    name: Optional[str] = None, note: Optional[str] = None) -> Dict[str, Any]:
    """PUTs a reference dataset as the version's baseline and returns Vigil's reply.

    A DataFrame goes up as gzip CSV; a path by its extension (``.csv``, ``.jsonl``/``.ndjson``,
    ``.json``, each optionally ``.gz``). Raises VigilError when Vigil refuses it.
    """
    if isinstance(df_or_path, (str, os.PathLike)):
        path = os.fspath(df_or_path)
        stem, ext = os.path.splitext(path)
        compressed = ext == ".gz"
        if compressed:
            ext = os.path.splitext(stem)[1]
        if ext.lower() not in _TYPES:
            raise ValueError("upload_baseline: %s is not .csv, .jsonl, .ndjson or .json (optionally .gz)" % path)
        with open(path, "rb") as f:
            body = f.read()
        headers = {"Content-Type": _TYPES[ext.lower()]}
        if compressed:
            headers["Content-Encoding"] = "gzip"
    else:
        pandas = _require_pandas()
        if not isinstance(df_or_path, pandas.DataFrame):
            raise TypeError("upload_baseline: pass a pandas DataFrame or a file path, got %s" % type(df_or_path).__name__)
        body = gzip.compress(df_or_path.to_csv(index=False).encode("utf-8"), compresslevel=5)
        headers = {"Content-Type": "text/csv", "Content-Encoding": "gzip"}
    query = {k: v for k, v in (("name", name), ("note", note)) if v is not None}
    route = "/v1/models/%s/versions/%s/baseline" % (urllib.parse.quote(model, safe=""), urllib.parse.quote(version, safe=""))
    if query:
        route += "?" + urllib.parse.urlencode(query)
    return transport.send(route, body, headers, method="PUT", retry_statuses=_retry_baseline)
