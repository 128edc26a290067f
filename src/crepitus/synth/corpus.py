"""The fixed synthetic corpora: a tuning split and a held-out split, by seed.

Every recording is fully determined by its seed (walk, scenario, rate, SNRs,
interferers, phone channel) and the generator's version
(:data:`crepitus.synth.audio.GENERATOR_VERSION`), so the splits are reproducible
without storing audio; figures of different versions are not comparable.
**The held-out split is never used for tuning**: thresholds, features and the
classifier (``crepitus.acoustics.training``) only ever see :data:`TUNING_SEEDS`;
:data:`HELD_OUT_SEEDS` are for reporting (``benchmarks/bench_listen.py``) only.

Recording design (issue 3 targets, acoustics.md §3):

* kinds in equal shares: pop (8–20 pops/min), snap, grind, mixed (4–10 pops/min
  plus a snap), plain walk;
* 16, 44.1 and 48 kHz in equal shares (§3.4);
* SNR (this package's convention, see :mod:`crepitus.synth.audio`): 5–35 dB
  for pops and snaps, −5 to 35 dB for grinding — the issue's evaluation
  ranges, which extend the research table's [A] ranges upward;
* 30–45 s of walking with 3 s standing before and 2 s after (the protocol
  asks for 30–60 s).
"""

from __future__ import annotations

import numpy as np

from crepitus.synth.audio import Scenario, SynthRecording, draw_scenario, synthesize_audio
from crepitus.synth.walk import simulate_walk

KINDS: tuple[str, ...] = ("pop", "snap", "grind", "mixed", "plain")
RATES_HZ: tuple[int, ...] = (16000, 44100, 48000)

#: Seeds the detector and classifier may be tuned and trained on: 1,500 recordings, 300 of them
#: plain walks (~211 min).  It was 150, then 450 recordings (~63 min of plain walks), where a
#: false-joint-sound rate near the 0.2/min target rested on ~3 events; the 1,050 added walks
#: showed failures the first 450 hardly held (plain walk 1714: a mistimed step rhythm, 51
#: false "snaps", fixed in :func:`crepitus.acoustics.features.step_period_s`).
TUNING_SEEDS: tuple[int, ...] = tuple(range(1000, 2500))
#: Seeds reserved for reporting.  Never tune on these.
HELD_OUT_SEEDS: tuple[int, ...] = tuple(range(700000, 700060))

POP_SNR_DB = (5.0, 35.0)
SNAP_SNR_DB = (5.0, 35.0)
GRIND_SNR_DB = (-5.0, 35.0)


def recording(seed: int, *, walking_s: float | None = None) -> SynthRecording:
    """The corpus recording with this seed (kind and rate cycle with the seed)."""
    kind = KINDS[seed % len(KINDS)]
    rate = RATES_HZ[(seed // len(KINDS)) % len(RATES_HZ)]
    gen = np.random.default_rng(seed)
    walk = simulate_walk(
        walking_s=float(gen.uniform(30.0, 45.0)) if walking_s is None else walking_s,
        standing_s=3.0,
        trailing_s=2.0,
        rng=gen,
    )
    base = draw_scenario(gen, kind=kind)
    # More pops per recording than the 0–3/min of acoustics.md §3.2 [A], so that
    # every pop recording has enough events to score (a stated corpus choice).
    pops_per_min = {"pop": float(gen.uniform(8.0, 20.0)), "mixed": float(gen.uniform(4.0, 10.0))}
    sc = Scenario(
        pops_per_min=pops_per_min.get(kind, 0.0),
        pop_cluster_p=base.pop_cluster_p,
        snap_side=base.snap_side,
        grind=base.grind,
        grind_every_step=base.grind_every_step,
        pop_snr_db=POP_SNR_DB,
        snap_snr_db=SNAP_SNR_DB,
        grind_snr_db=GRIND_SNR_DB,
        interferers=base.interferers,
        phone_channel=True,
    )
    return synthesize_audio(walk, sampling_rate_hz=rate, scenario=sc, rng=gen)


def kind_of(seed: int) -> str:
    return KINDS[seed % len(KINDS)]
