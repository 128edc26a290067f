"""Conditions over findings in three-valued (Kleene) logic, compiled to closures.

A condition is parsed once from the rule file into a small tree of
:class:`Node` objects.  Each node offers

* ``truth(facts)`` — ``True`` / ``False`` / ``None`` (unknown), the hot path,
  compiled to a closure so that tens of thousands of assessments per second
  are possible;
* ``witnesses(facts)`` — the codes whose values made a *true* node true (they
  become the assessment's ``red_flags``);
* ``unknowns(facts)`` — the unanswered codes that could still make an
  *unknown* node true (they become the "still unknown" questions).

Why three values: an absent finding is *unknown*, never "no" (contracts §1).
Kleene's strong logic keeps that honest: ``all`` is false only when some part
is known false, ``any`` is true as soon as one part is known true.  The one
two-valued operator, ``none_true``, exists for exceptions that must hold only
when nothing contradicts them (see ``rules.yaml``).

Integer facts are compared as intervals ``[lo, hi]`` so that derived facts
such as ``derived.onset_age`` can be partly known (age known, duration not:
the onset lies somewhere in ``[0, age]``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from crepitus.errors import KnowledgeBaseError

Truth = bool | None
#: Facts: boolean and choice codes map to their value; numeric codes to (lo, hi).
Facts = Mapping[str, Any]

_COMPARATORS = ("ge", "gt", "le", "lt", "eq")


class Node(Protocol):
    """What every condition node offers (see the module docstring)."""

    @property
    def truth(self) -> Callable[[Facts], Truth]: ...

    def witnesses(self, facts: Facts) -> set[str]: ...

    def unknowns(self, facts: Facts) -> set[str]: ...

    def codes(self) -> set[str]: ...


@dataclass(eq=False)
class Code:
    """A boolean code: true if known true."""

    code: str

    def __post_init__(self) -> None:
        code = self.code

        def truth(facts: Facts) -> Truth:
            return facts.get(code)  # booleans, or None when unknown

        self.truth = truth

    def witnesses(self, facts: Facts) -> set[str]:
        return {self.code} if facts.get(self.code) is True else set()

    def unknowns(self, facts: Facts) -> set[str]:
        return {self.code} if self.code not in facts else set()

    def codes(self) -> set[str]:
        return {self.code}


@dataclass(eq=False)
class Compare:
    """A comparison of a numeric (interval) or choice code with a constant."""

    code: str
    op: str
    value: int | str

    def __post_init__(self) -> None:
        code, op, v = self.code, self.op, self.value
        if isinstance(v, str):
            if op != "eq":
                raise KnowledgeBaseError(f"only 'eq' compares text, got {op!r} for {code!r}")

            def truth(facts: Facts) -> Truth:
                got = facts.get(code)
                return None if got is None else got == v

        else:
            tests: dict[str, Callable[[float, float], Truth]] = {
                "ge": lambda lo, hi: True if lo >= v else (False if hi < v else None),
                "gt": lambda lo, hi: True if lo > v else (False if hi <= v else None),
                "le": lambda lo, hi: True if hi <= v else (False if lo > v else None),
                "lt": lambda lo, hi: True if hi < v else (False if lo >= v else None),
                "eq": lambda lo, hi: (
                    True if lo == hi == v else (False if v < lo or v > hi else None)
                ),
            }
            test = tests[op]

            def truth(facts: Facts) -> Truth:
                got = facts.get(code)
                return None if got is None else test(got[0], got[1])

        self.truth = truth

    def witnesses(self, facts: Facts) -> set[str]:
        return {self.code} if self.truth(facts) is True else set()

    def unknowns(self, facts: Facts) -> set[str]:
        return {self.code} if self.truth(facts) is None else set()

    def codes(self) -> set[str]:
        return {self.code}


@dataclass(eq=False)
class Not:
    """Kleene negation: not unknown is unknown."""

    child: Node

    def __post_init__(self) -> None:
        inner = self.child.truth

        def truth(facts: Facts) -> Truth:
            t = inner(facts)
            return None if t is None else not t

        self.truth = truth

    def witnesses(self, facts: Facts) -> set[str]:
        return set()  # a "no" answer is never a red flag

    def unknowns(self, facts: Facts) -> set[str]:
        return self.child.unknowns(facts)

    def codes(self) -> set[str]:
        return self.child.codes()


@dataclass(eq=False)
class AtLeast:
    """At least ``n`` children true; ``all`` and ``any`` are the special cases."""

    n: int
    children: tuple[Node, ...]

    def __post_init__(self) -> None:
        n, fns = self.n, tuple(c.truth for c in self.children)
        total = len(fns)
        if not 1 <= n <= total:
            raise KnowledgeBaseError(f"at_least {n} of {total} conditions is impossible")

        def truth(facts: Facts) -> Truth:
            yes = unknown = 0
            for fn in fns:
                t = fn(facts)
                if t is True:
                    yes += 1
                    if yes >= n:
                        return True
                elif t is None:
                    unknown += 1
            return None if yes + unknown >= n else False

        self.truth = truth

    def witnesses(self, facts: Facts) -> set[str]:
        out: set[str] = set()
        for c in self.children:
            if c.truth(facts) is True:
                out |= c.witnesses(facts)
        return out

    def unknowns(self, facts: Facts) -> set[str]:
        out: set[str] = set()
        for c in self.children:
            if c.truth(facts) is None:
                out |= c.unknowns(facts)
        return out

    def codes(self) -> set[str]:
        return set().union(*(c.codes() for c in self.children))


@dataclass(eq=False)
class NoneTrue:
    """Two-valued: true when no child is *known* true (unknown counts as not true)."""

    children: tuple[Node, ...]

    def __post_init__(self) -> None:
        fns = tuple(c.truth for c in self.children)

        def truth(facts: Facts) -> Truth:
            return all(fn(facts) is not True for fn in fns)

        self.truth = truth

    def witnesses(self, facts: Facts) -> set[str]:
        return set()

    def unknowns(self, facts: Facts) -> set[str]:
        return set()

    def codes(self) -> set[str]:
        return set().union(*(c.codes() for c in self.children))


@dataclass(eq=False)
class Ref:
    """A named condition from ``define``, evaluated once per assessment.

    The rule book evaluates every definition once (:func:`evaluate_defines`)
    and stores the result in the facts under ``@name``, so a definition used
    by ten rules costs one evaluation, not ten.
    """

    name: str
    target: Node

    def __post_init__(self) -> None:
        key = "@" + self.name

        def truth(facts: Facts) -> Truth:
            return facts[key]  # type: ignore[no-any-return]  # set by evaluate_defines

        self.truth = truth

    def witnesses(self, facts: Facts) -> set[str]:
        return self.target.witnesses(facts)

    def unknowns(self, facts: Facts) -> set[str]:
        return self.target.unknowns(facts)

    def codes(self) -> set[str]:
        return self.target.codes()


def evaluate_defines(defines: Mapping[str, Node], facts: dict[str, Any]) -> None:
    """Store each definition's truth under ``@name`` (definitions in dependency order)."""
    for name, node in defines.items():
        facts["@" + name] = node.truth(facts)


def parse_condition(
    raw: Any, *, where: str, known_codes: set[str], defines: Mapping[str, Node]
) -> Node:
    """Parse the YAML form of a condition (grammar in ``rules.yaml``'s header).

    Raises
    ------
    KnowledgeBaseError
        On an unknown operator, an unknown finding code or an undefined ``ref``.
    """

    def sub(x: Any) -> Node:
        return parse_condition(x, where=where, known_codes=known_codes, defines=defines)

    def check_code(code: Any) -> str:
        if not isinstance(code, str) or code not in known_codes:
            raise KnowledgeBaseError(f"{where}: unknown finding code {code!r} in a condition")
        return code

    if isinstance(raw, str):
        return Code(check_code(raw))
    if not isinstance(raw, Mapping) or not raw:
        raise KnowledgeBaseError(f"{where}: a condition must be a code or a mapping, got {raw!r}")
    keys = set(raw)
    if keys == {"not"}:
        return Not(sub(raw["not"]))
    if keys == {"all"} or keys == {"any"}:
        items = raw["all"] if "all" in raw else raw["any"]
        if not isinstance(items, list) or not items:
            raise KnowledgeBaseError(f"{where}: all/any need a non-empty list")
        children = tuple(sub(x) for x in items)
        return AtLeast(len(children) if "all" in raw else 1, children)
    if keys == {"at_least", "of"}:
        items = raw["of"]
        if not isinstance(items, list) or not isinstance(raw["at_least"], int):
            raise KnowledgeBaseError(f"{where}: at_least needs an integer and an 'of' list")
        return AtLeast(raw["at_least"], tuple(sub(x) for x in items))
    if keys == {"none_true"}:
        items = raw["none_true"]
        if not isinstance(items, list) or not items:
            raise KnowledgeBaseError(f"{where}: none_true needs a non-empty list")
        return NoneTrue(tuple(sub(x) for x in items))
    if keys == {"ref"}:
        name = raw["ref"]
        if name not in defines:
            raise KnowledgeBaseError(f"{where}: undefined condition ref {name!r}")
        return Ref(name, defines[name])
    if "code" in keys and len(keys) == 2:
        (op,) = keys - {"code"}
        if op not in _COMPARATORS:
            raise KnowledgeBaseError(f"{where}: unknown comparison {op!r}")
        value = raw[op]
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise KnowledgeBaseError(f"{where}: comparison value must be a number or text")
        return Compare(check_code(raw["code"]), op, value)
    raise KnowledgeBaseError(f"{where}: unknown condition form with keys {sorted(keys)}")
