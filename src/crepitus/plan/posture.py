"""Walking-posture cues: strict loading of ``posture.yaml`` and choosing cues for a person.

Cues come from the seed article (§Proactive Steps: avoid an exaggerated
anterior pelvic tilt, engage the abdominals slightly) and, when a motion
recording exists, from the measured pelvic tilt.  The tilt is always taken
relative to the person's own standing calibration, because a phone cannot see
the ASIS–PSIS line and standing anatomy alone varies by about ±5°
(research/gait.md §3, Preece et al. 2008).  The bands in ``posture.yaml`` are
set against the 3–9° RMSE of a lower-back IMU (Bolink et al. 2016), and each
tilt cue says how sure it can be.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from crepitus.domain import MECHANISMS
from crepitus.errors import InvalidInputError, KnowledgeBaseError
from crepitus.knowledge.files import check_keys, load_data_file
from crepitus.plan.types import PostureCue

SCHEMA = "crepitus.posture/1"

#: A tilt difference outside this range is not a plausible walking posture; it is
#: almost certainly a placement or calibration problem (the whole ASIS–PSIS range
#: across people is 0–23°, research/gait.md §3, Preece et al. 2008).
MAX_PLAUSIBLE_TILT_DIFF_DEG = 45.0


@dataclass(frozen=True, slots=True)
class PelvicTilt:
    """Measured sagittal pelvic tilt (degrees, positive = anterior), as ``crepitus walk`` gives it.

    Only the walking-minus-standing difference is used: the absolute values
    carry the sensor's mounting angle (research/gait.md §3, Buganè et al. 2014).
    """

    standing_deg: float
    walking_mean_deg: float
    walking_range_deg: float | None = None

    def __post_init__(self) -> None:
        for name in ("standing_deg", "walking_mean_deg"):
            value = getattr(self, name)
            if not math.isfinite(value):
                raise InvalidInputError(f"pelvic tilt {name} must be a finite number, got {value}")
        diff = self.walking_minus_standing_deg
        if abs(diff) > MAX_PLAUSIBLE_TILT_DIFF_DEG:
            raise InvalidInputError(
                f"pelvic tilt difference of {diff:.0f}° between walking and standing is not "
                "plausible; check the phone placement and re-record the standing calibration"
            )

    @property
    def walking_minus_standing_deg(self) -> float:
        return self.walking_mean_deg - self.standing_deg

    @classmethod
    def relative(cls, *, walking_minus_standing_deg: float) -> PelvicTilt:
        """A tilt known only as the walking-minus-standing difference (``--tilt-deg``)."""
        return cls(standing_deg=0.0, walking_mean_deg=float(walking_minus_standing_deg))

    @classmethod
    def from_gait(cls, doc: Mapping[str, Any] | None) -> PelvicTilt | None:
        """From the ``pelvic_tilt_deg`` object of ``crepitus.gait/1``; ``None`` if not estimated."""
        if not doc:
            return None
        standing, walking = doc.get("standing"), doc.get("walking_mean")
        if (
            standing is None
            and walking is not None
            and doc.get("reference") == ("relative_to_standing")
        ):
            return cls.relative(walking_minus_standing_deg=float(walking))
        if standing is None or walking is None:
            return None
        rng = doc.get("walking_range")
        return cls(
            standing_deg=float(standing),
            walking_mean_deg=float(walking),
            walking_range_deg=None if rng is None else float(rng),
        )


@dataclass(frozen=True, slots=True)
class CueDef:
    """One entry of ``posture.yaml``."""

    id: str
    when: Literal["always", "tilt"]
    text: str
    source: str
    rationale: str
    tilt_min_deg: float | None = None
    tilt_max_deg: float | None = None
    mechanisms: tuple[str, ...] = ()

    def matches_tilt(self, diff_deg: float) -> bool:
        lo_ok = self.tilt_min_deg is None or diff_deg >= self.tilt_min_deg
        hi_ok = self.tilt_max_deg is None or diff_deg < self.tilt_max_deg
        return lo_ok and hi_ok

    @property
    def is_banded(self) -> bool:
        return self.tilt_min_deg is not None or self.tilt_max_deg is not None


@dataclass(frozen=True, slots=True)
class PostureBook:
    """All posture cues plus the honest accuracy note for tilt."""

    version: str
    cues: tuple[CueDef, ...]
    tilt_accuracy_note: str
    tilt_accuracy_source: str


def _opt_deg(value: Any, *, where: str, key: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise KnowledgeBaseError(f"{where}: {key} must be a number of degrees")
    return float(value)


def parse_posture(doc: Mapping[str, Any]) -> PostureBook:
    """Validate a decoded ``crepitus.posture/1`` document.

    Raises
    ------
    KnowledgeBaseError
        On unknown keys, a missing source, an unknown mechanism, or tilt bands
        that leave a gap or overlap (every measured tilt must get exactly one band cue).
    """
    check_keys(
        doc,
        where="posture.yaml",
        required=("schema", "version", "tilt_accuracy_note", "tilt_accuracy_source", "cues"),
    )
    if doc["schema"] != SCHEMA:
        raise KnowledgeBaseError(f"posture.yaml: unsupported schema {doc['schema']!r}")
    cues: list[CueDef] = []
    seen: set[str] = set()
    for i, raw in enumerate(doc["cues"]):
        where = f"posture.yaml cue {i}"
        check_keys(
            raw,
            where=where,
            required=("id", "when", "text", "source", "rationale"),
            optional=("tilt_min_deg", "tilt_max_deg", "mechanisms"),
        )
        if raw["id"] in seen:
            raise KnowledgeBaseError(f"posture.yaml: duplicate cue id {raw['id']!r}")
        seen.add(raw["id"])
        if raw["when"] not in ("always", "tilt"):
            raise KnowledgeBaseError(f"{where}: when must be 'always' or 'tilt'")
        lo = _opt_deg(raw.get("tilt_min_deg"), where=where, key="tilt_min_deg")
        hi = _opt_deg(raw.get("tilt_max_deg"), where=where, key="tilt_max_deg")
        if raw["when"] == "always" and (lo is not None or hi is not None):
            raise KnowledgeBaseError(f"{where}: tilt bands need when: tilt")
        if lo is not None and hi is not None and lo >= hi:
            raise KnowledgeBaseError(f"{where}: tilt_min_deg must be below tilt_max_deg")
        mechanisms = tuple(raw.get("mechanisms") or ())
        bad = [m for m in mechanisms if m not in MECHANISMS]
        if bad:
            raise KnowledgeBaseError(f"{where}: unknown mechanism(s) {bad}")
        cues.append(
            CueDef(
                id=str(raw["id"]),
                when=raw["when"],
                text=str(raw["text"]),
                source=str(raw["source"]),
                rationale=str(raw["rationale"]),
                tilt_min_deg=lo,
                tilt_max_deg=hi,
                mechanisms=mechanisms,
            )
        )
    book = PostureBook(
        version=str(doc["version"]),
        cues=tuple(cues),
        tilt_accuracy_note=str(doc["tilt_accuracy_note"]).strip(),
        tilt_accuracy_source=str(doc["tilt_accuracy_source"]),
    )
    _check_bands(book)
    return book


def _check_bands(book: PostureBook) -> None:
    """The banded tilt cues must tile the real line: no gap, no overlap."""
    bands = sorted(
        (c for c in book.cues if c.is_banded),
        key=lambda c: -math.inf if c.tilt_min_deg is None else c.tilt_min_deg,
    )
    if not bands:
        raise KnowledgeBaseError("posture.yaml: no tilt band cues")
    if bands[0].tilt_min_deg is not None or bands[-1].tilt_max_deg is not None:
        raise KnowledgeBaseError("posture.yaml: tilt bands must be open at both ends")
    for prev, nxt in itertools.pairwise(bands):
        if prev.tilt_max_deg != nxt.tilt_min_deg:
            raise KnowledgeBaseError(
                f"posture.yaml: tilt bands {prev.id} and {nxt.id} leave a gap or overlap"
            )


@functools.cache
def load_posture() -> PostureBook:
    """The packaged posture cues, validated once per process."""
    return parse_posture(load_data_file("posture.yaml"))


def choose_cues(
    book: PostureBook, *, mechanism: str, pelvic_tilt: PelvicTilt | None
) -> tuple[PostureCue, ...]:
    """Cues for this person: the general ones, the mechanism's, and (if measured) the tilt's.

    With a measured tilt exactly one band cue matches the walking-minus-standing
    difference, and the accuracy note is appended so the number is never shown
    without its uncertainty.
    """
    out: list[PostureCue] = []
    for cue in book.cues:
        if cue.mechanisms and mechanism not in cue.mechanisms:
            continue
        if cue.when == "always":
            out.append(PostureCue(cue.id, cue.text, cue.source))
            continue
        if pelvic_tilt is None:
            continue
        diff = pelvic_tilt.walking_minus_standing_deg
        if cue.is_banded:
            if not cue.matches_tilt(diff):
                continue
            text = f"{cue.text.format(tilt_deg=diff)} {book.tilt_accuracy_note}"
            source = f"{cue.source}; {book.tilt_accuracy_source}"
            out.append(PostureCue(cue.id, text, source))
        else:
            out.append(PostureCue(cue.id, cue.text, cue.source))
    return tuple(out)
