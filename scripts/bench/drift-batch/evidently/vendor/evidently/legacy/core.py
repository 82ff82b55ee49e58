# STUB written for Vigil's benchmark (scripts/bench/drift-batch/evidently/README.md): not
# Evidently code. It stands in for a module the stat tests import but do not compute with.

from enum import Enum


class ColumnType(Enum):
    # The same members and values as evidently/legacy/core.py at the vendored commit; the
    # real module also holds pydantic helpers that need packages not installed here.
    Numerical = "num"
    Categorical = "cat"
    Text = "text"
    Datetime = "datetime"
    Date = "data"
    Id = "id"
    Unknown = "unknown"
    List = "list"
