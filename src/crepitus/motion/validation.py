"""Read the mobgap example data (real lower-back IMU + INDIP reference) for validation.

Format and index rule from research/gait.md §2b: ``data/lab/<cohort>/<id>/data.mat``
(MATLAB v5), ``data.TimeMeasure1.<Test>.<Trial>.SU.LowerBack.{Acc [g], Gyr [deg/s], Fs}``
and ``Standards.INDIP.MicroWB`` (one struct per bout) with ``InitialContact_Event`` (s)
and ``InitialContact_LeftRight``.  Reference sample = round(t·fs) − 1 (MATLAB 1-based,
as mobgap does); NaN contacts and repeated contacts (:func:`unique_contacts`) are
dropped.  The belt sensor's axes are x = up, y = right, z = forward (mobgap
``to_body_frame``: x→IS, y→ML, z→PA).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from crepitus.motion.recording import STANDARD_GRAVITY_MPS2, MotionRecording


@dataclass(frozen=True)
class ReferenceBout:
    """One INDIP walking bout with its reference contacts.

    ``cadence_spm`` is INDIP's bout cadence (the mean of 120 / stride time over its
    strides); ``turning`` is INDIP's ``Turning_Flag`` (the bout contains a turn).
    """

    start_s: float
    end_s: float
    ic_s: NDArray[np.float64]
    sides: tuple[str, ...]
    cadence_spm: float
    turning: bool = False


@dataclass(frozen=True)
class ReferenceTrial:
    """One recording with its participant, reference bouts and the sensor data."""

    participant: str
    name: str
    recording: MotionRecording
    bouts: tuple[ReferenceBout, ...]
    stereo_bouts: tuple[ReferenceBout, ...] = ()
    """The same trial's Stereophoto (optical) bouts: a second, independent reference
    used only to check detections where INDIP has no contact (gait.md §2b)."""


def default_data_root(repo_root: Path | None = None) -> Path:
    """``../shared/data/mobgap_example`` beside the repository (CI layout)."""
    root = repo_root or Path(__file__).resolve().parents[3]
    return root.parent / "shared" / "data" / "mobgap_example"


def load_mobgap_trials(root: Path | None = None) -> list[ReferenceTrial]:
    """Load every trial under ``root/data/lab``; trials without INDIP bouts are kept (no bouts)."""
    import scipy.io as sio

    base = (root or default_data_root()) / "data" / "lab"
    out: list[ReferenceTrial] = []
    for mat in sorted(base.rglob("data.mat")):
        pid = f"{mat.parent.parent.name}/{mat.parent.name}"
        m = sio.loadmat(mat, squeeze_me=True, struct_as_record=False)
        tm = m["data"].TimeMeasure1
        for test in tm._fieldnames:
            t = getattr(tm, test)
            for trial in t._fieldnames:
                tr = getattr(t, trial)
                lb = tr.SU.LowerBack
                fs = float(lb.Fs.Acc)
                acc = np.asarray(lb.Acc, float) * STANDARD_GRAVITY_MPS2
                gyr = np.radians(np.asarray(lb.Gyr, float))
                n = len(acc)
                rec = MotionRecording(
                    time_s=np.arange(n) / fs,
                    acc_mps2=acc,
                    gyr_rps=gyr,
                    sampling_rate_hz=fs,
                    source="mobgap-example",
                )
                out.append(
                    ReferenceTrial(
                        pid,
                        f"{test}/{trial}",
                        rec,
                        tuple(_bouts(tr, fs)),
                        tuple(_bouts(tr, fs, system="Stereophoto")),
                    )
                )
    return out


def _bouts(tr: object, fs: float, *, system: str = "INDIP") -> list[ReferenceBout]:
    ref = getattr(getattr(tr, "Standards", None), system, None)
    mwb = getattr(ref, "MicroWB", None)
    if mwb is None or (isinstance(mwb, np.ndarray) and mwb.size == 0):
        return []
    bouts = []
    for wb in np.atleast_1d(mwb):
        ic = np.atleast_1d(wb.InitialContact_Event).astype(float)
        ok = ~np.isnan(ic)
        lr = [str(s).lower() for s in np.atleast_1d(wb.InitialContact_LeftRight)[ok]]
        idx, sides = unique_contacts(np.round(ic[ok] * fs).astype(np.int64) - 1, lr)
        bouts.append(
            ReferenceBout(
                start_s=(round(float(wb.Start) * fs) - 1) / fs,
                end_s=(round(float(wb.End) * fs) - 1) / fs,
                ic_s=idx / fs,
                sides=sides,
                cadence_spm=_nanmean(getattr(wb, "Cadence", np.nan)),
                turning=bool(np.any(np.atleast_1d(getattr(wb, "Turning_Flag", 0)))),
            )
        )
    return bouts


def unique_contacts(
    ic: NDArray[np.int64], sides: list[str]
) -> tuple[NDArray[np.float64], tuple[str, ...]]:
    """Drop repeated reference contacts (the same sample listed twice in one bout).

    INDIP lists a few contacts twice (MS/001 Test11: two, same sample, same side).  A
    one-to-one matching can pair only one of the copies, so the other would count as a
    missed step that does not exist.  The first copy is kept; mobgap's loader does the same
    (and blanks the side where the copies disagree, which does not occur in this data).
    """
    seen: set[int] = set()
    keep = []
    for i, t in enumerate(ic.tolist()):
        if t not in seen:
            seen.add(t)
            keep.append(i)
    return ic[keep].astype(np.float64), tuple(sides[i] for i in keep)


def _nanmean(x: object) -> float:
    v = np.atleast_1d(np.asarray(x, dtype=float))
    return float(np.nanmean(v)) if np.isfinite(v).any() else float("nan")
