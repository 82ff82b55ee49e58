# STUB written for Vigil's benchmark (scripts/bench/drift-batch/evidently/README.md): not
# Evidently code. It stands in for a module the stat tests import but do not compute with.


# The Evidently package's own legacy/calculations/__init__.py is empty too.
