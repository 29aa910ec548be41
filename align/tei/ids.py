"""The ids align gives in a TEI file beside the witnesses' sigla, and the sigla
that would take one of them (a file named ``unit2.txt``, a witness ``a-s1``
beside a witness ``a``): two equal ``xml:id`` make the file unreadable."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Sequence

TAXONOMY_ID = "variant-types"
@lru_cache(maxsize=1)
def _generated() -> re.Pattern[str]:
    from ..words import VARIANT_TYPES  # the categories of the taxonomy

    return re.compile(r"unit\d+(\.\d+)*|variant-types|" + "|".join(re.escape(category_id(t)) for t in VARIANT_TYPES))


def category_id(variant_type: str) -> str:
    return f"vt-{variant_type}"


def sentence_id(sigil: str, index: int) -> str:
    return f"{sigil}-s{index}"


def unit_id(n: int) -> str:
    return f"unit{n}"


def clash(sigil: str, sigla: Sequence[str]) -> Optional[str]:
    """What of align's own ids ``sigil`` would be in a file of ``sigla``, or None."""
    if _generated().fullmatch(sigil):
        return "a unit, a place or a variant type"
    for other in sigla:
        if other != sigil and re.fullmatch(re.escape(other) + r"-s\d+", sigil):
            return f"a sentence of witness {other!r}"
    return None
