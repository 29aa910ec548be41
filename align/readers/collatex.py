"""CollateX JSON input: ``{"witnesses": [{"id": "A", "content": "..."}, ...]}``,
or an alignment table CollateX (or ``align --format json``) wrote.

Each witness becomes one text, its ``id`` the suggested sigil (made a valid
``xml:id``: ``"1"`` becomes ``w1``). Pre-tokenised witnesses (``"tokens":
[{"t": "The "}, {"t": "cat"}]``) are joined back into text: CollateX tokens
carry their trailing whitespace, and a space is added only where neither
neighbour has one.

An alignment table (``{"witnesses": ["A", "B"], "table": [...]}``) gives each
witness's text back from its tokens, in either layout: a row per witness
(CollateX's Python port, ``align``) or a column per aligned place (CollateX's
Java tools; tokens may be plain strings there). Only the texts are taken: they
are collated anew.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import EmptyWitnessError, MalformedInputError
from .base import RawText, Reader, check_text, decode

_SNIFF = re.compile(r'^\{\s*"witnesses"\s*:')


def _join_tokens(tokens: list[Any], where: str) -> str:
    parts: list[str] = []
    for j, token in enumerate(tokens):
        if not isinstance(token, dict) or not isinstance(token.get("t"), str):
            raise MalformedInputError(f'{where}: token {j + 1} is not an object with a string "t"')
        t = token["t"]
        if parts and t and not parts[-1][-1:].isspace() and not t[:1].isspace():
            parts.append(" ")
        if t:
            parts.append(t)
    return "".join(parts)


class CollateXJSONReader(Reader):
    name = "collatex-json"
    extensions = (".json",)

    def sniff(self, head: str) -> bool:
        return bool(_SNIFF.match(head))

    def parse(self, data: bytes, source: str) -> list[RawText]:
        text = decode(data, source)
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MalformedInputError(f"{source}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
        except (ValueError, RecursionError) as exc:
            raise MalformedInputError(f"{source}: not valid JSON ({type(exc).__name__})") from None
        shape = f'{source}: not CollateX JSON; expected {{"witnesses": [{{"id": ..., "content": ...}}, ...]}}'
        if not isinstance(doc, dict) or not isinstance(doc.get("witnesses"), list):
            raise MalformedInputError(shape)
        if not doc["witnesses"]:
            raise EmptyWitnessError(f'{source}: "witnesses" is empty')
        if isinstance(doc.get("table"), list) and all(isinstance(w, str) for w in doc["witnesses"]):
            return _table_witnesses(doc, source)
        out: list[RawText] = []
        seen: set[str] = set()
        for i, wit in enumerate(doc["witnesses"]):
            if not isinstance(wit, dict):
                raise MalformedInputError(f"{shape} (witness {i + 1} is not an object)")
            wid = wit.get("id")
            if isinstance(wid, bool) or (wid is not None and not isinstance(wid, (str, int))):
                raise MalformedInputError(f'{source}: witness {i + 1} has an "id" that is not a string')
            sigil = str(wid).strip() if wid is not None and str(wid).strip() else None
            where = f"{source} (witness {sigil or i + 1})"
            if sigil is not None:
                if sigil in seen:
                    raise MalformedInputError(f"{source}: two witnesses have the id {sigil!r}")
                seen.add(sigil)
            if isinstance(wit.get("content"), str):
                content = wit["content"]
            elif isinstance(wit.get("tokens"), list):
                content = _join_tokens(wit["tokens"], where)
            else:
                raise MalformedInputError(f'{where}: has neither a string "content" nor a "tokens" list')
            if not content.strip():
                raise EmptyWitnessError(f"{where}: the witness is empty")
            check_text(content, where)
            out.append(RawText(content, sigil))
        return out


def _table_witnesses(doc: dict[str, Any], source: str) -> list[RawText]:
    sigla, table = doc["witnesses"], doc["table"]
    if len(set(sigla)) != len(sigla):
        raise MalformedInputError(f"{source}: two witnesses of the alignment table have the same name")
    if not all(isinstance(row, list) for row in table):
        raise MalformedInputError(f'{source}: "table" is not a list of lists')
    # A row per witness, unless the cells say otherwise (a column per place: Java CollateX).
    by_witness = len(table) == len(sigla) and not _is_column(table, sigla)
    rows = table if by_witness else [[column[i] if i < len(column) else None for column in table]
                                     for i in range(len(sigla))]
    own = isinstance(doc.get("align"), dict)  # written by align (see align.writers.collatex)
    out = []
    for sigil, row in zip(sigla, rows):
        where = f"{source} (witness {sigil})"
        tokens: list[Any] = []
        for cell in row:
            if cell is None:
                continue
            if not isinstance(cell, list):
                raise MalformedInputError(f"{where}: a cell of the table is neither null nor a list of tokens")
            tokens.extend({"t": t} if isinstance(t, str) else t for t in cell)
        content = _join_tokens(tokens, where)
        if own or any(t.get("t", "")[-1:].isspace() for t in tokens if isinstance(t, dict)):
            # Tokens that carry their whitespace are the text as it was: join them as
            # they are (align's own tables always do: a witness of one word has none).
            content = "".join(t["t"] for t in tokens)
        if not content.strip():
            raise EmptyWitnessError(f"{where}: the witness is empty")
        check_text(content, where)
        out.append(RawText(content, sigil.strip() or None))
    return out


def _is_column(table: list[Any], sigla: list[str]) -> bool:
    """Whether the table's first entry is a column: its cells' tokens name different witnesses."""
    # Only a string names a witness (any JSON value may stand there).
    named = {t["_sigil"] for cell in table[0] if isinstance(cell, list)
             for t in cell if isinstance(t, dict) and isinstance(t.get("_sigil"), str)}
    return len(named) > 1
