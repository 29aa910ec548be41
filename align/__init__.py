"""align: collate renderings of one text sentence by sentence and word by word into TEI.

>>> import align
>>> collation = align.collate(["a.txt", "b.txt"])          # doctest: +SKIP
>>> align.write(collation, "out.xml")                      # doctest: +SKIP

Stages (one module each, data flowing one way): :mod:`align.readers` and
:mod:`align.clean` -> :mod:`align.segment` -> :mod:`align.sentences` ->
:mod:`align.words` -> :mod:`align.writers`.
"""

import importlib as _importlib
from typing import Any as _Any

from ._version import __version__
from .errors import (
    AlignError,
    CollationError,
    InputError,
    TEIReadError,
    UnknownWitnessError,
    UnrelatedWitnessError,
    UnrelatedWitnessWarning,
    LanguageWarning,
)
from .model import App, Collation, Reading, Segmentation, Sentence, Settings, Text, Transposition, Turn, Unit, Witness
# Eager, and after the submodule's import: ``align.segment`` is the function.
from .segment import segment

# The rest is imported on first use, so that ``import align`` (and ``align
# --help``) does not pay for numpy, rapidfuzz, lxml and the collation stages
# (nor nltk, which align.segment imports only when it first segments).
_LAZY = {"collate": "api", "load": "api", "segment_file": "api", "witness": "api", "read_tei": "tei",
         "to_tei": "writers", "write": "writers"}
_SUBMODULES = frozenset(
    "api batch clean cli errors evaluate lang markup model readers scorers sentences stats tei words writers".split()
)


def __getattr__(name: str) -> _Any:
    if name in _LAZY:
        value = getattr(_importlib.import_module(f".{_LAZY[name]}", __name__), name)
    elif name in _SUBMODULES:
        value = _importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | _SUBMODULES)


__all__ = [
    "__version__", "collate", "load", "read_tei", "segment", "segment_file", "to_tei", "witness", "write",
    "AlignError", "CollationError", "InputError", "TEIReadError", "UnknownWitnessError", "UnrelatedWitnessError",
    "UnrelatedWitnessWarning", "LanguageWarning",
    "App", "Collation", "Reading", "Segmentation", "Sentence", "Settings", "Text", "Transposition", "Turn", "Unit", "Witness",
]
