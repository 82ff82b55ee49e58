# STUB written for Vigil's benchmark (scripts/bench/drift-batch/evidently/README.md): not
# Evidently code. It stands in for a module the stat tests import but do not compute with.


class Engine:
    """Only used as a dictionary key and type parameter by the registry."""
