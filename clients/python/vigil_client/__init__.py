"""Send prediction telemetry to Vigil from Python (standard library only, 3.9+).

    from vigil_client import Vigil
    with Vigil("http://127.0.0.1:8787", api_key) as vigil:
        vigil.log(model="credit-risk", version="v1", prediction_id="p1",
                  features={"age": 41}, prediction=1, score=0.82)

See README.md for batching, retries, the queue's overflow policy and pandas helpers.
"""
from .backoff import backoff_delay, parse_retry_after
from .client import Vigil, VigilStats
from .errors import VigilError

__all__ = ["Vigil", "VigilError", "VigilStats", "backoff_delay", "parse_retry_after"]
__version__ = "0.1.0"
