"""What recordings say about the mechanism: pop counts as a likelihood ratio, silence stays
"undetermined", posture alone never names a mechanism."""

from __future__ import annotations

import pytest

from crepitus.fusion.evidence import load_evidence_types, pop_episodes, recording_evidence
from crepitus.mechanism import load_model

GAP = load_evidence_types()["rec.pops-sparse"].params["episode_gap_s"]


def _top(onsets: dict[str, list[float]], walking_s: float, tilt: float | None = None) -> str:
    evidence, _ = recording_evidence({}, onsets, walking_s=walking_s, tilt_change_deg=tilt)
    return load_model().posterior(evidence)[0][0]


def _pop_evidence(pops: list[float], walking_s: float) -> dict[str, float]:
    evidence, _ = recording_evidence({}, {"pop": pops}, walking_s=walking_s, tilt_change_deg=None)
    (ev,) = [e for e in evidence if e.id == "rec.pops-sparse"]
    return dict(ev.likelihood)


def test_pops_close_together_are_one_episode() -> None:
    assert pop_episodes([], GAP) == 0
    assert pop_episodes([10.0], GAP) == 1
    assert pop_episodes([10.0, 10.03, 10.08, 10.12], GAP) == 1  # one cavitation cluster
    assert pop_episodes([12.0, 10.0, 10.05, 30.0], GAP) == 3  # order does not matter
    assert pop_episodes([10.0, 10.0 + GAP], GAP) == 2


def test_a_cluster_weighs_as_much_as_one_pop_not_as_four() -> None:
    assert _pop_evidence([10.0, 10.03, 10.08, 10.12], 40.0) == pytest.approx(
        _pop_evidence([10.0], 40.0)
    )


def test_more_episodes_in_the_same_walk_are_stronger_evidence() -> None:
    ratios = []
    for k in (1, 2, 4):
        lik = _pop_evidence([5.0 + 7.0 * i for i in range(k)], 45.0)
        ratios.append(lik["cavitation"] / lik["undetermined"])
    assert ratios[0] < ratios[1] < ratios[2]


def test_a_long_recording_full_of_pops_is_overwhelming_not_an_overflow() -> None:
    pops = [2.5 * i for i in range(600)]  # 24 a minute for 25 minutes: under max_rate_per_min
    evidence, _ = recording_evidence({}, {"pop": pops}, walking_s=1500.0, tilt_change_deg=None)
    (ev,) = evidence
    assert ev.likelihood["cavitation"] == 1.0 and ev.likelihood["undetermined"] == 1e-12
    assert "more than 100 times likelier" in ev.description


def test_one_pop_names_cavitation_in_a_short_walk_but_not_in_a_long_one() -> None:
    """The Poisson ratio: at 0–3 pops a minute, one pop in 40 s is expected from cavitation;
    one pop in ten minutes is what stray clicks alone would give."""
    assert _top({"pop": [12.0]}, 40.0) == "cavitation"
    assert _top({"pop": [12.0]}, 600.0) == "undetermined"


@pytest.mark.parametrize("tilt", [None, 4.0, 8.0, 25.0])
@pytest.mark.parametrize("walking_s", [0.0, 10.0, 45.0, 300.0])
def test_nothing_heard_stays_undetermined_whatever_the_posture(
    tilt: float | None, walking_s: float
) -> None:
    """With no joint sound (or motion only: walking_s 0, no audio evidence), a tipped pelvis
    is not enough to name a mechanism."""
    assert _top({"pop": [], "snap": [], "grind": []}, walking_s, tilt) == "undetermined"


def test_pops_near_one_phase_on_few_strides_are_not_called_a_snap() -> None:
    # Cavitation may favour heel strike (acoustics.md §3.2), so phase locking alone is no
    # evidence against it; pops locked AND on many strides are (rec.pops-locked min_share).
    from crepitus.fusion.phase import cycles_from_contacts, phase_stats

    contacts = [i * 0.55 for i in range(110)]  # 60 s of steps
    cycles = cycles_from_contacts(contacts, None)
    few = [contacts[i] + 0.03 for i in range(0, 100, 14)]  # 8 pops on 7 % of steps
    many = [contacts[i] + 0.03 for i in range(0, 100, 4)]  # 25 pops on 23 % of steps
    for pops, expected in ((few, "rec.pops-sparse"), (many, "rec.pops-locked")):
        stats = {"pop": phase_stats("pop", pops, cycles, duration_s=60.0)}
        assert stats["pop"] is not None and stats["pop"].p_value < 0.01
        evidence, _ = recording_evidence(stats, {"pop": pops}, walking_s=60.0, tilt_change_deg=None)
        assert expected in {e.id for e in evidence}


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (("step", 0.05), "rec.pops-sparse"),  # just after a heel strike: cavitation may gather
        (("step", 0.75), "rec.pops-locked"),  # late in the step: nothing favours cavitation
        (("left", 0.55), "rec.pops-sparse"),  # the other foot's heel strike (50-65 %)
        (("left", 0.35), "rec.pops-locked"),  # mid-stance of the left stride
    ],
)
def test_a_few_pops_locked_away_from_heel_strike_are_too_regular_for_cavitation(
    where: tuple[str, float], expected: str
) -> None:
    """Locked pops on few cycles argue against cavitation only away from the heel-strike /
    double-support window where it may gather (acoustics.md §3.2)."""
    from crepitus.fusion.phase import cycles_from_contacts, phase_stats

    contacts = [i * 0.55 for i in range(110)]  # 60 s of steps, left first
    sides = ["left" if i % 2 == 0 else "right" for i in range(len(contacts))]
    cycle, phase = where
    cycles = cycles_from_contacts(contacts, sides if cycle == "left" else None)
    period = 1.1 if cycle == "left" else 0.55
    starts = contacts[0::2] if cycle == "left" else contacts
    pops = [starts[i] + phase * period for i in range(0, 48, 8)]  # 6 pops, few cycles
    stats = {"pop": phase_stats("pop", pops, cycles, duration_s=60.0)}
    assert stats["pop"] is not None and stats["pop"].p_value < 0.01
    assert stats["pop"].share_of_cycles < 0.12  # (left 55 % is also right 5 %: the same place)
    evidence, _ = recording_evidence(stats, {"pop": pops}, walking_s=60.0, tilt_change_deg=None)
    assert expected in {e.id for e in evidence}
