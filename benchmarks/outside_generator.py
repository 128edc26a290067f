"""An independent walking-recording generator: a held-out *generator* for ``listen``.

Why it exists: crepitus's sound model is trained and tuned on recordings of its own
generator (``crepitus.synth``), so its held-out figures only say how well it has learnt
*that* generator. This one was written by a session that never read ``crepitus.synth``:
every choice (envelopes, modes, interferers, phone channel, SNR definition) is its own,
drawn from the ranges of ``research/acoustics.md`` (cited as §n below; where a range here
differs from the notes, the comment says so). Scoring ``listen`` on it measures how far
the model generalises to a different, equally plausible world.

Rules, because the point is independence:

* this module must **never import** ``crepitus`` (least of all ``crepitus.synth``), and
  ``crepitus.synth`` must never be fitted or tuned to it: measure, don't tune;
* changing what a seed produces changes the benchmark; say so in benchmarks/README.md.

SNR (this generator's own definition): the background ``b`` = footsteps + every
interferer before the phone channel, band-passed 100 Hz–4 kHz (4th-order Butterworth),
RMS over the whole recording = ``B`` (the band of §3.2's SNR row). Pops and snaps are
scaled to a *peak* SNR, ``20 log10(max |band-passed event| / B)``; grinding episodes to an
*RMS* SNR over the episode. Each joint sound is scaled to hit its drawn SNR exactly.

Ablation: ``off`` names components to leave out (:data:`COMPONENTS`). Every component
has its own random stream (or draws the same numbers whether on or off), so leaving one
out changes nothing else in the recording.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import signal

Array = npt.NDArray[np.float64]
Rng = np.random.Generator

#: Recording kinds: one kind of joint sound per recording, or none ("plain" walking).
KINDS: tuple[str, ...] = ("pop", "snap", "grind", "plain")
#: Interferers of the background, in the order their random streams are drawn.
_INTERFERERS = ("squeak", "rustle", "handling", "tap", "keys", "speech", "breath", "traffic", "mmg")
#: Components ``make(off=...)`` can leave out (ablation): parts of the footstep, the
#: interferers, parts of the phone channel.
COMPONENTS: tuple[str, ...] = ("rumble", "scuff", *_INTERFERERS, "agc", "clip")
#: Default SNR ranges (dB, this module's definition): the ranges of the package's own
#: held-out split (benchmarks/README.md), so the two sets of figures compare. §3.2 suggests
#: pop +5…+30, snap −10…+15, crepitus −20…+5 dB [all assumptions there]: snaps and
#: grinding are louder here. A requested range (``snr_range``) replaces these.
DEFAULT_SNR_DB: dict[str, tuple[float, float]] = {
    "pop": (5.0, 35.0),
    "snap": (5.0, 35.0),
    "grind": (-5.0, 35.0),
    "plain": (5.0, 35.0),
}
#: Band in which SNRs are measured (§3.2, "band RMS, 100 Hz–4 kHz").
SNR_BAND_HZ = (100.0, 4000.0)
#: One random stream per interferer, plus the microphone's self-noise.
_STREAMS = (*_INTERFERERS, "noise")


@dataclass(frozen=True)
class Label:
    """One joint sound: kind, onset and offset (s), and the SNR it was scaled to."""

    kind: str
    onset_s: float
    offset_s: float
    snr_db: float = float("nan")
    note: str = ""


@dataclass
class Recording:
    """A generated phone recording with its truth."""

    seed: int
    kind: str
    sampling_rate_hz: int
    samples: npt.NDArray[np.float32]
    labels: list[Label]
    #: (name, onset_s, offset_s) of every placed interferer; continuous rustle spans all
    interferers: list[tuple[str, float, float]] = field(default_factory=list)
    #: (heel-strike time s, side 0/1), both feet
    steps: list[tuple[float, int]] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sampling_rate_hz

    @property
    def true_step_period_s(self) -> float:
        """Median heel-strike interval: the statistic ``listen`` reports over its footsteps."""
        return float(np.median(np.diff([t for t, _ in self.steps])))


# ----------------------------------------------------------------- helpers
def _bp(x: Array, fs: int, lo: float, hi: float, order: int = 2) -> Array:
    """Causal Butterworth band-pass (upper edge kept below Nyquist)."""
    hi = min(hi, 0.45 * fs)
    sos = signal.butter(order, [lo, hi], btype="band", fs=fs, output="sos")
    return np.asarray(signal.sosfilt(sos, x), dtype=np.float64)


def _add(y: Array, fs: int, t0: float, seg: Array) -> None:
    """Add ``seg`` into ``y`` starting at ``t0`` seconds, cut at both ends."""
    i = round(t0 * fs)
    if i >= len(y):
        return
    if i < 0:
        seg = seg[-i:]
        i = 0
    n = min(len(seg), len(y) - i)
    y[i : i + n] += seg[:n]


def _peak_normalised(scale: float, x: Array) -> Array:
    """``x`` scaled to peak ``scale``."""
    return np.asarray(scale * x / (np.abs(x).max() + 1e-12), dtype=np.float64)


def _gamma_mode(
    fs: int, f: float, tau: float, k: float, dur: float, rng: Rng, chirp: float = 0.0
) -> Array:
    """Damped sinusoid with envelope ``t^k e^(−t/τ)`` (peak 1; k > 0 = soft attack).

    A gamma envelope rather than a plain exponential lets a mode build up, as a heel's
    thud does through the shoe; ``chirp`` (Hz/s) glides the pitch.
    """
    t = np.arange(int(dur * fs)) / fs
    env = (t / (k * tau)) ** k * np.exp(k - t / tau) if k > 0 else np.exp(-t / tau)
    ph = 2 * np.pi * (f * t + 0.5 * chirp * t * t) + rng.uniform(0, 2 * np.pi)
    return np.asarray(env * np.sin(ph), dtype=np.float64)


def _peaking(f0: float, gain_db: float, q: float, fs: int) -> tuple[Array, Array]:
    """RBJ-cookbook peaking equaliser (b, a)."""
    big_a = 10 ** (gain_db / 40)
    w = 2 * np.pi * f0 / fs
    al = np.sin(w) / (2 * q)
    b = np.array([1 + al * big_a, -2 * np.cos(w), 1 - al * big_a])
    a = np.array([1 + al / big_a, -2 * np.cos(w), 1 - al / big_a])
    return b / a[0], a / a[0]


# ----------------------------------------------------------------- gait
def gait(
    rng: Rng, dur_s: float, cadence_spm: float | None = None
) -> tuple[list[tuple[float, int]], list[tuple[float, float, int]], dict[str, float]]:
    """Heel strikes ``[(t, side)]``, strides ``[(t0, T, side)]`` and the gait's parameters.

    Every stride starts on the same foot; the other foot strikes ``(0.5 ± asym)·T`` later.
    """
    cad = rng.uniform(90, 125)  # steps/min, §3.1 says 90–120: a little faster at the top
    if cadence_spm is not None:  # a test's request; the draw above keeps the stream
        cad = cadence_spm
    stride = 120.0 / cad
    cv = rng.uniform(0.01, 0.03)  # stride-time CV 1–3 % (§3.1)
    asym = rng.uniform(-0.04, 0.04)  # left/right step-time asymmetry ±4 % [own assumption]
    drift_amp = rng.uniform(0, 0.03)  # slow cadence wander ≤ 3 % … [own assumption]
    drift_f = rng.uniform(0.01, 0.05)  # … over 20–100 s [own assumption]
    t = rng.uniform(0.1, 0.6)  # first heel strike
    side = int(rng.integers(2))
    steps: list[tuple[float, int]] = []
    strides: list[tuple[float, float, int]] = []
    while t < dur_s:
        period = (
            stride
            * (1 + drift_amp * np.sin(2 * np.pi * drift_f * t))
            * (1 + cv * rng.standard_normal())
        )
        first = 0.5 + asym if side == 0 else 0.5 - asym
        strides.append((t, period, side))
        steps.append((t, side))
        if t + first * period < dur_s:
            steps.append((t + first * period, 1 - side))
        t += period
    return steps, strides, {"cadence": cad, "stride_s": stride, "cv": cv}


# ----------------------------------------------------------------- background
def footstep(fs: int, rng: Rng, surface: str, off: Collection[str] = ()) -> Array:
    """One footstep (250 ms), three parts:

    * structure-borne heel thud: 2 gamma-enveloped modes 15–150 Hz, τ 10–40 ms (§3.3:
      10–150 Hz, τ 10–40 ms), soft attack k 0.3–1.5 [own];
    * airborne contact click/scuff, surface-dependent (§3.3: > 500 Hz from friction):
      noise burst 4–30 ms, decay 2–12 ms, 300–6000 Hz on hard floors, 100–2000 Hz on soft
      ones [own numbers];
    * heel-to-toe roll rumble, 60–400 Hz, 50–120 ms long, starting 60–120 ms after the
      strike (foot flat at ~10–20 % of the stride, §3.1) [own]. Our own generator has no
      such second component; ``listen`` reads it as a second footstep or as grinding.
    """
    d = 0.25
    y = np.zeros(int(d * fs))
    for _ in range(2):
        y += rng.uniform(0.4, 1.0) * _gamma_mode(
            fs, rng.uniform(15, 150), rng.uniform(0.01, 0.04), rng.uniform(0.3, 1.5), d, rng
        )
    n = int(rng.uniform(0.004, 0.03) * fs)
    tt = np.arange(n) / fs
    burst = rng.standard_normal(n) * np.exp(-tt / rng.uniform(0.002, 0.012))
    lo, hi = (300, 6000) if surface == "hard" else (100, 2000)
    burst = _bp(burst, fs, lo, hi)
    lvl = rng.uniform(0.1, 0.5) if surface == "hard" else rng.uniform(0.03, 0.15)
    if "scuff" not in off:
        y[:n] += _peak_normalised(lvl, burst)
    n2 = int(rng.uniform(0.05, 0.12) * fs)
    r = _bp(rng.standard_normal(n2), fs, 60, 400) * signal.windows.hann(n2)
    on = "rumble" not in off
    _add(y, fs, rng.uniform(0.06, 0.12), on * 0.15 * r / (np.abs(r).max() + 1e-12))
    return y


_Inter = list[tuple[str, float, float]]


def _squeak(bg: Array, fs: int, rng: Rng, strides: list[tuple[float, float, int]]) -> _Inter:
    """Shoe squeak at toe-off (§3.3: 1–4 kHz tonal, 20–150 ms, ~60 % stride), in 40 % of
    walks; each foot's toe-off (0.6 and 1.1 stride) squeaks half the time [own]."""
    inter: _Inter = []
    f_sq = rng.uniform(1000, 4000)
    for t0, period, _side in strides:
        for s_off in (0.6, 1.1):
            if rng.random() < 0.5:
                d = rng.uniform(0.02, 0.15)
                m = int(d * fs)
                tt = np.arange(m) / fs
                wobble = 1 + 0.05 * rng.standard_normal()
                sq = np.sin(2 * np.pi * f_sq * wobble * tt) * signal.windows.tukey(m, 0.5)
                _add(bg, fs, t0 + s_off * period, rng.uniform(0.005, 0.04) * sq)
                inter.append(("squeak", t0 + s_off * period, t0 + s_off * period + d))
    return inter


def _rustle(bg: Array, fs: int, rng: Rng, dur_s: float, n_steps: int) -> None:
    """Clothing rustle (§3.3: 1–8 kHz crackle, AM at step rate): Poisson crackles,
    20–200 per s, log-normal sizes, amplitude-modulated at the step rate [own numbers].
    §3.3's low-frequency thuds are not modelled."""
    n = len(bg)
    lvl = rng.uniform(0.002, 0.02)
    rate = rng.uniform(20, 200)
    k = rng.poisson(rate * dur_s)
    times = np.sort(rng.uniform(0, dur_s, k))
    imp = np.zeros(n)
    idx = (times * fs).astype(int)
    np.add.at(imp, idx, rng.lognormal(0, 0.8, k))
    crack = _bp(imp, fs, 1000, 8000)
    step_rate = n_steps / dur_s
    phase = rng.uniform(0, 6.28)
    am = 0.5 + 0.5 * np.sin(2 * np.pi * step_rate * np.arange(n) / fs + phase) ** 2
    crack = crack * am
    bg += lvl * crack / (np.sqrt(np.mean(crack**2)) + 1e-12)


def _handling(bg: Array, fs: int, rng: Rng, dur_s: float, on: bool) -> _Inter:
    """Grip-shift friction bursts (§3.3: 50–500 ms), 0–4 per minute [own rate]."""
    inter: _Inter = []
    for _ in range(rng.poisson(rng.uniform(0, 4) * dur_s / 60) * on):
        t0 = rng.uniform(0, dur_s - 0.6)
        d = rng.uniform(0.05, 0.5)
        m = int(d * fs)
        b = _bp(rng.standard_normal(m), fs, rng.uniform(50, 300), rng.uniform(1500, 6000))
        b *= signal.windows.tukey(m, rng.uniform(0.2, 1)) * (
            1 + 0.5 * np.sin(2 * np.pi * rng.uniform(5, 30) * np.arange(m) / fs)
        )
        _add(bg, fs, t0, _peak_normalised(rng.uniform(0.02, 0.15), b))
        inter.append(("handling", t0, t0 + d))
    return inter


def _taps(bg: Array, fs: int, rng: Rng, dur_s: float, on: bool) -> _Inter:
    """Finger taps / nail clicks, the pop look-alikes of §3.3 (2–10 ms): one 400–3000 Hz
    mode, τ 0.7–3 ms, half with a 1-ms noise click; 0–5 per minute [own numbers]."""
    inter: _Inter = []
    for _ in range(rng.poisson(rng.uniform(0, 5) * dur_s / 60) * on):
        t0 = rng.uniform(0, dur_s - 0.05)
        tap = _gamma_mode(fs, rng.uniform(400, 3000), rng.uniform(0.0007, 0.003), 0, 0.02, rng)
        if rng.random() < 0.5:
            tap[: int(0.001 * fs)] += rng.standard_normal(int(0.001 * fs)) * 0.5
        _add(bg, fs, t0, rng.uniform(0.05, 0.4) * tap)
        inter.append(("tap", t0, t0 + 0.01))
    return inter


def _keys(bg: Array, fs: int, rng: Rng, steps: list[tuple[float, int]]) -> _Inter:
    """Keys/coins (§3.3: metallic 2–10 kHz ringing 50–300 ms, step-locked), in 30 % of
    walks: 4 partials, 1–3 hits on 70 % of one foot's steps, 20–120 ms after it [own]."""
    inter: _Inter = []
    fk = rng.uniform(2000, min(10000, 0.4 * fs), 4)
    for t, side in steps:
        if side == 0 and rng.random() < 0.7:
            d = rng.uniform(0.05, 0.3)
            y = np.zeros(int(d * fs))
            for _ in range(rng.integers(1, 4)):
                tt = rng.uniform(0, d * 0.3)
                for f in fk:
                    amp = rng.uniform(0.2, 1)
                    ring = _gamma_mode(fs, f * rng.uniform(0.98, 1.02), d / 4, 0, d - tt, rng)
                    _add(y, fs, tt, amp * ring)
            t0 = t + rng.uniform(0.02, 0.12)
            _add(bg, fs, t0, _peak_normalised(rng.uniform(0.005, 0.05), y))
            inter.append(("keys", t0, t0 + d))
    return inter


def _speech(bg: Array, fs: int, rng: Rng, dur_s: float) -> _Inter:
    """Speech (§3.3: F0 85–255 Hz, syllables 4–5 Hz, 100–4000 Hz), in 35 % of walks: a
    sawtooth source through three formant bands (300–800, 900–2000, 2200–3200 Hz [own]),
    1–3 phrases of 1–3 s."""
    inter: _Inter = []
    f0 = rng.uniform(85, 255)
    for _ in range(rng.integers(1, 4)):
        t0 = rng.uniform(0, dur_s - 3)
        d = rng.uniform(1, 3)
        m = int(d * fs)
        tt = np.arange(m) / fs
        f0t = f0 * (1 + 0.1 * np.sin(2 * np.pi * 0.7 * tt))
        src = signal.sawtooth(2 * np.pi * np.cumsum(f0t) / fs)
        formants = rng.uniform([300, 900, 2200], [800, 2000, 3200])
        v = sum(_bp(src, fs, fc * 0.85, fc * 1.15) for fc in formants)
        syl = np.clip(np.sin(2 * np.pi * rng.uniform(4, 5) * tt), 0, None) ** 2
        v = v * syl
        _add(bg, fs, t0, rng.uniform(0.01, 0.08) * v / (np.sqrt(np.mean(v**2)) + 1e-12))
        inter.append(("speech", t0, t0 + d))
    return inter


def _breath(bg: Array, fs: int, rng: Rng) -> None:
    """Breathing (§3.3: band noise 100–2000 Hz, 2–5 s cycle), in 60 % of walks."""
    n = len(bg)
    br = _bp(rng.standard_normal(n), fs, 100, 2000)
    cyc = rng.uniform(2, 5)
    env = np.clip(np.sin(2 * np.pi * np.arange(n) / fs / cyc + rng.uniform(0, 6.28)), 0, None)
    bg += rng.uniform(0.001, 0.01) * br * env**1.5


def _traffic(bg: Array, fs: int, rng: Rng) -> None:
    """Traffic / HVAC / wind (§3.3 "environment": < 500 Hz), in 60 % of walks: low-passed
    noise (150–500 Hz corner), level wandering ±60 % over 5–50 s [own]."""
    n = len(bg)
    sos = signal.butter(2, rng.uniform(150, 500), fs=fs, output="sos")
    tr = signal.sosfilt(sos, rng.standard_normal(n))
    env = 1 + 0.6 * np.sin(2 * np.pi * rng.uniform(0.02, 0.2) * np.arange(n) / fs)
    bg += rng.uniform(0.002, 0.03) * tr / tr.std() * env


def background(
    fs: int,
    rng: Rng,
    dur_s: float,
    steps: list[tuple[float, int]],
    strides: list[tuple[float, float, int]],
    off: Collection[str] = (),
) -> tuple[Array, _Inter, str]:
    """Footsteps plus every interferer (§3.3), before the phone channel.

    Returns the signal, the placed interferers and the floor ("hard" or "soft"). Each
    interferer draws from its own child stream, so leaving one out changes no other.
    """
    n = int(dur_s * fs)
    bg = np.zeros(n)
    inter: _Inter = []
    sub = {
        name: np.random.default_rng(int(v))
        for name, v in zip(_STREAMS, rng.integers(1 << 31, size=len(_STREAMS)), strict=True)
    }
    surface = str(rng.choice(["hard", "soft"]))
    step_amp = rng.uniform(0.2, 0.6)
    for t, side in steps:
        # step-to-step level ±25 %, one foot 20 % louder than the other [own]
        a = step_amp * (1 + 0.25 * rng.standard_normal()) * (1.1 if side == 0 else 0.9)
        _add(bg, fs, t, abs(a) * footstep(fs, rng, surface, off))
    if sub["squeak"].random() < 0.4 and "squeak" not in off:
        inter += _squeak(bg, fs, sub["squeak"], strides)
    if sub["rustle"].random() < 0.85 and "rustle" not in off:
        _rustle(bg, fs, sub["rustle"], dur_s, len(steps))
        inter.append(("rustle-continuous", 0, dur_s))
    inter += _handling(bg, fs, sub["handling"], dur_s, "handling" not in off)
    inter += _taps(bg, fs, sub["tap"], dur_s, "tap" not in off)
    if sub["keys"].random() < 0.3 and "keys" not in off:
        inter += _keys(bg, fs, sub["keys"], steps)
    if sub["speech"].random() < 0.35 and "speech" not in off:
        inter += _speech(bg, fs, sub["speech"], dur_s)
    if sub["breath"].random() < 0.6 and "breath" not in off:
        _breath(bg, fs, sub["breath"])
    if sub["traffic"].random() < 0.6 and "traffic" not in off:
        _traffic(bg, fs, sub["traffic"])
    # muscle sound (MMG, §3.3: 5–100 Hz), continuous at a low level [own]
    mm = signal.sosfilt(
        signal.butter(2, [5, 100], btype="band", fs=fs, output="sos"),
        sub["mmg"].standard_normal(n),
    )
    bg += ("mmg" not in off) * sub["mmg"].uniform(0.001, 0.01) * mm / mm.std()
    # microphone self-noise, −90…−70 dB re the footsteps' scale [own]
    bg += 10 ** sub["noise"].uniform(-4.5, -3.5) * sub["noise"].standard_normal(n)
    return bg, inter, surface


# ----------------------------------------------------------------- joint sounds
def pop_sound(fs: int, rng: Rng) -> Array:
    """A cavitation pop (§3.2 a, §6.1), 30 ms long.

    A negative-pressure step (rise 0.05–0.5 ms) exciting 1–3 damped modes; f1 log-normal
    with median 260 Hz (§1.2: Reggars median 215, mean 333 Hz; §3.2: 150–2000 Hz, median
    ≈250 Hz), clipped to 150–2000 Hz; extra modes up to 3 kHz; τ 0.5–3 ms per mode. 40 %
    are Méal & Scott double waves (§1.1), the copy 0.5–3 ms later [own spacing]; 50 % get
    the 0.2–1 ms broadband click high-passed at 1 kHz (§3.2).
    """
    d = 0.03
    m = int(d * fs)
    y = np.zeros(m)
    f1 = float(np.clip(np.exp(rng.normal(np.log(260), 0.6)), 150, 2000))
    for k in range(rng.integers(1, 4)):
        f = f1 if k == 0 else min(rng.uniform(f1 * 1.4, 3000), 0.45 * fs)
        y += (1.0 if k == 0 else rng.uniform(0.2, 0.7)) * _gamma_mode(
            fs, f, rng.uniform(0.0005, 0.003), 0, d, rng
        )
    rise = max(2, int(rng.uniform(0.00005, 0.0005) * fs))
    y[:rise] *= np.linspace(0, 1, rise)
    if rng.random() < 0.4:
        y2 = np.roll(y, int(rng.uniform(0.0005, 0.003) * fs)) * rng.uniform(0.3, 0.8)
        y = y - y2
    if rng.random() < 0.5:
        c = max(2, int(rng.uniform(0.0002, 0.001) * fs))
        z = np.zeros(m)
        z[:c] = rng.standard_normal(c)
        z = signal.sosfilt(signal.butter(2, 1000, "high", fs=fs, output="sos"), z)
        y += _peak_normalised(rng.uniform(0.2, 0.6), z)
    return y


def snap_sound(fs: int, rng: Rng) -> Array:
    """A soft-tissue snap (§3.2 b, §6.2), 250 ms long.

    Stick-slip release: a low mode f1 log-uniform 40–300 Hz (§3.2; knee clicks 67–115 Hz,
    §2.1), τ 5–60 ms (§3.2), attack k 0–0.5 and a downward glide of up to 2·f1 Hz/s
    [own]; in 60 % a second low mode at 1.5–3·f1 (≤ 300 Hz) [own]; a short partial
    300–1500 Hz (§3.2), τ 1–4 ms [own]; 30 % a catch/release double click 5–30 ms apart
    (§3.2: 20–40 %, 5–30 ms).
    """
    d = 0.25
    y = np.zeros(int(d * fs))
    f1 = np.exp(rng.uniform(np.log(40), np.log(300)))
    y += _gamma_mode(
        fs,
        f1,
        rng.uniform(0.005, 0.06),
        rng.uniform(0, 0.5),
        d,
        rng,
        chirp=-f1 * rng.uniform(0, 2),
    )
    if rng.random() < 0.6:
        amp = rng.uniform(0.3, 0.8)
        f2 = min(300, f1 * rng.uniform(1.5, 3))
        y += amp * _gamma_mode(fs, f2, rng.uniform(0.005, 0.03), 0, d, rng)
    amp = rng.uniform(0.2, 0.6)
    y += amp * _gamma_mode(fs, rng.uniform(300, 1500), rng.uniform(0.001, 0.004), 0, d, rng)
    if rng.random() < 0.3:
        y = y + rng.uniform(0.3, 0.9) * np.roll(y, int(rng.uniform(0.005, 0.03) * fs))
    return y


def grind_sound(fs: int, rng: Rng, dur: float) -> Array:
    """A crepitus episode of ``dur`` seconds (§3.2 c, §6.3).

    Band noise with its emphasis in 50–150 … 300–450 Hz (§2.2 VAG bands P1 50–250 Hz,
    P2 250–450 Hz) plus a 450–2000 Hz tail at 0.1–0.4 of it (§3.2: energy 50–2000 Hz),
    under an asymmetric envelope (fast attack over 10–35 % of the episode, then an
    exponential-like decay) with 8–25 Hz scraping modulation [own shape]; plus Poisson
    micro-clicks at 20–300 per s (§3.2), log-normal sizes, τ 0.2–1 ms, 200–3000 Hz (§3.2).
    """
    m = int(dur * fs)
    tt = np.arange(m) / fs
    lo = rng.uniform(50, 150)
    hi = rng.uniform(300, 450)
    nz = _bp(rng.standard_normal(m), fs, lo, hi) + rng.uniform(0.1, 0.4) * _bp(
        rng.standard_normal(m), fs, 450, 2000
    )
    nz /= nz.std() + 1e-12
    a = rng.uniform(0.1, 0.35)
    env = np.where(tt < a * dur, tt / (a * dur), np.exp(-3 * (tt - a * dur) / ((1 - a) * dur)))
    env *= 1 + 0.3 * np.sin(2 * np.pi * rng.uniform(8, 25) * tt)
    y = rng.uniform(0.3, 1.0) * nz * env
    k = rng.poisson(rng.uniform(20, 300) * dur)
    cl = np.zeros(m)
    for t0 in rng.uniform(0, dur, k):
        f = rng.uniform(200, min(3000, 0.4 * fs))
        c = _gamma_mode(fs, f, rng.uniform(0.0002, 0.001), 0, 0.006, rng)
        _add(cl, fs, t0, rng.lognormal(0, 1.0) * c)
    cl *= env
    if k:
        y += rng.uniform(0.5, 2.0) * cl / (np.sqrt(np.mean(cl**2)) + 1e-12) * nz.std() * 0.5
    return np.asarray(y, dtype=np.float64)


# ----------------------------------------------------------------- phone channel
def phone(
    x: Array, fs: int, rng: Rng, off: Collection[str] = ()
) -> tuple[npt.NDArray[np.float32], dict[str, Any]]:
    """The phone's channel (§3.4): high-pass, a resonance, AGC or a fixed gain, clipping.

    No codec and no noise suppression (§3.4 lists both; not modelled).
    """
    info: dict[str, Any] = {}
    fc = rng.uniform(50, 200)  # 2nd-order high-pass at 50–200 Hz (§3.4)
    x = signal.sosfilt(signal.butter(2, fc, "high", fs=fs, output="sos"), x)
    info["hpf_hz"] = round(fc)
    # one resonance/dip of ±6 dB at 500–6000 Hz, Q 0.7–3 (§3.4: "±6 dB tilt/resonance")
    f0 = rng.uniform(500, min(6000, 0.4 * fs))
    g = rng.uniform(-6, 6)
    b, a = _peaking(f0, g, rng.uniform(0.7, 3), fs)
    x = signal.lfilter(b, a, x)
    info["peq"] = (round(f0), round(g, 1))
    r_agc, r_clip = (np.random.default_rng(int(v)) for v in rng.integers(1 << 31, size=2))
    if r_agc.random() < 0.7 and "agc" not in off:
        x = x * _agc_gain(x, fs, r_agc)
        info["agc"] = True
    else:
        x = x * (10 ** (-25 / 20) / (x.std() + 1e-12))  # fixed gain to −25 dBFS RMS [own]
        info["agc"] = False
    # clipping on 0.1–2 % of samples, hard or soft (§3.4), in half the walks [own share]
    if r_clip.random() < 0.5 and "clip" not in off:
        p = r_clip.uniform(0.001, 0.02)
        x = x / np.quantile(np.abs(x), 1 - p)
        if r_clip.random() < 0.5:
            x = np.clip(x, -1, 1)
            info["clip"] = ("hard", round(p * 100, 2))
        else:
            x = np.tanh(x)
            info["clip"] = ("soft", round(p * 100, 2))
        x *= 0.99
    else:
        pk = np.abs(x).max()
        if pk > 0.99:
            x = x * 0.99 / pk
    return np.asarray(x, dtype=np.float32), info


def _agc_gain(x: Array, fs: int, rng: Rng) -> Array:
    """Per-sample AGC gain (§3.4: target −20 dBFS, attack 10–100 ms, release 0.5–3 s,
    ±20 dB around the gain that brings the median 10-ms level to the target)."""
    hop = int(0.01 * fs)
    nf = len(x) // hop
    fr = np.sqrt(np.mean(x[: nf * hop].reshape(nf, hop) ** 2, axis=1) + 1e-12)
    att = np.exp(-0.01 / rng.uniform(0.01, 0.1))
    rel = np.exp(-0.01 / rng.uniform(0.5, 3))
    e = np.empty(nf)
    s = fr[:50].mean()
    for i, v in enumerate(fr):
        c = att if v > s else rel
        s = c * s + (1 - c) * v
        e[i] = s
    target = 10 ** (-20 / 20)
    base = target / (np.median(fr) + 1e-12)
    gdb = np.clip(20 * np.log10(target / e) - 20 * np.log10(base), -20, 20) + 20 * np.log10(base)
    gain = np.interp(np.arange(len(x)), np.arange(nf) * hop + hop / 2, 10 ** (gdb / 20))
    return np.asarray(gain, dtype=np.float64)


# ----------------------------------------------------------------- recording
def make(
    seed: int,
    kind: str,
    snr_range: tuple[float, float] | None = None,
    *,
    off: Collection[str] = (),
    duration_s: float | None = None,
    cadence_spm: float | None = None,
    sampling_rate_hz: int | None = None,
) -> Recording:
    """One recording of ``kind`` (:data:`KINDS`), the same for the same arguments.

    ``snr_range`` (dB, this module's definition) bounds every joint sound's SNR;
    ``duration_s``, ``cadence_spm`` and ``sampling_rate_hz`` replace the drawn values
    (for fast tests; the draws still happen, so the other random choices keep their
    order, but the recording differs from the default one).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    rng = np.random.default_rng(seed)
    fs = int(rng.choice([16000, 44100, 48000]))  # §3.4 sample rates
    fs = sampling_rate_hz or fs
    dur = float(rng.uniform(30, 60))  # a 30–60 s walk [own]
    dur = duration_s or dur
    steps, strides, ginfo = gait(rng, dur, cadence_spm)
    bg, inter, surface = background(fs, rng, dur, steps, strides, off)
    level = np.sqrt(np.mean(_bp(bg, fs, *SNR_BAND_HZ, 4) ** 2)) + 1e-12
    joint = np.zeros_like(bg)
    labels: list[Label] = []

    def place(t0: float, seg: Array, snr: float, mode: str) -> None:
        segb = _bp(seg, fs, *SNR_BAND_HZ, 4)
        lvl = np.abs(segb).max() if mode == "peak" else np.sqrt(np.mean(segb**2))
        _add(joint, fs, t0, seg * (level * 10 ** (snr / 20)) / (lvl + 1e-12))

    lo, hi = snr_range or DEFAULT_SNR_DB[kind]
    info: dict[str, Any] = dict(ginfo, surface=surface)
    if kind == "pop":
        labels = _place_pops(rng, dur, lo, hi, fs, place)
    elif kind == "snap":
        labels = _place_snaps(rng, dur, lo, hi, fs, strides, info, place)
    elif kind == "grind":
        labels = _place_grinds(rng, dur, lo, hi, fs, steps, ginfo["stride_s"], info, place)
    x, pinfo = phone(bg + joint, fs, rng, off)
    info.update(pinfo)
    return Recording(seed, kind, fs, x, labels, inter, steps, info)


def _place_pops(rng: Rng, dur: float, lo: float, hi: float, fs: int, place: Any) -> list[Label]:
    """Pops at 3–6 per minute (§3.2 says 0–3 across all joints: more here, to have events
    to score), exponential gaps ≥ 0.5 s; 40 % are clusters of 2–5 pops within ≤ 150 ms
    (§3.2: 30–50 %, 2–5 within 10–150 ms), each a different joint: follower SNRs −6…+3 dB
    around the first, kept inside [lo, hi]. Label: onset + 12 ms (§3.2: 3–15 ms)."""
    labels: list[Label] = []
    rate = rng.uniform(3, 6)
    t = rng.exponential(60 / rate)
    while t < dur - 0.5:
        n = rng.integers(2, 6) if rng.random() < 0.4 else 1
        tt = t
        snr = rng.uniform(lo, hi)
        for j in range(n):
            s = float(np.clip(snr + rng.uniform(-6, 3) * (j > 0), lo, hi))
            place(tt, pop_sound(fs, rng), s, "peak")
            labels.append(Label("pop", tt, tt + 0.012, s, f"cluster{n}" if n > 1 else ""))
            tt += rng.uniform(0.01, 0.15 / max(1, n - 1))
        t += max(0.5, rng.exponential(60 / rate))
    return labels


def _place_snaps(
    rng: Rng,
    dur: float,
    lo: float,
    hi: float,
    fs: int,
    strides: list[tuple[float, float, int]],
    info: dict[str, Any],
    place: Any,
) -> list[Label]:
    """One snap per stride of one leg (§3.2 b: periodic with the stride), at a fixed phase
    30–60 % of that leg's stride (§3.2: hip ITB snap at 30–60 %), jitter 1–3 % of the stride,
    present in 60–100 % of strides (§3.2). The same tissue every stride: one template, ±10 %
    in level, SNR ±2 dB around the walk's mean [own]. Label: onset + 60 ms (§3.2: 10–80 ms)."""
    labels: list[Label] = []
    side = int(rng.integers(2))
    phi = rng.uniform(0.30, 0.60)
    pres = rng.uniform(0.6, 1.0)
    jit = rng.uniform(0.01, 0.03)
    snr_mean = rng.uniform(lo, hi)
    tmpl_seed = int(rng.integers(1 << 30))
    info.update(snap_phase=phi, presence=pres)
    for t0, period, sd in strides:
        if rng.random() > pres:
            continue
        hs = t0 if sd == side else t0 + period * 0.5  # the snapping leg's heel strike
        ts = hs + (phi + jit * rng.standard_normal()) * period
        if ts > dur - 0.3:
            continue
        seg = snap_sound(fs, np.random.default_rng(tmpl_seed)) * (1 + 0.1 * rng.standard_normal())
        s = float(np.clip(snr_mean + 2 * rng.standard_normal(), lo, hi))
        place(ts, seg, s, "peak")
        labels.append(Label("snap", ts, ts + 0.06, s))
    return labels


def _place_grinds(
    rng: Rng,
    dur: float,
    lo: float,
    hi: float,
    fs: int,
    steps: list[tuple[float, int]],
    stride_s: float,
    info: dict[str, Any],
    place: Any,
) -> list[Label]:
    """Crepitus under load (§3.2 c): on every step of one leg, or of both legs in 25 %
    ("sometimes every step"); each episode 100–600 ms (§3.2), starting 2–15 % of the stride
    after the heel strike and ending within about half a stride (loading, 0–50 %, §3.2);
    intensity ±3 dB over 15–40 episodes plus 1 dB noise (§3.2: ±6 dB over tens of
    strides)."""
    labels: list[Label] = []
    side = int(rng.integers(2))
    every_step = bool(rng.random() < 0.25)
    snr_mean = rng.uniform(lo, hi)
    info.update(every_step=every_step)
    k = 0
    for t, sd in steps:
        if not every_step and sd != side:
            continue
        start = t + rng.uniform(0.02, 0.15) * stride_s
        d = rng.uniform(0.1, 0.6)
        d = min(d, 0.5 * stride_s - (start - t) + 0.05)
        d = max(d, 0.1)
        if start + d > dur - 0.1:
            continue
        seg = grind_sound(fs, rng, d)
        s = snr_mean + 6 * np.sin(2 * np.pi * k / rng.uniform(15, 40)) * 0.5 + rng.normal(0, 1)
        s = float(np.clip(s, lo, hi))
        place(start, seg, s, "rms")
        labels.append(Label("grind", start, start + d, s))
        k += 1
    return labels
