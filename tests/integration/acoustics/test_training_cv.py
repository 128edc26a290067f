"""Cross-validation on the tuning split: runs end to end and refuses held-out seeds."""

from __future__ import annotations

import pytest

from crepitus.acoustics.training import cross_validate
from crepitus.synth.corpus import HELD_OUT_SEEDS


def test_cross_validation_scores_every_kind_on_unseen_recordings() -> None:
    # each fold holds one walk of every kind (kinds cycle with seed % 5); with only one walk per
    # kind to learn from, the 10-stage trees rarely clear the thresholds of the full model
    seeds = tuple(range(1000, 1010))
    res = cross_validate(seeds, n_estimators=10)
    scores = {f"{k}_{m}" for k in ("pop", "snap", "grind") for m in ("f1", "precision", "recall")}
    assert set(res) == scores | {"macro_f1", "false_joint_per_min", "plain_walk_min"}
    assert all(0.0 <= res[k] <= 1.0 for k in (*scores, "macro_f1"))
    assert res["plain_walk_min"] > 0.5  # seeds 1004 and 1009 are plain walks
    # trained on 5 walks with 10 stages it is weak, but well above librosa (0.07 held-out)
    assert res["macro_f1"] > 0.15


def test_cross_validation_refuses_held_out_seeds() -> None:
    with pytest.raises(ValueError, match="held-out"):
        cross_validate((1000, HELD_OUT_SEEDS[0]))


def test_class_weight_raises_the_posterior_of_the_weighted_class() -> None:
    """Rare pops are up-weighted so their posterior is not swamped by footsteps and "other"."""
    import numpy as np

    from crepitus.acoustics.classification import CLASSES
    from crepitus.acoustics.training import fit_trees

    rng = np.random.default_rng(0)
    y = np.repeat(np.arange(len(CLASSES)), [30, 200, 200, 200, 600])
    pop = y == CLASSES.index("pop")

    def draw() -> np.ndarray:
        # one informative column and three of noise: with as many noise columns as the model
        # has features (30), a 10-stage fit on 30 pops splits on noise and the comparison
        # depends on the draw (seeds 0–3: the weighted posterior higher in only one); with 4
        # columns it is higher for every seed tried (0–5)
        x = rng.normal(0.0, 1.0, size=(len(y), 4))
        x[:, 0] += 1.5 * pop  # pops overlap the rest on one informative column
        return x

    x, x_new = draw(), draw()
    plain = fit_trees(x, y, n_estimators=10, class_weight=None).predict_proba(x_new)
    weighted = fit_trees(x, y, n_estimators=10, class_weight={"pop": 3.0}).predict_proba(x_new)
    assert weighted[pop, 0].mean() > plain[pop, 0].mean() + 0.02


def test_exported_trees_predict_like_scikit_learn() -> None:
    """The run-time arrays reproduce the fitted model: baseline, shrunk leaves, "<=" splits."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    from crepitus.acoustics.classification import CLASSES, FEATURE_NAMES
    from crepitus.acoustics.training import fit_trees

    rng = np.random.default_rng(1)
    y = np.arange(2000) % len(CLASSES)
    x = rng.standard_normal((len(y), len(FEATURE_NAMES)))
    x[:, :3] += y[:, None] * np.array([0.8, -0.5, 0.3])
    model = fit_trees(x, y, n_estimators=15, depth=3, min_samples_leaf=20, class_weight=None)
    ref = HistGradientBoostingClassifier(
        max_iter=15,
        max_depth=3,
        max_leaf_nodes=None,
        learning_rate=0.2,
        min_samples_leaf=20,
        early_stopping=False,
        random_state=0,
    ).fit(x, y)
    x_new = rng.standard_normal((500, len(FEATURE_NAMES))) * 2
    assert np.allclose(model.predict_proba(x_new), ref.predict_proba(x_new), atol=1e-9)
    # and through the JSON the package ships (thresholds and values rounded to 1e-6)
    again = type(model).from_json(model.to_json())
    assert np.abs(again.predict_proba(x_new) - ref.predict_proba(x_new)).max() < 1e-3


def test_training_refuses_non_finite_features() -> None:
    import numpy as np

    from crepitus.acoustics.classification import CLASSES, FEATURE_NAMES
    from crepitus.acoustics.training import fit_trees

    y = np.arange(50) % len(CLASSES)
    x = np.zeros((50, len(FEATURE_NAMES)))
    x[3, 2] = np.nan
    with pytest.raises(ValueError, match="finite"):
        fit_trees(x, y, n_estimators=2)
