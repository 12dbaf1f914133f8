"""Weapon terms and quantities: generic nouns and named systems to a contract weapon category."""

from __future__ import annotations

import re
from dataclasses import dataclass

# category -> regex alternatives (case-insensitive unless the system name is written in caps).
# Named systems come first in the alternation so that "Patriot missile" reads as air defence.
_NAMED_SYSTEMS = {
    "air_defence": r"S-[34]00|Patriots?|(?i:NASAMS|IRIS-T(?: SLM)?)|HQ-\d+|FK-3|Pantsir|Tor-M\d|Buk(?:-M\d)?|THAAD|Iron Dome|"
                   r"David'?s Sling|Arrow[- ]?3|SAMP/T|Stinger|Igla|Gepard|Crotale|Skyguard|KN-06|Aster|MANPADS?|"
                   r"Avenger|Starstreak|Sky Sabre|Cheongung|KM-SAM",
    "drones": r"Shahed(?:-\d+)?|Shahid(?:-\d+)?|Shahd|Bayraktar(?: TB2| Akinci)?|TB2|Akinci|Orlan|Lancet|Switchblade|"
              r"Mohajer(?:-\d)?|Geran(?:-\d)?|Wing Loong(?: II)?|CH-\d|Reaper|MQ-\d+[A-Z]?|Heron|Hermes \d+|Harop|"
              r"Phoenix Ghost|Puma|ScanEagle|Anka|Kargu",
    "aircraft": r"F-\d+[A-Z]*|Su-\d+[A-Z]*|MiG-\d+[A-Z]*|J-\d+[A-Z]*|JF-17|Rafales?|Typhoons?|Eurofighters?|Gripens?|"
                r"Mirage(?: \d+)?|Tornado|Harrier|Black ?Hawks?|Apaches?|Chinooks?|Mi-\d+|Ka-\d+|Sea Kings?|"
                r"C-130J?(?:-30)?|Super Hercules|C-17|A400M|KC-\d+|Il-76|Tejas|FA-50|KF-21|T-50|Super Tucano|AW\d+|NH90|Tigre?",
    "armoured_vehicles": r"Leopard(?: [12][A-Z0-9]*)?|Abrams|M1A\d|Challenger(?: 2)?|T-\d\d[A-Z]*|K2(?: Black Panther)?|"
                         r"Bradley|Marder|Stryker|BMP-\d|BTR-\d+|Humvees?|MRAPs?|CV90|Lynx|Boxer|Piranha|"
                         r"M113|AMX-10(?: RC)?|Kirpi|Cobra|Bushmaster|Merkava",
    "artillery": r"(?i:HIMARS)|M142|MLRS|M270|Caesar|CAESAR|K9(?: Thunder)?|PzH 2000|Krab|Zuzana|Archer|Pinaka|"
                 r"M777|Grad|Smerch|Uragan|Tornado-S|Koksan|Bohdana|Dana|ATMOS|Chunmoo|M109",
    "missiles": r"(?i:ATACMS)|Storm Shadow|SCALP(?:-EG)?|Taurus|Iskander(?:-M)?|Kinzhal|Kalibr|Tomahawks?|Harpoons?|"
                r"Javelins?|NLAW|Brimstone|Hwasong(?:-\d+)?|KN-2[345]|Fateh(?:-\d+)?|Zolfaghar|BrahMos|Exocet|"
                r"Kh-\d+|Neptune|JASSM|Hellfire|TOW|Kornet|Spike|Milan|Fattah|Khaybar Shekan|Meteor|AMRAAM|"
                r"Sidewinder|SM-\d|Naval Strike Missile|NSM|Maverick",
    "naval": r"Belharra|FREMM|Gowind|Type \d\d\d[A-Z]?|Scorpene|Kilo-class|Virginia-class|Meko|MEKO|"
             r"Hangor|Aegis|Zumwalt|Mistral",
    "sensors": r"AN/TPQ-\d+|AN/[A-Z]+-\d+|Giraffe|Ground Master|J-STARS|AWACS|Saab 340 AEW|Erieye",
    "small_arms": r"AK-\d+|Kalashnikovs?|M4|M16|M249|Glock|Dragunov",
}
_GENERIC = {
    "air_defence": r"air[- ]defen[cs]e(?: systems?| batter(?:y|ies)| missiles?| complex(?:es)?| units?)?|"
                   r"surface-to-air missiles?(?: defen[cs]e)?(?: systems?)?|anti-aircraft (?:systems?|guns?|missiles?)|"
                   r"missile[- ]defen[cs]e(?: systems?)?|interceptors?|SAMs?",
    "drones": r"drones?|unmanned (?:combat )?aerial vehicles?|UAVs?|UCAVs?|loitering munitions?|kamikaze drones?|"
              r"suicide drones?|unmanned (?:aircraft|systems?)",
    # a bare "fighters" is as often combatants as aircraft: only "fighter jets/aircraft/planes" count
    "aircraft": r"fighter (?:jets?|aircraft|planes?)|(?:stealth|multi-?role|combat|supersonic|twin-engined?|single-engined?|"
                r"(?:fourth|fifth|4\.5)-generation|carrier-based|interceptor) fighters?|"
                r"jets?|warplanes?|aircraft|helicopters?|planes?|bombers?|"
                r"gunships?|transport planes?|airplanes?|airframes?",
    "armoured_vehicles": r"(?:main )?battle tanks?|tanks?|armou?red vehicles?|armou?red personnel carriers?|APCs?|"
                         r"infantry fighting vehicles?|IFVs?|armou?red cars?",
    "artillery": r"howitzers?|artillery(?: systems?| pieces?| guns?)?|rocket launchers?|multiple[- ]launch rocket systems?|"
                 r"(?:multiple )?rocket systems?|rocket artillery|"
                 r"mortars?|self-propelled guns?|Pinaka rockets?",
    "ammunition": r"ammunition|ammo|shells?|artillery shells?|rounds|munitions?|cluster munitions?|cluster bombs?|"
                  r"bullets|rockets?|grenades|explosives|bombs?",
    "missiles": r"(?:cruise |ballistic |anti-ship |anti-tank |guided |long-range |short-range |hypersonic )*missiles?|"
                r"ATGMs?|anti-tank weapons?",
    "naval": r"frigates?|warships?|submarines?|corvettes?|destroyers?|patrol (?:boats?|vessels?|ships?)|"
             r"naval vessels?|aircraft carriers?|vessels?|minesweepers?|landing ships?|gunboats?|"
             r"(?:high-speed |fast )?(?:guard|attack|missile|landing|assault|interceptor) (?:boats?|craft)",
    "sensors": r"radars?|radar systems?|surveillance systems?|sonars?|air surveillance radar",
    "small_arms": r"small arms|rifles?|machine guns?|assault rifles?|pistols?|firearms|guns",
    "other": r"weapons?|weaponry|arms|military (?:aid|assistance|equipment|hardware|supplies|package)|"
             r"lethal (?:aid|weapons|equipment)|defen[cs]e equipment|equipment|security assistance|arsenal",
}
_CATEGORY_ORDER = ("air_defence", "drones", "missiles", "artillery", "armoured_vehicles", "aircraft", "naval",
                   "sensors", "small_arms", "ammunition", "other")


@dataclass(frozen=True, slots=True)
class WeaponTerm:
    start: int
    end: int
    text: str
    category: str
    named: bool  # a named system rather than a generic noun


# Compounds whose head noun belongs to another category than their first word.
_COMPOUNDS = (
    ("ammunition", r"(?:artillery|tank|howitzer|mortar) (?:shells?|rounds|ammunition)|rocket ammunition|"
                   r"(?:air defen[cs]e|missile) interceptors?"),
    ("drones", r"attack drones?|drone swarms?"),
)


def _alternation(groups: list[tuple[str, str]], flags: int, plural: bool = False) -> re.Pattern:
    suffix = "(?:s|'s|’s)?" if plural else ""
    parts = [f"(?P<g{i}>(?:{pattern}){suffix})" for i, (_, pattern) in enumerate(groups)]
    return re.compile(r"\b(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", flags)


_NAMED_GROUPS = [(c, _NAMED_SYSTEMS[c]) for c in _CATEGORY_ORDER if c in _NAMED_SYSTEMS]
_GENERIC_GROUPS = [*_COMPOUNDS, *((c, _GENERIC[c]) for c in _CATEGORY_ORDER if c in _GENERIC)]
_NAMED_RE = _alternation(_NAMED_GROUPS, 0, plural=True)
_GENERIC_RE = _alternation(_GENERIC_GROUPS, re.IGNORECASE)
# Words that make a generic noun something other than a weapon ("arms race", "planes of cooperation").
_NOT_WEAPON = re.compile(
    r"\b(?:arms (?:race|control|length|embargo)|passenger (?:jets?|planes?)|commercial (?:jets?|aircraft)|"
    r"cargo (?:ships?|vessels?)|fishing (?:boats?|vessels?)|oil tankers?|tankers?|think tanks?|water tanks?|"
    r"jet lag|jet set|private jets?)\b", re.IGNORECASE)


def find_weapons(sentence: str) -> list[WeaponTerm]:
    """Weapon terms in a sentence, named systems first, non-overlapping, in text order."""
    blocked = [(m.start(), m.end()) for m in _NOT_WEAPON.finditer(sentence)]
    found: list[WeaponTerm] = []
    taken: list[tuple[int, int]] = list(blocked)
    for named, pattern, groups in ((True, _NAMED_RE, _NAMED_GROUPS), (False, _GENERIC_RE, _GENERIC_GROUPS)):
        for m in pattern.finditer(sentence):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            category = groups[int(m.lastgroup[1:])][0]
            found.append(WeaponTerm(s, e, m.group(0), category, named))
            taken.append((s, e))
    return sorted(found, key=lambda w: w.start)


def main_category(terms: list[WeaponTerm]) -> str:
    """The category of the main item: named systems win, then specific nouns over generic 'weapons'."""
    if not terms:
        return "other"
    named = [t for t in terms if t.named]
    pool = named or [t for t in terms if t.category != "other"] or terms
    return pool[0].category


_NUMBER_WORDS = {
    "a dozen": 12, "dozens of": 24, "a few": 2, "several": 3, "a couple of": 2, "two": 2, "three": 3,
    "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "fifteen": 15, "twenty": 20, "hundreds of": 200, "several hundred": 300,
    "thousands of": 2000, "several thousand": 3000, "tens of thousands of": 20000,
    "millions of": 2_000_000, "a million": 1_000_000, "one million": 1_000_000, "a hundred": 100,
}
_SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_WORDS_ALT = "|".join(
    re.escape(w).replace(r"\ of", r"[”\"’']?\s+of") for w in sorted(_NUMBER_WORDS, key=len, reverse=True))
_QUANTITY = re.compile(
    r"(?<![\w$€£.-])[“\"‘']?(?:(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?:\s+(?P<scale>hundred|thousand|million))?"
    r"|(?P<words>" + _WORDS_ALT + r"))(?![\w%])",
    re.IGNORECASE)
_BREAK = re.compile(r"[;:,.()]|\b(?:in|on|since|by|per|percent|years?|months?|days?|billion|dollars?|worth)\b",
                    re.IGNORECASE)


def find_quantity(sentence: str, weapon: WeaponTerm) -> tuple[str | None, int | None]:
    """The quantity written just before a weapon term ('24 Rafale jets', '“millions” of shells')."""
    window_start = max(0, weapon.start - 45)
    window = sentence[window_start:weapon.start]
    best = None
    for m in _QUANTITY.finditer(window):
        best = m
    if best is None:
        return None, None
    between = window[best.end():]
    if _BREAK.search(between) or len(between.split()) > 4:
        return None, None
    phrase = re.sub(r"[“”\"‘’']", "", best.group(0)).strip()
    if best.group("words"):
        key = re.sub(r"[”\"’']", "", best.group("words")).lower()
        key = re.sub(r"\s+", " ", key)
        return phrase, _NUMBER_WORDS.get(key)
    value = int(best.group("num").replace(",", "")) * _SCALE.get((best.group("scale") or "").lower(), 1)
    if 1900 <= value <= 2100 and not best.group("scale"):
        return None, None  # a year, not a quantity
    return phrase, value


# Where well-known systems are made: used as the supplier only when the text names no other source.
SYSTEM_ORIGIN = {
    **dict.fromkeys(("F-35", "F-35A", "F-35B", "F-35AS", "F-35AS", "F-16", "F-16V", "F-15", "F-15EX", "F-18", "PATRIOT",
                     "PATRIOTS", "HIMARS", "ATACMS", "ABRAMS", "JAVELIN", "JAVELINS", "STINGER", "M777", "BRADLEY",
                     "STRYKER", "HARPOON", "HARPOONS", "TOMAHAWK", "TOMAHAWKS", "APACHE", "APACHES", "BLACK HAWK",
                     "BLACK HAWKS", "REAPER", "SWITCHBLADE", "THAAD", "M1A2", "C-130J", "CHINOOK", "CHINOOKS", "HELLFIRE",
                     "AMRAAM", "JASSM", "PHOENIX GHOST", "MQ-9", "MQ-9A", "MQ-9B", "MQ-1C", "P-8", "P-8I"), "USA"),
    **dict.fromkeys(("S-400", "S-300", "SU-35", "SU-30", "SU-57", "MIG-29", "MIG-31", "PANTSIR", "ISKANDER", "ISKANDER-M",
                     "KINZHAL", "KALIBR", "T-90", "T-72", "BUK", "TOR-M2", "LANCET", "ORLAN"), "RUS"),
    **dict.fromkeys(("RAFALE", "RAFALES", "CAESAR", "MIRAGE", "EXOCET", "SCORPENE", "BELHARRA", "GOWIND", "CROTALE"), "FRA"),
    **dict.fromkeys(("BAYRAKTAR", "BAYRAKTAR TB2", "TB2", "AKINCI", "BAYRAKTAR AKINCI", "ANKA", "KIRPI", "KARGU"), "TUR"),
    **dict.fromkeys(("SHAHED", "SHAHED-136", "SHAHED-131", "SHAHED-129", "MOHAJER", "MOHAJER-6", "FATEH-110", "FATTAH"), "IRN"),
    **dict.fromkeys(("J-10C", "J-10", "HQ-9", "HQ-22", "FK-3", "WING LOONG", "WING LOONG II", "CH-4", "CH-5", "HANGOR",
                     "TYPE 054A", "TYPE 054A/P", "TYPE 052D", "TYPE 039"), "CHN"),
    **dict.fromkeys(("LEOPARD", "LEOPARD 2", "LEOPARD 1", "IRIS-T", "IRIS-T SLM", "GEPARD", "MARDER", "PZH 2000", "TAURUS"), "DEU"),
    **dict.fromkeys(("K2", "K2 BLACK PANTHER", "K9", "K9 THUNDER", "FA-50", "CHUNMOO", "KF-21", "CHEONGUNG"), "KOR"),
    **dict.fromkeys(("GRIPEN", "GRIPENS", "ARCHER", "CV90", "GIRAFFE"), "SWE"),
    **dict.fromkeys(("PINAKA", "BRAHMOS", "TEJAS"), "IND"),
    **dict.fromkeys(("IRON DOME", "DAVID'S SLING", "ARROW 3", "ARROW-3", "MERKAVA", "HAROP", "HERON", "SPIKE"), "ISR"),
    **dict.fromkeys(("CHALLENGER", "CHALLENGER 2", "NLAW", "BRIMSTONE", "STARSTREAK", "SKY SABRE"), "GBR"),
    **dict.fromkeys(("HWASONG", "KN-23", "KN-24", "KN-25", "KOKSAN"), "PRK"),
}
