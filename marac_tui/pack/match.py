"""Recognising the same person across submissions: by name, date of birth and aliases.

The method is Splink's in miniature (Fellegi–Sunter record linkage): records are first *blocked*
(only pairs that share a date of birth, a surname sound or an alias are compared), then each pair
is scored field by field; each level adds or takes away evidence (a log-2 weight), and every level
that counted becomes a reason the Chair can read ("same date of birth, surname matches, 'Dal' is an
alias in the police submission"). Names are compared fuzzily (Jaro–Winkler, rapidfuzz) and by
sound (Metaphone, jellyfish). Pure functions: no store, no files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

import jellyfish
from rapidfuzz.distance import JaroWinkler

# Evidence weights (log2 Bayes factors, as Splink reports them). A pair whose total reaches
# MATCH_WEIGHT is the same person; within one case the prior is higher (SAME_CASE_PRIOR).
DOB_SAME, DOB_NEAR, DOB_DIFFERENT = 8.0, 3.0, -8.0
SURNAME_SAME, SURNAME_CLOSE, SURNAME_SOUND, SURNAME_DIFFERENT = 5.0, 3.5, 3.0, -4.0
FORENAME_SAME, FORENAME_CLOSE, FORENAME_SOUND, FORENAME_SHORT, FORENAME_DIFFERENT = 4.0, 2.5, 2.0, 1.5, -6.0
SAME_CASE_PRIOR = 2.0
MATCH_WEIGHT = 10.0
CLOSE = 0.92  # Jaro–Winkler similarity from which two spellings are "nearly the same"

_NOT_LETTERS = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def tokens(name: str) -> tuple[str, ...]:
    """A name as lower-case ASCII words: accents dropped, apostrophes joined, other marks split."""
    text = name.casefold()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("'", "").replace("’", "")
    return tuple(t for t in _NOT_LETTERS.split(text) if t)


@lru_cache(maxsize=65536)
def sound(word: str) -> str:
    return jellyfish.metaphone(word) or word


def parse_dob(value: object) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class PersonRecord:
    """One alleged perpetrator in one submission, as far as matching needs to know them."""

    ref: str  # "<submission id>/<perpetrator number>", stable across runs
    name: str
    dob: date | None = None
    aliases: tuple[str, ...] = ()
    where: str = ""  # how reasons name the submission: "police", "probation"…
    case_ref: str = ""
    group: str = ""  # records of one submission are different people, whatever their names

    def variants(self) -> list[tuple[tuple[str, ...], str | None]]:
        """The name and each alias as word lists, with the alias that gave it (None for the name).
        A one-word alias stands for the first name (a nickname) or the surname (an earlier one)."""
        own = tokens(self.name)
        found: list[tuple[tuple[str, ...], str | None]] = [(own, None)] if own else []
        for alias in self.aliases:
            words = tokens(alias)
            if not words:
                continue
            if len(words) == 1 and len(own) >= 2:
                found += [((words[0], *own[1:]), alias), ((*own[:-1], words[0]), alias)]
            else:
                found.append((words, alias))
        return found

    @cached_property
    def keys(self) -> frozenset[str]:
        """Pairs are compared only when they share one of these (Splink's blocking rules): the date of
        birth, or a surname's sound with a first initial, for the name and each way an alias reads."""
        keys = {f"d:{self.dob.isoformat()}"} if self.dob else set()
        own = tokens(self.name)
        for alias in self.aliases:
            words = tokens(alias)
            if len(words) == 1 and len(own) >= 2:  # a nickname, or an earlier surname
                keys |= {f"s:{sound(own[-1])}:{words[0][0]}", f"s:{sound(words[0])}:{own[0][0]}"}
            elif len(words) >= 2:
                keys.add(f"s:{sound(words[-1])}:{words[0][0]}")
        if len(own) >= 2:
            keys.add(f"s:{sound(own[-1])}:{own[0][0]}")
        elif own:
            keys.add(f"s:{sound(own[0])}:")
        return frozenset(keys)


@dataclass(frozen=True)
class Match:
    """Two records judged to be the same person, the evidence weight, and why."""

    a: str
    b: str
    weight: float
    reasons: tuple[str, ...]
    confirmed: bool = False


@dataclass
class _Level:
    weight: float
    reason: str
    words: tuple[str, str] = ("", "")  # the two words compared (names only)


def _dob_level(a: PersonRecord, b: PersonRecord) -> _Level | None:
    if a.dob is None or b.dob is None:
        missing = a if a.dob is None else b
        return _Level(0.0, f"no date of birth in the {missing.where} submission") if missing.where else None
    if a.dob == b.dob:
        return _Level(DOB_SAME, "same date of birth")
    if _near(a.dob, b.dob):
        return _Level(DOB_NEAR, f"dates of birth nearly the same ({a.dob:%d/%m/%Y}, {b.dob:%d/%m/%Y})")
    return _Level(DOB_DIFFERENT, f"different dates of birth ({a.dob:%d/%m/%Y}, {b.dob:%d/%m/%Y})")


def _near(x: date, y: date) -> bool:
    """Day and month swapped, or one digit mistyped."""
    if (x.day, x.month, x.year) == (y.month, y.day, y.year):
        return True
    one, other = x.strftime("%Y%m%d"), y.strftime("%Y%m%d")
    return sum(p != q for p, q in zip(one, other, strict=True)) == 1


@dataclass(frozen=True)
class _Scale:
    what: str
    same: float
    close: float
    alike: float
    different: float
    short: float | None = None


SURNAME = _Scale("surname", SURNAME_SAME, SURNAME_CLOSE, SURNAME_SOUND, SURNAME_DIFFERENT)
FORENAME = _Scale("first name", FORENAME_SAME, FORENAME_CLOSE, FORENAME_SOUND, FORENAME_DIFFERENT, FORENAME_SHORT)
NAME = _Scale("name", FORENAME_SAME, FORENAME_CLOSE, FORENAME_SOUND, FORENAME_DIFFERENT, FORENAME_SHORT)


def _word_level(x: str, y: str, scale: _Scale) -> _Level:
    words = (x, y)
    if x == y:
        return _Level(scale.same, f"{scale.what} matches", words)
    if scale.short is not None and min(len(x), len(y)) >= 3 and (x.startswith(y) or y.startswith(x)):
        short, whole = sorted(words, key=len)
        return _Level(scale.short, f"'{short.title()}' is short for '{whole.title()}'", words)
    if JaroWinkler.similarity(x, y) >= CLOSE:
        return _Level(scale.close, f"{scale.what}s nearly the same ({x.title()}, {y.title()})", words)
    if sound(x) == sound(y):
        return _Level(scale.alike, f"{scale.what}s sound the same ({x.title()}, {y.title()})", words)
    return _Level(scale.different, f"different {scale.what}s", words)


def _name_levels(x: Sequence[str], y: Sequence[str]) -> list[_Level]:
    if len(x) >= 2 and len(y) >= 2:
        return [_word_level(x[-1], y[-1], SURNAME), _word_level(x[0], y[0], FORENAME)]
    one, other = (x, y) if len(x) == 1 else (y, x)
    levels = [_word_level(one[0], word, NAME) for word in other]
    return [max(levels, key=lambda level: level.weight)] if levels else []


def _alias_reasons(levels: list[_Level], used: list[tuple[str, PersonRecord]]) -> list[str]:
    """Name the aliases that made the match: an alias word that matched replaces its level's reason."""
    extra = []
    for alias, record in used:
        reason = f"'{alias}' is an alias in the {record.where or 'other'} submission"
        words = set(tokens(alias))
        level = next((lv for lv in levels if lv.weight > 0 and words & set(lv.words)), None)
        if level is not None:
            level.reason = reason
        else:
            extra.append(reason)
    return extra


def compare(a: PersonRecord, b: PersonRecord) -> tuple[float, list[str]]:
    """The evidence weight that `a` and `b` are one person, and the reasons for it."""
    best: tuple[float, list[_Level], list[tuple[str, PersonRecord]]] | None = None
    for words_a, alias_a in a.variants():
        for words_b, alias_b in b.variants():
            levels = _name_levels(words_a, words_b)
            total = sum(level.weight for level in levels)
            used = [(alias, who) for alias, who in ((alias_a, a), (alias_b, b)) if alias is not None]
            if best is None or total > best[0] or (total == best[0] and len(used) < len(best[2])):
                best = (total, levels, used)
    name_levels, used = (best[1], best[2]) if best else ([], [])
    extra = _alias_reasons(name_levels, used)
    dob = _dob_level(a, b)
    levels = ([dob] if dob is not None else []) + name_levels
    weight = sum(level.weight for level in levels)
    if a.case_ref and a.case_ref == b.case_ref:
        weight += SAME_CASE_PRIOR
    return weight, [level.reason for level in levels] + extra


def candidate_pairs(records: Sequence[PersonRecord]) -> set[tuple[int, int]]:
    """Index pairs (i < j) that share a blocking key and are not from the same submission."""
    by_key: dict[str, list[int]] = {}
    for i, record in enumerate(records):
        for key in record.keys:
            by_key.setdefault(key, []).append(i)
    pairs = set()
    for members in by_key.values():
        for n, i in enumerate(members):
            for j in members[n + 1 :]:
                if records[i].group != records[j].group or not records[i].group:
                    pairs.add((min(i, j), max(i, j)))
    return pairs


def matches(records: Sequence[PersonRecord]) -> list[Match]:
    """Every blocked pair whose evidence reaches MATCH_WEIGHT, strongest first."""
    found = []
    for i, j in candidate_pairs(records):
        weight, reasons = compare(records[i], records[j])
        if weight >= MATCH_WEIGHT:
            found.append(Match(records[i].ref, records[j].ref, round(weight, 1), tuple(reasons)))
    return sorted(found, key=lambda m: (-m.weight, m.a, m.b))


def find_in(query: PersonRecord, others: Iterable[PersonRecord]) -> list[Match]:
    """Records among `others` that appear to be the person `query` (blocking first, so a large
    store is cheap: only records sharing a key are scored)."""
    keys = query.keys
    found = []
    for other in others:
        if other.group and other.group == query.group:
            continue
        if keys.isdisjoint(other.keys):
            continue
        weight, reasons = compare(query, other)
        if weight >= MATCH_WEIGHT:
            found.append(Match(query.ref, other.ref, round(weight, 1), tuple(reasons)))
    return sorted(found, key=lambda m: -m.weight)


@dataclass
class People:
    """Records grouped into people, with the matches that joined them."""

    groups: list[list[str]] = field(default_factory=list)
    links: list[Match] = field(default_factory=list)


def cluster(records: Sequence[PersonRecord], found: Sequence[Match], confirmed: Iterable[tuple[str, str]] = (),
            split: Iterable[tuple[str, str]] = ()) -> People:  # fmt: skip
    """Join records into people: confirmed pairs first, then matches strongest first. Records of one
    submission are never joined, nor a pair the Chair split; unmatched records stay on their own."""
    order = {r.ref: n for n, r in enumerate(records)}
    group_of = {r.ref: r.group or r.ref for r in records}
    parent = {r.ref: r.ref for r in records}
    members = {r.ref: {r.ref} for r in records}
    apart = {frozenset(pair) for pair in split}

    def root(ref: str) -> str:
        while parent[ref] != ref:
            parent[ref] = parent[parent[ref]]
            ref = parent[ref]
        return ref

    def join(a: str, b: str) -> bool:
        ra, rb = root(a), root(b)
        if ra == rb:
            return True
        left, right = members[ra], members[rb]
        if {group_of[x] for x in left} & {group_of[y] for y in right}:
            return False
        if any(frozenset((x, y)) in apart for x in left for y in right):
            return False
        parent[rb] = ra
        members[ra] = left | right
        del members[rb]
        return True

    by_pair = {frozenset((m.a, m.b)): m for m in found}
    links = []
    for a, b in confirmed:
        if a in parent and b in parent and join(a, b):
            known = by_pair.get(frozenset((a, b)))
            reasons = known.reasons if known else ("joined by the Chair",)
            links.append(Match(a, b, known.weight if known else 0.0, reasons, confirmed=True))
    done = {frozenset((m.a, m.b)) for m in links}
    for match in found:
        pair = frozenset((match.a, match.b))
        if pair in done or pair in apart:
            continue
        if root(match.a) != root(match.b) and join(match.a, match.b):
            links.append(match)
    groups = sorted((sorted(g, key=order.__getitem__) for g in members.values()), key=lambda g: order[g[0]])
    return People(groups=groups, links=links)
