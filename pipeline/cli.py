"""The `entente` command: run the Dagster job in-process, open the UI, evaluate, list and diff releases."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from pipeline.settings import Settings


def _add_paths(p: argparse.ArgumentParser) -> None:
    p.add_argument("--raw", help="raw articles folder (default raw/ or $ENTENTE_RAW_DIR)")
    p.add_argument("--warehouse", help="DuckDB file (default warehouse/entente.duckdb or $ENTENTE_WAREHOUSE)")
    p.add_argument("--releases", help="releases folder (default warehouse/releases/ or $ENTENTE_RELEASES_DIR)")


def run_pipeline(settings: Settings, verbose: bool = False):
    """Execute entente_job of the same Definitions the UI loads; returns (ok, one-line reason, result)."""
    import dagster as dg

    from pipeline.definitions import build_definitions

    if not settings.raw_dir.is_dir():
        return False, f"raw folder not found: {settings.raw_dir}", None
    defs = build_definitions(settings)  # explicit settings: the environment is left as it was
    job = defs.resolve_job_def("entente_job")
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    level = "INFO" if verbose else "CRITICAL"  # the CLI prints its own one-line outcome
    result = job.execute_in_process(instance=instance, raise_on_error=False,
                                    run_config={"loggers": {"console": {"config": {"log_level": level}}}})
    if result.success and not _failed_blocking_checks(result):
        return True, "ok", result
    return False, failure_reason(result), result


def _failed_blocking_checks(result) -> list:
    return [e for e in result.get_asset_check_evaluations() if not e.passed and e.blocking]


def failure_reason(result) -> str:
    failed = _failed_blocking_checks(result)
    if failed:
        first = failed[0]
        desc = first.description or ""
        names = ", ".join(f"{e.asset_key.to_user_string()}:{e.check_name}" for e in failed)
        return f"blocking check failed ({names}){': ' + desc if desc else ''}; no release was published"
    for event in result.all_events:
        if event.is_step_failure:
            err = event.step_failure_data.error
            msg = (err.message or "").strip().splitlines()[0] if err else "step failed"
            return f"step {event.step_key} failed: {msg}"
    return "run failed"


def cmd_run(args) -> int:
    settings = Settings.resolve(args.raw, args.warehouse, args.releases)
    ok, reason, result = run_pipeline(settings, verbose=args.verbose)
    if not ok:
        print(f"entente: {reason}", file=sys.stderr)
        return 1
    release = result.asset_materializations_for_node("release")
    summary = release[0].metadata if release else {}
    version = summary.get("version").value if "version" in summary else None
    created = summary.get("created").value if "created" in summary else None
    print(f"entente: ok; warehouse {settings.warehouse}; release {version} "
          f"({'new' if created else 'unchanged, none created'})")
    return 0


def cmd_ui(args) -> int:
    settings = Settings.resolve(args.raw, args.warehouse, args.releases)
    settings.export()
    root = Path(__file__).resolve().parent.parent
    return subprocess.call([sys.executable, "-m", "dagster", "dev", "-m", "pipeline.definitions"], cwd=root)


def cmd_releases(args) -> int:
    from pipeline.release import list_releases

    settings = Settings.resolve(releases=args.releases)
    for r in list_releases(settings.releases_dir):
        counts = ", ".join(f"{k}={v}" for k, v in r.get("row_counts", {}).items())
        print(f"{r['version']}\t{r.get('created_at', '')}\t{counts}")
    return 0


def cmd_diff(args) -> int:
    from pipeline.release import diff_releases, format_diff

    settings = Settings.resolve(releases=args.releases)
    old, new = (settings.releases_dir / args.old, settings.releases_dir / args.new)
    for p in (old, new):
        if not p.is_dir():
            print(f"entente: no release {p}", file=sys.stderr)
            return 2
    print(format_diff(diff_releases(old, new)))
    return 0


def cmd_evaluate(args) -> int:
    from pipeline.evaluate import evaluate

    return evaluate(Path(args.gold_dir), json_out=args.json, details=args.details)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="entente", description="Entente: alliances and arms transfers read from news.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("run", help="materialize the whole asset graph, validate and publish a release")
    _add_paths(p)
    p.add_argument("--verbose", action="store_true", help="show Dagster's event log")
    p.set_defaults(fn=cmd_run)
    p = sub.add_parser("ui", help="the Dagster UI (dagster dev)")
    _add_paths(p)
    p.set_defaults(fn=cmd_ui)
    p = sub.add_parser("evaluate", help="run on a gold folder in a temporary warehouse and score it")
    p.add_argument("gold_dir")
    p.add_argument("--json", action="store_true")
    p.add_argument("--details", action="store_true", help="per-article errors (never on held-out gold)")
    p.set_defaults(fn=cmd_evaluate)
    p = sub.add_parser("releases", help="list releases")
    p.add_argument("--releases")
    p.set_defaults(fn=cmd_releases)
    p = sub.add_parser("diff", help="changes between two releases")
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--releases")
    p.set_defaults(fn=cmd_diff)
    args = ap.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
