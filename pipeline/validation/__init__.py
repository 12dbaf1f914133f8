"""Validation: expectation suites from the dictionary and reviewed files, quarantine, validation runs, data docs."""

from pipeline.validation.docs import build_data_docs  # noqa: F401
from pipeline.validation.quarantine import QUARANTINED_TABLES, quarantine  # noqa: F401
from pipeline.validation.run import (  # noqa: F401
    MAX_REJECTED_SHARE, TableValidation, validate_all, validate_table,
)
from pipeline.validation.suites import EXPECTATIONS_DIR, load_suite, write_suites  # noqa: F401
