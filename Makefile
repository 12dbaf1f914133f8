# The two commands of the README, spelled out.
PY ?= python3.11
VENV := .venv

$(VENV)/bin/entente: pyproject.toml
	$(PY) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

setup: $(VENV)/bin/entente

run: setup
	$(VENV)/bin/entente run

test: setup
	$(VENV)/bin/python -m pytest

.PHONY: setup run test
