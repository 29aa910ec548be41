"""The writer family's base: a collation in, bytes out, written atomically."""

from __future__ import annotations

import os
import sys
import tempfile
from typing import ClassVar, Sequence

from ..errors import AlignError
from ..model import App, Collation, Transposition, Unit
from ..words import unit_type


def write_atomically(data: bytes, path: str) -> None:
    """Write to a temporary file beside ``path`` and rename it into place, so that a
    failure never leaves a partial file (``-`` writes to stdout)."""
    if path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise AlignError(f"{path}: the folder {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=".align-", suffix=".tmp", dir=directory)
    try:
        # mkstemp makes the file private (0600); an output is an ordinary file.
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Writer:
    """A pluggable output format: subclasses set ``name``/``extension`` and implement :meth:`dumps`."""

    name: ClassVar[str] = ""
    extension: ClassVar[str] = ""

    def dumps(self, collation: Collation) -> bytes:
        raise NotImplementedError

    def write(self, collation: Collation, path: str) -> None:
        # Serialise fully before touching the file system.
        write_atomically(self.dumps(collation), path)


def variant_types(unit: Unit, transpositions: Sequence[Transposition]) -> list[str]:
    """The kinds of variation in a unit, first seen first: a unit some witness
    lacks is itself one place (a gap, or a transposition), then its own places."""
    kinds = [unit_type(unit, transpositions)] if unit.absent() else []
    kinds += [p.type for p in unit.pieces if isinstance(p, App)]
    return list(dict.fromkeys(kinds))


def said_elsewhere(collation: Collation, unit: Unit) -> dict[str, list[int]]:
    """The witnesses absent from a unit that say its text at other units (by a
    transposition), with those units' numbers."""
    absent = unit.absent()
    places: dict[str, set[int]] = {}
    for t in collation.transpositions:
        if not any(set(idx) & set(t.sentences.get(s, ())) for s, idx in unit.sentences.items()):
            continue
        for other, other_idx in t.sentences.items():
            if other in absent:
                places.setdefault(other, set()).update(collation.unit_of(other, i).n for i in other_idx)
    return {s: sorted(places[s]) for s in absent if places.get(s)}
