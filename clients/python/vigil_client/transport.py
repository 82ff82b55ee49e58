"""Delivers one batch to one route, retrying until Vigil answers for good.

A batch keeps its body, and so its ``batch_id``, across every attempt: Vigil stores a
batch id once per 24 h, so a retry after a lost reply (the batch was stored, the 2xx
never arrived) comes back ``duplicate: true`` and counts nothing twice. Actuals carry no
batch id; a re-sent actual comes back ``already_labeled`` and does not count again.

Retried: network failures and timeouts, 408, 429 and 5xx, with full-jitter backoff and
at least the server's Retry-After. Not retried: other 4xx (the batch itself is wrong).
Bodies over 1 KiB go gzip-compressed.
"""
import gzip
import json
import math
import socket
import threading
import urllib.error
import urllib.request
from typing import Any, Callable, Dict, Optional, Tuple

from .backoff import backoff_delay, parse_retry_after
from .errors import VigilError, error_from_body, is_retryable

GZIP_FROM_BYTES = 1024
USER_AGENT = "vigil-client-python/0.1.0"


def _plain(value: Any) -> Any:
    """JSON for values json.dumps refuses: numpy arrays (an embedding feature's vector) and
    numpy and pandas scalars, timestamps; NaN is null."""
    tolist = getattr(value, "tolist", None)
    if callable(tolist) and getattr(value, "ndim", 0) > 0:
        return _scrub(tolist())
    item = getattr(value, "item", None)
    if callable(item):
        return _finite(item())
    isoformat = getattr(value, "isoformat", None)
    if callable(isoformat):
        return isoformat()
    raise TypeError("cannot send a %s to Vigil" % type(value).__name__)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _scrub(value: Any) -> Any:
    """NaN and infinities become null (JSON has no NaN); containers are walked."""
    if isinstance(value, float):
        return _finite(value)
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(v) for v in value]
    return value


def encode_body(payload: Any, use_gzip: bool) -> Tuple[bytes, Dict[str, str]]:
    """The request body and its headers, built once and re-sent as is on every retry."""
    text = json.dumps(_scrub(payload), default=_plain, allow_nan=False, separators=(",", ":")).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    if not use_gzip or len(text) < GZIP_FROM_BYTES:
        return text, headers
    headers["Content-Encoding"] = "gzip"
    return gzip.compress(text, compresslevel=5), headers


class Transport:
    def __init__(self, url: str, api_key: str, *, max_retries: int = 8, backoff_base_s: float = 0.2,
                 backoff_max_s: float = 30.0, timeout_s: float = 30.0, use_gzip: bool = True,
                 on_retry: Optional[Callable[[Dict[str, Any]], None]] = None,
                 stop: Optional[threading.Event] = None):
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.max_retries = max_retries
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self.timeout_s = timeout_s
        self.use_gzip = use_gzip
        self.on_retry = on_retry
        # Set by close(timeout=...): a pending backoff ends early and the batch fails.
        self.stop = stop or threading.Event()

    def request(self, method: str, route: str, body: bytes, headers: Dict[str, str]) -> Tuple[int, Dict[str, str], bytes]:
        """One attempt; (status, headers, body). Raises OSError-family errors on network failure."""
        req = urllib.request.Request(self.url + route, data=body, method=method)
        for name, value in headers.items():
            req.add_header(name, value)
        req.add_header("Authorization", "Bearer " + self.api_key)
        req.add_header("User-Agent", USER_AGENT)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s) as res:
                return res.status, dict(res.headers.items()), res.read()
        except urllib.error.HTTPError as err:
            with err:
                return err.code, dict(err.headers.items()) if err.headers else {}, err.read()

    def deliver(self, route: str, payload: Any) -> Dict[str, Any]:
        """POSTs ``payload`` until a 2xx (returns its JSON) or a final failure (raises VigilError)."""
        body, headers = encode_body(payload, self.use_gzip)
        return self.send(route, body, headers, method="POST")

    def send(self, route: str, body: bytes, headers: Dict[str, str], method: str = "POST",
             retry_statuses: Optional[Callable[[int], bool]] = None) -> Dict[str, Any]:
        retryable = retry_statuses or is_retryable
        attempt = 0
        while True:
            retry_after = None
            try:
                status, res_headers, raw = self.request(method, route, body, headers)
                if 200 <= status < 300:
                    return json.loads(raw.decode("utf-8"))
                failure = error_from_body(status, raw)
                if not retryable(status):
                    raise failure
                retry_after = parse_retry_after(_header(res_headers, "retry-after"))
            except VigilError:
                raise
            except (OSError, ValueError, socket.timeout, urllib.error.URLError) as err:
                # A reset, refused or timed-out connection, or a 2xx whose body never fully arrived.
                failure = VigilError(0, "network_error", "%s: %s" % (route, err))
            if attempt >= self.max_retries or self.stop.is_set():
                raise VigilError(failure.status, failure.code, "gave up after %d attempts: %s" % (attempt + 1, failure.message), failure.details)
            delay = backoff_delay(attempt, self.backoff_base_s, self.backoff_max_s, retry_after)
            if self.on_retry:
                reason = failure.message if failure.status == 0 else "%d %s" % (failure.status, failure.code)
                self.on_retry({"route": route, "attempt": attempt + 1, "delay_s": delay, "reason": reason})
            self.stop.wait(delay)
            attempt += 1


def _header(headers: Dict[str, str], name: str) -> Optional[str]:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None
