# One entry point for people and CI: `make run`, `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install run console serve test lint typecheck unit integration faults bench bench-scale clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(VENV)/bin/samverkan run

console: install
	$(VENV)/bin/samverkan console

serve: install
	$(VENV)/bin/samverkan serve

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/hadolint Dockerfile

typecheck: install
	$(VENV)/bin/mypy bot model_content engine documents adapters storage runtime bench standins tests

test: lint typecheck
	$(PY) -m pytest

unit: install
	$(PY) -m pytest tests/unit

# The fault suite alone (part of `make test` too, at the same size: about 100 s): 300 answers
# to `samverkan serve` on PostgreSQL over Slack and Telegram, a fifth of the API calls failing
# and the database's connections killed every 3 s; prints its figures. FAULTS_ANSWERS=n for
# another size.
faults: install
	$(PY) -m pytest -m faults tests/faults

# Not part of `make test`: measures ack latency and throughput of the served app against a bare
# slack-bolt app and a bare python-telegram-bot application, in the same run. Options, e.g.:
# make bench BENCH_ARGS="--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test"
bench: install
	$(PY) -m bench.run $(BENCH_ARGS)

# Not part of `make test`: the nudge clock and an idle `serve` at 100, 1,000 and 10,000
# collaborations on PostgreSQL; writes its table into README.md's speed section.
bench-scale: install
	$(PY) -m bench.scale --readme README.md $(BENCH_SCALE_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
