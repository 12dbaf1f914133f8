"""The founding example: what Entente reads from ../shared/seed/article.txt, against the issue's list."""

import sys
from pathlib import Path

from pipeline.extract.events import extract_article

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "article.txt"
REQUIRED_ARMS = {("PRK", "RUS", "planned"), ("IRN", "RUS", "used")}
REQUIRED_LINKS = {("PRK", "RUS", "meeting"), ("PRK", "RUS", "partnership"), ("CHN", "RUS", "meeting"),
                  ("IRN", "RUS", "meeting"), ("IRN", "SCO", "membership")}


def main() -> int:
    rows = extract_article("seed", SEED.read_text(encoding="utf-8"), None)
    arms = {(r["supplier"], r["recipient"], r["status"]) for r in rows.arms_transfers}
    links = {(r["actor_a"], r["actor_b"], r["relation"]) for r in rows.alliances}
    for r in rows.arms_transfers:
        print(f"arms  {r['supplier']}->{r['recipient']} {r['weapon_category']}/{r['status']} origin={r['origin']} "
              f"reported_by={r['reported_by']!r} quantity={r['quantity_text']!r} used_in={r['used_in']}")
    for r in rows.alliances:
        print(f"link  {r['actor_a']}-{r['actor_b']} {r['relation']} date={r['event_date']}")
    missing = (REQUIRED_ARMS - arms) | (REQUIRED_LINKS - links)
    extra = (arms - REQUIRED_ARMS) | (links - REQUIRED_LINKS)
    print(f"required found: {len(REQUIRED_ARMS | REQUIRED_LINKS) - len(missing)}/{len(REQUIRED_ARMS | REQUIRED_LINKS)}; "
          f"missing: {sorted(missing) or 'none'}; beyond the list: {sorted(extra) or 'none'}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
