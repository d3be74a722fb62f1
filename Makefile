# cxplan developer entry points. `make report` and `make test` are the whole set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.cxplan-installed
REGIONS ?= params/regions
OUT ?= reports

.PHONY: report test lint typecheck bench app notebooks clean help

help:
	@echo "make report   - set up .venv and run the batch over $(REGIONS) into $(OUT)/"
	@echo "make test     - set up .venv and run lint, type checks and the whole test suite"
	@echo "make bench    - run the benchmarks in bench/ (installs the bench extra)"
	@echo "make app      - serve the live planner with Voila on http://127.0.0.1:8866"
	@echo "make notebooks - re-execute the committed notebooks in place (then commit them)"

# (Re)install when the venv is missing or pyproject.toml changed since the last install.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

report: $(STAMP)
	$(BIN)/cxplan report $(REGIONS) --out $(OUT)

lint: $(STAMP)
	$(BIN)/ruff check cxplan tests bench
	$(BIN)/ruff format --check cxplan

typecheck: $(STAMP)
	$(BIN)/mypy

# The whole suite: unit, property, simulation, notebook, browser and fault tests, the doctests of
# the package (--doctest-modules cxplan), plus nbval re-executing the committed notebooks and
# comparing their stored outputs. Hypothesis uses the `ci` profile when CI is set (tests/conftest.py).
test: $(STAMP) lint typecheck
	$(BIN)/python -m pytest tests cxplan notebooks --doctest-modules --nbval \
		--ignore=tests/fixtures --ignore=tests/artifacts \
		--nbval-sanitize-with notebooks/nbval-sanitize.cfg

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python bench/bench_staffing.py
	$(BIN)/python bench/bench_risk.py
	$(BIN)/python bench/bench_staffing_search.py
	$(BIN)/python bench/bench_hiring.py
	$(BIN)/python bench/bench_chart_updates.py
	$(BIN)/python bench/bench_planner.py
	$(BIN)/python bench/bench_batch.py
	$(BIN)/python bench/bench_forecast.py
	$(BIN)/python bench/bench_routing.py
	$(BIN)/python bench/bench_shifts.py

app: $(STAMP)
	$(BIN)/cxplan app

# Re-execute the committed notebooks in place (after a model or params change), so that nbval
# compares against current outputs. Commit the result.
notebooks: $(STAMP)
	cd notebooks && ../$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		region_report.ipynb portfolio.ipynb planner.ipynb

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache .ruff_cache
