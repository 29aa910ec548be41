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
    # More similar links are likelier right; far-off lengths and bigger beads less so.
    sims = [confidence.probability(s, 0.0, 2) for s in (0.2, 0.4, 0.6, 0.8, 1.0)]
    assert sims == sorted(sims) and sims[-1] > 0.99
    # A weak link whose lengths disagree is flagged for checking.
    assert confidence.probability(0.4, 4.0, 3) < 0.5
    assert confidence.probability(0.6, 3.0, 2) < confidence.probability(0.6, 0.0, 2)


def test_unit_confidence_is_a_probability_on_the_seeds():
    c = align.collate([seed("000"), seed("001")])
    linked = [u for u in c.units if u.kind == "sentence" and len(u.witnesses_present()) == 2]
    assert all(0.0 <= u.confidence <= 1.0 for u in c.units)
    # Most links of two translations are sure; the doubtful ones are few and flagged below 0.5.
    assert sum(u.confidence >= 0.9 for u in linked) >= 0.8 * len(linked)
