"""Free text → findings: ``extract("my back cracks and my left leg tingles, no fever")``.

Pipeline (each step a small pure function below):

1. tokenise, normalising lay spellings and correcting one-letter typos of
   longer domain words (:mod:`crepitus.intake.tokens`);
2. find lexicon phrases (:mod:`crepitus.intake.matcher`) and resolve overlaps:
   for one code the longest phrase wins; generic ("weak") words yield to any
   specific phrase they overlap; an entry may suppress overlapping matches of
   other codes ("numb between my legs" is saddle, not leg, numbness);
3. ConText (:mod:`crepitus.intake.context`): negated → the entry's negated
   value; hedged, hypothetical, someone else's or historical → left out
   (unless the entry keeps history, e.g. ``history.cancer``);
4. numbers (:mod:`crepitus.intake.numbers`): exact age, pain score, durations
   attached to the nearest pain or noise words before them;
5. derived findings, each with its own rule id: a leg symptom named with a
   plural leg word → ``neuro.both_legs``; a recent injury told before or with
   a noise → ``sound.after_trauma``;
6. combine: **present beats denied** for the same code (a red flag mentioned
   anywhere is never cancelled by a denial elsewhere; the confirmation step
   lets the person correct it), and validate through :class:`Findings`.

Why an own ConText rather than medspaCy on a blank spaCy pipeline: medspaCy's
ConText component is the same trigger/direction/scope algorithm, but it brings
spaCy and its dependency tree into a package whose CLI must start fast and
whose core layers are meant to stay light (style.md, design.md §7); its
default rules are written for clinical notes ("denies", "history of"), and
what lay text needs — lay spellings, typo tolerance, first-person scope
endings, per-code rules for history and relatives — would be custom rules
either way.  Here the rules are data (``intake_context.yaml``), the code is
small and dependency-free (PyYAML only), and a description takes about a
millisecond (benchmarks/bench_intake.py).  medspaCy was not installed or
timed for this comparison.

References: Harkema et al. 2009 (ConText, *J Biomed Inform* 42:839-851);
Chapman et al. 2001 (NegEx, *J Biomed Inform* 34:301-310); Damerau 1964 (a
technique for computer detection and correction of spelling errors,
*Commun ACM* 7:171-176).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from crepitus.errors import InvalidInputError, KnowledgeBaseError
from crepitus.findings import Findings, Value, load_vocabulary
from crepitus.intake.context import ConText, ScopeMap
from crepitus.intake.lexicon import Entry, Lexicon, WordTest, load_lexicon
from crepitus.intake.matcher import Match, PatternIndex, find_matches
from crepitus.intake.numbers import (
    NumberSpan,
    find_age_ranges,
    find_ages,
    find_durations,
    find_pain_scores,
)
from crepitus.intake.tokens import Token, tokenize

#: Classes the extractor's own rules use; the lexicon must define them.
REQUIRED_CLASSES = ("LEGS", "PAINTOPIC", "SOUNDTOPIC")
LEG_CODES = ("neuro.leg_numbness_tingling", "neuro.leg_pain_below_knee", "neuro.leg_weakness")
SOUND_CODES = ("sound.pop", "sound.snap", "sound.grind")
TRAUMA_CODES = ("trauma.major", "trauma.minor")
#: Short, frequent English words; a text with words but none of these is "not English".
_ENGLISH_MARKERS = frozenset(
    "i i'm i've my me it it's is was the a an and or of to in on at when with for but no not "
    "have has had back pain hurts walk walking leg legs every just so my this that get feel".split()
)
DEFAULT_MAX_CHARS = 20_000
_CONTRAST = frozenset({"but", "however", "although", "though", "whereas"})
#: Words that say nothing of what a duration is about ("It started about 5 weeks
#: ago", "Been happening for 3 weeks"): only then is a neighbouring sentence used.
_EMPTY_LEAD = frozenset(
    "it it's its this that these they he she been has have had having happening going on "
    "started starting begun began start was is are all so now just about around roughly "
    "for since over the past last".split()
)


@dataclass(frozen=True, slots=True)
class IntakeSpan:
    """One piece of text that produced a finding value.

    ``start``/``end`` are character offsets into the text given to
    :func:`extract`; ``rule`` is the lexicon entry id (or a ``num.*`` /
    ``derived.*`` rule); ``modifiers`` lists the ConText triggers that applied.
    """

    code: str
    value: Value
    start: int
    end: int
    text: str
    rule: str
    modifiers: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "value": self.value,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "rule": self.rule,
        }
        if self.modifiers:
            out["modifiers"] = list(self.modifiers)
        return out


@dataclass(frozen=True, slots=True)
class IgnoredSpan:
    """A mention that was recognised but deliberately not turned into a finding."""

    code: str
    start: int
    end: int
    text: str
    rule: str
    reason: str  # "uncertain" | "hypothetical" | "other" | "historical" | "overridden"
    modifiers: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "rule": self.rule,
            "reason": self.reason,
            "modifiers": list(self.modifiers),
        }


@dataclass(frozen=True)
class IntakeResult:
    """What :func:`extract` understood from one description."""

    text: str
    findings: Findings
    spans: tuple[IntakeSpan, ...]
    ignored: tuple[IgnoredSpan, ...] = ()
    understood: bool = False
    notes: tuple[str, ...] = ()
    knowledge_version: str = ""

    @property
    def trusted_findings(self) -> Findings:
        """The findings with every "no" to a red-flag screen question removed.

        A denial read from free text ("no numbness down there") is only as good as
        the negation scope that produced it; a misread negation must never silence a
        red flag, so such answers are left unknown and the screen asks them again in
        plain words.  "Yes" answers are kept: they can only raise urgency.
        """
        vocab = load_vocabulary()
        return Findings.of(
            {c: v for c, v in self.findings.items() if not (vocab[c].screen and v is False)}
        )

    def spans_for(self, code: str) -> tuple[IntakeSpan, ...]:
        """The spans that support the final value of ``code``."""
        return tuple(s for s in self.spans if s.code == code)

    def to_document(self) -> dict[str, Any]:
        """A ``crepitus.findings/1`` document plus an ``intake`` trace (an allowed extra key)."""
        doc = self.findings.to_document()
        doc["intake"] = {
            "understood": self.understood,
            "notes": list(self.notes),
            "spans": [s.to_json() for s in self.spans],
            "ignored": [s.to_json() for s in self.ignored],
            "knowledge_version": self.knowledge_version,
        }
        return doc


@dataclass
class _Hit:
    code: str
    entry: Entry | None
    rule: str
    start: int  # token index
    end: int
    literal: tuple[int, ...]
    value: Value | None = None
    modifiers: tuple[str, ...] = ()
    weak: bool = False
    chars: tuple[int, int] = (0, 0)
    extra: dict[str, Any] = field(default_factory=dict)


class IntakeExtractor:
    """Lexicon + ConText extractor of findings from lay text.

    Parameters
    ----------
    lexicon
        A compiled :class:`~crepitus.intake.lexicon.Lexicon` (default: the
        packaged one).
    max_chars
        Longer texts are cut here (with a note): a description is a paragraph,
        and the cap bounds the time a pasted document can take.

    Attributes
    ----------
    result_ : IntakeResult
        Set by :meth:`extract`.
    """

    def __init__(
        self, *, lexicon: Lexicon | None = None, max_chars: int = DEFAULT_MAX_CHARS
    ) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.max_chars = max_chars
        for name in REQUIRED_CLASSES:
            if name not in self.lexicon.classes:
                raise KnowledgeBaseError(
                    f"intake_lexicon.yaml: class {name} is required by the extractor"
                )
        self._entry_index = PatternIndex(self.lexicon.entry_patterns)
        self._context = ConText(self.lexicon)

    def extract(self, text: str) -> IntakeExtractor:
        """Read ``text``; the result is in :attr:`result_`."""
        self.result_ = self.read(text)
        return self

    def read(self, text: str) -> IntakeResult:
        """The result for ``text`` without touching ``self`` (safe to share across threads)."""
        if not isinstance(text, str):
            raise InvalidInputError(f"intake text must be a string, got {type(text).__name__}")
        notes: list[str] = []
        if len(text) > self.max_chars:
            notes.append(
                f"only the first {self.max_chars:,} characters were read; "
                "describe it in a paragraph"
            )
            text = text[: self.max_chars]
        lex = self.lexicon
        tokens = tokenize(text, spellings=lex.spellings, correct=lex.corrector)
        hits = _resolve(_entry_hits(find_matches(tokens, self._entry_index, fuzzy=True), lex), lex)
        protected = {i for h in hits for i in h.literal}
        scopes = ScopeMap(self._context.modifiers(tokens, protected=protected))
        kept, ignored = _apply_context(hits, scopes, tokens, lex)
        kept += _number_hits(text, tokens, scopes, lex, notes, hits)
        kept += _derived_hits(kept, tokens, lex)
        recognised = bool(hits) or bool(ignored)
        if _looks_foreign(tokens):
            # A loan word ("crack") in another language is not a reading of the text.
            kept, ignored, recognised = [], [], False
        return _combine(text, tokens, kept, ignored, notes, lex, recognised=recognised)


# --------------------------------------------------------------------------- steps
def _entry_hits(matches: Sequence[Match], lex: Lexicon) -> list[_Hit]:
    out = []
    for m in matches:
        e = lex.entries[m.pattern.owner]
        out.append(_Hit(e.code, e, e.id, m.start, m.end, m.literal, weak=e.weak))
    return out


def _overlap(a: _Hit, b: _Hit) -> bool:
    return a.start < b.end and b.start < a.end


def _resolve(hits: list[_Hit], lex: Lexicon) -> list[_Hit]:
    """Same code: longest wins; weak yields to any overlapping specific hit; suppression.

    Linear in the number of hits (token-occupancy maps), so a pasted document
    cannot make this quadratic.
    """
    ordered = sorted(hits, key=lambda h: (-(h.end - h.start), h.weak, h.start))
    taken: dict[str, set[int]] = {}
    kept: list[_Hit] = []
    for h in ordered:
        occupied = taken.setdefault(h.code, set())
        span = range(h.start, h.end)
        if any(i in occupied for i in span):
            continue
        occupied.update(span)
        kept.append(h)
    strong_tokens = {i for h in kept if not h.weak for i in range(h.start, h.end)}
    kept = [
        h for h in kept if not h.weak or not any(i in strong_tokens for i in range(h.start, h.end))
    ]
    suppressed: dict[str, set[int]] = {}
    for h in kept:
        if h.entry is not None:
            for code in h.entry.suppresses:
                suppressed.setdefault(code, set()).update(range(h.start, h.end))
    out = [
        h for h in kept if not any(i in suppressed.get(h.code, ()) for i in range(h.start, h.end))
    ]
    return sorted(out, key=lambda h: h.start)


def _nearest_topic(
    tokens: Sequence[Token], before: int, tests: Mapping[str, WordTest]
) -> str | None:
    """Class name of the nearest preceding topic word in this or the previous sentence."""
    if before <= 0:
        return None
    sentence = tokens[min(before, len(tokens) - 1)].sentence
    for j in range(before - 1, -1, -1):
        tok = tokens[j]
        if tok.sentence < sentence - 1:
            break
        if not tok.is_word:
            continue
        for name, test in tests.items():
            if test.matches(tok.forms):
                return name
    return None


def _apply_context(
    hits: list[_Hit], scopes: ScopeMap, tokens: Sequence[Token], lex: Lexicon
) -> tuple[list[_Hit], list[IgnoredSpan]]:
    kept: list[_Hit] = []
    ignored: list[IgnoredSpan] = []
    for h in hits:
        assert h.entry is not None
        e = h.entry
        cats = scopes.categories(h.literal)
        ids = tuple(sorted({i for v in cats.values() for i in v}))
        reason = _drop_reason(cats, e.keep)
        s, t = tokens[h.start].start, tokens[h.end - 1].end
        if reason is not None:
            if e.value is not None or e.negated is not None:
                ignored.append(IgnoredSpan(h.code, s, t, "", h.rule, reason, ids))
            continue
        # For body-function words only a denial *after* the word counts ("my pee
        # is fine"); "not able to pee" is a symptom, so a forward negation is ignored.
        if (
            "negated" in cats
            and e.negation == "backward"
            and not any(m.hi == m.start for m in scopes.covering(h.literal, "negated"))
        ):
            del cats["negated"]
        value = e.negated if "negated" in cats else e.value
        if value is None:
            continue
        if "negated" in cats and value is not None:
            # Quote the denial with its trigger ("no fever", "my pee is fine").
            neg = scopes.covering(h.literal, "negated")
            s = min([s, *(tokens[m.start].start for m in neg)])
            t = max([t, *(tokens[m.end - 1].end for m in neg)])
        code = h.code
        if e.retarget:
            tests = {cls: lex.classes[cls] for cls, _ in e.retarget}
            topic = _nearest_topic(tokens, h.start, tests)
            code = dict(e.retarget).get(topic, code) if topic else code
        h.code, h.value, h.modifiers, h.chars = code, value, ids, (s, t)
        kept.append(h)
    return kept, ignored


def _drop_reason(cats: Mapping[str, list[str]], keep: frozenset[str]) -> str | None:
    for reason in ("hypothetical", "uncertain"):
        if reason in cats:
            return reason
    for reason in ("other", "historical"):
        if reason in cats and reason not in keep:
            return reason
    return None


def _token_range(tokens: Sequence[Token], start: int, end: int) -> tuple[int, ...]:
    """Indices of the word tokens overlapping characters ``[start, end)``."""
    lo = _bisect_end(tokens, start)
    out = []
    for i in range(lo, len(tokens)):
        t = tokens[i]
        if t.start >= end:
            break
        if t.is_word and t.end > start:
            out.append(i)
    return tuple(out)


def _bisect_end(tokens: Sequence[Token], start: int) -> int:
    lo, hi = 0, len(tokens)
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens[mid].end <= start:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _number_hits(
    text: str,
    tokens: Sequence[Token],
    scopes: ScopeMap,
    lex: Lexicon,
    notes: list[str],
    findings: Sequence[_Hit],
) -> list[_Hit]:
    out: list[_Hit] = []

    def usable(span: NumberSpan) -> tuple[int, ...] | None:
        idx = _token_range(tokens, span.start, span.end)
        if not idx:
            return None
        cats = scopes.categories(idx)
        if any(c in cats for c in ("hypothetical", "uncertain", "other")):
            return None
        return idx

    ages = [(a, idx) for a in find_ages(text) if (idx := usable(a)) is not None]
    if ages:
        a, idx = ages[0]
        if len({x.value for x, _ in ages}) > 1:
            notes.append("more than one age was given; the first one was used")
        out.append(
            _Hit("age", None, a.rule, idx[0], idx[-1] + 1, idx, a.value, chars=(a.start, a.end))
        )
    elif find_age_ranges(text):
        words = find_age_ranges(text)[0][2]
        notes.append(f"you wrote '{words}': the exact age will be asked")
    scores = [(p, idx) for p in find_pain_scores(text) if (idx := usable(p)) is not None]
    if scores:
        p, idx = max(scores, key=lambda x: x[0].value)
        out.append(
            _Hit(
                "pain.score",
                None,
                p.rule,
                idx[0],
                idx[-1] + 1,
                idx,
                p.value,
                chars=(p.start, p.end),
            )
        )
    pain_t, sound_t = lex.classes["PAINTOPIC"], lex.classes["SOUNDTOPIC"]
    hit_starts = {h.start for h in findings}
    got_weeks = False
    for d in find_durations(text):
        idx = usable(d)
        if idx is None:
            continue
        topics = _duration_topics(tokens, idx[0], pain_t, sound_t, hit_starts)
        if "pain" in topics and not d.vague and not got_weeks:
            got_weeks = True
            out.append(
                _Hit(
                    "pain.weeks",
                    None,
                    d.rule,
                    idx[0],
                    idx[-1] + 1,
                    idx,
                    d.value,
                    chars=(d.start, d.end),
                )
            )
        if "sound" in topics:
            out.append(
                _Hit(
                    "sound.new",
                    None,
                    d.rule + ".sound-new",
                    idx[0],
                    idx[-1] + 1,
                    idx,
                    d.value < 6,
                    chars=(d.start, d.end),
                )
            )
    return out


def _duration_topics(
    tokens: Sequence[Token],
    first: int,
    pain_t: WordTest,
    sound_t: WordTest,
    hit_starts: set[int],
) -> set[str]:
    """What a duration is about: pain and/or noise words before it.

    Looked for in the duration's clause, then (if that clause holds no other
    finding, e.g. "osteoporosis diagnosed 5 years ago") in its sentence up to a
    contrast word; and only if the words before it say nothing ("Been
    happening for 3 weeks.", "It started about 5 weeks ago …"), in the
    previous sentence and then in the rest of its own sentence.
    """
    clause, sentence = tokens[first].clause, tokens[first].sentence

    def scan(lo_ok: Callable[[Token], bool]) -> tuple[set[str], bool]:
        found: set[str] = set()
        other_hit = False
        for j in range(first - 1, -1, -1):
            tok = tokens[j]
            if not lo_ok(tok) or tok.text in _CONTRAST:
                break
            if not tok.is_word:
                continue
            if pain_t.matches(tok.forms):
                found.add("pain")
            elif sound_t.matches(tok.forms):
                found.add("sound")
            elif j in hit_starts:
                other_hit = True
        return found, other_hit

    found, other = scan(lambda t: t.sentence == sentence and t.clause == clause)
    if found or other:
        return found
    found, other = scan(lambda t: t.sentence == sentence)
    if found or other:
        return found
    lead = [t.text for t in tokens[:first] if t.sentence == sentence and t.is_word]
    if any(w not in _EMPTY_LEAD for w in lead):
        return set()  # the sentence is about something else ("I have had RA for years")
    prev = [t for t in tokens[:first] if t.sentence == sentence - 1 and t.is_word]
    out: set[str] = set()
    for tok in prev:
        if pain_t.matches(tok.forms):
            out.add("pain")
        elif sound_t.matches(tok.forms):
            out.add("sound")
    if out:
        return out
    # Last resort: "It started 5 weeks ago after I fell - now there's a grinding":
    # the first topic word later in the same sentence.
    for tok in tokens[first:]:
        if tok.sentence != sentence:
            break
        if tok.is_word and pain_t.matches(tok.forms):
            return {"pain"}
        if tok.is_word and sound_t.matches(tok.forms):
            return {"sound"}
    return out


def _derived_hits(kept: Sequence[_Hit], tokens: Sequence[Token], lex: Lexicon) -> list[_Hit]:
    out: list[_Hit] = []
    legs = lex.classes["LEGS"]
    for h in kept:
        if h.code in LEG_CODES and h.value is True:
            plural = [
                i
                for i in range(h.start, h.end)
                if tokens[i].is_word and legs.matches(tokens[i].forms)
            ]
            if plural:
                out.append(
                    _Hit(
                        "neuro.both_legs",
                        None,
                        "derived.plural-legs",
                        h.start,
                        h.end,
                        h.literal,
                        True,
                        h.modifiers,
                        chars=h.chars,
                    )
                )
    traumas = [h for h in kept if h.code in TRAUMA_CODES and h.value is True]
    sounds = [h for h in kept if h.code in SOUND_CODES and h.value is True]
    for t in traumas:
        s_sent = tokens[t.start].sentence
        for s in sounds:
            if tokens[s.start].sentence >= s_sent:
                out.append(
                    _Hit(
                        "sound.after_trauma",
                        None,
                        "derived.injury-then-noise",
                        t.start,
                        t.end,
                        t.literal,
                        True,
                        chars=t.chars,
                    )
                )
                break
    return out


def _combine(
    text: str,
    tokens: Sequence[Token],
    kept: Sequence[_Hit],
    ignored: list[IgnoredSpan],
    notes: list[str],
    lex: Lexicon,
    *,
    recognised: bool,
) -> IntakeResult:
    by_code: dict[str, list[_Hit]] = {}
    for h in kept:
        by_code.setdefault(h.code, []).append(h)
    values: dict[str, Value] = {}
    spans: list[IntakeSpan] = []
    final_ignored = [
        IgnoredSpan(i.code, i.start, i.end, text[i.start : i.end], i.rule, i.reason, i.modifiers)
        for i in ignored
    ]
    for code, group in by_code.items():
        vals = [h.value for h in group if h.value is not None]
        if not vals:
            continue
        # Safety: a code stated present anywhere stays present (true beats false);
        # for numbers the first mention is used.
        final: Value = True if any(v is True for v in vals) else vals[0]
        values[code] = final
        for h in group:
            s, e = h.chars
            if h.value is final or (not isinstance(final, bool) and h.value == final):
                spans.append(IntakeSpan(code, final, s, e, text[s:e], h.rule, h.modifiers))
            else:
                final_ignored.append(
                    IgnoredSpan(code, s, e, text[s:e], h.rule, "overridden", h.modifiers)
                )
    findings = Findings.of(values)
    spans.sort(key=lambda s: (s.start, s.code))
    understood = bool(values) or recognised
    if not values:
        notes.append(
            "nothing was counted as a finding (see the words set aside); "
            "the questions will ask instead"
            if understood
            else _not_understood_note(text, tokens)
        )
    return IntakeResult(
        text=text,
        findings=findings,
        spans=tuple(spans),
        ignored=tuple(sorted(final_ignored, key=lambda s: s.start)),
        understood=understood,
        notes=tuple(notes),
        knowledge_version=f"{lex.version}+{lex.context_version}",
    )


def _looks_foreign(tokens: Sequence[Token]) -> bool:
    """Mostly non-Latin script, or 5+ words with (almost) none of the commonest English words."""
    words = [t.text for t in tokens if t.is_word and not t.text.isdigit()]
    if not words:
        return False
    if sum(1 for w in words if not w.isascii()) > len(words) / 2:
        return True
    english = sum(1 for w in words if w in _ENGLISH_MARKERS)
    return len(words) >= 5 and english / len(words) < 0.1


def _not_understood_note(text: str, tokens: Sequence[Token]) -> str:
    words = [t.text for t in tokens if t.is_word]
    if not text.strip():
        return "nothing was written; the questions will ask instead"
    if not words:
        return "no words were found (only symbols or emoji); the questions will ask instead"
    non_latin = sum(1 for w in words if not w.isascii())
    english = sum(1 for w in words if w in _ENGLISH_MARKERS)
    if non_latin > len(words) / 2 or (len(words) >= 3 and english / len(words) < 0.15):
        return (
            "this does not look like English, which is the only language understood so far; "
            "the questions will ask instead"
        )
    return "nothing was recognised as a symptom; the questions will ask instead"


# --------------------------------------------------------------------------- public helpers
@functools.cache
def _default_extractor() -> IntakeExtractor:
    return IntakeExtractor()


def extract(text: str) -> IntakeResult:
    """Findings from a free-text description (present → true, denied → false, rest unknown).

    Examples
    --------
    >>> r = extract("my lower back cracks, no numbness, can't feel when I wipe")
    >>> r.findings.is_true("sound.pop"), r.findings.is_false("neuro.leg_numbness_tingling")
    (True, True)
    >>> r.findings.is_true("neuro.saddle_numbness")
    True
    """
    return _default_extractor().read(text)


def prefill(text: str) -> IntakeResult:
    """The entry point for ``crepitus assess`` and the web app: pre-fill findings from words.

    Same as :func:`extract`; the caller confirms the result with the person
    (see :func:`crepitus.intake.confirm.confirmation_lines`) and then asks only
    the codes still unknown — always including the red-flag screen.
    """
    return extract(text)


def result_json(result: IntakeResult) -> str:
    """Compact JSON of :meth:`IntakeResult.to_document` (for logs and tests)."""
    return json.dumps(result.to_document(), ensure_ascii=False, sort_keys=True)


def red_flag_codes() -> tuple[str, ...]:
    """Boolean codes of the red-flag screen (``screen: true``) — the intake's safety targets."""
    return load_vocabulary().screen_questions
