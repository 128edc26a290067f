"""Property tests: summaries conserve what was logged; backups restore exactly."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from crepitus.diary.export import export_bytes, parse_backup
from crepitus.diary.trends import weekly_summaries
from crepitus.diary.types import SOUNDS, DiaryContents, Episode

START = datetime(2026, 1, 1, tzinfo=UTC)

episodes_st = st.lists(
    st.builds(
        lambda i, minutes, offset_min, sound, pain, note: Episode(
            id=f"ep-{i:06d}",
            when=(START + timedelta(minutes=minutes)).astimezone(
                timezone(timedelta(minutes=offset_min))
            ),
            sound=sound,
            pain=pain,
            note=note,
            logged_at=START,
        ),
        st.integers(0, 999_999),
        st.integers(0, 60 * 24 * 120),
        st.sampled_from([-300, 0, 60, 330]),
        st.sampled_from(SOUNDS),
        st.integers(0, 10),
        st.text(max_size=40),
    ),
    max_size=40,
    unique_by=lambda e: e.id,
)


@given(episodes_st, st.integers(0, 130))
def test_weekly_summaries_conserve_entries(episodes: list[Episode], today_offset: int) -> None:
    today = date(2026, 1, 1) + timedelta(days=today_offset)
    weeks = weekly_summaries(episodes, [], today=today)
    counted = [e for e in episodes if e.when.date() <= today]
    assert sum(w.episodes for w in weeks) == len(counted)
    for w in weeks:
        assert 0 <= w.days_observed <= 7
        assert sum(w.sounds.values()) == w.episodes
        if w.episodes:
            assert w.days_observed >= 1
            assert w.pain_mean is not None and w.pain_max is not None
            assert 0 <= w.pain_mean <= w.pain_max <= 10
            joint = w.episodes - w.sounds["none"]
            assert w.pops_per_day is not None
            assert abs(w.pops_per_day * w.days_observed - joint) < 1e-9


@given(episodes_st)
def test_backup_round_trip(episodes: list[Episode]) -> None:
    contents = DiaryContents(episodes=tuple(episodes))
    restored = parse_backup(json.loads(export_bytes(contents, fmt="backup")))
    assert restored == contents
