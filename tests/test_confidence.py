"""A link's confidence is a fitted probability: the model, its fit and its calibration."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

import align
from align.sentences import confidence
from conftest import seed


def test_fit_recovers_a_known_logistic_model():
    rng = np.random.default_rng(7)
    true = np.array([-3.0, 6.0, -1.0, -0.5])
    sim = rng.uniform(0, 1, 4000)
    dev = rng.uniform(0, 4, 4000)
    extra = rng.integers(0, 3, 4000)
    rows = [confidence.features(s, d, int(e) + 2) for s, d, e in zip(sim, dev, extra)]
    p = 1 / (1 + np.exp(-(np.array(rows) @ true)))
    labels = rng.uniform(0, 1, 4000) < p
    fitted = np.array(confidence.fit(rows, labels))
    assert np.abs(fitted - true).max() < 0.6
    # The fitted model is calibrated on its own kind of data.
    z = np.array(rows) @ fitted
    _, ece = confidence.reliability(list(zip((1 / (1 + np.exp(-z))).tolist(), labels.tolist())))
    assert ece < 0.03


def test_reliability_table_and_error():
    points = [(0.95, True)] * 9 + [(0.95, False)] + [(0.25, False)] * 3 + [(0.25, True)]
    table, ece = confidence.reliability(points)
    assert [(round(lo, 1), n, right) for lo, _, n, right in table] == [(0.2, 4, 0.25), (0.9, 10, 0.9)]
    assert ece == pytest.approx((4 * 0.0 + 10 * 0.05) / 14)


def test_shipped_model_is_the_fitted_one_and_monotone():
    model = json.loads(resources.files("align").joinpath("data/confidence.json").read_text("utf-8"))
    assert tuple(model["features"]) == confidence.FEATURES
    assert "calibration.py --fit" in model["fitted_on"]
    # More similar links are likelier right; far-off lengths never more so, bigger beads less so.
    sims = [confidence.probability(s, 0.0, 2) for s in (0.2, 0.4, 0.6, 0.8, 1.0)]
    assert sims == sorted(sims) and sims[-1] > 0.99
    assert confidence.probability(0.6, 3.0, 2) <= confidence.probability(0.6, 0.0, 2)
    assert confidence.probability(0.5, 0.0, 4) < confidence.probability(0.5, 0.0, 2)
    # A weak link is flagged for checking.
    assert confidence.probability(0.3, 1.0, 3) < 0.5


def test_fit_holds_a_coefficient_of_the_wrong_sign_at_zero():
    # Labels that favour far-off lengths (a confounded sample): the fit must not learn that.
    rng = np.random.default_rng(3)
    sim = rng.uniform(0, 1, 3000)
    dev = rng.uniform(0, 4, 3000)
    rows = [confidence.features(s, d, 2) for s, d in zip(sim, dev)]
    labels = rng.uniform(0, 1, 3000) < 1 / (1 + np.exp(-(-3 + 6 * sim + 0.8 * dev)))
    fitted = confidence.fit(rows, labels)
    assert fitted[2] == 0.0 and fitted[1] > 3
    # Unconstrained, the same data gives a positive deviation coefficient.
    assert confidence._newton(np.array(rows), labels.astype(float), 1e-3)[2] > 0.4


def test_observed_notes_every_judged_link():
    with confidence.observed() as log:
        c = align.collate([align.witness("The cat sat on the mat. The dog ran far away.", "a"),
                           align.witness("The cat sat on a mat. The dog ran away.", "b")])
    links = {(s["a"], s["b"]) for s, _ in log}
    assert links == {(u.sentences["a"], u.sentences["b"]) for u in c.units if u.kind == "sentence"}
    assert all(len(f) == len(confidence.FEATURES) for _, f in log)
    # Outside the block nothing is noted.
    align.collate([align.witness("One two three.", "a"), align.witness("One two three.", "b")])
    assert len(log) == 2


def test_unit_confidence_is_a_probability_on_the_seeds():
    c = align.collate([seed("000"), seed("001")])
    linked = [u for u in c.units if u.kind == "sentence" and len(u.witnesses_present()) == 2]
    assert all(0.0 <= u.confidence <= 1.0 for u in c.units)
    # Most links of two translations are sure; the doubtful ones are few and flagged below 0.5.
    assert sum(u.confidence >= 0.9 for u in linked) >= 0.8 * len(linked)
