# STUB written for Vigil's benchmark (scripts/bench/drift-batch/evidently/README.md): not
# Evidently code. It stands in for a module the stat tests import but do not compute with.


def calculate_text_drift_score(*args, **kwargs):
    """Text drift (needs scikit-learn); the benchmark has no text columns."""
    raise NotImplementedError("text drift is not part of the benchmark")
