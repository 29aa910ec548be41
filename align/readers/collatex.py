"""CollateX JSON input: ``{"witnesses": [{"id": "A", "content": "..."}, ...]}``.

Each witness becomes one text, its ``id`` the suggested sigil (made a valid
``xml:id``: ``"1"`` becomes ``w1``). Pre-tokenised witnesses (``"tokens":
[{"t": "The "}, {"t": "cat"}]``) are joined back into text: CollateX tokens
carry their trailing whitespace, and a space is added only where neither
neighbour has one.
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
