# STUB written for Vigil's benchmark (scripts/bench/drift-batch/evidently/README.md): not
# Evidently code. It stands in for a module the stat tests import but do not compute with.

from evidently.legacy.calculation_engine.engine import Engine


class PythonEngine(Engine):
    """The registry keys the pandas implementations of each test by this class."""
