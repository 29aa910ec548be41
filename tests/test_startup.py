"""Start-up: what ``import align`` and the CLI import, the private import of nltk's
Punkt and Snowball (align/_punkt.py), and the cutting of over-long sentences.

Each import check runs in a fresh interpreter and looks at ``sys.modules``
(never at wall-clock times)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import unicodedata
from pathlib import Path

import pytest

from align import segment as segment_module  # noqa: F401  (the function; the module below)
import importlib

S = importlib.import_module("align.segment")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("0*.txt"))
# nltk's package __init__ imports these; Punkt and Snowball do not need them.
HEAVY_NLTK = ("nltk.corpus", "nltk.sem", "nltk.parse", "nltk.translate", "nltk.chunk", "nltk.tag", "nltk.data")


def run(code: str, env: dict[str, str] | None = None) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON object as its last line."""
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, **(env or {})}, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_align_imports_no_heavy_dependency():
    got = run("""
        import json, sys
        import align
        print(json.dumps(sorted(sys.modules)))
    """)
    for name in ("numpy", "nltk", "lxml", "rapidfuzz", "typer", "click", "rich", "pydantic", "align.api"):
        assert name not in got, name


def test_lazy_names_of_the_package():
    got = run("""
        import json, sys
        import align
        import align.segment
        out = {"segment_is_function": callable(align.segment) and not isinstance(align.segment, type(sys)),
               "collate": align.collate.__module__, "read_tei": align.read_tei.__module__,
               "api": align.api.__name__, "all": all(hasattr(align, n) for n in align.__all__)}
        print(json.dumps(out))
    """)
    assert got == {"segment_is_function": True, "collate": "align.api", "read_tei": "align.tei.read",
                   "api": "align.api", "all": True}


def test_segmenting_leaves_no_nltk_in_sys_modules():
    got = run("""
        import json, sys
        from align.model import Witness
        import align
        seg = align.segment(Witness("w", "Mr. Smith came. He left at 5 p.m. on Friday. Then what?"))
        from align._punkt import snowball
        stem = snowball().SnowballStemmer("english").stem("running")
        print(json.dumps({"sentences": [s.text for s in seg.sentences], "stem": stem,
                          "modules": sorted(m for m in sys.modules if m.split(".")[0] == "nltk")}))
    """)
    assert got["sentences"] == ["Mr. Smith came.", "He left at 5 p.m. on Friday.", "Then what?"]
    assert got["stem"] == "run"
    assert got["modules"] == []  # the private copy is not in sys.modules


def test_cli_collate_does_not_import_nltk_package_or_rich():
    got = run(f"""
        import json, runpy, sys, tempfile, os
        out = os.path.join(tempfile.mkdtemp(), "x.xml")
        sys.argv = ["align", "collate", {str(SEEDS[0])!r}, {str(SEEDS[1])!r}, "-o", out]
        try:
            runpy.run_module("align", run_name="__main__")
        except SystemExit as exc:
            assert not exc.code, exc.code
        print(json.dumps({{"modules": sorted(sys.modules), "written": os.path.getsize(out) > 0}}))
    """)
    assert got["written"]
    modules = set(got["modules"])
    assert not {m for m in modules if m.split(".")[0] == "nltk"}
    assert "rich" not in modules


def test_cli_version_does_not_import_nltk_or_rich():
    got = run("""
        import json, runpy, sys, io, contextlib
        sys.argv = ["align", "--version"]
        with contextlib.redirect_stdout(io.StringIO()):
            try:
                runpy.run_module("align", run_name="__main__")
            except SystemExit:
                pass
        print(json.dumps(sorted(sys.modules)))
    """)
    assert not [m for m in got if m.split(".")[0] == "nltk"]
    assert "rich" not in got
    # Nor the aligner: the sentence stage and NumPy are imported by the commands that align.
    assert "numpy" not in got and "align.sentences" not in got and "align.api" not in got


def test_nltk_imported_later_is_the_whole_nltk():
    """A program that imports nltk after align segmented gets the ordinary, complete nltk."""
    got = run("""
        import json, sys
        import align
        from align.model import Witness
        from align._punkt import punkt, snowball
        align.segment(Witness("w", "One. Two."))
        private_punkt, private_snowball = punkt(), snowball()
        import nltk
        from nltk.stem.snowball import SnowballStemmer
        import nltk.tokenize.punkt
        print(json.dumps({
            "version": nltk.__version__,
            "word_tokenize": callable(nltk.word_tokenize),
            "wordpunct": nltk.wordpunct_tokenize("Hi there. Bye!"),
            "corpus": hasattr(nltk, "corpus"),
            "punkt_attr": nltk.tokenize.punkt.PunktSentenceTokenizer.__name__,
            "stem": SnowballStemmer("english").stem("having"),
            "private_is_separate": private_punkt is not sys.modules["nltk.tokenize.punkt"],
            "heavy": [m for m in %r if m in sys.modules],
        }))
    """ % (HEAVY_NLTK,))
    assert got["version"] and got["word_tokenize"] and got["corpus"]
    assert got["wordpunct"] == ["Hi", "there", ".", "Bye", "!"]
    assert got["punkt_attr"] == "PunktSentenceTokenizer"
    assert got["stem"] == "have"
    assert got["private_is_separate"]
    assert got["heavy"]  # the ordinary import did run nltk's __init__


def test_nltk_already_imported_is_used():
    got = run("""
        import json, sys
        import nltk
        from align._punkt import punkt, snowball
        print(json.dumps({"punkt": punkt() is sys.modules["nltk.tokenize.punkt"],
                          "snowball": snowball() is sys.modules["nltk.stem.snowball"]}))
    """)
    assert got == {"punkt": True, "snowball": True}


def test_failure_falls_back_to_the_ordinary_import():
    got = run("""
        import json, sys
        import align._punkt as P
        def broken(name):
            raise RuntimeError("simulated: another nltk layout")
        P._bare_package = broken
        module = P.punkt()
        print(json.dumps({"ok": module is sys.modules.get("nltk.tokenize.punkt"),
                          "full": "nltk.corpus" in sys.modules and hasattr(sys.modules["nltk"], "__version__")}))
    """)
    assert got == {"ok": True, "full": True}


def test_plain_import_switch():
    got = run("""
        import json, sys
        from align._punkt import punkt
        print(json.dumps(punkt() is sys.modules.get("nltk.tokenize.punkt")))
    """, env={"ALIGN_PLAIN_NLTK": "1"})
    assert got is True


def test_another_thread_importing_nltk_meanwhile():
    got = run("""
        import json, sys, threading
        from align._punkt import punkt
        results = {}
        def other():
            import nltk
            results["version"] = nltk.__version__
            results["tokenize"] = nltk.wordpunct_tokenize("a b")
        t = threading.Thread(target=other)
        t.start()
        module = punkt()
        t.join()
        print(json.dumps({"punkt": module.PunktSentenceTokenizer.__name__, **results}))
    """)
    assert got["punkt"] == "PunktSentenceTokenizer"
    assert got["version"] and got["tokenize"] == ["a", "b"]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_private_and_ordinary_punkt_segment_alike(path):
    code = f"""
        import json
        import align
        seg = align.segment_file({str(path)!r})
        print(json.dumps([[s.start, s.end, s.kind] for part in seg for s in part.sentences]))
    """
    assert run(code) == run(code, env={"ALIGN_PLAIN_NLTK": "1"})


# --- over-long sentences --------------------------------------------------------------


def check_pieces(text: str, spans: list[tuple[int, int]], limit: int) -> None:
    prev = 0
    for a, b in spans:
        assert 0 < b - a <= limit
        assert text[a:b] == text[a:b].strip()
        assert not text[prev:a].strip()  # nothing but white space is left out
        assert not unicodedata.combining(text[a])
        prev = b
    assert not text[prev:].strip()


def test_no_length_limit_by_default():
    assert S.MAX_SENTENCE is None
    text = "word " * 20_000
    assert S.sentence_spans(text) == [(0, len(text) - 1)]


def test_over_long_sentences_are_cut_at_clause_marks(monkeypatch):
    monkeypatch.setattr(S, "MAX_SENTENCE", 2000)
    clause = "the delegates spoke at length about the mission and its mandate; "
    text = clause * 200 + "and so it ended."
    spans = S.sentence_spans(text)
    check_pieces(text, spans, 2000)
    assert len(spans) > 1
    assert all(text[b - 1] == ";" for a, b in spans[:-1])


def test_over_long_sentences_are_cut_at_commas_then_spaces(monkeypatch):
    monkeypatch.setattr(S, "MAX_SENTENCE", 2000)
    text = "one two, three four five six " * 300
    spans = S.sentence_spans(text)
    check_pieces(text, spans, 2000)
    assert all(text[b - 1] == "," for a, b in spans[:-1])
    text = "lorem ipsum dolor sit amet " * 300
    spans = S.sentence_spans(text)
    check_pieces(text, spans, 2000)
    assert all(text[b].isspace() for a, b in spans[:-1])


def test_one_huge_token_is_cut_but_not_before_combining_marks(monkeypatch):
    monkeypatch.setattr(S, "MAX_SENTENCE", 2000)
    text = "x" * 10_001
    spans = S.sentence_spans(text)
    check_pieces(text, spans, 2000)
    assert [b - a for a, b in spans] == [2000] * 5 + [1]
    text = "e\u0301\u0323" * 2000  # a letter and two combining marks
    spans = S.sentence_spans(text)
    check_pieces(text, spans, 2000)


def test_cutting_keeps_normal_text(monkeypatch):
    texts = [p.read_text("utf-8") for p in SEEDS]
    before = [S.sentence_spans(t) for t in texts]
    monkeypatch.setattr(S, "MAX_SENTENCE", 2000)
    assert [S.sentence_spans(t) for t in texts] == before
