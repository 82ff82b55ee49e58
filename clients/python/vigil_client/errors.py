"""What a sender learns when Vigil refuses a batch.

Vigil answers every error with one body, ``{"error": {"code", "message", "details"?}}``.
"""
import json
from typing import Any, Optional


class VigilError(Exception):
    """A batch Vigil refused for good (a 4xx other than 408 and 429), or gave up on after the last retry.

    ``status`` is the HTTP status, 0 when no response came (network failure, timeout);
    ``code`` is the error body's code (``validation_failed``, ``schema_mismatch``, ...) or
    ``network_error``.
    """

    def __init__(self, status: int, code: str, message: str, details: Any = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details

    def __repr__(self) -> str:
        return "VigilError(status=%d, code=%r, message=%r)" % (self.status, self.code, self.message)


def error_from_body(status: int, raw: Optional[bytes]) -> VigilError:
    text = (raw or b"").decode("utf-8", "replace")
    try:
        body = json.loads(text)
        err = body.get("error") if isinstance(body, dict) else None
        if isinstance(err, dict) and isinstance(err.get("code"), str) and isinstance(err.get("message"), str):
            return VigilError(status, err["code"], err["message"], err.get("details"))
    except ValueError:
        pass
    return VigilError(status, "http_%d" % status, text[:500])


def is_retryable(status: int) -> bool:
    """Statuses worth retrying: the server may answer differently later."""
    return status in (408, 429) or status >= 500
