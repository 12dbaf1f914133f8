"""The data dictionary: the one declaration of every table, column and value set."""

from pipeline.dictionary.fields import *  # noqa: F401,F403
from pipeline.dictionary.tables import RELEASED_TABLES, TABLES, Table  # noqa: F401
from pipeline.dictionary.derive import (  # noqa: F401
    arrow_schema, create_table_sql, datapackage, markdown_dictionary, structural_expectations,
)
