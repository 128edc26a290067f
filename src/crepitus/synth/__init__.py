"""Synthetic worlds: one simulated walk drives both the audio and the motion generators.

Everything here is a *hypothesis generator* built from the literature's ranges
(``shared/research/acoustics.md`` §3, ``shared/research/gait.md``), used for
tests, demos and benchmarks — never as ground truth about real backs.
"""
