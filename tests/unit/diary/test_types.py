"""Diary value types: ids, times, validation, JSON forms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from crepitus.diary.types import (
    SOUNDS,
    Episode,
    RecordingAnalysis,
    StoredAssessment,
    check_pain,
    new_id,
    parse_when,
)
from crepitus.domain import Disposition
from crepitus.errors import InvalidInputError

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_ids_are_unique_prefixed_and_sort_by_creation_time() -> None:
    ids = [new_id("ep", now_ms=1_700_000_000_000 + i) for i in range(200)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("ep-") and len(i) == 21 for i in ids)
    same_ms = {new_id("ep", now_ms=1) for _ in range(1000)}
    assert len(same_ms) == 1000


def test_parse_when_keeps_an_explicit_offset() -> None:
    parsed = parse_when("2026-11-24T18:30:00+01:00", now=NOW)
    assert parsed.utcoffset() == timedelta(hours=1)
    assert parsed.hour == 18


def test_parse_when_treats_a_naive_time_as_local_time() -> None:
    parsed = parse_when("2026-11-24T18:30", now=NOW)
    assert parsed.tzinfo is not None
    assert parsed.replace(tzinfo=None) == datetime(2026, 11, 24, 18, 30)


def test_parse_when_accepts_a_date() -> None:
    assert parse_when("2026-11-24", now=NOW).date().isoformat() == "2026-11-24"


@pytest.mark.parametrize("text", ["yesterday", "24/11/2026", "2026-13-01", ""])
def test_parse_when_rejects_non_iso_text(text: str) -> None:
    with pytest.raises(InvalidInputError, match="ISO-8601"):
        parse_when(text, now=NOW)


def test_parse_when_rejects_the_future() -> None:
    with pytest.raises(InvalidInputError, match="future"):
        parse_when("2062-11-24T08:00+00:00", now=NOW)
    assert parse_when("2026-11-25T20:00+00:00", now=NOW)  # later today is fine


@pytest.mark.parametrize("pain", [-1, 11, 2.5, True, "3"])
def test_pain_outside_the_scale_is_refused(pain: object) -> None:
    with pytest.raises(InvalidInputError, match="0 \\(none\\) to 10"):
        check_pain(pain)  # type: ignore[arg-type]


def _episode(**kw: object) -> Episode:
    base: dict[str, object] = {"id": "ep-1", "when": NOW, "sound": "pop", "pain": 2}
    base.update(kw)
    return Episode(**base)  # type: ignore[arg-type]


def test_episode_validates_sound_and_pain() -> None:
    with pytest.raises(InvalidInputError, match="sound must be one of"):
        _episode(sound="bang")
    with pytest.raises(InvalidInputError):
        _episode(pain=11)
    with pytest.raises(InvalidInputError, match="characters"):
        _episode(note="x" * 5000)
    assert {_episode(sound=s).sound for s in SOUNDS} == set(SOUNDS)


def test_episode_json_has_the_contract_keys_and_round_trips() -> None:
    tz = timezone(timedelta(hours=-5))
    episode = _episode(
        when=datetime(2026, 11, 20, 7, 15, tzinfo=tz),
        activity="walking",
        note="left side",
        findings={"neuro.leg_numbness_tingling": True},
        logged_at=NOW,
    )
    doc = episode.to_json()
    assert {"id", "when", "sound", "pain", "activity", "note"} <= set(doc)
    assert doc["when"] == "2026-11-20T07:15:00-05:00"
    assert Episode.from_json(doc) == episode


def test_malformed_entries_are_input_errors() -> None:
    with pytest.raises(InvalidInputError, match="malformed"):
        Episode.from_json({"id": "x", "when": "not a date", "sound": "pop", "pain": 1})
    with pytest.raises(InvalidInputError, match="malformed"):
        StoredAssessment.from_json({"id": "a", "recorded_at": "2026-01-01", "disposition": "??"})


def test_stored_assessment_and_recording_round_trip() -> None:
    stored = StoredAssessment(
        id="as-1",
        recorded_at=NOW,
        disposition=Disposition.URGENT,
        red_flags=("systemic.fever",),
        findings={"systemic.fever": True},
        document={"schema": "crepitus.assessment/1"},
    )
    assert StoredAssessment.from_json(stored.to_json()) == stored
    rec = RecordingAnalysis(
        id="rec-1",
        recorded_at=NOW,
        kind="motion",
        file_name="walk.csv",
        duration_s=60.0,
        analysis={"schema": "crepitus.gait/1"},
    )
    assert RecordingAnalysis.from_json(rec.to_json()) == rec
    with pytest.raises(InvalidInputError, match="kind"):
        RecordingAnalysis(
            id="r", recorded_at=NOW, kind="video", file_name="x", duration_s=None, analysis={}
        )
