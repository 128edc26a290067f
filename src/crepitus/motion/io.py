"""Readers for the motion files people actually have (research/gait.md §4, contracts §4).

* **generic CSV** — header ``time_s,acc_x,acc_y,acc_z[,gyr_x,gyr_y,gyr_z]``, m/s² incl.
  gravity and rad/s (contracts §4);
* **phyphox** — CSV or zipped CSV export of "Acceleration with g" (``Time (s)``,
  ``Acceleration x (m/s^2)``…) and/or "Gyroscope" (``Gyroscope x (rad/s)``…); comma, tab or
  semicolon delimiters and decimal commas (user choices in phyphox) are detected;
  ``meta/time.csv`` gives the wall clock;
* **Sensor Logger** — zip or folder of per-sensor CSVs (``time`` in unix ns,
  ``seconds_elapsed``, ``x,y,z`` in any order); ``TotalAcceleration.csv`` if present, else
  ``Accelerometer.csv`` + ``Gravity.csv`` (iOS exports acceleration without gravity);
  ``Metadata.csv`` (``platform`` = ios, no standardisation) turns the iOS sign around;
* **browser JSON** — DeviceMotionEvent samples as the web app records them:
  a list (or ``{"samples": [...]}``) of ``{"t_ms", "accelerationIncludingGravity": {x,y,z},
  "rotationRate": {alpha, beta, gamma}}``; rotation rates are deg/s (MDN) and
  ``alpha/beta/gamma`` turn about ``z/x/y``.

Every reader ends in :func:`crepitus.motion.recording.make_recording`, which detects units,
sorts, de-duplicates and resamples.  Problems a user can cause raise
:class:`~crepitus.errors.InvalidInputError` with a one-line message.
"""

from __future__ import annotations

import io
import json
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from crepitus.errors import InvalidInputError
from crepitus.motion.recording import MotionRecording, make_recording
from crepitus.sniff import audio_container

Table = tuple[list[str], NDArray[np.float64]]

MAX_FILE_BYTES = 400_000_000
"""400 MB of text is > 3 h (:data:`~crepitus.motion.recording.MAX_DURATION_S`) of acc+gyro at
200 Hz; larger files are refused before they are read into memory."""

EXPECTED_FORMATS = (
    "phyphox CSV/zip, Sensor Logger zip/folder, browser JSON, "
    "or the generic CSV of contracts §4: time_s,acc_x,acc_y,acc_z[,gyr_x,gyr_y,gyr_z]"
)


def not_motion_file(name: str, why: str) -> InvalidInputError:
    """The one error for a file that is not any motion format crepitus reads."""
    return InvalidInputError(
        f"{name} is not a motion file crepitus can read ({why}; expected: {EXPECTED_FORMATS})"
    )


def _binary_kind(head: bytes) -> str | None:
    """``None`` for text; else what the leading bytes look like (never the bytes themselves).

    Text exports hold hardly any control characters, so more than 1 % of them in the
    first 4 kB means binary data (audio, a spreadsheet, a program...).  NUL bytes are
    counted apart: some devices pad text exports with them (GENEActiv), binary files
    are full of them (more than 10 %).
    """
    kind = audio_container(head)
    if kind is not None:
        return f"it is {kind} audio — give it to listen or assess --audio"
    if head.startswith(b"PK\x03\x04"):  # a zip whose end (the directory) is missing
        return "it is a damaged or incomplete zip — export or copy it again"
    n = max(len(head), 1)
    controls = sum(1 for b in head if 0 < b < 32 and b not in (9, 10, 12, 13))
    if controls > 0.01 * n or head.count(0) > 0.1 * n:
        return "it holds binary data, not text"
    return None


def _shown(text: str, limit: int = 60) -> str:
    """A header as it may be echoed: printable characters only, at most ``limit`` of them."""
    clean = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def read_motion(path: str | Path) -> MotionRecording:
    """Read any supported motion file or folder into a :class:`MotionRecording`.

    Raises
    ------
    InvalidInputError
        Missing file, unknown format, or unusable content (with what to do).
    """
    p = Path(path)
    if not p.exists():
        raise InvalidInputError(f"motion file not found: {p}")
    if p.is_dir():
        return _read_sensor_logger(_dir_opener(p), sorted(x.name for x in p.iterdir()), str(p))
    if p.stat().st_size == 0:
        raise InvalidInputError(f"motion file is empty: {p.name}; export the recording again")
    if p.stat().st_size > MAX_FILE_BYTES:
        raise InvalidInputError(
            f"motion file {p.name} is {p.stat().st_size / 1e6:.0f} MB; crepitus reads at most "
            f"{MAX_FILE_BYTES / 1e6:.0f} MB (over 3 h of data) — trim it to the walk"
        )
    if zipfile.is_zipfile(p):
        return _read_zip(p)
    suffix = p.suffix.lower()
    raw = p.read_bytes()
    kind = _binary_kind(raw[:4096])
    if kind is not None:
        raise not_motion_file(p.name, kind)
    if b"\x00" in raw:  # NUL padding in a text export (see _binary_kind)
        raw = raw.replace(b"\x00", b"")
    if suffix == ".json":
        return read_browser_json(raw, name=p.name)
    text = _decode(raw, p.name)
    if text.lstrip().startswith(("[", "{")):
        return read_browser_json(raw, name=p.name)
    return read_csv_text(text, name=p.name)


def read_csv_text(text: str, *, name: str = "motion.csv") -> MotionRecording:
    """Read one CSV export (generic, phyphox or a single Sensor Logger sensor file).

    The header decides the format before any number is parsed, so a file of another
    kind (a GENEActiv export, a spreadsheet) is named as such, not as a bad number.
    """
    header, _, _ = _split_header(text, name=name)
    low = [h.lower() for h in header]
    if "time_s" in low and "acc_x" in low:
        kind = "generic"
    elif any(h.startswith("time (s)") for h in low):
        kind = "phyphox"
    elif "seconds_elapsed" in low:
        kind = "sensor-logger"
    else:
        raise not_motion_file(name, f"unrecognised header {_shown(','.join(header))!r}")
    header, data = parse_table(text, name=name)
    if kind == "generic":
        return _from_generic(header, data, name)
    if kind == "phyphox":
        return _from_phyphox([(header, data)], name=name, start_unix_s=None)
    acc = _xyz_table(header, data, name)
    return make_recording(acc_time_s=acc[0], acc=acc[1], source="sensor-logger", start_unix_s=None)


def _split_header(text: str, *, name: str) -> tuple[list[str], str, str]:
    """The header cells, the delimiter (comma, semicolon or tab) and the text after it.

    The body stays one string: a list of millions of line objects cost ~10× the file
    size in memory (review 3, P2-6: 10 h of motion took 3 GB).
    """
    body = text.lstrip()
    if not body:
        raise InvalidInputError(f"{name} is empty; export the recording again")
    end = body.find("\n")
    head, body = (body, "") if end < 0 else (body[:end], body[end + 1 :])
    head = head.rstrip("\r")
    delim = max([",", ";", "\t"], key=head.count)
    header = [h.strip().strip('"').strip() for h in head.split(delim)]
    return header, delim, body


def _first_line(text: str) -> str | None:
    """The first non-blank line, found without splitting the whole text."""
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        if text[pos:end].strip():
            return text[pos:end]
        pos = end + 1
    return None


def parse_table(text: str, *, name: str) -> Table:
    """Parse a delimited numeric table with one header line.

    Delimiter (comma, semicolon, tab) and decimal comma are detected from the header
    and first data line because phyphox lets users choose them (gait.md §4).
    """
    header, delim, chunk = _split_header(text, name=name)
    first = _first_line(chunk)
    if first is None:
        raise InvalidInputError(f"{name} has a header but no data rows; record for longer")
    if delim != "," and "," in first:
        chunk = chunk.replace(",", ".")
    if '"' in chunk:
        chunk = chunk.replace('"', "")
    parts: list[NDArray[np.float64]] = []
    lines_before = 0  # data lines in earlier pieces, for the line number of an error
    for piece in _pieces(chunk):
        try:
            with warnings.catch_warnings():  # a piece of blank lines holds no data: fine
                warnings.simplefilter("ignore", UserWarning)
                part = np.loadtxt(io.StringIO(piece), delimiter=delim, ndmin=2, dtype=np.float64)
        except ValueError as exc:
            raise _table_error(exc, header, name, lines_before) from None
        if part.size:
            if parts and part.shape[1] != parts[0].shape[1]:
                raise InvalidInputError(
                    f"{name}: rows have {parts[0].shape[1]} and then {part.shape[1]} columns "
                    f"(near line {lines_before + 2}); is the file cut off or two files in one?"
                )
            parts.append(part)
        lines_before += piece.count("\n")
    data = np.concatenate(parts) if len(parts) > 1 else parts[0]
    if data.shape[1] != len(header):
        raise InvalidInputError(
            f"{name}: header has {len(header)} columns but rows have {data.shape[1]}"
        )
    return header, data


#: Characters parsed at a time: numpy's text reader holds 4 bytes per character of its
#: input, so a whole 250 MB file parsed at once took ~1 GB more (review 3, P2-6).
PIECE_CHARS = 4_000_000


def _pieces(text: str) -> Iterator[str]:
    """``text`` in pieces of about :data:`PIECE_CHARS`, each ending at a line end."""
    pos = 0
    while pos < len(text):
        end = text.find("\n", min(pos + PIECE_CHARS, len(text)))
        end = len(text) if end < 0 else end + 1
        yield text[pos:end]
        pos = end


def _table_error(exc: ValueError, header: list[str], name: str, lines_before: int) -> Exception:
    msg = str(exc).splitlines()[0]
    m = re.search(r"string '([^']*)'.*row (\d+), column (\d+)", msg)
    if m:
        col = int(m.group(3)) - 1
        col_name = _shown(header[col], 30) if 0 <= col < len(header) else f"#{col + 1}"
        return InvalidInputError(
            f"{name}: line {lines_before + int(m.group(2)) + 2} column {col_name!r} is not a "
            f"number ({_shown(m.group(1), 20)!r}); fix or remove that line"
        )
    return InvalidInputError(f"{name}: cannot read the table ({msg}); check the delimiter")


def read_browser_json(raw: bytes | str, *, name: str = "motion.json") -> MotionRecording:
    """Read DeviceMotionEvent samples recorded by the web app (see module docstring)."""
    try:
        doc: Any = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInputError(
            f"{name} is not valid JSON ({exc.msg if hasattr(exc, 'msg') else exc})"
        ) from None
    samples = doc.get("samples") if isinstance(doc, dict) else doc
    if not isinstance(samples, list) or not samples:
        raise InvalidInputError(
            f"{name}: expected a list of DeviceMotionEvent samples under 'samples'"
        )
    t, acc, gyr = [], [], []
    has_gyr = True
    try:
        for s in samples:
            t.append(float(s.get("t_ms", s.get("timeStamp", s.get("t", np.nan)))))
            a = s.get("accelerationIncludingGravity") or {}
            acc.append([float(a["x"]), float(a["y"]), float(a["z"])])
            r = s.get("rotationRate")
            if r and all(r.get(k) is not None for k in ("alpha", "beta", "gamma")):
                # alpha turns about z, beta about x, gamma about y (W3C Device Orientation).
                gyr.append([float(r["beta"]), float(r["gamma"]), float(r["alpha"])])
            else:
                has_gyr = False
    except (KeyError, TypeError, ValueError, AttributeError):
        raise InvalidInputError(
            f"{name}: sample {len(acc)} lacks numeric accelerationIncludingGravity x/y/z or a time"
        ) from None
    t_s = np.asarray(t) / 1000.0
    meta = doc if isinstance(doc, dict) else {}
    start = meta.get("start_unix_ms")
    return make_recording(
        acc_time_s=t_s,
        acc=np.asarray(acc),
        gyr_time_s=t_s if has_gyr else None,
        gyr=np.asarray(gyr) if has_gyr else None,
        acc_unit="m/s^2",
        gyr_unit="deg/s",
        source="browser",
        start_unix_s=float(start) / 1000.0 if isinstance(start, int | float) else None,
    )


# --- formats ------------------------------------------------------------------------------


def _from_generic(header: list[str], data: NDArray[np.float64], name: str) -> MotionRecording:
    col = {h.lower(): i for i, h in enumerate(header)}
    for need in ("time_s", "acc_x", "acc_y", "acc_z"):
        if need not in col:
            raise InvalidInputError(f"{name}: column {need} is missing (contracts §4)")
    acc = data[:, [col["acc_x"], col["acc_y"], col["acc_z"]]]
    gyr = None
    if all(k in col for k in ("gyr_x", "gyr_y", "gyr_z")):
        gyr = data[:, [col["gyr_x"], col["gyr_y"], col["gyr_z"]]]
    t = data[:, col["time_s"]]
    return make_recording(
        acc_time_s=t,
        acc=acc,
        gyr_time_s=t if gyr is not None else None,
        gyr=gyr,
        source="generic-csv",
    )


_PHY_ACC = re.compile(r"^(linear )?acceleration ([xyz])")
_PHY_GYR = re.compile(r"^gyroscope ([xyz])")


def _from_phyphox(tables: list[Table], *, name: str, start_unix_s: float | None) -> MotionRecording:
    acc_t = acc = gyr_t = gyr = None
    acc_unit = "m/s^2"
    for header, data in tables:
        low = [h.lower() for h in header]
        times = [i for i, h in enumerate(low) if h.startswith("time")]
        axes_a = {m.group(2): i for i, h in enumerate(low) if (m := _PHY_ACC.match(h))}
        axes_g = {m.group(1): i for i, h in enumerate(low) if (m := _PHY_GYR.match(h))}
        if any(h.startswith("linear acceleration") for h in low) and acc is None:
            raise InvalidInputError(
                f"{name} is 'Acceleration without g'; record phyphox 'Acceleration with g' instead"
            )
        if len(axes_a) == 3 and times:
            t_col = _time_before(times, min(axes_a.values()))
            acc_t, acc = data[:, t_col], data[:, [axes_a["x"], axes_a["y"], axes_a["z"]]]
            if any("(g)" in h for h in low):
                acc_unit = "g"
        if len(axes_g) == 3 and times:
            t_col = _time_before(times, min(axes_g.values()))
            gyr_t, gyr = data[:, t_col], data[:, [axes_g["x"], axes_g["y"], axes_g["z"]]]
    if acc is None or acc_t is None:
        raise InvalidInputError(
            f"{name}: no phyphox acceleration found; export 'Acceleration with g' (Raw Data)"
        )
    gyr_unit = (
        "deg/s"
        if any("deg" in h.lower() for t in tables for h in t[0] if "gyro" in h.lower())
        else "rad/s"
    )
    return make_recording(
        acc_time_s=acc_t,
        acc=acc,
        gyr_time_s=gyr_t,
        gyr=gyr,
        acc_unit=acc_unit,
        gyr_unit=gyr_unit if gyr is not None else None,
        source="phyphox",
        start_unix_s=start_unix_s,
    )


def _time_before(times: list[int], first_axis: int) -> int:
    """The time column belonging to a sensor: the last one before its first axis column."""
    before = [i for i in times if i < first_axis]
    return before[-1] if before else times[0]


def _xyz_table(
    header: list[str], data: NDArray[np.float64], name: str
) -> tuple[NDArray[np.float64], NDArray[np.float64], float | None]:
    low = [h.lower() for h in header]
    try:
        ix, iy, iz = low.index("x"), low.index("y"), low.index("z")
    except ValueError:
        raise InvalidInputError(f"{name}: expected columns x, y, z (Sensor Logger)") from None
    if "time" in low:
        t_ns = data[:, low.index("time")]
        t = (t_ns - t_ns[0]) / 1e9
        start = float(t_ns[0]) / 1e9
    elif "seconds_elapsed" in low:
        t = data[:, low.index("seconds_elapsed")]
        start = None
    else:
        raise InvalidInputError(f"{name}: no time column (time or seconds_elapsed)")
    return t, data[:, [ix, iy, iz]], start


Opener = Callable[[str], bytes]


def _dir_opener(folder: Path) -> Opener:
    return lambda n: (folder / n).read_bytes()


def _read_zip(p: Path) -> MotionRecording:
    try:
        zf = zipfile.ZipFile(p)
    except zipfile.BadZipFile:
        raise InvalidInputError(f"{p.name} is not a readable zip file") from None
    with zf:
        names = [n for n in zf.namelist() if not n.endswith("/")]
        base = {Path(n).name: n for n in names}
        logger = [
            n
            for n in names
            if Path(n).name in {"TotalAcceleration.csv", "Accelerometer.csv", "Gravity.csv"}
        ]
        # The header decides, not the file name: a phyphox export may hold an
        # "Accelerometer.csv" too (review 3, P3-8); Sensor Logger's have seconds_elapsed.
        if logger and b"seconds_elapsed" in zf.read(logger[0])[:500].lower():
            return _read_sensor_logger(lambda n: zf.read(base[n]), list(base), p.name)
        tables = [
            parse_table(_decode(zf.read(n), n), name=n)
            for n in names
            if n.lower().endswith(".csv") and not n.startswith("meta/")
        ]
        start = None
        if "meta/time.csv" in names:
            start = _phyphox_start(_decode(zf.read("meta/time.csv"), "meta/time.csv"))
    if not tables:
        raise InvalidInputError(f"{p.name}: the zip holds no CSV sensor data")
    return _from_phyphox(tables, name=p.name, start_unix_s=start)


def _phyphox_start(text: str) -> float | None:
    for line in text.splitlines()[1:]:
        cells = [c.strip().strip('"') for c in re.split(r"[,;\t]", line)]
        if cells and cells[0].upper() == "START" and len(cells) >= 3:
            try:
                return float(cells[2]) - float(cells[1])
            except ValueError:
                return None
    return None


def _read_sensor_logger(open_: Opener, names: list[str], label: str) -> MotionRecording:
    have = set(names)
    notes: list[str] = []

    def table(n: str) -> tuple[NDArray[np.float64], NDArray[np.float64], float | None]:
        header, data = parse_table(_decode(open_(n), n), name=n)
        return _xyz_table(header, data, n)

    if "TotalAcceleration.csv" in have:
        t, a, start = table("TotalAcceleration.csv")
    elif "Accelerometer.csv" in have and "Gravity.csv" in have:
        t, a, start = table("Accelerometer.csv")
        tg, g, _ = table("Gravity.csv")
        a = a + np.column_stack([np.interp(t, tg, g[:, k]) for k in range(3)])
        notes.append("acceleration = Accelerometer.csv + Gravity.csv (Sensor Logger)")
    elif "Accelerometer.csv" in have:
        raise InvalidInputError(
            f"{label}: Accelerometer.csv excludes gravity; enable the Gravity sensor "
            "in Sensor Logger and record again"
        )
    else:
        raise InvalidInputError(
            f"{label}: no Sensor Logger acceleration files "
            f"(TotalAcceleration.csv / Accelerometer.csv); expected: {EXPECTED_FORMATS}"
        )
    if _sensor_logger_is_ios_raw(open_, have):
        # iOS CoreMotion reports specific force with the opposite sign on all three axes
        # (gravity −z flat on a table; research/gait.md §4) unless "Standardise Units &
        # Frames" was on.  A whole-sign flip mirrors left and right and cannot be
        # detected from the data (crepitus.motion.frames, point 4), so the metadata decides.
        a = -a
        notes.append("iOS Sensor Logger export: acceleration sign flipped to the +g convention")
    gt = gy = None
    if "Gyroscope.csv" in have:
        gt, gy, _ = table("Gyroscope.csv")
        if start is not None:
            header, data = parse_table(
                _decode(open_("Gyroscope.csv"), "Gyroscope.csv"), name="Gyroscope.csv"
            )
            low = [h.lower() for h in header]
            if "time" in low:
                gt = (data[:, low.index("time")] / 1e9) - start
    return make_recording(
        acc_time_s=t,
        acc=a,
        gyr_time_s=gt,
        gyr=gy,
        acc_unit="m/s^2",
        gyr_unit="rad/s",
        source="sensor-logger",
        start_unix_s=start,
        warnings=notes,
    )


def _sensor_logger_is_ios_raw(open_: Opener, have: set[str]) -> bool:
    """``True`` if ``Metadata.csv`` says iOS and the frames were not standardised.

    Sensor Logger writes one ``Metadata.csv`` row with columns such as ``platform``
    (``ios``/``android``) and ``standardisation`` (true/false) — column names as
    documented in the awesome-sensor-logger repository (research/gait.md §4), not
    checked against every app version, so anything unexpected means "unknown" and the
    data are left as they are.
    """
    if "Metadata.csv" not in have:
        return False
    import csv

    try:
        rows = list(csv.DictReader(io.StringIO(_decode(open_("Metadata.csv"), "Metadata.csv"))))
    except (csv.Error, KeyError, OSError):
        return False
    if not rows:
        return False
    meta = {str(k).strip().lower(): str(v).strip().lower() for k, v in rows[0].items() if k}
    standardised = meta.get("standardisation", meta.get("standardization", "false"))
    return meta.get("platform", "") == "ios" and standardised not in {"true", "1", "yes"}


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return raw.decode("latin-1")
        except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes any byte string
            raise InvalidInputError(f"{name} is not a text file") from None
