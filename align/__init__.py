"""align: collate renderings of one text sentence by sentence and word by word into TEI.

>>> import align
>>> collation = align.collate(["a.txt", "b.txt"])          # doctest: +SKIP
>>> collation.write("out.xml")                              # doctest: +SKIP

Stages (one module each, data flowing one way): :mod:`align.readers` and
:mod:`align.clean` -> :mod:`align.segment` -> :mod:`align.sentences` ->
:mod:`align.words` -> :mod:`align.writers`.
"""

from ._version import __version__
from .api import collate, load, segment_file, witness
from .errors import (
    AlignError,
    CollationError,
    InputError,
    TEIReadError,
    UnknownWitnessError,
    UnrelatedWitnessError,
    UnrelatedWitnessWarning,
)
from .model import App, Collation, Reading, Segmentation, Sentence, Settings, Text, Transposition, Turn, Unit, Witness
from .segment import segment
from .tei import read_tei

__all__ = [
    "__version__", "collate", "load", "read_tei", "segment", "segment_file", "witness",
    "AlignError", "CollationError", "InputError", "TEIReadError", "UnknownWitnessError", "UnrelatedWitnessError",
    "UnrelatedWitnessWarning",
    "App", "Collation", "Reading", "Segmentation", "Sentence", "Settings", "Text", "Transposition", "Turn", "Unit", "Witness",
]
