"""The client: ``log``, ``log_actual`` and ``log_outcome`` queue a record and return at once.

A background thread takes batches off the queue when ``batch_size`` records are waiting
or ``flush_interval_s`` after the first record of a quiet spell, whichever comes first.
``flush()`` sends everything queued so far and returns when each batch is stored or given
up; ``close()`` flushes and stops the thread; the client is a context manager, and an
``atexit`` hook flushes what is left when the interpreter exits.

The queue is bounded (``max_queue``). When it is full the overflow policy decides:
``"drop-oldest"`` (default) drops the oldest queued record and counts it in
``stats().dropped``, so ``log()`` never waits (the right choice in a request path);
``"block"`` makes ``log()`` wait for room (``block_timeout_s``, then ``queue.Full``),
so a batch job slows to the pace Vigil accepts. Records already handed to the sender
(in flight, retrying) are never dropped by the queue.
"""
import atexit
import collections
import datetime
import queue
import threading
import time
import uuid
import weakref
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple, Union

from .errors import VigilError
from .transport import Transport

#: Vigil's own cap on events (and actuals, outcomes) per request.
MAX_BATCH = 10000

Time = Union[datetime.datetime, str, int, float, None]

_ROUTES = {"event": "/v1/ingest", "actual": "/v1/actuals", "outcome": "/v1/outcomes"}


class VigilStats(collections.namedtuple("VigilStats", "queued in_flight delivered rejected duplicate_batches failed dropped retries")):
    """Counters since the client started.

    delivered: records in batches Vigil answered with a 2xx; rejected: records Vigil left
    out one by one (``rejected_count``); duplicate_batches: batches Vigil had already stored
    (a retry after a lost reply), counted once; failed: records in batches refused or given
    up (``on_error`` says why); dropped: records the "drop-oldest" policy dropped.
    """


def _time(t: Time) -> Any:
    if t is None:
        return None
    if isinstance(t, datetime.datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=datetime.timezone.utc)
        return t.isoformat()
    return t


def _require(value: Any, field: str, what: str) -> None:
    if not isinstance(value, str) or value == "":
        raise ValueError("%s: %s must be a non-empty string" % (what, field))


class Vigil:
    """A sender of prediction telemetry to one Vigil.

    :param url: Vigil's base URL, e.g. ``http://127.0.0.1:8787``.
    :param api_key: a key with the ``ingest`` scope (``write`` registers unknown versions on first send).
    :param batch_size: records per request (default 500, at most 10,000).
    :param flush_interval_s: a partial batch leaves this long after its first record (default 1 s).
    :param max_queue: records waiting to be sent, at most (default 100,000).
    :param overflow: ``"drop-oldest"`` (default) or ``"block"``.
    :param max_retries: retries per batch after the first attempt (default 8).
    :param concurrency: requests in flight at once, one sender thread each (default 2).
    :param on_error: ``f(error, batch_info)`` for a batch refused for good or given up.
    """

    def __init__(self, url: str, api_key: str, *, batch_size: int = 500, flush_interval_s: float = 1.0,
                 max_queue: int = 100000, overflow: str = "drop-oldest", block_timeout_s: Optional[float] = None,
                 max_retries: int = 8, backoff_base_s: float = 0.2, backoff_max_s: float = 30.0,
                 timeout_s: float = 30.0, gzip: bool = True, concurrency: int = 2,
                 on_error: Optional[Callable[[VigilError, Dict[str, Any]], None]] = None,
                 on_retry: Optional[Callable[[Dict[str, Any]], None]] = None,
                 flush_at_exit: bool = True):
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ValueError("url must be an http(s) URL: %r" % (url,))
        if not isinstance(api_key, str) or not api_key:
            raise ValueError("api_key is required")
        if not isinstance(batch_size, int) or not 1 <= batch_size <= MAX_BATCH:
            raise ValueError("batch_size must be an integer from 1 to %d: %r" % (MAX_BATCH, batch_size))
        if not isinstance(max_queue, int) or max_queue < 1:
            raise ValueError("max_queue must be an integer >= 1: %r" % (max_queue,))
        if not isinstance(concurrency, int) or not 1 <= concurrency <= 64:
            raise ValueError("concurrency must be an integer from 1 to 64: %r" % (concurrency,))
        if overflow not in ("drop-oldest", "block"):
            raise ValueError('overflow must be "drop-oldest" or "block": %r' % (overflow,))
        self.batch_size = batch_size
        self.flush_interval_s = flush_interval_s
        self.max_queue = max_queue
        self.overflow = overflow
        self.block_timeout_s = block_timeout_s
        self.on_error = on_error
        self._stop = threading.Event()
        self._user_on_retry = on_retry
        self._transport = Transport(url, api_key, max_retries=max_retries, backoff_base_s=backoff_base_s,
                                    backoff_max_s=backoff_max_s, timeout_s=timeout_s, use_gzip=gzip,
                                    on_retry=self._count_retry, stop=self._stop)
        self._items = collections.deque()  # type: Deque[Tuple[str, Tuple[str, ...], Dict[str, Any]]]
        self._cond = threading.Condition()
        self._first_at = None  # type: Optional[float]
        self._flush_waiters = 0
        self._in_flight = 0
        self._closed = False
        self._counts = {"delivered": 0, "rejected": 0, "duplicate_batches": 0, "failed": 0, "dropped": 0, "retries": 0}
        # Sender threads take batches off the queue side by side (requests in flight at once).
        self._threads = [threading.Thread(target=self._run, name="vigil-client-sender-%d" % i, daemon=True) for i in range(concurrency)]
        for thread in self._threads:
            thread.start()
        if flush_at_exit:
            ref = weakref.ref(self)

            def _at_exit() -> None:
                client = ref()
                if client is not None and not client._closed:
                    client.close(timeout_s=10.0)

            atexit.register(_at_exit)

    # -- records ------------------------------------------------------------------------------

    def log(self, *, model: str, version: str, prediction_id: str, features: Dict[str, Any], prediction: Any,
            score: Any = None, timestamp: Time = None, latency_ms: Optional[float] = None,
            segment: Optional[Dict[str, Any]] = None, subject_id: Optional[str] = None) -> None:
        """Queues one prediction; ``timestamp`` is when it was made (receipt time when None)."""
        _require(model, "model", "log")
        _require(version, "version", "log")
        _require(prediction_id, "prediction_id", "log")
        if not isinstance(features, dict):
            raise ValueError("log: features must be a dict")
        record = {"prediction_id": prediction_id, "features": features, "prediction": prediction}
        if score is not None:
            record["score"] = score
        if timestamp is not None:
            record["timestamp"] = _time(timestamp)
        if latency_ms is not None:
            record["latency_ms"] = latency_ms
        if segment is not None:
            record["segment"] = segment
        if subject_id is not None:
            record["subject_id"] = subject_id
        self._push("event", (model, version), record)

    def log_actual(self, *, model: str, version: str, prediction_id: str, actual: Any,
                   timestamp: Time = None, subject_id: Optional[str] = None) -> None:
        """Queues the ground truth of an earlier prediction."""
        _require(model, "model", "log_actual")
        _require(version, "version", "log_actual")
        _require(prediction_id, "prediction_id", "log_actual")
        record = {"prediction_id": prediction_id, "actual": actual}
        if timestamp is not None:
            record["timestamp"] = _time(timestamp)
        if subject_id is not None:
            record["subject_id"] = subject_id
        self._push("actual", (model, version), record)

    def log_outcome(self, *, model: str, kpi: str, value: float, prediction_id: Optional[str] = None,
                    timestamp: Time = None, subject_id: Optional[str] = None, version: Optional[str] = None,
                    segment: Optional[Dict[str, str]] = None) -> None:
        """Queues a business outcome (a KPI value), optionally tied to a prediction.

        Without ``version`` Vigil joins the outcome to the version holding ``prediction_id``
        (else attributes it by time); ``segment`` is e.g. ``{"region": "north"}``.
        """
        _require(model, "model", "log_outcome")
        _require(kpi, "kpi", "log_outcome")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (float("inf"), float("-inf")):
            raise ValueError("log_outcome: value must be a finite number")
        record = {"kpi": kpi, "value": value}  # type: Dict[str, Any]
        if prediction_id is not None:
            record["prediction_id"] = prediction_id
        if timestamp is not None:
            record["timestamp"] = _time(timestamp)
        if subject_id is not None:
            record["subject_id"] = subject_id
        if segment is not None:
            record["segment"] = segment
        if version is not None:
            _require(version, "version", "log_outcome")
        self._push("outcome", (model, version or ""), record)

    def log_dataframe(self, df: Any, *, model: str, version: str, prediction_col: str, id_col: str, **options: Any) -> int:
        """Queues one event per row of a pandas DataFrame; see vigil_client.dataframe.log_dataframe."""
        from .dataframe import log_dataframe
        return log_dataframe(self, df, model=model, version=version, prediction_col=prediction_col, id_col=id_col, **options)

    def upload_baseline(self, df_or_path: Any, *, model: str, version: str, name: Optional[str] = None,
                        note: Optional[str] = None) -> Dict[str, Any]:
        """Uploads a reference dataset (DataFrame or CSV / JSON Lines / JSON file); see vigil_client.dataframe."""
        from .dataframe import upload_baseline
        return upload_baseline(self._transport, df_or_path, model=model, version=version, name=name, note=note)

    # -- lifecycle ----------------------------------------------------------------------------

    def flush(self, timeout_s: Optional[float] = None) -> bool:
        """Sends everything queued; returns once every batch is stored or given up (False on timeout)."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        with self._cond:
            self._flush_waiters += 1
            self._cond.notify_all()
            try:
                while self._items or self._in_flight:
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        return False
                    self._cond.wait(remaining)
                return True
            finally:
                self._flush_waiters -= 1

    def close(self, timeout_s: Optional[float] = None) -> None:
        """Flushes and stops. After ``timeout_s`` batches still retrying give up and count as failed."""
        if self._closed:
            return
        self._closed = True
        if not self.flush(timeout_s):
            self._stop.set()
            self.flush(5.0)
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        for thread in self._threads:
            thread.join(timeout=5.0)

    def __enter__(self) -> "Vigil":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def stats(self) -> VigilStats:
        with self._cond:
            return VigilStats(queued=len(self._items), in_flight=self._in_flight, **self._counts)

    # -- internals ----------------------------------------------------------------------------

    def _count_retry(self, info: Dict[str, Any]) -> None:
        with self._cond:
            self._counts["retries"] += 1
        if self._user_on_retry:
            self._user_on_retry(info)

    def _push(self, kind: str, key: Tuple[str, ...], record: Dict[str, Any]) -> None:
        if self._closed:
            raise RuntimeError("Vigil client is closed")
        with self._cond:
            if len(self._items) >= self.max_queue:
                if self.overflow == "drop-oldest":
                    self._items.popleft()
                    self._counts["dropped"] += 1
                else:
                    deadline = None if self.block_timeout_s is None else time.monotonic() + self.block_timeout_s
                    while len(self._items) >= self.max_queue:
                        remaining = None if deadline is None else deadline - time.monotonic()
                        if remaining is not None and remaining <= 0:
                            raise queue.Full("Vigil client queue is full (%d records)" % self.max_queue)
                        self._cond.wait(remaining)
            first = not self._items
            if first:
                self._first_at = time.monotonic()
            self._items.append((kind, key, record))
            # The sender sleeps without a deadline on an empty queue: wake it to arm the interval.
            if first or len(self._items) >= self.batch_size:
                self._cond.notify_all()

    def _take(self) -> List[Tuple[str, Tuple[str, ...], Dict[str, Any]]]:
        """Up to batch_size records of the first record's kind and key; the others keep their order."""
        first_kind, first_key, _ = self._items[0]
        taken, kept = [], []
        while self._items and len(taken) < self.batch_size:
            item = self._items.popleft()
            (taken if item[0] == first_kind and item[1] == first_key else kept).append(item)
        self._items.extendleft(reversed(kept))
        self._first_at = time.monotonic() if self._items else None
        self._cond.notify_all()  # blocked producers
        return taken

    def _run(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._stop.is_set() and not self._items:
                        return
                    if self._items and (len(self._items) >= self.batch_size or self._flush_waiters or self._stop.is_set()
                                        or time.monotonic() - (self._first_at or 0) >= self.flush_interval_s):
                        break
                    wait = None if not self._items else max(0.0, self.flush_interval_s - (time.monotonic() - (self._first_at or 0)))
                    self._cond.wait(wait)
                batch = self._take()
                self._in_flight += len(batch)
            try:
                self._send(batch)
            finally:
                with self._cond:
                    self._in_flight -= len(batch)
                    self._cond.notify_all()

    def _send(self, batch: List[Tuple[str, Tuple[str, ...], Dict[str, Any]]]) -> None:
        kind, key, _ = batch[0]
        records = [r for _, _, r in batch]
        info = {"kind": kind, "model": key[0], "records": len(records)}  # type: Dict[str, Any]
        if kind == "outcome":
            info["batch_id"] = str(uuid.uuid4())
            payload = {"model": key[0], "batch_id": info["batch_id"], "outcomes": records}  # type: Dict[str, Any]
            if key[1]:
                info["version"] = payload["version"] = key[1]
        elif kind == "event":
            info["version"] = key[1]
            info["batch_id"] = str(uuid.uuid4())
            payload = {"model": key[0], "version": key[1], "batch_id": info["batch_id"], "events": records}
        else:
            info["version"] = key[1]
            payload = {"model": key[0], "version": key[1], "actuals": records}
        try:
            reply = self._transport.deliver(_ROUTES[kind], payload)
        except Exception as err:  # noqa: BLE001 - the sender thread must survive anything
            failure = err if isinstance(err, VigilError) else VigilError(0, "client_error", repr(err))
            with self._cond:
                self._counts["failed"] += len(records)
            if self.on_error:
                try:
                    self.on_error(failure, info)
                except Exception:  # noqa: BLE001
                    pass
            return
        with self._cond:
            self._counts["delivered"] += len(records)
            self._counts["rejected"] += int(reply.get("rejected_count") or 0)
            if reply.get("duplicate"):
                self._counts["duplicate_batches"] += 1
