"""The vectorised DSP and model primitives equal straightforward reference implementations.

Each reference is the plain loop the fast version replaced; they must agree
exactly (index results, tree predictions) or to rounding error (filters).
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import numpy as np
import pytest

from crepitus.acoustics import features as F
from crepitus.acoustics.classification import TreeEnsembleModel
from crepitus.acoustics.detection import _first_argmax, _span_frames


def _pick_peaks_reference(
    s: np.ndarray, threshold_db: float, min_distance: int, dip_db: float
) -> list[int]:
    up = [
        i
        for i in range(1, len(s) - 1)
        if s[i] > threshold_db and s[i] >= s[i - 1] and s[i] > s[i + 1]
    ]
    kept: list[int] = up[:1]
    for p in up[1:]:
        q = kept[-1]
        if p - q >= min_distance and s[q : p + 1].min() < min(s[q], s[p]) - dip_db:
            kept.append(p)
        elif s[p] > s[q]:
            kept[-1] = p
    return kept


def _extent_reference(
    s: np.ndarray, peak: int, floor_db: float, drop_db: float, max_back: int, max_fwd: int
) -> tuple[int, int]:
    level = max(floor_db, float(s[peak]) - drop_db)
    a = peak
    while a > max(0, peak - max_back) and s[a - 1] > level:
        a -= 1
    b = peak
    while b < min(len(s) - 1, peak + max_fwd) and s[b + 1] > level:
        b += 1
    return a, b


def _signals(rng: np.random.Generator) -> list[np.ndarray]:
    """Smooth, rough, and rounded (plateaus and ties) detection functions in dB."""
    smooth = np.convolve(rng.standard_normal(3000) * 12, np.ones(5) / 5, mode="same")
    rough = rng.standard_normal(3000) * 10
    ties = np.round(rng.standard_normal(3000) * 4) * 3
    return [smooth, rough, ties, np.zeros(10), np.array([0.0, 9.0])]


def test_pick_peaks_equals_the_plain_loop(rng: np.random.Generator) -> None:
    for s in _signals(rng):
        for min_distance, dip in ((6, 3.0), (80, 3.0), (1, 0.0)):
            got = F.pick_peaks(s, threshold_db=6.0, min_distance=min_distance, dip_db=dip)
            assert got.tolist() == _pick_peaks_reference(s, 6.0, min_distance, dip)


def test_extents_equal_the_plain_loop(rng: np.random.Generator) -> None:
    for s in _signals(rng):
        peaks = np.flatnonzero(s > 4.0)
        for back, fwd in ((10, 150), (30, 200), (0, 3)):
            a, b = F.extents(s, peaks, floor_db=3.0, drop_db=20.0, max_back=back, max_fwd=fwd)
            want = [_extent_reference(s, int(p), 3.0, 20.0, back, fwd) for p in peaks]
            assert list(zip(a.tolist(), b.tolist(), strict=True)) == want


@pytest.mark.parametrize("width", [1, 2, 3, 10, 40, 41])
@pytest.mark.parametrize("n", [0, 1, 5, 39, 40, 41, 1000])
def test_smooth_is_a_centred_mean_with_cut_windows_at_the_edges(
    rng: np.random.Generator, width: int, n: int
) -> None:
    x = rng.random(n)
    half = width // 2
    want = [x[max(0, i - half) : min(n, i - half + width)].mean() for i in range(n)]
    assert np.allclose(F.smooth(x, width=width), want, rtol=1e-12, atol=0)


@pytest.mark.parametrize(("chunk", "n"), [(500, 30000), (500, 30499), (9, 70), (8, 16), (7, 7)])
def test_running_floor_interpolates_like_np_interp(
    rng: np.random.Generator, chunk: int, n: int
) -> None:
    e = rng.random(n) + 0.01
    m = max(1, n // chunk)
    k = min(chunk - 1, round(0.5 * (chunk - 1)))
    per = np.sort(e[: m * chunk].reshape(m, chunk), axis=1)[:, k]
    want = np.interp(np.arange(n), (np.arange(m) + 0.5) * chunk, per) if m > 1 else None
    got = F.running_floor(e, chunk=chunk, q=50.0)
    if want is None:
        assert np.allclose(got, np.percentile(e, 50.0))
    else:
        assert np.array_equal(got, want)


@pytest.mark.parametrize(("factor", "frame", "n"), [(12, 48, 200_003), (11, 44, 5000), (1, 4, 47)])
def test_full_rate_sweep_equals_the_whole_block_computation(
    rng: np.random.Generator, factor: int, frame: int, n: int
) -> None:
    x = rng.standard_normal(n).astype(np.float32)
    y, e, e_d = F.full_rate_sweep(x, factor=factor, frame=frame, piece=1 << 12)
    assert np.array_equal(y, F.decimate_mean(x, factor=factor))
    assert np.array_equal(e, F.frame_energy(x, factor=frame))
    assert np.array_equal(e_d, F.frame_energy(np.diff(x), factor=frame))


@pytest.mark.parametrize("last", [99, 98])  # a span ending on the last sample, or none
def test_span_frames_give_each_spans_sum_and_maximum_to_the_bit(
    rng: np.random.Generator, last: int
) -> None:
    e = rng.random(100)
    lo = np.array([0, 5, 3, last, 50, 40], dtype=np.intp)  # overlapping, unsorted
    hi = np.array([0, 20, 30, last, last, 48], dtype=np.intp)
    frames, at = _span_frames(lo, hi)
    spans = list(zip(lo.tolist(), hi.tolist(), strict=True))
    # each span reduced as one reduceat segment of its own (reduceat's sums, not np.sum's)
    sums = [np.add.reduceat(e[a : b + 1], [0])[0] for a, b in spans]
    assert np.array_equal(np.add.reduceat(e[frames], at), sums)
    assert np.array_equal(
        np.maximum.reduceat(e[frames], at), [e[a : b + 1].max() for a, b in spans]
    )


def test_first_argmax_per_segment_equals_argmax_of_each(rng: np.random.Generator) -> None:
    x = np.round(rng.random(60), 1)  # rounded: ties within segments
    at = np.array([0, 1, 7, 30, 31, 59], dtype=np.intp)  # one-sample segments too
    bounds = [*at.tolist(), len(x)]
    want = [int(np.argmax(x[a:b])) for a, b in itertools.pairwise(bounds)]
    assert _first_argmax(x, at).tolist() == want


@pytest.mark.parametrize("n", [0, 3, 4, 7, 30_001])
def test_four_sample_frame_energy_equals_einsum_to_the_bit(
    rng: np.random.Generator, n: int
) -> None:
    x = rng.standard_normal(n) * np.exp(3 * rng.standard_normal(n))
    frames = x[: n // 4 * 4].reshape(-1, 4)
    assert np.array_equal(F.frame_energy(x, factor=4), np.einsum("ij,ij->i", frames, frames) / 4)


@pytest.mark.parametrize("threshold_db", [3.0, 0.0, -6.0, -130.0])
def test_above_db_equals_comparing_in_db(rng: np.random.Generator, threshold_db: float) -> None:
    t = 10.0 ** (threshold_db / 10.0)
    ratio = np.concatenate(
        [
            rng.exponential(2.0, 20_000),
            t * (1.0 + rng.uniform(-3e-5, 3e-5, 20_000)),  # where the logarithm's rounding decides
            [t, np.nextafter(t, 0.0), np.nextafter(t, np.inf), 0.0, 1e-13, np.inf, np.nan],
        ]
    )
    assert np.array_equal(F.above_db(ratio, threshold_db), F.to_db(ratio) > threshold_db)


def _predict_reference(model: TreeEnsembleModel, x: np.ndarray) -> np.ndarray:
    """Walk every tree for every row, one node at a time."""
    raw = np.tile(model.init, (len(x), 1))
    for t, off in enumerate(model.tree_offset.tolist()):
        for r, row in enumerate(x):
            node = off
            while model.feature[node] >= 0:
                go_left = row[model.feature[node]] <= model.threshold[node]
                node = off + (model.left[node] if go_left else model.right[node])
            raw[r, model.tree_class[t]] += model.learning_rate * model.value[node]
    p = np.exp(raw - raw.max(axis=1, keepdims=True))
    return p / p.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("depth", [1, 3, 4, 6])
def test_tree_model_predicts_like_walking_each_tree(rng: np.random.Generator, depth: int) -> None:
    from crepitus.acoustics.classification import CLASSES, FEATURE_NAMES
    from crepitus.acoustics.training import fit_trees

    n_feat = len(FEATURE_NAMES)
    x = rng.standard_normal((400, n_feat))
    y = np.arange(400) % len(CLASSES)
    x[:, 0] += y  # learnable, and unbalanced trees (min_samples_leaf) with early leaves
    model = fit_trees(x, y, n_estimators=4, depth=depth, min_samples_leaf=40)
    test = rng.standard_normal((300, n_feat)) * 2
    test[::7, 0] = np.nan  # NaN goes right, as in scikit-learn
    fast = dataclasses.replace(model, chunk_rows=64)  # several chunks
    assert np.allclose(
        fast.predict_proba(test), _predict_reference(model, test), rtol=0, atol=1e-12
    )


@pytest.mark.parametrize("subtype", ["PCM_16", "FLOAT"])
@pytest.mark.parametrize("n", [999, 1000, 1000 + 3 * 800, 1000 + 3 * 800 + 1, 5123])
def test_file_blocks_equal_the_in_memory_cut(
    tmp_path: Path, rng: np.random.Generator, subtype: str, n: int
) -> None:
    import soundfile as sf

    from crepitus.acoustics.detection import array_blocks
    from crepitus.acoustics.io import open_audio

    path = tmp_path / "x.wav"
    sf.write(path, rng.uniform(-0.5, 0.5, n), 8000, subtype=subtype)
    x, _ = sf.read(path, dtype="float32")
    got = list(open_audio(path).blocks(block_frames=1000, overlap_frames=200))
    want = array_blocks(x, sampling_rate_hz=8000, block_s=1000 / 8000, overlap_s=200 / 8000)
    assert len(got) == len(want)
    assert all(np.array_equal(g, w) for g, w in zip(got, want, strict=True))


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(a, b) and np.array_equal(np.signbit(a), np.signbit(b)))


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 10, 1001])
def test_median_equals_numpy_median_to_the_bit(rng: np.random.Generator, n: int) -> None:
    for scale in (1e-3, 1.0, 1e3):
        x = rng.standard_normal(n) * scale
        ties = np.round(x)
        ties[::2] = -0.0  # −0 + −0 in the mean of the middle two
        for v in (x, ties):
            assert _same_bits(np.asarray(F.median(v)), np.asarray(float(np.median(v))))


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
def test_nanmedian_rows_equals_numpy_nanmedian_to_the_bit(rng: np.random.Generator, k: int) -> None:
    from crepitus.acoustics.classification import _nanmedian_rows

    a = np.round(rng.standard_normal((5000, k)) * 3)  # ties and −0
    a[rng.random(a.shape) < 0.3] = np.nan
    a[np.isnan(a).all(axis=1)] = 0.0  # every row keeps a value, as in synchronous_levels
    assert _same_bits(_nanmedian_rows(a), np.nanmedian(a, axis=1))


def test_16_bit_peak_and_clipping_equal_those_of_the_float_samples(
    rng: np.random.Generator,
) -> None:
    from crepitus.acoustics.io import _peak_and_clipped

    edges = np.array([32767, 32736, 32735, -32735, -32736, -32768, 0], dtype=np.int16)
    for v in (
        rng.integers(-32768, 32768, 5000).astype(np.int16),
        np.concatenate([rng.integers(-30000, 30000, 500).astype(np.int16), edges]),
        -np.abs(rng.integers(1, 32000, 300)).astype(np.int16),  # all negative
        np.zeros(10, dtype=np.int16),
    ):
        x = v.astype(np.float32) * np.float32(1.0 / 32768.0)  # what the reader yields
        assert _peak_and_clipped(v) == _peak_and_clipped(x)


def test_to_db_is_ten_log10_to_rounding(rng: np.random.Generator) -> None:
    """``to_db`` takes a float32 ``ln`` (cheaper than ``log10``): the same values to 1e-5 dB."""
    ratio = np.concatenate([np.exp(rng.uniform(-35.0, 45.0, 50_000)), [0.0, 1e-13, 1.0]])
    expected = 10.0 * np.log10(np.maximum(ratio, 1e-12))
    assert np.allclose(F.to_db(ratio), expected, rtol=0.0, atol=1e-5)
