"""`python -m pipeline.validation`: regenerate expectations/<table>.json from the data dictionary."""

from pipeline.validation.suites import write_suites

for path in write_suites():
    print(path)
