"""Find mentions of actors (states, organisations, leaders, capitals, demonyms, metonyms) in a text."""
from __future__ import annotations

import dataclasses
import datetime
import functools
import re
from dataclasses import dataclass

import ahocorasick

from pipeline.reference import load

# One character for one character, so offsets into the normalised text are offsets into the original.
# The em dash is left alone: it separates clauses rather than joining words.
_TYPOGRAPHIC = (("\u2010", "-"), ("\u2011", "-"), ("\u2012", "-"), ("\u2013", "-"),
                ("\u2018", "'"), ("\u2019", "'"), ("\u02bc", "'"), ("\u00a0", " "))
# Characters that end a word and never occur inside a surface (the comma in "Washington, D.C." is read alike).
_SEPARATORS = "\t\n\r\f\v()[]{}\"\u201c\u201d\u00ab\u00bb/:;,!?*\u2014\u2026#@&|<>=~"
_KEY_PREFIXES = (" ", "-", "'")

# Phrases that contain an alias but mention no actor. They take part in longest-match like aliases,
# so "South China Sea" claims its span and "China" inside it is not reported.
NOT_ACTOR_PHRASES = frozenset({
    # seas, straits, regions and territories
    "South China Sea", "East China Sea", "Indian Ocean", "Sea of Japan", "Gulf of Mexico", "Gulf of Oman",
    "Gulf of Guinea", "Gulf of Thailand", "Gulf of Finland", "Gulf of Aden", "Taiwan Strait", "Strait of Taiwan",
    "Niger Delta", "Niger River", "Turks and Caicos", "New Mexico", "New Guinea", "Northern Ireland", "South Georgia",
    "American Samoa", "British Columbia", "British Virgin Islands", "British Indian Ocean Territory",
    "French Guiana", "French Polynesia", "Latin America", "Latin American", "Latin Americans",
    "South America", "South American", "South Americans", "North America", "North American",
    "North Americans", "Central America", "Central American", "Central Americans", "Native American",
    "Native Americans", "African American", "African Americans", "American Indian", "American Indians",
    "West Indian", "West Indians", "Guinea pig", "Guinea pigs", "Turkish Cypriot", "Turkish Cypriots",
    "Moscow, Idaho", "Tripoli, Lebanon", "Washington state", "Washington State", "University of Washington",
    "George Washington", "Denzel Washington", "Bank of America", "Captain America", "Miss America",
    # agreements, forums and events named after a place
    "Paris Agreement", "Paris Climate Agreement", "Paris Club", "Paris Air Show", "Singapore Airshow",
    "Minsk agreements", "Minsk Agreements", "Minsk accords", "Budapest Memorandum", "Oslo Accords", "Astana format",
    "Rome Statute",
    # news media named after a place (the outlet is not the state)
    "Washington Post", "Washington Times", "Washington Examiner", "Washington Free Beacon",
    "South China Morning Post", "China Daily", "China Global Television Network", "China Central Television",
    "Japan Times", "Japan News", "Korea Times", "Korea Herald", "Taipei Times", "Times of India", "India Today",
    "Indian Express", "Moscow Times", "Kyiv Independent", "Kyiv Post", "Tehran Times", "Iran International",
    "Bangkok Post", "Jakarta Post", "Manila Times", "Pakistan Today", "Russia Today", "Voice of America",
    "France 24", "Israel Hayom", "Times of Israel", "Saudi Gazette", "Saudi Press Agency",
    "Press Trust of India", "Kuwait News Agency", "Qatar News Agency",
    # currencies
    "US$", "U.S.$", "US dollar", "US dollars", "U.S. dollar", "U.S. dollars",
    # relatives and namesakes of leaders, and things named after them
    "Donald Trump Jr.", "Donald Trump Jr", "Trump Jr.", "Melania Trump", "Ivanka Trump", "Eric Trump", "Lara Trump",
    "Barron Trump", "Trump Organization", "Hunter Biden", "Jill Biden", "Michelle Obama", "Brigitte Macron",
    "Sara Netanyahu", "Yair Netanyahu", "Asma al-Assad", "Maher al-Assad", "Hafez al-Assad", "Rifaat al-Assad",
    "Emine Erdoğan", "Emine Erdogan", "Bilal Erdoğan", "Bilal Erdogan", "Mojtaba Khamenei", "Heydar Aliyev",
    "Nazarbayev University", "Sara Duterte", "Eduardo Bolsonaro", "Flávio Bolsonaro", "Flavio Bolsonaro",
    "Carlos Bolsonaro", "Michelle Bolsonaro", "Francesca Albanese", "Pierre Trudeau", "James Cameron",
    "Werner Herzog", "Cesar Chavez", "César Chávez",
})

# A demonym before one of these names a place, not the state: "Indian Ocean", "Philippine Sea".
GEOGRAPHIC_FEATURES = ("Ocean", "Sea", "Peninsula", "subcontinent", "Subcontinent")

# "pro-Russian", "anti-American", "ex-Soviet", "non-NATO": the actor is not what is being talked about.
NEGATING_PREFIXES = frozenset({"pro", "anti", "ex", "post", "non", "pan", "inter"})
# Words after a hyphen that make no compound ("Russia-and"): never a suffix.
NOT_SUFFIXES = frozenset({"and", "or", "the", "a", "an", "to", "of", "in", "on", "for", "with", "which", "who",
                          "that", "as", "at", "by", "but"})
# Compound words recognised even when title-cased in a headline ("Iranian-Made Drones").
TITLE_CASE_SUFFIXES = frozenset({"made", "built", "manufactured", "produced", "designed", "supplied", "provided",
                                 "donated", "funded", "backed", "led", "based", "origin", "era", "owned"})
# Combining forms that mean the state only as the first half of a compound: "Sino-Russian".
COMBINING_FORMS = frozenset({"Sino", "Russo"})

# Capitalised words that may stand next to an ambiguous name without making a personal or
# place name of it ("In Jordan", "Jordan Says", but "Michael Jordan", "Lake Chad", "Georgia Tech").
FUNCTION_WORDS = frozenset("""
In At On To From For With And But Or Of By As The A An While When Where Why How What Whether If Although Though
Because So Then Now Also Only Even Meanwhile However Both Like Unlike Including Against About After Before Since
Between Across Near Outside Inside Over Under Via Into Within Without Than That This These Those Which Who Not No
Neighbouring Neighboring Visiting Besides Beyond Towards Toward Per Did Does Do Has Have Had Is Was Are Were Will
Would Could Should Can May Might Must Said Says Today Yesterday Tomorrow Monday Tuesday Wednesday Thursday Friday
Saturday Sunday January February March April June July August September October November December
Signs Buys Gets Sends Receives Orders Joins Agrees Calls Seeks Wants Warns Rejects Denies Announces Approves
Plans Hosts Holds Makes Takes Urges Backs Condemns Welcomes Accuses Eyes Mulls Inks Boosts Opens Closes Cuts
""".split())

_SUFFIX = re.compile(r"-([A-Za-z]+)(?![A-Za-z])")
_COMBINING = re.compile(r"-[A-Z]")
_DANGLING_HYPHEN = re.compile(r"-,? (?:and|or) |-, ")  # "Russian- and Iranian-made"
_LOCATIVE_BEFORE = re.compile(r"\b(?:[Ii]n|[Aa]t|to|near|outside|visit|visits|visited|visiting|via) $")
_DATELINE_AFTER = re.compile(r" ?[,(\[]")  # "Brussels [Belgium], June 24 :" at the start of a line
_GEORGIA_US_CITY_BEFORE = re.compile(
    r"(?:Atlanta|Savannah|Augusta|Macon|Athens|Columbus|Albany|Marietta|Valdosta|Alpharetta|Roswell|Dalton|Rome|"
    r"Brunswick|Kings Bay|Warner Robins|Fort Benning|Fort Moore|Fort Stewart|Fort Gordon|Fort Eisenhower), $")
_US_STATE_OF_BEFORE = re.compile(r"(?:U\.S\.|US|American) state of $")
_GEORGIA_US_AFTER = re.compile(
    r"(?:'s)? (?:governor|Gov\.|senators?|legislature|county|counties|Republicans|Democrats|runoff|voters)\b")
_GEORGIA_US_NEARBY = ("Atlanta", "Savannah", "Fort Benning", "Fort Moore", "Fort Stewart", "Kings Bay",
                      "Peach State")


@dataclass(frozen=True, slots=True)
class Mention:
    start: int          # char offset into the text given to find()
    end: int            # exclusive
    surface: str        # text[start:end]
    actor_code: str
    via: str            # name, demonym, capital, leader, metonym, organization
    suffix: str         # "" or the lower-cased word after a compound hyphen: "made", "led", "era" ...
    role: str | None    # leaders only


@dataclass(frozen=True, slots=True)
class _Term:
    actor_code: str
    role: str
    start: datetime.date
    end: datetime.date | None


@dataclass(frozen=True, slots=True)
class _Surface:
    text: str
    actor_code: str | None      # None: a phrase that mentions no actor (or a leader: see terms)
    via: str
    ambiguous: bool
    terms: tuple[_Term, ...]    # leaders only
    length: int = 0
    plain: bool = False         # no context rule of its own: the fast path in find()
    ends_word: bool = True      # ends in a letter or digit ("U.S." and "OPEC+" do not)


def _make_surface(text: str, actor_code: str | None, via: str, ambiguous: bool,
                  terms: tuple[_Term, ...]) -> _Surface:
    plain = (actor_code is not None or bool(terms)) and not ambiguous and text not in COMBINING_FORMS
    return _Surface(text, actor_code, via, ambiguous, terms, len(text), plain, text[-1].isalnum())


class Gazetteer:
    """Aho-Corasick over every alias, leader name and blocked phrase; find() applies the context rules."""

    def __init__(self, actors: list[dict], aliases: list[dict], leaders: list[dict],
                 not_actor_phrases: frozenset[str] = NOT_ACTOR_PHRASES):
        self._actors = {a["actor_code"]: a for a in actors}
        terms: dict[str, list[_Term]] = {}
        for r in leaders:
            terms.setdefault(r["surface"], []).append(_Term(r["actor_code"], r["role"], r["start"], r["end"]))
        surfaces = [_make_surface(r["surface"], r["actor_code"], r["via"], r["ambiguous"], ()) for r in aliases]
        surfaces += [_make_surface(s, None, "leader", False, tuple(t)) for s, t in terms.items()]
        places = {f"{r['surface']} {feature}" for r in aliases if r["via"] == "demonym"
                  for feature in GEOGRAPHIC_FEATURES}
        surfaces += [_make_surface(s, None, "", False, ()) for s in sorted(not_actor_phrases | places)]
        self._surfaces = surfaces
        # Each surface is keyed with the character before it, so the automaton's root has three
        # children instead of one per initial letter: pyahocorasick searches children linearly,
        # and this makes the scan about twice as fast. It also enforces the word boundary before.
        self._automaton = ahocorasick.Automaton()
        for i, s in enumerate(surfaces):
            for before in _KEY_PREFIXES:
                if not self._automaton.add_word(before + _scan_form(s.text), i):
                    raise ValueError(f"surface listed twice: {s.text!r}")
        self._automaton.make_automaton()

    @classmethod
    @functools.cache
    def default(cls) -> Gazetteer:
        return cls(load.actor_rows(), load.alias_rows(), load.leader_rows())

    def actor(self, code: str) -> dict:
        return dict(self._actors[code])

    def find(self, text: str, published: datetime.date | None = None) -> list[Mention]:
        """Mentions sorted by start, non-overlapping; the longest surface at a position claims it."""
        if isinstance(published, datetime.datetime):
            published = published.date()
        norm = _normalise(text)
        n = len(norm)
        mentions: list[Mention] = []
        claimed_to = 0
        for start, end, surface in self._longest_words(" " + _scan_form(norm), norm, 0, n + 1):
            if start < claimed_to:
                continue
            before = norm[start - 1] if start else " "
            after = norm[end] if end < n else " "
            if surface.plain and before != "-" and after != "-" and (after != "'" or _possessive_or_quote(norm, end)):
                if not surface.terms:
                    mention = Mention(start, end, text[start:end], surface.actor_code, surface.via, "", None)
                elif term := _term_on(surface.terms, published):
                    mention = Mention(start, end, text[start:end], term.actor_code, "leader", "", term.role)
                else:
                    continue
            else:
                mention = _resolve(surface, text, norm, start, end, published)
                if mention is None:
                    continue
            mentions.append(mention)
            claimed_to = mention.end  # a compound's suffix word is part of the mention
        return _share_dangling_suffixes(mentions, text, norm) if "- " in norm else mentions

    def _longest_words(self, scan: str, norm: str, lo: int, hi: int) -> list[tuple[int, int, _Surface]]:
        """(start, end, surface) of the leftmost-longest surfaces in scan[lo:hi] that end where a word ends.

        A surface that runs into a longer word gives way to the shorter ones inside it: "Washington stated"
        is Washington, not the blocked "Washington state". The scanned text has one leading space, so a key
        ending at scan[last] (its first character being the one before the surface) ends at norm[last - 1].
        """
        found = []
        surfaces, n = self._surfaces, len(norm)
        for last, i in self._automaton.iter_long(scan, lo, hi):
            surface = surfaces[i]
            start = last - surface.length
            if surface.ends_word and last < n and norm[last].isalnum():
                found += self._longest_words(scan, norm, start, last)
            else:
                found.append((start, last, surface))
        return found


def _normalise(text: str) -> str:
    for typographic, plain in _TYPOGRAPHIC:
        if typographic in text:
            text = text.replace(typographic, plain)
    return text


def _scan_form(text: str) -> str:
    """Separators as spaces (same length): then a surface can only follow a space, a hyphen or an apostrophe."""
    for separator in _SEPARATORS:
        if separator in text:
            text = text.replace(separator, " ")
    return text


def _resolve(surface: _Surface, text: str, norm: str, start: int, end: int,
             published: datetime.date | None) -> Mention | None:
    """The slow path of find(): context rules, leaders' terms, compounds."""
    if surface.actor_code is None and not surface.terms:
        return None
    if surface.ends_word and norm.startswith("'", end) and not _possessive_or_quote(norm, end):
        return None
    if _after_negating_prefix(norm, start):
        return None
    if surface.ambiguous and not _ambiguous_is_actor(surface, norm, start, end):
        return None
    if surface.text in COMBINING_FORMS and not _COMBINING.match(norm, end):
        return None
    code, role = surface.actor_code, None
    if surface.terms:
        term = _term_on(surface.terms, published)
        if term is None:
            return None
        code, role = term.actor_code, term.role
    suffix = ""
    compound = _SUFFIX.match(norm, end)
    if compound:
        word = compound.group(1)
        if (word.islower() and word not in NOT_SUFFIXES) or word.lower() in TITLE_CASE_SUFFIXES:
            suffix, end = word.lower(), compound.end()
    return Mention(start, end, text[start:end], code, surface.via, suffix, role)


def _possessive_or_quote(text: str, end: int) -> bool:
    """After an apostrophe: "Russia's" and "Russia'" are Russia, "Xi'an" is not Xi."""
    following = text[end + 1:end + 3]
    return not following[:1].isalnum() or (following[0] == "s" and not following[1:].isalnum())


def _after_negating_prefix(text: str, start: int) -> bool:
    if start < 2 or text[start - 1] != "-":
        return False
    i = start - 1
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    return text[i:start - 1].lower() in NEGATING_PREFIXES


def _ambiguous_is_actor(surface: _Surface, text: str, start: int, end: int) -> bool:
    if surface.via != "demonym" and (_is_name_part(_word_before(text, start))
                                     or _is_name_part(_word_after(text, end))):
        return False
    if surface.text == "Georgia":
        return _georgia_is_the_country(text, start, end)
    if surface.text == "Brussels":
        at_line_start = start == 0 or text[start - 1] == "\n"
        return not (_LOCATIVE_BEFORE.search(text, max(0, start - 20), start)
                    or (at_line_start and _DATELINE_AFTER.match(text, end)))
    return True


def _word_before(text: str, start: int) -> str:
    if start < 2 or text[start - 1] != " ":
        return ""
    i = start - 1
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] in "'-"):
        i -= 1
    return text[i:start - 1]


def _word_after(text: str, end: int) -> str:
    if end + 1 >= len(text) or text[end] != " ":
        return ""
    k = end + 1
    while k < len(text) and text[k].isalpha():
        k += 1
    return text[end + 1:k]


def _is_name_part(word: str) -> bool:
    """A title-case word that is not a function word: 'Michael', 'Lake', 'Tech'."""
    return len(word) > 1 and word[0].isupper() and word[1].islower() and word not in FUNCTION_WORDS


def _georgia_is_the_country(text: str, start: int, end: int) -> bool:
    window_start = max(0, start - 40)
    if (_GEORGIA_US_CITY_BEFORE.search(text, window_start, start)
            or _US_STATE_OF_BEFORE.search(text, window_start, start)):
        return False
    if _GEORGIA_US_AFTER.match(text, end):
        return False
    window = text[max(0, start - 150):end + 150]
    return not any(place in window for place in _GEORGIA_US_NEARBY)


def _term_on(terms: tuple[_Term, ...], published: datetime.date | None) -> _Term | None:
    """The term in office on the publication date; undated: the latest, if all terms are of one actor."""
    if published is None:
        candidates = terms
    else:
        candidates = tuple(t for t in terms if t.start <= published and (t.end is None or published <= t.end))
    if not candidates or len({t.actor_code for t in candidates}) != 1:
        return None
    return max(candidates, key=lambda t: t.start)


def _share_dangling_suffixes(mentions: list[Mention], text: str, norm: str) -> list[Mention]:
    """'Russian- and Iranian-made': the suffix of the last compound applies to the dangling ones before it."""
    for k in range(len(mentions) - 2, -1, -1):
        m, following = mentions[k], mentions[k + 1]
        if not m.suffix and following.suffix and _DANGLING_HYPHEN.fullmatch(norm, m.end, following.start):
            mentions[k] = dataclasses.replace(m, end=m.end + 1, surface=text[m.start:m.end + 1],
                                              suffix=following.suffix)
    return mentions
