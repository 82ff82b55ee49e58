"""How long to wait before retrying a batch.

Exponential backoff with "full jitter" (AWS Architecture Blog, "Exponential Backoff
And Jitter", 2015): the wait is drawn uniformly from [0, min(cap, base * 2**attempt)],
which spreads a fleet of senders that failed together. A server's Retry-After is a
floor: we never come back earlier than it asked, whatever the jitter drew.
"""
import random
import re
import time
from email.utils import parsedate_to_datetime
from typing import Callable, Optional

#: Longest Retry-After honoured (seconds): a proxy asking for a day is capped at 5 minutes.
MAX_RETRY_AFTER_S = 300.0


def backoff_delay(attempt: int, base_s: float, max_s: float, retry_after_s: Optional[float],
                  rand: Callable[[], float] = random.random) -> float:
    """The wait before retry number ``attempt`` (0 for the first retry), in seconds."""
    ceiling = min(max_s, base_s * (2 ** min(attempt, 30)))
    jittered = rand() * ceiling
    if retry_after_s is None:
        return jittered
    return max(jittered, min(retry_after_s, MAX_RETRY_AFTER_S))


def parse_retry_after(header: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """A Retry-After header in seconds: delay-seconds or an HTTP-date (RFC 9110 10.2.3).

    None when absent or unreadable; a date in the past means 0.
    """
    if header is None:
        return None
    text = header.strip()
    if re.fullmatch(r"\d+", text):
        return float(text)
    if not re.match(r"[A-Za-z]{3}, ", text):
        return None
    try:
        at = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, at - (time.time() if now is None else now))
