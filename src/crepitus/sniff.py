"""What a file is, from its first bytes — shared by the audio and the motion readers.

A motion file given to ``listen`` or a WAV given to ``walk`` should be named for
what it is, not fail deep inside a parser with bytes in the message.
"""

from __future__ import annotations

#: ``(offset, leading bytes, name)`` of the audio containers people record in.
AUDIO_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"RIFF", "WAV"),
    (0, b"fLaC", "FLAC"),
    (0, b"OggS", "OGG"),
    (0, b"ID3", "MP3"),
    (0, b"\x1a\x45\xdf\xa3", "WebM"),
    (4, b"ftyp", "M4A/MP4"),
)


def audio_container(head: bytes) -> str | None:
    """The audio container the first bytes of a file announce (``"WAV"``...), or ``None``."""
    for at, magic, name in AUDIO_SIGNATURES:
        if head[at : at + len(magic)] == magic:
            return name
    return None
