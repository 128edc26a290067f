"""Audio of one simulated walk: footsteps, joint sounds, interferers, a phone channel.

Every footstep, snap and grind is locked to the :class:`~crepitus.synth.walk.Walk`
it is given (its ``initial_contacts_s`` and ``sides``), so the same walk can
drive the IMU generator and fusion can be tested end to end.  All parameter
ranges come from ``shared/research/acoustics.md`` (cited per constant below as
"§x.y"); ranges marked [A] there are design assumptions with no measurement
behind them, and are drawn wide on purpose so that a detector tuned on this
generator cannot key on one value.

What is simulated (acoustics.md §3.2–§3.4 and §6):

* **pop** (facet cavitation): a sub-ms rise (0.05–0.5 ms) driving 1–3 damped
  modes, f1 log-uniform 150–2000 Hz (Reggars 1996: 86–1830 Hz, median 215 Hz),
  extra modes up to 3 kHz, τ 0.5–3 ms, an optional broadband click and an
  optional double wave (Méal & Scott 1986); sparse and aperiodic, 30–50 % of
  them in clusters of 2–5 pops within 10–150 ms (HVLA: 2–9 pops in
  ~100–140 ms), one joint id each with a 15–30 min refractory period (Unsworth
  1971) that is violated with p ≈ 0.05 (Cramer 2011).
* **snap** (tendon/ITB over bone): 1 low mode 40–300 Hz with τ 5–60 ms (knee
  clicks, Ozmen 2021), in half the walks gliding down by up to 25 % as it
  decays, plus a short partial 300–1500 Hz; once per stride of one side at a
  fixed phase 30–75 % (terminal stance to early swing; jitter σ 1–3 % of the
  stride), present on 60–100 % of strides, optional catch/release double
  click 5–30 ms apart.
* **grind** (arthritic crepitus): amplitude-modulated band noise (50–450 Hz
  emphasis, up to 2 kHz; Bączkowicz 2014 P1/P2 bands) plus a Poisson train of
  micro-clicks (20–300 s⁻¹, τ 0.2–1 ms, 200–3000 Hz, log-normal amplitudes),
  100–600 ms per stride within the loading phase 0–50 %, ±6 dB slow drift;
  a smooth, fast-attack or flat envelope per walk.
* **footsteps** (:class:`FootstepStyle`): a structure-borne heel-strike thud
  (10–150 Hz, τ 10–40 ms) building up over 1–25 ms, an airborne scuff (<500 Hz
  from normal force, >500 Hz from friction; Ekimov & Sabatier 2006) and, in
  most walks, the roll onto the forefoot 4–12 % of the stride later.
* **interferers** (§3.3): clothing rustle (crackle, step-locked rubbing
  bursts, loose-garment thuds), shoe squeak or toe-off scuff, phone-handling
  friction and finger/nail taps (the pop look-alikes, sometimes doubled),
  keys, muscle sound, breathing, speech, traffic/wind, over a white-to-pink-brown
  floor whose level drifts ±3 dB.
* **phone channel** (§3.4): a 2nd-order high-pass at 50–200 Hz, a ±6 dB
  resonance, AGC (target −20 dBFS, attack 10–100 ms, release 0.5–3 s,
  ±20 dB), hard or soft clipping on 0.1–2 % of samples, 16/44.1/48 kHz, and
  AAC/Opus through PyAV (:func:`encode_decode`).

Version 2 (:data:`GENERATOR_VERSION`) widened the footsteps, rustle, taps,
snaps, grinding envelopes and floor after a second, independent generator
showed crepitus keying on version 1's narrower choices; every recording of a
seed changed with it, so figures of the two versions are not comparable.

SNR convention (a stated deviation): acoustics.md §3.2 gives joint-sound levels
"vs walking background (band RMS, 100 Hz–4 kHz)" and calls the pop figure a
*peak* SNR.  The peak of Gaussian background is itself ~10 dB above its RMS, so
a literal +5 dB peak SNR would be indistinguishable from noise.  We therefore
define every SNR as the RMS of the event over its own labelled duration divided
by the RMS of everything else (footsteps and interferers included) over the
walking bout, both band-passed 100 Hz–4 kHz.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from crepitus.errors import InvalidInputError
from crepitus.synth.walk import LEFT, RIGHT, Walk

Kind = Literal["pop", "snap", "grind", "footstep"]
JOINT_KINDS: tuple[str, ...] = ("pop", "snap", "grind")

#: Bumped whenever the same seed gives different audio; benchmarks print it beside their figures.
GENERATOR_VERSION = 2

#: Lumbar facet joints L1/2–L5/S1 on both sides plus both sacro-iliac joints (§3.2 "Occurrence").
JOINT_IDS: tuple[str, ...] = tuple(
    f"{lvl}-{s}" for lvl in ("L1/2", "L2/3", "L3/4", "L4/5", "L5/S1", "SIJ") for s in ("L", "R")
)

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class SoundLabel:
    """Ground truth of one simulated event.

    ``phase`` is the stride phase (0–1) of the onset within the stride of
    ``side`` (``None`` outside walking); ``joint`` the joint id for pops.
    """

    onset_s: float
    offset_s: float
    kind: str
    side: str | None
    phase: float | None
    joint: str | None = None
    snr_db: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "onset_s": round(self.onset_s, 5),
            "offset_s": round(self.offset_s, 5),
            "kind": self.kind,
            "side": self.side,
            "phase": None if self.phase is None else round(self.phase, 4),
            "joint": self.joint,
            "snr_db": None if self.snr_db is None else round(self.snr_db, 2),
        }


@dataclass(frozen=True, slots=True)
class Scenario:
    """What one recording contains; drawn by :func:`draw_scenario` or set by hand.

    ``pops_per_min``: 0–3 per minute across all joints is the literature-based
    assumption (§3.2); tests and corpora may ask for more to have events to
    score.  SNR ranges are in dB under this module's SNR convention.
    """

    pops_per_min: float = 0.0
    pop_cluster_p: float = 0.4
    snap_side: str | None = None
    grind: bool = False
    grind_every_step: bool = False
    pop_snr_db: tuple[float, float] = (5.0, 30.0)
    snap_snr_db: tuple[float, float] = (5.0, 15.0)
    grind_snr_db: tuple[float, float] = (-5.0, 5.0)
    interferers: tuple[str, ...] = (
        "rustle",
        "squeak",
        "handling",
        "taps",
        "keys",
        "mmg",
        "breathing",
        "speech",
        "environment",
    )
    phone_channel: bool = True


ALL_INTERFERERS: tuple[str, ...] = Scenario().interferers


@dataclass(frozen=True)
class SynthRecording:
    """A simulated recording and its labels (joint sounds and footsteps)."""

    samples: NDArray[np.float32]
    sampling_rate_hz: int
    labels: tuple[SoundLabel, ...]
    walk: Walk
    scenario: Scenario
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sampling_rate_hz

    def joint_labels(self) -> tuple[SoundLabel, ...]:
        return tuple(lab for lab in self.labels if lab.kind in JOINT_KINDS)


# --------------------------------------------------------------------------- waveforms


def _t(n: int, fs: float) -> FloatArray:
    return np.arange(n, dtype=np.float64) / fs


def _log_uniform(rng: np.random.Generator, lo: float, hi: float) -> float:
    """A draw spread evenly over octaves (frequencies, decay times, rates)."""
    return float(np.exp(rng.uniform(np.log(lo), np.log(hi))))


def damped_modes(
    freqs_hz: Sequence[float],
    taus_s: Sequence[float],
    amps: Sequence[float],
    *,
    sampling_rate_hz: float,
    rise_s: float = 0.0,
    length_s: float | None = None,
    rng: np.random.Generator | None = None,
) -> FloatArray:
    """Σ a_k e^(−t/τ_k) sin(2π f_k t + φ_k) with a raised-cosine rise (§3.2 signal models).

    Modes above 0.45·fs are dropped (the channel could not carry them).
    """
    fs = float(sampling_rate_hz)
    if length_s is None:
        length_s = 4.6 * max(taus_s) + rise_s  # to −40 dB
    n = max(2, round(length_s * fs))
    t = _t(n, fs)
    out = np.zeros(n)
    for f, tau, a in zip(freqs_hz, taus_s, amps, strict=True):
        if f >= 0.45 * fs:
            continue
        phi = 0.0 if rng is None else float(rng.uniform(-0.5, 0.5))
        out += a * np.exp(-t / tau) * np.sin(2 * np.pi * f * t + phi)
    n_rise = round(rise_s * fs)
    if n_rise > 1:
        out[:n_rise] *= 0.5 - 0.5 * np.cos(np.pi * np.arange(n_rise) / n_rise)
    return out


def _bandpass_noise(
    n: int, lo_hz: float, hi_hz: float, fs: float, rng: np.random.Generator
) -> FloatArray:
    """White noise band-limited in the frequency domain (unit RMS).

    Snippets shorter than 64 samples are cut from a 64-sample draw (scaled to unit
    RMS over those 64), so a click of a few samples still has a band to speak of.
    """
    from scipy import fft

    n_draw = max(n, 64)
    m = fft.next_fast_len(n_draw, real=True)
    spec = fft.rfft(rng.standard_normal(m))
    f = np.fft.rfftfreq(m, 1 / fs)
    spec[(f < lo_hz) | (f > min(hi_hz, 0.48 * fs))] = 0
    y = np.asarray(fft.irfft(spec, m)[:n_draw], dtype=np.float64)
    rms = float(np.sqrt(np.mean(y**2)))
    return (y / rms if rms > 0 else y)[:n]


def _colored_noise(n: int, exponent: float, fs: float, rng: np.random.Generator) -> FloatArray:
    """1/f^exponent noise with unit RMS (0 white, 1 pink, 2 brown), DC removed."""
    from scipy import fft

    m = fft.next_fast_len(n, real=True)
    spec = fft.rfft(rng.standard_normal(m))
    f = np.fft.rfftfreq(m, 1 / fs)
    f[0] = f[1] if m > 1 else 1.0
    spec *= f ** (-exponent / 2)
    spec[0] = 0
    y = np.asarray(fft.irfft(spec, m)[:n], dtype=np.float64)
    rms = float(np.sqrt(np.mean(y**2)))
    return y / rms if rms > 0 else y


def pop_waveform(rng: np.random.Generator, *, sampling_rate_hz: float) -> tuple[FloatArray, float]:
    """One cavitation pop (§3.2 column a) and its labelled duration (to −30 dB) in seconds."""
    fs = float(sampling_rate_hz)
    n_modes = int(rng.integers(1, 4))
    f1 = _log_uniform(rng, 150.0, 2000.0)
    freqs = [f1] + [min(3000.0, f1 * float(rng.uniform(1.3, 3.0))) for _ in range(n_modes - 1)]
    taus = [float(rng.uniform(0.5e-3, 3e-3)) for _ in range(n_modes)]
    amps = [1.0] + [float(rng.uniform(0.2, 0.7)) for _ in range(n_modes - 1)]
    rise = float(rng.uniform(0.05e-3, 0.5e-3))
    y = damped_modes(freqs, taus, amps, sampling_rate_hz=fs, rise_s=rise, rng=rng)
    dur = rise + 3.45 * max(taus)  # −30 dB
    if rng.random() < 0.5:  # broadband click 0.2–1 ms, HP > 1 kHz
        nc = max(2, int(rng.uniform(0.2e-3, 1e-3) * fs))
        click = _bandpass_noise(nc, 1000.0, 0.45 * fs, fs, rng)
        click *= np.hanning(nc) * float(rng.uniform(0.1, 0.5)) * float(np.max(np.abs(y)))
        y[:nc] += click
    if rng.random() < 0.3:  # Méal & Scott double wave
        lag = int(rng.uniform(0.5e-3, 3e-3) * fs)
        y2 = np.zeros(len(y) + lag)
        y2[: len(y)] += y
        y2[lag:] += float(rng.uniform(0.3, 0.8)) * y
        y = y2
        dur += lag / fs
    return y, dur


def snap_waveform(
    rng: np.random.Generator,
    *,
    f1_hz: float,
    tau_s: float,
    sampling_rate_hz: float,
    glide: float = 0.0,
) -> tuple[FloatArray, float]:
    """One soft-tissue snap (§3.2 column b): a low damped mode plus a short partial.

    ``glide`` lowers the low mode's pitch by that fraction over its decay
    (f(t) = f1·(1 − glide·(1 − e^(−t/τ)))): the band or tendon slackens as it
    springs back over the bone, so its resonance need not hold still [A].
    """
    fs = float(sampling_rate_hz)
    f1 = f1_hz * float(rng.uniform(0.95, 1.05))
    tau = tau_s * float(rng.uniform(0.9, 1.1))
    fp = float(rng.uniform(300.0, 1500.0))
    taup = float(rng.uniform(1e-3, 5e-3))  # short partial [A]
    rise = float(rng.uniform(0.2e-3, 2e-3))
    y = damped_modes(
        [fp], [taup], [float(rng.uniform(0.2, 0.6))], sampling_rate_hz=fs, length_s=4.6 * tau + rise
    )
    t = _t(len(y), fs)
    # ∫ f dt of the gliding mode
    cycles = f1 * (t - glide * (t - tau * (1.0 - np.exp(-t / tau))))
    y += np.exp(-t / tau) * np.sin(2 * np.pi * cycles + float(rng.uniform(-0.5, 0.5)))
    n_rise = round(rise * fs)
    if n_rise > 1:
        y[:n_rise] *= 0.5 - 0.5 * np.cos(np.pi * np.arange(n_rise) / n_rise)
    dur = 2.3 * tau  # audible (−20 dB) duration; event 10–80 ms
    if rng.random() < 0.3:  # catch/release double click 5–30 ms apart
        lag = int(rng.uniform(5e-3, 30e-3) * fs)
        y2 = np.zeros(len(y) + lag)
        y2[: len(y)] += float(rng.uniform(0.3, 0.8)) * y
        y2[lag:] += y
        y = y2
        dur += lag / fs
    return y, max(dur, 0.010)


def grind_waveform(
    rng: np.random.Generator,
    *,
    duration_s: float,
    band_hz: tuple[float, float],
    click_rate_hz: float,
    click_share: float,
    sampling_rate_hz: float,
    envelope: str = "smooth",
) -> FloatArray:
    """One crepitus episode (§3.2 column c): AM band noise + Poisson micro-click train.

    ``envelope`` is the episode's shape [A]: ``"smooth"`` (a raised Hann window,
    loading and unloading alike), ``"attack"`` (a 5–50 ms attack then an
    exponential decay: the grinding is loudest as the load arrives) or
    ``"flat"`` (a Tukey window: steady grinding through the stance).
    """
    fs = float(sampling_rate_hz)
    n = max(16, int(duration_s * fs))
    env: FloatArray
    if envelope == "attack":
        t_env = _t(n, fs)
        attack = float(rng.uniform(0.005, 0.050))
        env = np.minimum(t_env / attack, 1.0) * np.exp(
            -np.maximum(t_env - attack, 0.0) / (duration_s * float(rng.uniform(0.25, 0.6)))
        )
    elif envelope == "flat":
        from scipy.signal.windows import tukey

        env = np.asarray(tukey(n, float(rng.uniform(0.1, 0.5))), dtype=np.float64)
    else:
        env = np.hanning(n) ** float(rng.uniform(0.3, 1.0))
    # slow AM inside the episode (roughness) [A]
    am = 1.0 + 0.4 * np.sin(2 * np.pi * float(rng.uniform(5, 20)) * _t(n, fs) + rng.uniform(0, 6))
    noise = _bandpass_noise(n, band_hz[0], band_hz[1], fs, rng) * env * am
    clicks = np.zeros(n)
    n_clicks = int(rng.poisson(click_rate_hz * duration_s))
    sigma = float(rng.uniform(0.5, 1.5))  # heavy-tailed click amplitudes (§3.2) [A]
    for pos in rng.integers(0, n, size=n_clicks):
        f = _log_uniform(rng, 200.0, 3000.0)
        c = damped_modes(
            [f],
            [float(rng.uniform(0.2e-3, 1e-3))],
            [float(rng.lognormal(0.0, sigma))],
            sampling_rate_hz=fs,
            rng=rng,
        )
        m = min(len(c), n - pos)
        clicks[pos : pos + m] += c[:m] * env[pos]
    rms_n = float(np.sqrt(np.mean(noise**2))) or 1.0
    rms_c = float(np.sqrt(np.mean(clicks**2))) or 1.0
    return (1 - click_share) * noise / rms_n + click_share * clicks / rms_c


@dataclass(frozen=True, slots=True)
class FootstepStyle:
    """One recording's footsteps, a shoe on a floor (§3.3 rows 1–2), drawn once per walk.

    A footstep is several sounds, not one click: the normal force gives energy
    below 500 Hz and friction above it (Ekimov & Sabatier 2006), and the foot
    lands heel first and rolls flat (foot flat at ~10–20 % of the stride, §3.1).
    Hence, per step:

    * the structure-borne heel-strike **thud** (two modes around 20–100 Hz and
      2.5× that, τ 10–40 ms) whose load builds up over 1–25 ms — a hard heel
      on stone is near-instant, a soft sole on carpet is not [A];
    * an airborne **scuff** of the sliding heel, 0–30 ms after the strike,
      5–60 ms long, its band anywhere from 60–500 Hz up to 1–6 kHz, from
      clearly audible to absent (carpet) [A];
    * with p = 0.6, the **roll** onto the forefoot: low band noise (20 Hz up to
      150–400 Hz, the normal force) 30–150 ms long, 4–12 % of the stride after
      the strike, 3–20 dB under the thud [A].

    Levels vary ±4 dB from step to step.  Every range is wide on purpose
    (a second, independent generator found crepitus reading the roll as a
    second footstep and as grinding: benchmarks/README.md, "independent generator").
    """

    thud_db: float
    f_thud_hz: float
    tau_thud_s: float
    rise_s: float
    scuff_db: float
    scuff_band_hz: tuple[float, float]
    scuff_delay_s: float
    scuff_len_s: float
    roll_db: float | None
    roll_delay_s: float
    roll_len_s: float
    roll_hi_hz: float

    @classmethod
    def draw(cls, rng: np.random.Generator, *, step_s: float) -> FootstepStyle:
        """A random style for a walk with this step time."""
        return cls(
            thud_db=float(rng.uniform(10.0, 30.0)),  # thud peak vs floor RMS [A]
            f_thud_hz=_log_uniform(rng, 20.0, 100.0),
            tau_thud_s=float(rng.uniform(0.010, 0.040)),
            rise_s=_log_uniform(rng, 0.001, 0.025),
            scuff_db=float(rng.uniform(-10.0, 20.0)),  # airborne scuff peak vs floor RMS [A]
            scuff_band_hz=(_log_uniform(rng, 60.0, 500.0), float(rng.uniform(1000.0, 6000.0))),
            scuff_delay_s=float(rng.uniform(0.0, 0.030)),
            scuff_len_s=float(rng.uniform(0.030, 0.060)),
            roll_db=float(rng.uniform(-20.0, -3.0)) if rng.random() < 0.6 else None,
            roll_delay_s=float(rng.uniform(0.04, 0.12)) * 2 * step_s,
            roll_len_s=float(rng.uniform(0.030, 0.150)),
            roll_hi_hz=float(rng.uniform(150.0, 400.0)),
        )

    def render(
        self, rng: np.random.Generator, *, sampling_rate_hz: float, level_db: float = 0.0
    ) -> FloatArray:
        """One footstep starting at its heel strike (sample 0), levels vs a unit floor."""
        fs = float(sampling_rate_hz)
        a = 10 ** ((self.thud_db + level_db + rng.uniform(-4, 4)) / 20)
        f = self.f_thud_hz
        thud = damped_modes(
            [f * rng.uniform(0.8, 1.25), 2.5 * f * rng.uniform(0.8, 1.25)],
            [self.tau_thud_s, self.tau_thud_s / 2],
            [1.0, float(rng.uniform(0.1, 0.5))],
            sampling_rate_hz=fs,
            rise_s=self.rise_s * float(rng.uniform(0.8, 1.25)),
            rng=rng,
        )
        parts = [(0.0, a * thud / (np.max(np.abs(thud)) or 1.0))]
        ns = int(rng.uniform(0.005, self.scuff_len_s) * fs)
        scuff = _bandpass_noise(ns, *self.scuff_band_hz, fs, rng)
        scuff *= (
            np.exp(-_t(ns, fs) / rng.uniform(0.002, 0.020))
            * 10 ** ((self.scuff_db + level_db + rng.uniform(-4, 4)) / 20)
            / 3.0
        )
        parts.append((float(rng.uniform(0.0, self.scuff_delay_s)), scuff))
        if self.roll_db is not None:
            nr = max(16, int(self.roll_len_s * rng.uniform(0.8, 1.25) * fs))
            roll = _bandpass_noise(nr, 20.0, self.roll_hi_hz, fs, rng) * np.hanning(nr)
            roll *= (
                a * 10 ** ((self.roll_db + rng.uniform(-3, 3)) / 20) / (np.max(np.abs(roll)) or 1.0)
            )
            parts.append((self.roll_delay_s * float(rng.uniform(0.9, 1.1)), roll))
        out = np.zeros(max(round(t0 * fs) + len(y) for t0, y in parts))
        for t0, y in parts:
            _add(out, y, t0, fs)
        return out

    def params(self) -> dict[str, Any]:
        """The recording-level parameters, for :attr:`SynthRecording.params`."""
        return {
            "thud_db": self.thud_db,
            "f_thud_hz": self.f_thud_hz,
            "tau_thud_s": self.tau_thud_s,
            "thud_rise_s": self.rise_s,
            "scuff_db": self.scuff_db,
            "roll_db": self.roll_db,
            "roll_delay_s": self.roll_delay_s,
        }


def _add(buf: FloatArray, y: FloatArray, start_s: float, fs: float) -> None:
    i0 = round(start_s * fs)
    if i0 >= len(buf) or i0 + len(y) <= 0:
        return
    a, b = max(i0, 0), min(i0 + len(y), len(buf))
    buf[a:b] += y[a - i0 : b - i0]


def band_rms(
    x: FloatArray, *, sampling_rate_hz: float, lo_hz: float = 100.0, hi_hz: float = 4000.0
) -> float:
    """RMS in the 100 Hz–4 kHz band used for every SNR (§3.2 amplitude row)."""
    from scipy import fft

    if len(x) == 0:
        return 0.0
    m = fft.next_fast_len(len(x), real=True)
    spec = fft.rfft(x, m)
    f = np.fft.rfftfreq(m, 1 / sampling_rate_hz)
    spec[(f < lo_hz) | (f > hi_hz)] = 0
    # Parseval, zero-padded real FFT: sum x^2 ≈ (2/m)·Σ|X_k|^2 (the band excludes DC/Nyquist)
    return float(np.sqrt(np.sum(np.abs(spec) ** 2) * 2 / m / len(x)))


# --------------------------------------------------------------------------- scenario


def draw_scenario(rng: np.random.Generator, *, kind: str) -> Scenario:
    """A random scenario of the given ``kind``: pop, snap, grind, mixed or plain (walk only).

    Interferers are each present with probability 0.6 so that every recording
    is a different mix (§3.3); plain walks have no joint sounds at all.
    """
    inter = tuple(i for i in ALL_INTERFERERS if rng.random() < 0.6)
    side = LEFT if rng.random() < 0.5 else RIGHT
    if kind == "pop":
        return Scenario(pops_per_min=float(rng.uniform(4, 12)), interferers=inter)
    if kind == "snap":
        return Scenario(snap_side=side, interferers=inter)
    if kind == "grind":
        return Scenario(grind=True, grind_every_step=bool(rng.random() < 0.3), interferers=inter)
    if kind == "mixed":
        return Scenario(pops_per_min=float(rng.uniform(2, 6)), snap_side=side, interferers=inter)
    if kind == "plain":
        return Scenario(interferers=inter)
    raise InvalidInputError(f"unknown scenario kind {kind!r}; use pop, snap, grind, mixed or plain")


# --------------------------------------------------------------------------- the generator


def synthesize_audio(
    walk: Walk,
    *,
    sampling_rate_hz: int = 48000,
    scenario: Scenario | None = None,
    rng: np.random.Generator | int | None = None,
) -> SynthRecording:
    """Render the audio of ``walk`` with the joint sounds and interferers of ``scenario``.

    Parameters
    ----------
    walk
        The gait clock: footsteps land on ``walk.initial_contacts_s``; snaps and
        grinds lock to the strides of ``walk.sides``.
    sampling_rate_hz
        Output rate; 16000, 44100 and 48000 are the phone rates of §3.4.
    scenario
        What to put in; a pop scenario when ``None``.
    rng
        Generator or seed.

    Returns
    -------
    SynthRecording
        float32 samples in [−1, 1] and the labels (joint sounds and footsteps).
    """
    if sampling_rate_hz < 8000 or sampling_rate_hz > 192000:
        raise InvalidInputError(f"sampling_rate_hz must be 8000–192000, got {sampling_rate_hz}")
    gen = np.random.default_rng(rng)
    sc = scenario or Scenario(pops_per_min=4.0)
    fs = float(sampling_rate_hz)
    n = round(walk.duration_s * fs)
    ics = walk.initial_contacts_s
    sides = np.asarray(walk.sides)
    step_s = 60.0 / walk.cadence_spm
    params: dict[str, Any] = {"sampling_rate_hz": sampling_rate_hz}

    # ---- background: ambient floor, white to between pink and brown, drifting ±3 dB [A] ----------
    background = _colored_noise(n, float(gen.uniform(0.0, 1.5)), fs, gen)
    background *= 10 ** (
        3.0 * np.sin(2 * np.pi * _t(n, fs) / gen.uniform(5.0, 20.0) + gen.uniform(0, 6.3)) / 20
    )
    labels: list[SoundLabel] = []

    # ---- footsteps (§3.3 rows 1–2) ------------------------------------------------------
    style = FootstepStyle.draw(gen, step_s=step_s)
    side_db = {LEFT: float(gen.uniform(-3.0, 3.0)), RIGHT: 0.0}  # limp / worn shoe [A]
    for t_ic, side in zip(ics, sides, strict=True):
        y = style.render(gen, sampling_rate_hz=fs, level_db=side_db[str(side)])
        _add(background, y, float(t_ic), fs)
        labels.append(
            SoundLabel(float(t_ic), float(t_ic) + 3 * style.tau_thud_s, "footstep", str(side), 0.0)
        )
    params.update(style.params())

    # ---- interferers (§3.3) ------------------------------------------------------------
    _add_interferers(background, walk, sc.interferers, fs, gen, params)

    walking = slice(
        int(walk.walking_start_s * fs), int(min(walk.walking_end_s + step_s, walk.duration_s) * fs)
    )
    bg_rms = band_rms(background[walking], sampling_rate_hz=fs)
    params["background_band_rms"] = bg_rms
    joint = np.zeros(n)

    def place(y: FloatArray, onset_s: float, dur_s: float, snr_range: tuple[float, float]) -> float:
        snr = float(gen.uniform(*snr_range))
        nd = max(4, int(dur_s * fs))
        ev_rms = band_rms(y[:nd], sampling_rate_hz=fs) or 1.0
        _add(joint, y * (bg_rms * 10 ** (snr / 20) / ev_rms), onset_s, fs)
        return snr

    # ---- pops (§3.2 column a) -------------------------------------------------------
    if sc.pops_per_min > 0:
        labels += _place_pops(walk, sc, fs, gen, place)

    # ---- snaps (§3.2 column b) ------------------------------------------------------
    if sc.snap_side is not None:
        f1 = _log_uniform(gen, 40.0, 300.0)
        tau = _log_uniform(gen, 0.005, 0.060)
        # terminal stance to early swing (§3.2 gait phase: 30–60 % "or early swing") [A]
        phi0 = float(gen.uniform(0.30, 0.75))
        glide = float(gen.uniform(0.0, 0.25)) if gen.random() < 0.5 else 0.0
        jitter = float(gen.uniform(0.01, 0.03))
        present = float(gen.uniform(0.6, 1.0))
        snr_lo, snr_hi = sc.snap_snr_db
        base_snr = float(gen.uniform(snr_lo + 1.5, snr_hi - 1.5)) if snr_hi - snr_lo > 3 else snr_lo
        own = ics[sides == sc.snap_side]
        params.update(snap_f1_hz=f1, snap_tau_s=tau, snap_phase=phi0, snap_glide=glide)
        for k in range(len(own) - 1):
            if gen.random() > present:
                continue
            stride = own[k + 1] - own[k]
            on = own[k] + stride * (phi0 + jitter * float(gen.standard_normal()))
            y, dur = snap_waveform(gen, f1_hz=f1, tau_s=tau, sampling_rate_hz=fs, glide=glide)
            snr = place(y, float(on), dur, (base_snr - 1.5, base_snr + 1.5))
            labels.append(
                SoundLabel(
                    float(on),
                    float(on) + dur,
                    "snap",
                    sc.snap_side,
                    walk.stride_phase(float(on), side=sc.snap_side),
                    snr_db=snr,
                )
            )

    # ---- grinding (§3.2 column c) ------------------------------------------------------
    if sc.grind:
        grind_side = LEFT if gen.random() < 0.5 else RIGHT
        band = (float(gen.uniform(50.0, 150.0)), float(gen.uniform(300.0, 2000.0)))
        rate = _log_uniform(gen, 20.0, 300.0)
        share = float(gen.uniform(0.1, 0.9))
        envelope = str(gen.choice(["smooth", "attack", "flat"]))
        ep_s = float(gen.uniform(0.10, 0.60))
        # onset within the loading window: 0–50 % of the stride (§3.2 gait phase, [A])
        offset_s = float(gen.uniform(0.0, max(0.02, 0.5 - ep_s / (2 * step_s)))) * 2 * step_s
        base_snr = float(gen.uniform(*sc.grind_snr_db))
        drift_period = float(gen.uniform(10, 40))  # strides, ±6 dB slow drift [A]
        params.update(
            grind_band_hz=band,
            grind_click_rate_hz=rate,
            grind_episode_s=ep_s,
            grind_envelope=envelope,
        )
        use = np.ones(len(ics), bool) if sc.grind_every_step else sides == grind_side
        own = ics[use]
        for k in range(len(own) - 1):
            period = own[k + 1] - own[k]
            d = ep_s * float(gen.uniform(0.85, 1.15))
            on = own[k] + min(offset_s, 0.5 * period)
            y = grind_waveform(
                gen,
                duration_s=d,
                band_hz=band,
                click_rate_hz=rate,
                click_share=share,
                sampling_rate_hz=fs,
                envelope=envelope,
            )
            drift = 6.0 * np.sin(2 * np.pi * k / drift_period)
            snr = float(np.clip(base_snr + drift, sc.grind_snr_db[0], sc.grind_snr_db[1]))
            place(y, float(on), d, (snr, snr))
            side = str(sides[np.searchsorted(ics, own[k])])
            labels.append(
                SoundLabel(
                    float(on),
                    float(on) + d,
                    "grind",
                    side,
                    walk.stride_phase(float(on), side=side),
                    snr_db=snr,
                )
            )

    x = background + joint
    if sc.phone_channel:
        x = phone_channel(x, sampling_rate_hz=fs, rng=gen, params=params)
    else:
        x = x / (np.max(np.abs(x)) or 1.0) * 0.5
    labels.sort(key=lambda lab: lab.onset_s)
    return SynthRecording(
        samples=x.astype(np.float32),
        sampling_rate_hz=int(sampling_rate_hz),
        labels=tuple(labels),
        walk=walk,
        scenario=sc,
        params=params,
    )


def _place_pops(
    walk: Walk, sc: Scenario, fs: float, gen: np.random.Generator, place: Any
) -> list[SoundLabel]:
    """Sparse, aperiodic pops with per-joint refractoriness and clusters (§3.2 column a)."""
    labels: list[SoundLabel] = []
    t0, t1 = walk.walking_start_s, walk.walking_end_s
    n_ep = int(gen.poisson(sc.pops_per_min * (t1 - t0) / 60.0))
    # Inter-episode gaps of at least 0.4 s keep episodes distinct (independent cavitations).
    times = np.sort(gen.uniform(t0, t1, size=n_ep))
    keep: list[float] = []
    for t in times:
        if not keep or t - keep[-1] > 0.4:
            keep.append(float(t))
    last_pop: dict[str, float] = {}
    for t in keep:
        if gen.random() < 0.5:  # bias to double support / heel strike (0–15 %, 50–65 %) [A]
            k = int(np.searchsorted(walk.initial_contacts_s, t)) - 1
            if 0 <= k < len(walk.initial_contacts_s) - 1:
                ic = walk.initial_contacts_s[k]
                t = float(ic + gen.uniform(0.0, 0.15) * 2 * (walk.initial_contacts_s[k + 1] - ic))
        n_in = int(gen.integers(2, 6)) if gen.random() < sc.pop_cluster_p else 1
        offsets = np.sort(np.concatenate([[0.0], gen.uniform(0.010, 0.150, size=n_in - 1)]))
        # pops of a cluster at least 8 ms apart (distinct joints; separable for scoring)
        offs: list[float] = []
        for o in offsets:
            if not offs or o - offs[-1] >= 0.008:
                offs.append(float(o))
        for o in offs:
            free = [j for j in JOINT_IDS if t + o - last_pop.get(j, -1e9) > gen.uniform(900, 1800)]
            if not free and gen.random() > 0.05:  # refractory ~20 min, rare violation p≈0.05
                continue
            joint = str(gen.choice(free or list(JOINT_IDS)))
            last_pop[joint] = t + o
            y, dur = pop_waveform(gen, sampling_rate_hz=fs)
            snr = place(y, t + o, dur, sc.pop_snr_db)
            side = LEFT if joint.endswith("L") else RIGHT
            labels.append(
                SoundLabel(
                    t + o,
                    t + o + dur,
                    "pop",
                    side,
                    walk.stride_phase(t + o, side=side),
                    joint=joint,
                    snr_db=snr,
                )
            )
    return labels


def _add_interferers(
    buf: FloatArray,
    walk: Walk,
    which: Sequence[str],
    fs: float,
    gen: np.random.Generator,
    params: dict[str, Any],
) -> None:
    """Add the §3.3 interferers named in ``which`` to ``buf`` (levels vs the unit floor) [A]."""
    n = len(buf)
    ics = walk.initial_contacts_s
    step_s = 60.0 / walk.cadence_spm
    t = _t(n, fs)
    if "rustle" in which:
        _add_rustle(buf, walk, fs, gen, params)
    if "squeak" in which:  # 1–4 kHz, tonal or noisy, 20–150 ms at ~60 % stride
        f = float(gen.uniform(1000, 4000))
        tonal = bool(gen.random() < 0.5)
        for k in range(0, len(ics) - 2, 2):
            if gen.random() < 0.5:
                continue
            d = float(gen.uniform(0.02, 0.15))
            tt = _t(int(d * fs), fs)
            if tonal:
                y = np.sin(2 * np.pi * f * (1 + 0.05 * tt / d) * tt)
            else:  # toe-off scuff: friction noise around the same band
                y = _bandpass_noise(len(tt), 0.5 * f, 2.0 * f, fs, gen)
            _add(
                buf,
                y * np.hanning(len(tt)) * 10 ** (gen.uniform(0, 12) / 20),
                float(ics[k] + gen.uniform(0.55, 0.65) * (ics[k + 2] - ics[k])),
                fs,
            )
    if "handling" in which:  # grip-shift friction bursts 50–500 ms; case creaks
        for _ in range(int(gen.poisson(walk.duration_s / 15))):
            d = float(gen.uniform(0.05, 0.5))
            m = int(d * fs)
            y = _bandpass_noise(m, 50.0, 500.0 if gen.random() < 0.5 else 4000.0, fs, gen)
            _add(
                buf,
                y * np.hanning(m) * 10 ** (gen.uniform(-5, 10) / 20),
                float(gen.uniform(0, walk.duration_s)),
                fs,
            )
    if "taps" in which:  # finger/nail taps on the phone, 2–10 ms: the pop look-alikes
        for _ in range(int(gen.poisson(walk.duration_s / 60 * 2))):
            t_tap = float(gen.uniform(0, walk.duration_s))
            for _ in range(1 if gen.random() < 0.7 else int(gen.integers(2, 4))):  # double taps
                f0 = float(gen.uniform(1500, 6000))
                y = damped_modes(
                    [f0, f0 * gen.uniform(1.3, 2.0)],
                    [gen.uniform(5e-4, 4e-3)] * 2,
                    [1.0, 0.5],
                    sampling_rate_hz=fs,
                    rng=gen,
                )
                nc = max(4, int(gen.uniform(2e-4, 1e-3) * fs))
                y[:nc] += _bandpass_noise(nc, 2000.0, 0.45 * fs, fs, gen)
                _add(buf, y * 10 ** (gen.uniform(5, 25) / 20), t_tap, fs)
                t_tap += float(gen.uniform(0.08, 0.25))
    if "keys" in which:  # metallic 2–10 kHz ringing 50–300 ms, step-locked
        fk = gen.uniform(2000, 10000, size=4)
        for t_ic in ics:
            if gen.random() < 0.4:
                continue
            y = damped_modes(
                (fk * gen.uniform(0.98, 1.02, size=4)).tolist(),
                gen.uniform(0.015, 0.08, size=4).tolist(),
                gen.uniform(0.3, 1.0, size=4).tolist(),
                sampling_rate_hz=fs,
                rng=gen,
            )
            _add(
                buf, y * 10 ** (gen.uniform(-5, 10) / 20), float(t_ic + gen.uniform(0.01, 0.08)), fs
            )
    if "mmg" in which:  # muscle sound 5–100 Hz
        buf += (
            _bandpass_noise(n, 5.0, 100.0, fs, gen)
            * 10 ** (gen.uniform(-10, 5) / 20)
            * (0.6 + 0.4 * np.sin(2 * np.pi * t / step_s) ** 2)
        )
    if "breathing" in which:  # 100–2000 Hz band noise, 2–5 s cycle
        cyc = float(gen.uniform(2, 5))
        am = np.clip(np.sin(2 * np.pi * t / cyc + gen.uniform(0, 6.3)), 0, None) ** 2
        buf += _bandpass_noise(n, 100.0, 2000.0, fs, gen) * am * 10 ** (gen.uniform(-15, 0) / 20)
    if "speech" in which:  # F0 85–255 Hz harmonics, 3 formants, syllables ~4–5 Hz
        f0 = float(gen.uniform(85, 255))
        for _ in range(int(gen.integers(1, 4))):
            d = float(gen.uniform(1.0, 4.0))
            m = int(d * fs)
            tt = _t(m, fs)
            f0t = f0 * (1 + 0.08 * np.sin(2 * np.pi * gen.uniform(0.3, 1.5) * tt))
            phase = 2 * np.pi * np.cumsum(f0t) / fs
            formants = gen.uniform([300, 900, 2200], [900, 2200, 3200])
            y = np.zeros(m)
            for h in range(1, int(4000 / f0)):
                w = sum(np.exp(-0.5 * ((h * f0 - fm) / 150.0) ** 2) for fm in formants) + 0.05
                y += w / h**0.5 * np.sin(h * phase)
            syl = np.clip(np.sin(2 * np.pi * gen.uniform(4, 5) * tt), 0, None) ** 1.5
            y *= syl / (np.sqrt(np.mean(y**2)) or 1.0)
            _add(
                buf,
                y * 10 ** (gen.uniform(-5, 15) / 20),
                float(gen.uniform(0, max(walk.duration_s - d, 0.1))),
                fs,
            )
    if "environment" in which:  # traffic/HVAC < 500 Hz or wind (LF, gusty)
        lf = _colored_noise(n, 2.0, fs, gen)
        gust = 1 + 0.7 * np.sin(2 * np.pi * t / gen.uniform(3, 10)) ** 2
        buf += lf * gust * 10 ** (gen.uniform(-5, 10) / 20)


def _add_rustle(
    buf: FloatArray, walk: Walk, fs: float, gen: np.random.Generator, params: dict[str, Any]
) -> None:
    """Clothing rustle (§3.3): "from HF crackling to LF thuds", AM at the step rate [A].

    Three parts, each a different fabric or fit: a continuous crackle (sparse
    1–8 kHz impulses, always), with p = 0.6 rubbing bursts as the leg or arm
    swings past the phone (band noise from 200–1500 Hz up to 2–8 kHz, 50–300 ms,
    at a fixed phase of most steps with ±10 % jitter), and with p = 0.4 low
    thuds of a loose garment or pocket (50–300 Hz noise, 10–40 ms, at random).
    The bursts are step-locked like grinding is; what tells them apart is their
    band and the absence of a micro-click train — a generator without them let
    a detector call every rub "grinding" (benchmarks/README.md, "independent generator").
    """
    n = len(buf)
    t = _t(n, fs)
    ics = walk.initial_contacts_s
    step_s = 60.0 / walk.cadence_spm
    level_db = float(gen.uniform(-10, 5))
    crackle = _bandpass_noise(n, 1000.0, 8000.0, fs, gen)
    sparse = (gen.random(n) < gen.uniform(0.02, 0.3)).astype(np.float64)
    am = 0.5 + 0.5 * np.sin(2 * np.pi * t / step_s + gen.uniform(0, 6.3)) ** 2
    buf += (
        10 ** (level_db / 20) * crackle * sparse * am / np.sqrt(max(float(np.mean(sparse)), 1e-6))
    )
    params["rustle_db"] = level_db
    if gen.random() < 0.6:
        lo, hi = float(gen.uniform(200, 1500)), float(gen.uniform(2000, 8000))
        phase, present = float(gen.uniform(0, 1)), float(gen.uniform(0.5, 1.0))
        rub_db = float(gen.uniform(-10, 8))
        params["rub_db"] = rub_db
        for k in range(len(ics) - 1):
            if gen.random() > present:
                continue
            m = int(gen.uniform(0.05, 0.30) * fs)
            y = _bandpass_noise(m, lo, hi, fs, gen) * np.hanning(m)
            at = ics[k] + (phase + gen.uniform(-0.1, 0.1)) % 1.0 * (ics[k + 1] - ics[k])
            _add(buf, y * 10 ** ((rub_db + gen.uniform(-4, 4)) / 20), float(at), fs)
    if gen.random() < 0.4:
        for _ in range(int(gen.poisson(walk.duration_s * gen.uniform(0.1, 1.0)))):
            m = int(gen.uniform(0.010, 0.040) * fs)
            y = _bandpass_noise(m, 50.0, 300.0, fs, gen) * np.hanning(m)
            _add(
                buf, y * 10 ** (gen.uniform(0, 15) / 20), float(gen.uniform(0, walk.duration_s)), fs
            )


def phone_channel(
    x: FloatArray,
    *,
    sampling_rate_hz: float,
    rng: np.random.Generator,
    params: dict[str, Any] | None = None,
) -> FloatArray:
    """The §3.4 phone chain: HPF, resonance, level, AGC, clipping (codec is separate).

    Parameters are drawn per recording: HPF 2nd order at 50–200 Hz; a peaking
    resonance of ±6 dB at 300–5000 Hz; AGC towards −20 dBFS with attack
    10–100 ms, release 0.5–3 s, gain limited to ±20 dB (applied with p = 0.6);
    clipping on 0.1–2 % of samples, hard or soft (applied with p = 0.5).
    """
    from scipy import signal

    fs = float(sampling_rate_hz)
    p = params if params is not None else {}
    fc = float(rng.uniform(50.0, 200.0))
    y = signal.sosfilt(signal.butter(2, fc, "highpass", fs=fs, output="sos"), x)
    f_res = float(rng.uniform(300.0, min(5000.0, 0.4 * fs)))
    g_db = float(rng.uniform(-6.0, 6.0))
    y = _peaking(y, f_res, g_db, q=float(rng.uniform(0.7, 3.0)), fs=fs)
    y = y / (np.sqrt(np.mean(y**2)) or 1.0) * 10 ** (rng.uniform(-35.0, -20.0) / 20)
    p.update(hpf_hz=fc, resonance_hz=f_res, resonance_db=g_db)
    if rng.random() < 0.6:
        y = agc(
            y,
            sampling_rate_hz=fs,
            target_dbfs=-20.0,
            attack_s=float(rng.uniform(0.01, 0.1)),
            release_s=float(rng.uniform(0.5, 3.0)),
        )
        p["agc"] = True
    if rng.random() < 0.5:
        frac = float(rng.uniform(0.001, 0.02))
        level = float(np.quantile(np.abs(y), 1 - frac)) or 1.0
        y = y / level
        y = np.clip(y, -1.0, 1.0) if rng.random() < 0.5 else np.tanh(y) / np.tanh(1.0)
        y = np.clip(y, -1.0, 1.0)
        p["clipped_fraction"] = frac
    else:
        y = y / max(1.0, float(np.max(np.abs(y))) / 0.99)
    return np.asarray(y, dtype=np.float64)


def _peaking(x: FloatArray, f0: float, gain_db: float, *, q: float, fs: float) -> FloatArray:
    """RBJ audio-EQ-cookbook peaking biquad (a smooth ±dB resonance)."""
    from scipy import signal

    a = 10 ** (gain_db / 40)
    w0 = 2 * np.pi * f0 / fs
    alpha = np.sin(w0) / (2 * q)
    b = np.array([1 + alpha * a, -2 * np.cos(w0), 1 - alpha * a])
    den = np.array([1 + alpha / a, -2 * np.cos(w0), 1 - alpha / a])
    return np.asarray(signal.lfilter(b / den[0], den / den[0], x), dtype=np.float64)


def agc(
    x: FloatArray,
    *,
    sampling_rate_hz: float,
    target_dbfs: float,
    attack_s: float,
    release_s: float,
    range_db: float = 20.0,
) -> FloatArray:
    """Feed-forward AGC: a one-pole RMS follower (fast up, slow down) driving a gain.

    Computed on a 1 ms grid and interpolated, so it costs O(n) numpy.
    """
    fs = float(sampling_rate_hz)
    hop = max(1, int(fs / 1000))
    m = len(x) // hop
    if m < 2:
        return x
    pw = np.mean(x[: m * hop].reshape(m, hop) ** 2, axis=1)
    a_att = np.exp(-1e-3 / attack_s)
    a_rel = np.exp(-1e-3 / release_s)
    env = np.empty(m)
    e = float(pw[0])
    for i in range(m):
        a = a_att if pw[i] > e else a_rel
        e = a * e + (1 - a) * float(pw[i])
        env[i] = e
    gain_db = np.clip(target_dbfs - 10 * np.log10(env + 1e-12), -range_db, range_db)
    g = 10 ** (np.interp(np.arange(len(x)) / hop, np.arange(m), gain_db) / 20)
    return x * g


# --------------------------------------------------------------------------- codecs


def encode_decode(
    samples: NDArray[np.floating[Any]], *, sampling_rate_hz: int, codec: str, bitrate_bps: int
) -> tuple[NDArray[np.float32], int]:
    """Round-trip mono audio through AAC (``"aac"``, M4A) or Opus (``"opus"``, WebM) with PyAV.

    Returns the decoded samples and their rate (Opus always decodes at 48 kHz).
    The codec's priming delay is removed by the container's edit list / pre-skip
    where PyAV honours it; the caller should not assume sample alignment better
    than a few ms (acoustics.md §3.4: envelope timing ≤1 ms typical).
    """
    data = encode_bytes(
        samples, sampling_rate_hz=sampling_rate_hz, codec=codec, bitrate_bps=bitrate_bps
    )
    from crepitus.acoustics.io import decode_bytes

    return decode_bytes(data)


def encode_bytes(
    samples: NDArray[np.floating[Any]], *, sampling_rate_hz: int, codec: str, bitrate_bps: int
) -> bytes:
    """Encode mono float audio to an in-memory M4A (AAC) or WebM (Opus) file."""
    import av

    if codec == "aac":
        fmt, codec_name, rate = "mp4", "aac", int(sampling_rate_hz)
    elif codec == "opus":
        fmt, codec_name, rate = "webm", "libopus", 48000
    else:
        raise InvalidInputError(f"unknown codec {codec!r}; use aac or opus")
    x = np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0)
    buf = io.BytesIO()
    with av.open(buf, mode="w", format=fmt) as out:
        stream = out.add_stream(codec_name, rate=rate)
        if not isinstance(
            stream, av.AudioStream
        ):  # pragma: no cover - add_stream of an audio codec
            raise TypeError("expected an audio stream")
        stream.bit_rate = int(bitrate_bps)
        stream.layout = "mono"
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=rate)
        chunk = 4096
        for i in range(0, len(x), chunk):
            frame = av.AudioFrame.from_ndarray(x[None, i : i + chunk], format="flt", layout="mono")
            frame.sample_rate = int(sampling_rate_hz)
            frame.pts = i
            for rf in resampler.resample(frame):
                for packet in stream.encode(rf):
                    out.mux(packet)
        for rf in resampler.resample(None):
            for packet in stream.encode(rf):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


def with_samples(
    rec: SynthRecording, samples: NDArray[np.float32], sampling_rate_hz: int
) -> SynthRecording:
    """The same recording and labels with new samples (e.g. after a codec round trip)."""
    return replace(rec, samples=samples, sampling_rate_hz=int(sampling_rate_hz))
