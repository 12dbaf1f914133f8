"""Great Expectations on pandas DataFrames: one ephemeral context per process, results as plain dicts."""

from __future__ import annotations

import json
from functools import cache

SAMPLE = 5
# Map expectations judge each row on its own, so a table can be validated chunk by chunk.
_ROW_WISE_EXCEPT = ("expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique")


@cache
def _datasource():
    import great_expectations as gx  # 3-5 s: only when a validation runs
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context.data_sources.add_or_update_pandas("entente")


def _batch_definition(name: str):
    ds = _datasource()
    try:
        asset = ds.get_asset(name)
    except LookupError:
        asset = ds.add_dataframe_asset(name)
        asset.add_batch_definition_whole_dataframe("whole")
    return asset.get_batch_definition("whole")


def is_row_wise(expectation_type: str) -> bool:
    """True for expectations whose result over a table is the sum of their results over its chunks."""
    from great_expectations.expectations.expectation import (
        ColumnMapExpectation, ColumnPairMapExpectation, MulticolumnMapExpectation,
    )
    from great_expectations.expectations.registry import get_expectation_impl

    impl = get_expectation_impl(expectation_type)
    return (expectation_type not in _ROW_WISE_EXCEPT
            and issubclass(impl, (ColumnMapExpectation, ColumnPairMapExpectation, MulticolumnMapExpectation)))


def plain(value):
    """A JSON-safe copy of a GX result value (numpy scalars, timestamps, arrays)."""
    def default(o):
        if hasattr(o, "tolist"):
            return o.tolist()
        if hasattr(o, "isoformat"):
            return o.isoformat()
        return str(o)
    return json.loads(json.dumps(value, default=default))


def _exception(info) -> str | None:
    """The first exception message in a GX exception_info (flat, or keyed by metric)."""
    if not info:
        return None
    if "raised_exception" in info:
        return info.get("exception_message") if info.get("raised_exception") else None
    return next((v.get("exception_message") for v in info.values()
                 if isinstance(v, dict) and v.get("raised_exception")), None)


def validate_frame(df, expectations: list[dict], name: str) -> list[dict]:
    """Validate one DataFrame; per expectation (same order): success, unexpected_count, sample, observed_value."""
    import great_expectations as gx

    if not expectations:
        return []
    suite = gx.ExpectationSuite(name=name, expectations=[
        {"type": e["type"], "kwargs": e["kwargs"], "meta": {"i": i}} for i, e in enumerate(expectations)])
    batch = _batch_definition(name).get_batch(batch_parameters={"dataframe": df})
    validation = batch.validate(suite, result_format="SUMMARY")
    out: list[dict | None] = [None] * len(expectations)
    for r in validation.results:
        res = r.result or {}
        out[r.expectation_config.meta["i"]] = {
            "success": bool(r.success),
            "unexpected_count": res.get("unexpected_count"),
            "element_count": res.get("element_count"),
            "sample": plain(res.get("partial_unexpected_list", [])[:SAMPLE]),
            "observed_value": plain(res.get("observed_value")),
            "missing_count": res.get("missing_count"),
            "exception": _exception(r.exception_info),
        }
    return out
