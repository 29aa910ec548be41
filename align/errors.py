"""Exceptions raised by align.

Every problem a user can cause (a missing file, an empty or binary witness, bad
XML) is an :class:`AlignError`, so that the CLI can turn it into one line on
stderr and library users can catch one base class.
"""

from __future__ import annotations

import os


def one_line(text: object) -> str:
    """A text as it stands in a one-line message (whitespace collapsed)."""
    return " ".join(str(text).split())


def shown(name: object) -> str:
    """A file name as it stands in a one-line message (control characters escaped)."""
    text = os.fsdecode(name) if isinstance(name, (bytes, os.PathLike)) else str(name)
    if any(not ch.isprintable() for ch in text):
        text = repr(text)[1:-1]
    return text


class AlignError(Exception):
    """Base class of every error align raises on purpose."""


class InputError(AlignError):
    """A witness could not be read (missing, unreadable, empty, binary...)."""


class WitnessNotFoundError(InputError):
    """The named file does not exist."""


class EmptyWitnessError(InputError):
    """The witness has no text to collate."""


class BinaryInputError(InputError):
    """The input looks like binary data, not text."""


class EncodingError(InputError):
    """The input is not in an encoding align reads (UTF-8, UTF-8 with BOM, UTF-16 with BOM)."""


class MalformedInputError(InputError):
    """Structured input (XML, HTML, JSON) could not be parsed safely."""


class CollationError(AlignError):
    """The witnesses cannot be collated (too few, or they share nothing)."""


class TooFewWitnessesError(CollationError):
    """A collation needs at least two witnesses."""


class DuplicateSigilError(CollationError):
    """Two witnesses were given the same sigil."""


class InvalidSigilError(CollationError):
    """A sigil is not a valid XML name (it must be usable as ``xml:id``)."""


class UnknownWitnessError(CollationError, KeyError):
    """A sigil names no witness of the collation (``--base``, a lookup such as
    ``Collation.witness``; also a KeyError, as lookups raise)."""

    def __str__(self) -> str:  # a message, not KeyError's quoted key
        return str(self.args[0]) if self.args else ""


class UnrelatedWitnessError(CollationError):
    """A witness shares nothing with the others."""

    def __init__(self, sigil: str, similarity: float) -> None:
        self.sigil = sigil
        self.similarity = similarity
        super().__init__(
            f"witness {sigil!r} shares nothing with the others "
            f"(best sentence similarity {similarity:.2f})"
        )


class TEIReadError(AlignError):
    """A TEI file is not a collation align can read back."""


class UnrelatedWitnessWarning(UserWarning):
    """A witness shares almost nothing with the others; it was kept unpaired."""


class LanguageWarning(UserWarning):
    """A witness's detected language makes the collation one of several languages."""


class BatchError(AlignError):
    """A batch cannot run (``align batch``): no sets found, Dask missing or unreachable."""


class ManifestError(BatchError):
    """A batch's input is malformed: a missing file, an unknown column or key, a line
    that is not JSON, a duplicate or unusable set id."""


class DescriptionError(InputError):
    """A file of witness descriptions (CSV or JSON) cannot be read or names no witness."""


class SettingsError(AlignError):
    """A setting or argument has a value align cannot use (a threshold outside
    [0, 1], not a number, an unknown scorer, a string where a list is meant)."""


class TooManyWitnessesError(CollationError):
    """More witnesses than align collates at once (``align.api.MAX_WITNESSES``)."""


class OutputError(AlignError):
    """The output cannot be written (the CLI exits with status 73): see the subclasses."""


class OutputRefusedError(OutputError):
    """The output path names something align must not replace: a directory, a device,
    a named pipe or socket (or a symbolic link to one), or one of the inputs. Refused
    before anything is written."""


class OutputWriteError(OutputError):
    """The system refused the write: a missing or unwritable folder, a file name too
    long, a full disk, standard output closed or full."""


class InputTooLargeError(InputError):
    """An input is over align's size limits: one witness over
    ``align.readers.base.MAX_WITNESS_BYTES``, or all witnesses of a collation together
    over ``MAX_TOTAL_BYTES``. Refused while reading: never more than the limit is read."""


class NotAFileError(InputError):
    """An input path names a directory, a device (``/dev/zero``), a named pipe (FIFO) or
    a socket, or a symbolic link to one: align reads regular files and stdin (``-``) only."""


class GoldError(InputError):
    """A gold alignment file (``align evaluate``) cannot be read or is not one: not
    a regular file, too large, not JSON, or links that are not lists of sentence
    texts (see :mod:`align.evaluate`)."""
