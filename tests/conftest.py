"""Shared fixtures: the seeds, their collations, and the real tei_all schema (compiled once)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from lxml import etree

import align

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"
# The hand alignments of the seed pairs ship with the seeds.
GOLD = Path(__file__).resolve().parent.parent / "seeds" / "gold"


def seed(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


@pytest.fixture(scope="session")
def tei_schema() -> etree.RelaxNG:
    """The real tei_all.rng (TEI P5 4.3.0), shipped gzipped in tests/data (see TEI_SCHEMA.md); ~10 s to compile."""
    with gzip.open(DATA / "tei_all.rng.gz", "rb") as fh:
        return etree.RelaxNG(etree.parse(fh))


@pytest.fixture(scope="session")
def pair_collation() -> align.Collation:
    return align.collate([seed("000"), seed("001")])


@pytest.fixture(scope="session")
def four_collation() -> align.Collation:
    return align.collate([seed("000"), seed("001"), seed("003"), seed("004")])


def assert_valid(schema: etree.RelaxNG, xml: bytes) -> etree._ElementTree:
    tree = etree.ElementTree(etree.fromstring(xml))
    if not schema.validate(tree):
        errors = "\n".join(str(e) for e in list(schema.error_log)[:10])
        pytest.fail(f"TEI does not validate against tei_all:\n{errors}")
    return tree
