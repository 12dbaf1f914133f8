"""`entente evaluate GOLD_DIR`: run the pipeline on gold articles and score it as the eval scorer does."""

from __future__ import annotations

import json
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline.ingest.articles import normalise_url
from pipeline.settings import Settings

RAW_KEYS = ("url", "title", "source", "published_at", "text")


@dataclass
class Gold:
    gid: str
    url: str
    arms_req: dict = field(default_factory=dict)  # (supplier, recipient) -> (categories, statuses)
    arms_opt: set = field(default_factory=set)
    rel_req: list = field(default_factory=list)   # [(frozenset pair, accepted relations)]
    rel_opt: list = field(default_factory=list)

    @property
    def negative(self) -> bool:
        return not self.arms_req and not self.rel_req

    @property
    def pairs_req(self) -> set:
        return {p for p, _ in self.rel_req}

    @property
    def pairs_opt(self) -> set:
        return {p for p, _ in self.rel_opt} - self.pairs_req


def _accepted(entry: dict, key: str) -> frozenset:
    return frozenset(v for v in [entry.get(key), *(entry.get(key + "_alt") or [])] if v)


def load_gold(gold_dir: Path) -> tuple[list[Gold], list[dict]]:
    golds, raws = [], []
    for f in sorted(Path(gold_dir).glob("*.json")):
        g = json.loads(f.read_text(encoding="utf-8"))
        gold = Gold(str(g["id"]), normalise_url(g["url"]))
        for e in g.get("arms_transfers") or []:
            key = (e["supplier"], e["recipient"])
            if e.get("optional"):
                gold.arms_opt.add(key)
            else:
                gold.arms_req[key] = (_accepted(e, "weapon_category"), _accepted(e, "status"))
        gold.arms_opt -= set(gold.arms_req)
        for e in g.get("alliances") or []:
            item = (frozenset((e["actor_a"], e["actor_b"])), _accepted(e, "relation"))
            (gold.rel_opt if e.get("optional") else gold.rel_req).append(item)
        golds.append(gold)
        raws.append({k: g.get(k) for k in RAW_KEYS} | {"id": gold.gid})
    if not golds:
        raise FileNotFoundError(f"no gold *.json files in {gold_dir}")
    return golds, raws


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score(con: duckdb.DuckDBPyConnection, golds: list[Gold]) -> dict:
    """Precision/recall/F1 of the warehouse's events against gold, matched by article URL."""
    url_of = {a: normalise_url(u) for a, u in con.execute("SELECT article_id, url FROM articles WHERE url IS NOT NULL").fetchall()}
    arms = defaultdict(lambda: defaultdict(lambda: (set(), set())))
    for aid, s, r, cat, st in con.execute("SELECT article_id, supplier, recipient, weapon_category, status FROM arms_transfers").fetchall():
        arms[url_of.get(aid)][(s, r)][0].add(cat)
        arms[url_of.get(aid)][(s, r)][1].add(st)
    rels = defaultdict(set)
    for aid, a, b, rel in con.execute("SELECT article_id, actor_a, actor_b, relation FROM alliances").fetchall():
        rels[url_of.get(aid)].add((frozenset((a, b)), rel))
    A = dict(tp=0, fp=0, fn=0, cat=0, st=0, rev=0)
    P = dict(tp=0, fp=0, fn=0)
    R = dict(tp=0, fp=0, fn=0)
    neg_fp = n_neg = 0
    details = []
    for g in golds:
        pa, pr = arms.get(g.url, {}), rels.get(g.url, set())
        keys = set(pa)
        tp, fn = keys & set(g.arms_req), set(g.arms_req) - keys
        fp = keys - set(g.arms_req) - g.arms_opt
        A["tp"] += len(tp)
        A["fp"] += len(fp)
        A["fn"] += len(fn)
        A["rev"] += sum((r, s) in set(g.arms_req) | g.arms_opt for s, r in fp)
        for k in tp:
            A["cat"] += bool(pa[k][0] & g.arms_req[k][0])
            A["st"] += bool(pa[k][1] & g.arms_req[k][1])
        pairs = {p for p, _ in pr}
        P["tp"] += len(pairs & g.pairs_req)
        P["fp"] += len(pairs - g.pairs_req - g.pairs_opt)
        P["fn"] += len(g.pairs_req - pairs)
        hit = [False] * len(g.rel_req)
        rfp = []
        for pair, rel in pr:
            idx = next((i for i, (gp, acc) in enumerate(g.rel_req) if gp == pair and rel in acc), None)
            if idx is not None:
                hit[idx] = True
            elif not any(gp == pair and rel in acc for gp, acc in g.rel_opt):
                rfp.append((pair, rel))
        R["tp"] += sum(hit)
        R["fn"] += hit.count(False)
        R["fp"] += len(rfp)
        if g.negative:
            n_neg += 1
            neg_fp += len(fp) + len(rfp)
        details.append({"id": g.gid, "arms_fp": sorted(f"{s}->{r}" for s, r in fp),
                        "arms_fn": sorted(f"{s}->{r}" for s, r in fn),
                        "alliance_fp": sorted(f"{'-'.join(sorted(p))}:{r}" for p, r in rfp),
                        "alliance_fn": sorted(f"{'-'.join(sorted(g.rel_req[i][0]))}:{'|'.join(sorted(g.rel_req[i][1]))}"
                                              for i, h in enumerate(hit) if not h)})
    arms_m = _prf(A["tp"], A["fp"], A["fn"]) | {
        "weapon_category_accuracy": A["cat"] / A["tp"] if A["tp"] else 0.0,
        "status_accuracy": A["st"] / A["tp"] if A["tp"] else 0.0, "reversed_pairs": A["rev"]}
    return {"arms_transfers": arms_m, "alliance_pairs": _prf(**P), "alliance_relations": _prf(**R),
            "fp_per_negative": neg_fp / n_neg if n_neg else 0.0, "n_negative": n_neg, "articles": details}


def summary_line(res: dict) -> str:
    a = res["arms_transfers"]
    return (f"arms_f1={a['f1']:.3f} alliance_pair_f1={res['alliance_pairs']['f1']:.3f} "
            f"alliance_rel_f1={res['alliance_relations']['f1']:.3f} fp_per_negative={res['fp_per_negative']:.2f} "
            f"arms_cat_acc={a['weapon_category_accuracy']:.3f} arms_status_acc={a['status_accuracy']:.3f} "
            f"arms_reversed={a['reversed_pairs']}")


def evaluate(gold_dir: Path, json_out: bool = False, details: bool = False) -> int:
    from pipeline.cli import run_pipeline

    golds, raws = load_gold(gold_dir)
    with tempfile.TemporaryDirectory(prefix="entente-eval-") as tmp:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        for rec in raws:
            (raw / f"{rec.pop('id')}.json").write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
        settings = Settings(raw, Path(tmp) / "eval.duckdb", Path(tmp) / "releases")
        ok, reason, _ = run_pipeline(settings)
        if not ok and not settings.warehouse.exists():
            print(f"entente: {reason}", file=sys.stderr)
            return 1
        con = duckdb.connect(str(settings.warehouse), read_only=True)
        try:
            res = score(con, golds)
        finally:
            con.close()
    for name in ("arms_transfers", "alliance_pairs", "alliance_relations"):
        m = res[name]
        print(f"  {name:<20} P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f} (tp={m['tp']} fp={m['fp']} fn={m['fn']})")
    if details:
        for d in res["articles"]:
            errs = {k: v for k, v in d.items() if isinstance(v, list) and v}
            if errs:
                print(f"  [{d['id']}] " + "; ".join(f"{k}={','.join(v)}" for k, v in errs.items()))
    if json_out:
        print(json.dumps({k: v for k, v in res.items() if k != "articles"}, sort_keys=True))
    print(summary_line(res))
    return 0
