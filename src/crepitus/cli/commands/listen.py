"""``crepitus listen FILE [--json] [--plot out.png]`` — what joint sounds a recording holds."""

from __future__ import annotations

import argparse
from typing import Any

from crepitus.cli.console import ExitCode, emit_json, info, plot_written, what_it_means

#: Colours of the event kinds on the plot (colour-blind-safe Okabe–Ito palette).
KIND_COLOURS = {
    "pop": "#D55E00",
    "snap": "#0072B2",
    "grind": "#CC79A7",
    "footstep": "#999999",
    "other": "#F0E442",
}


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "listen",
        help="find and classify joint sounds (pop, snap, grind) and footsteps in a recording",
        description="Listen to a recording made while walking (phone held against the lower back "
        "or in a pocket, 30–60 s) and report the pops, snaps and grinding it holds, with the "
        "rhythm that tells them apart. Reads WAV, FLAC, OGG, MP3, M4A/AAC, WebM/Opus, MP4.",
    )
    p.add_argument("file", metavar="FILE", help="the recording")
    p.add_argument("--json", action="store_true", help="print crepitus.sounds/1 JSON on stdout")
    p.add_argument(
        "--plot", metavar="OUT.png", help="save waveform + spectrogram with events marked"
    )
    p.add_argument(
        "--no-features", action="store_true", help="leave per-event features out of the JSON"
    )
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from crepitus.acoustics import listen
    from crepitus.plotfile import plot_path

    out = plot_path(args.plot) if args.plot else None  # a bad --plot fails before the analysis
    report = listen(args.file)
    for w in report.warnings:
        info(f"warning: {w}")
    if out is not None:
        plot_written(plot_report(args.file, report, out))
    if args.json:
        emit_json(report.to_json(with_features=not args.no_features))
        return ExitCode.OK
    c = report.counts()
    print(f"{report.file}: {report.duration_s:.1f} s at {report.sampling_rate_hz} Hz")
    print(report.summary)
    print(
        f"pops {c['pop']} · snaps {c['snap']} · grinding {c['grind']} · footsteps {c['footstep']}"
        + (
            f" · cadence {60.0 / report.step_period_s:.0f} steps/min"
            if report.step_period_s
            else ""
        )
    )
    for e in report.joint_events():
        print(f"  {e.onset_s:8.3f} s  {e.kind:5s}  confidence {e.confidence:.2f}")
    print()
    print("\n".join(what_it_means(audio=args.file)))
    return ExitCode.OK


def plot_report(path: str, report: Any, out: Any) -> Any:
    """Waveform and spectrogram with events shaded by kind (up to 10 minutes are drawn)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Patch

    from crepitus.acoustics.io import load_audio
    from crepitus.plotfile import save_figure

    audio = load_audio(path, max_duration_s=600.0)
    x = audio.samples
    fs = audio.sampling_rate_hz
    t = np.arange(len(x)) / fs
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(12, 6), sharex=True)
    step = max(1, len(x) // 200_000)
    ax1.plot(t[::step], x[::step], lw=0.4, color="black")
    ax1.set_ylabel("amplitude")
    top_hz = min(8000, fs / 2)
    pxx, freqs, _, image = ax2.specgram(x, NFFT=1024, Fs=fs, noverlap=512, cmap="magma")
    # 60 dB of range below the loudest cells in view: the default limits are set by the
    # whole spectrum and wash the picture out (review P3-8)
    shown = 10 * np.log10(pxx[freqs <= top_hz] + 1e-20)
    loud = float(np.percentile(shown, 99.5))
    image.set_clim(loud - 60.0, loud)
    ax2.set_ylim(0, top_hz)
    ax2.set_ylabel("Hz (brighter = louder)")
    ax2.set_xlabel("time (s)")
    for e in report.events:
        if e.kind == "other":
            continue
        col = KIND_COLOURS.get(e.kind, "green")
        # footsteps thin and faint: a hundred of them must not hide the few joint sounds
        lw, alpha = (0.5, 0.3) if e.kind == "footstep" else (1.4, 0.9)
        # full height on the waveform; a strip along the top of the spectrogram, so the
        # events do not hide the spectrum they are read from
        for ax, lo in ((ax1, 0.0), (ax2, 0.9)):
            if e.offset_s - e.onset_s < 0.05:  # short events would vanish as spans
                ax.axvline(e.onset_s, ymin=lo, color=col, lw=lw, alpha=alpha)
            else:
                ax.axvspan(e.onset_s, e.offset_s, ymin=lo, color=col, alpha=alpha * 0.55, lw=0)
    handles = [Patch(color=c, label=k) for k, c in KIND_COLOURS.items() if k != "other"]
    ax1.legend(handles=handles, loc="upper right", fontsize=8)
    c = report.counts()
    ax1.set_title(
        f"{report.file}: {c['pop']} pops, {c['snap']} snaps, {c['grind']} grinding episodes, "
        f"{c['footstep']} footsteps",
        fontsize=10,
    )
    fig.tight_layout()
    return save_figure(fig, out, dpi=110)
