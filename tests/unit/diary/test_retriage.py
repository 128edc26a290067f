"""Re-triage: new red flags, new nerve symptoms and rising pain trigger a re-assessment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from crepitus.diary import service
from crepitus.diary.retriage import (
    LOOKBACK_DAYS,
    PAIN_RISE_MCID,
    build_alert,
    rising_pain_trigger,
    symptom_triggers,
)
from crepitus.diary.trends import WeekSummary
from crepitus.diary.types import Episode, StoredAssessment, StoredExerciseSession, new_id
from crepitus.domain import Assessment, Disposition, Reason
from crepitus.findings import Findings
from crepitus.plan.types import ExerciseSession

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
TODAY = NOW.date()
THIS_MONDAY = date(2026, 11, 23)


def week(monday: date, pain_mean: float | None) -> WeekSummary:
    return WeekSummary(
        week_start=monday,
        days_observed=7,
        episodes=0 if pain_mean is None else 3,
        pain_mean=pain_mean,
        pain_max=None if pain_mean is None else round(pain_mean) + 1,
    )


def ep(
    when: datetime, pain: int = 2, findings: dict[str, Any] | None = None, sound: str = "pop"
) -> Episode:
    # Logged when it happened (tests of back-dated entries set logged_at themselves).
    return Episode(
        id=new_id("ep"), when=when, sound=sound, pain=pain, findings=findings or {}, logged_at=when
    )


def stored(findings: dict[str, Any], disposition: Disposition, when: datetime) -> StoredAssessment:
    return StoredAssessment(
        id=new_id("as"),
        recorded_at=when,
        disposition=disposition,
        red_flags=(),
        findings=findings,
        document={},
    )


class FakeAssess:
    """Records the findings it was given; escalates when a `neuro.` code is true."""

    def __init__(self) -> None:
        self.calls: list[Findings] = []

    def __call__(self, findings: Findings) -> Assessment:
        self.calls.append(findings)
        flags = tuple(c for c, v in findings.items() if c.startswith("neuro.") and v is True)
        disposition = Disposition.URGENT if flags else Disposition.SELF_CARE
        return Assessment(
            disposition=disposition,
            red_flags=flags,
            mechanisms=(("cavitation", 1.0),),
            reasons=(Reason(rule="fake", source="test", text="fake"),),
            advice="fake advice",
            next_steps=(),
            safety_net=(),
            findings=dict(findings),
        )


@pytest.mark.parametrize(
    ("before", "after", "fires"),
    [(1.0, 1.0 + PAIN_RISE_MCID, True), (1.0, 2.9, False), (4.0, 2.0, False), (0.0, 9.0, True)],
)
def test_rising_pain_uses_the_two_point_mcid(before: float, after: float, fires: bool) -> None:
    weeks = [week(THIS_MONDAY - timedelta(weeks=1), before), week(THIS_MONDAY, after)]
    trigger = rising_pain_trigger(weeks, today=TODAY)
    assert (trigger is not None) is fires
    if trigger is not None:
        assert trigger.kind == "rising_pain"
        assert "clinically important" in trigger.text


def test_rising_pain_skips_empty_weeks_but_not_too_many() -> None:
    base = THIS_MONDAY
    across_gap = [
        week(base - timedelta(weeks=2), 1.0),
        week(base - timedelta(weeks=1), None),
        week(base, 4.0),
    ]
    assert rising_pain_trigger(across_gap, today=TODAY) is not None
    too_far = [week(base - timedelta(weeks=6), 1.0), week(base, 4.0)]
    assert rising_pain_trigger(too_far, today=TODAY) is None


def test_an_old_rise_is_history_not_news() -> None:
    old = [week(THIS_MONDAY - timedelta(weeks=5), 1.0), week(THIS_MONDAY - timedelta(weeks=4), 6.0)]
    assert rising_pain_trigger(old, today=TODAY) is None
    assert rising_pain_trigger([week(THIS_MONDAY, 9.0)], today=TODAY) is None


def test_new_symptoms_are_those_the_last_assessment_lacked() -> None:
    previous = stored(
        {"neuro.leg_pain_below_knee": True}, Disposition.SELF_CARE, NOW - timedelta(days=10)
    )
    episodes = [
        ep(NOW - timedelta(days=2), findings={"neuro.leg_pain_below_knee": True}),  # known
        ep(NOW - timedelta(days=1), findings={"neuro.saddle_numbness": True}),
        ep(NOW - timedelta(days=1), findings={"systemic.fever": True}),
        ep(NOW - timedelta(days=LOOKBACK_DAYS + 1), findings={"history.cancer": True}),  # old
    ]
    triggers, updates = symptom_triggers(episodes, [], previous, now=NOW)
    assert updates == {"neuro.saddle_numbness": True, "systemic.fever": True}
    kinds = {t.codes[0]: t.kind for t in triggers}
    assert kinds == {"neuro.saddle_numbness": "new_nerve_symptom", "systemic.fever": "new_symptom"}


def test_leg_symptoms_spreading_after_the_last_assessment_trigger() -> None:
    def session(day_offset: int, spread: bool) -> StoredExerciseSession:
        when = NOW - timedelta(days=day_offset)
        return StoredExerciseSession(
            id=new_id("ex"),
            session=ExerciseSession("plank", when.date(), sets=1, leg_symptoms_spread=spread),
            logged_at=when,
        )

    previous = stored({}, Disposition.SELF_CARE, NOW - timedelta(days=5))
    triggers, _ = symptom_triggers([], [session(7, True), session(1, False)], previous, now=NOW)
    assert triggers == []  # the spread happened before the last assessment
    triggers, _ = symptom_triggers([], [session(2, True)], previous, now=NOW)
    assert [t.kind for t in triggers] == ["leg_symptoms_spread"]
    assert "plank" in triggers[0].text


def test_build_alert_merges_findings_and_says_what_changed() -> None:
    previous = stored({"sound.pop": True, "age": 40}, Disposition.SELF_CARE, NOW)
    triggers, updates = symptom_triggers(
        [ep(NOW, findings={"neuro.leg_weakness": True})], [], previous, now=NOW
    )
    fake = FakeAssess()
    alert = build_alert(triggers, updates, previous, assess=fake)
    (given,) = fake.calls
    assert dict(given) == {"age": 40, "sound.pop": True, "neuro.leg_weakness": True}
    assert alert.escalated
    assert alert.disposition == Disposition.URGENT
    assert alert.new_red_flags == ("neuro.leg_weakness",)
    assert "ROSE from self_care to urgent" in alert.message
    doc = alert.to_json()
    assert doc["schema"] == "crepitus.retriage/1"
    assert doc["previous"]["disposition"] == "self_care"
    assert doc["assessment"]["disposition"] == "urgent"


def test_without_an_engine_the_alert_asks_to_reassess() -> None:
    triggers, updates = symptom_triggers(
        [ep(NOW, findings={"neuro.leg_weakness": True})], [], None, now=NOW
    )
    alert = build_alert(triggers, updates, None, assess=None)
    assert alert.assessment is None
    assert "crepitus assess" in alert.message
    assert not alert.escalated


def test_service_check_quiet_diary_gives_no_alert(repo: Any) -> None:
    for d in range(10):
        repo.add_episode(ep(NOW - timedelta(days=d), pain=2))
    fake = FakeAssess()
    assert service.check_for_retriage(repo, now=NOW, assess=fake) is None
    assert fake.calls == []


def test_service_check_rising_pain_sets_worsening_and_score(repo: Any) -> None:
    for d in range(7, 14):
        repo.add_episode(ep(NOW - timedelta(days=d), pain=1))
    for d in range(3):
        repo.add_episode(ep(NOW - timedelta(days=d), pain=6))
    fake = FakeAssess()
    alert = service.check_for_retriage(repo, now=NOW, assess=fake)
    assert alert is not None
    assert [t.kind for t in alert.triggers] == ["rising_pain"]
    (given,) = fake.calls
    assert given["pain.worsening"] is True
    assert given["pain.score"] == 6


def test_real_engine_escalates_a_logged_cauda_equina_symptom(repo: Any) -> None:
    """End to end with crepitus.workflows.assess: saddle numbness → emergency."""
    service.record_assessment(repo, service._default_assess()({"sound.pop": True}))  # type: ignore[misc]
    assert repo.latest_assessment().disposition == Disposition.SELF_CARE
    service.log_episode(repo, sound="none", pain=5, symptoms={"neuro.saddle_numbness": True})
    alert = service.check_for_retriage(repo)
    assert alert is not None
    assert alert.disposition == Disposition.EMERGENCY
    assert "neuro.saddle_numbness" in alert.new_red_flags
    assert "ROSE from self_care to emergency" in alert.message


def test_notes_count_only_for_warning_signs_and_nerve_symptoms() -> None:
    def reader(text: str) -> dict[str, Any]:
        return {"sound.pop": True, "neuro.leg_weakness": True, "systemic.fever": False}

    episodes = [Episode(id="ep-n", when=NOW, sound="pop", pain=2, note="popped; leg gave way")]
    triggers, updates = symptom_triggers(episodes, [], None, now=NOW, read_note=reader)
    assert updates == {"neuro.leg_weakness": True}  # not the pop, not the denied fever
    (trigger,) = triggers
    assert trigger.from_note and "please confirm" in trigger.text
    assert trigger.entry_ids == ("ep-n",)


def test_a_logged_symptom_is_not_repeated_as_a_note_mention() -> None:
    def reader(text: str) -> dict[str, Any]:
        return {"neuro.leg_weakness": True}

    episodes = [
        Episode(
            id="ep-1",
            when=NOW,
            sound="none",
            pain=3,
            note="leg weak",
            findings={"neuro.leg_weakness": True},
        ),
    ]
    triggers, _ = symptom_triggers(episodes, [], None, now=NOW, read_note=reader)
    assert [(t.codes, t.from_note) for t in triggers] == [(("neuro.leg_weakness",), False)]


def test_real_intake_reads_a_worrying_note(repo: Any) -> None:
    service.record_assessment(repo, service._default_assess()({"sound.pop": True}))  # type: ignore[misc]
    service.log_episode(repo, sound="pop", pain=2, note="no tingling, just the usual pop")
    assert service.check_for_retriage(repo) is None  # denied and benign mentions: quiet
    service.log_episode(repo, sound="none", pain=4, note="numb around my bottom since lunch")
    alert = service.check_for_retriage(repo)
    assert alert is not None
    assert [t.codes for t in alert.triggers] == [("neuro.saddle_numbness",)]
    assert alert.disposition == Disposition.EMERGENCY
    assert service.check_for_retriage(repo, read_notes=False) is None


def test_a_rise_already_assessed_does_not_alert_again() -> None:
    weeks = [week(THIS_MONDAY - timedelta(weeks=1), 1.0), week(THIS_MONDAY, 5.0)]
    assessed = stored({"pain.worsening": True}, Disposition.SOON, NOW)
    assert rising_pain_trigger(weeks, today=TODAY, previous=assessed) is None
    before_the_rise = stored({"pain.worsening": True}, Disposition.SOON, NOW - timedelta(days=14))
    assert rising_pain_trigger(weeks, today=TODAY, previous=before_the_rise) is not None
    not_worsening = stored({}, Disposition.SELF_CARE, NOW)
    assert rising_pain_trigger(weeks, today=TODAY, previous=not_worsening) is not None


def test_a_back_dated_red_flag_still_alerts(repo: Any) -> None:
    """Review finding S5a: the look-back window counts from when it was logged."""
    service.record_assessment(repo, service._default_assess()({"sound.pop": True}))  # type: ignore[misc]
    from datetime import UTC, datetime, timedelta

    long_ago = datetime.now(UTC) - timedelta(days=35)
    service.log_episode(
        repo, sound="none", pain=6, when=long_ago, symptoms={"neuro.bladder_change": True}
    )
    alert = service.check_for_retriage(repo)
    assert alert is not None
    assert alert.disposition == Disposition.EMERGENCY


def test_an_imported_assessment_is_never_below_its_own_findings(repo: Any) -> None:
    """Review finding S5b: an imported 'self_care' with saddle numbness is stored as emergency."""
    doc = {
        "schema": "crepitus.assessment/1",
        "disposition": "self_care",
        "red_flags": [],
        "findings": {"neuro.saddle_numbness": True},
    }
    stored = service.record_assessment_document(repo, doc)
    assert stored.disposition == Disposition.EMERGENCY
    assert "neuro.saddle_numbness" in stored.red_flags
