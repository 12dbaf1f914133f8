"""`entente evaluate`: the scorer's arithmetic on a tiny warehouse, and the figures on our own gold set."""

import json
import re
from pathlib import Path

import pytest

from pipeline import warehouse
from pipeline.evaluate import evaluate, load_gold, score

GOLD = Path(__file__).resolve().parent / "gold"


def _gold(tmp_path):
    d = tmp_path / "gold"
    d.mkdir()
    (d / "a.json").write_text(json.dumps({
        "id": "a", "url": "https://x.example/a", "text": "t",
        "arms_transfers": [{"supplier": "IRN", "recipient": "RUS", "weapon_category": "drones", "status": "used",
                            "status_alt": ["delivered"]},
                           {"supplier": "PRK", "recipient": "RUS", "weapon_category": "other", "status": "planned",
                            "optional": True}],
        "alliances": [{"actor_a": "RUS", "actor_b": "CHN", "relation": "meeting"}]}))
    (d / "n.json").write_text(json.dumps({"id": "n", "url": "https://x.example/n", "text": "t"}))
    return d


def test_scoring_counts_pairs_direction_optional_and_negatives(tmp_path):
    golds, _ = load_gold(_gold(tmp_path))
    con = warehouse.connect(tmp_path / "w.duckdb")
    con.execute("INSERT INTO articles (article_id, url, language, word_count, content_sha256, raw_path, ingested_at) "
                "VALUES ('A', 'http://x.example/a/', 'en', 1, 's', 'a', now()), ('N', 'https://x.example/n', 'en', 1, 's2', 'n', now())")
    con.execute("""INSERT INTO arms_transfers (event_id, article_id, sentence_idx, char_start, char_end, supplier, recipient,
                   weapon_category, status, confidence, evidence, extractor) VALUES
                   ('1', 'A', 0, 0, 1, 'IRN', 'RUS', 'drones', 'delivered', 1, 't', 'x'),
                   ('2', 'A', 0, 0, 1, 'PRK', 'RUS', 'other', 'planned', 1, 't', 'x'),
                   ('3', 'A', 0, 0, 1, 'RUS', 'IRN', 'drones', 'used', 1, 't', 'x')""")
    con.execute("""INSERT INTO alliances (event_id, article_id, sentence_idx, char_start, char_end, actor_a, actor_b,
                   relation, confidence, evidence, extractor) VALUES
                   ('4', 'A', 0, 0, 1, 'CHN', 'RUS', 'meeting', 1, 't', 'x'),
                   ('5', 'N', 0, 0, 1, 'FRA', 'DEU', 'meeting', 1, 't', 'x')""")
    res = score(con, golds)
    a = res["arms_transfers"]
    assert (a["tp"], a["fp"], a["fn"], a["reversed_pairs"]) == (1, 1, 0, 1)  # optional PRK->RUS ignored
    assert a["status_accuracy"] == 1.0  # 'delivered' is an accepted alternative
    assert res["alliance_relations"]["tp"] == 1 and res["fp_per_negative"] == 1.0


GOLD_SETS = ["gold", "gold_blind", "gold_blind2", "gold_blind3", "gold_blind4"]


@pytest.mark.parametrize("gold", [GOLD.parent / name for name in GOLD_SETS], ids=GOLD_SETS)
def test_evaluate_on_our_gold_prints_the_scorer_line(gold, capsys):
    assert evaluate(gold) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    figures = dict(re.findall(r"(\w+)=([\d.]+)", last))
    assert set(figures) >= {"arms_f1", "alliance_pair_f1", "alliance_rel_f1", "fp_per_negative"}
    # regression floors on our own gold sets (when written: arms_f1 0.90-0.93, alliance_rel_f1 0.73-0.92, fp <= 0.14)
    assert float(figures["arms_f1"]) >= 0.75
    assert float(figures["alliance_rel_f1"]) >= 0.70
    assert float(figures["fp_per_negative"]) <= 0.3
