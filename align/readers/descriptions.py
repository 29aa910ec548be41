"""Witness descriptions: the title, publisher, date and address of each witness.

A user gives them on the command line (in witness order) or in a small file,
one row or object per witness, matched to a witness by its sigil or its file's
name (``file``; the folders above it do not count)::

    file,sigil,title,publisher,date,url
    000_a4ada30fd18f0cb7.txt,sputnik,Interview with Stanislav Zas,Sputnik,2022-01-06,https://...

or JSON: a list of such objects, or an object mapping sigil or file name to one.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import replace
from typing import Any, Mapping, Optional, Sequence, Union

from ..clean import remove_controls, remove_noncharacters
from ..errors import DescriptionError
from ..model import Description, Witness
from .base import load_json, read_small_text

FIELDS = ("title", "publisher", "date", "url")
KEYS = ("sigil", "file")
MAX_BYTES = 1 << 20


def description(row: Mapping[str, Any], source: str = "witness descriptions") -> Description:
    """A :class:`Description` from a mapping with some of :data:`FIELDS`."""
    if not isinstance(row, Mapping):
        raise DescriptionError(f"{source}: a description must be a mapping of {', '.join(FIELDS)}, "
                               f"not {type(row).__name__}")
    unknown = set(row) - set(FIELDS) - set(KEYS)
    if unknown:
        raise DescriptionError(f"{source}: unknown field(s) {', '.join(sorted(unknown))} "
                               f"(known: {', '.join(KEYS + FIELDS)})")
    values = {}
    for key in FIELDS:
        value = row.get(key) or ""
        if not isinstance(value, str):
            raise DescriptionError(f"{source}: {key} must be text, not {type(value).__name__}")
        if any("\ud800" <= ch <= "\udfff" for ch in value):
            raise DescriptionError(f"{source}: {key} holds a lone surrogate, which is not a character")
        value = remove_noncharacters(remove_controls(value)[0])[0]
        values[key] = " ".join(value.split())
    return Description(**values)


def read_descriptions(path: Union[str, "os.PathLike[str]"]) -> list[dict[str, Any]]:
    """Rows of a CSV (with a header) or JSON file of witness descriptions."""
    try:
        name = os.fsdecode(path)
    except (TypeError, ValueError) as exc:
        raise DescriptionError(f"{path!r}: not a usable file name ({exc})") from None
    text = read_small_text(name, MAX_BYTES, DescriptionError, "a file of witness descriptions")
    if name.lower().endswith(".json") or text.lstrip()[:1] in ("[", "{"):
        loaded = load_json(text, DescriptionError, name, "usable as witness descriptions")
        if isinstance(loaded, dict):
            loaded = [{"sigil": k, **v} if isinstance(v, dict) else v for k, v in loaded.items()]
        if not isinstance(loaded, list) or not all(isinstance(r, dict) for r in loaded):
            raise DescriptionError(f"{name}: expected a list of objects, or an object of objects")
        return loaded
    try:
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    except csv.Error as exc:  # a cell beyond the csv module's field limit, a NUL
        raise DescriptionError(f"{name}: not readable as CSV ({exc})") from None
    if not rows:
        raise DescriptionError(f"{name}: no rows (a header line, then one row per witness)")
    if not (set(KEYS) & set(rows[0])):
        raise DescriptionError(f"{name}: the header needs a 'sigil' or 'file' column to name the witnesses")
    return [{k.strip(): v for k, v in row.items() if k is not None and v} for row in rows]


def describe(witnesses: Sequence[Witness], rows: Sequence[Mapping[str, Any]], source: str = "witness descriptions") -> list[Witness]:
    """The witnesses with the descriptions of the rows that name them (by sigil
    or file name); a row that names no witness is an error (a typo would
    otherwise go unnoticed)."""
    out = list(witnesses)
    for row in rows:
        key_sigil, key_file = row.get("sigil"), row.get("file")
        if not key_sigil and not key_file:
            raise DescriptionError(f"{source}: a description without 'sigil' or 'file'")
        found = [k for k, w in enumerate(out)
                 if (key_sigil and w.sigil == key_sigil)
                 or (key_file and w.file_name == os.path.basename(str(key_file)))]
        if not found:
            raise DescriptionError(f"{source}: {key_sigil or key_file!r} names no witness "
                                   f"(witnesses: {', '.join(w.sigil for w in out)})")
        for k in found:
            out[k] = replace(out[k], description=description(row, source))
    return out


def in_order(witnesses: Sequence[Witness], descriptions: Sequence[Optional[Union[Description, Mapping[str, Any]]]]) -> list[Witness]:
    """The witnesses with descriptions given in witness order (None: none)."""
    if len(descriptions) > len(witnesses):
        raise DescriptionError(f"{len(descriptions)} descriptions given for {len(witnesses)} witnesses")
    out = list(witnesses)
    for k, d in enumerate(descriptions):
        if d is None:
            continue
        out[k] = replace(out[k], description=d if isinstance(d, Description) else description(d))
    return out
