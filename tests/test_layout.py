"""The house's layout: data flows one way through the stages, and the records
(``align/model.py``, ``align/errors.py``) import no stage. Read from the sources'
import statements (top level and inside functions alike), so a lazy import counts."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "align"
# Stages in the order data flows through them (read and clean are one room); a module
# may import its own stage and the stages before it, never one after it.
STAGES = [{"readers", "clean"}, {"segment"}, {"sentences"}, {"words"}, {"writers", "tei"}]


def imported(path: Path, place: tuple[str, ...] = ()) -> set[str]:
    """The align modules a source file imports, as first components under align
    (``place``: where the file stands in the package, else where it is)."""
    here = place or path.relative_to(PACKAGE).with_suffix("").parts
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(here[:-1] if path.name != "__init__.py" else here)[: len(here) - node.level]
                parts = base + (node.module.split(".") if node.module else [])
                names = [parts] if node.module else [base + [a.name] for a in node.names]
            elif node.module and node.module.split(".")[0] == "align":
                names = [node.module.split(".")[1:]]
            else:
                continue
            out.update(p[0] for p in names if p)
        elif isinstance(node, ast.Import):
            out.update(a.name.split(".")[1] for a in node.names if a.name.startswith("align."))
    return out


def stage_of(path: Path) -> str:
    return path.relative_to(PACKAGE).with_suffix("").parts[0]


def test_the_records_import_no_stage():
    for name in ("model.py", "errors.py"):
        assert imported(PACKAGE / name) <= {"errors", "_version"}, name


def test_no_stage_imports_a_later_one():
    for path in PACKAGE.rglob("*.py"):
        stage = stage_of(path)
        rank = [k for k, names in enumerate(STAGES) if stage in names]
        if not rank:
            continue
        later = set().union(*STAGES[rank[0] + 1 :])
        assert not imported(path) & later, (path, imported(path) & later)


def test_the_check_sees_a_lazy_import(tmp_path):
    # A function-level import of a later stage is caught like a top-level one.
    fake = tmp_path / "words.py"
    fake.write_text("def f():\n    from .writers import get_writer\n    return get_writer\n", encoding="utf-8")
    assert imported(fake, ("words",)) == {"writers"}
    fake.write_text("import align.writers.tei\nfrom . import model\n", encoding="utf-8")
    assert imported(fake, ("words",)) == {"writers", "model"}


def test_the_calls_of_0_2_say_where_writing_went(pair_collation):
    import pytest

    for name, new in (("write", "align.write("), ("to_tei", "align.to_tei(")):
        with pytest.raises(AttributeError, match=rf"removed in align 0\.3\.0: use {new.replace('.', '[.]').replace('(', '[(]')}"):
            getattr(pair_collation, name)
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        pair_collation.nonsense  # noqa: B018
