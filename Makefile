# Everything runs inside .venv, which this Makefile creates and refreshes by itself.
# `make report` builds the corpus, every figure and reports/index.html; `make test` builds the report and runs
# the tests. `make` alone lists the targets.

# Grouped targets (`&:`) need GNU make 4.3 or later; macOS ships 3.81 (`brew install make`, then `gmake`).
ifeq ($(filter grouped-target,$(.FEATURES)),)
$(error GNU make 4.3 or later is needed (this is $(MAKE_VERSION)); on macOS: brew install make, then run gmake)
endif

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SRC := $(wildcard analysis/*.py analysis/*/*.py)
# The report page's templates: editing one rebuilds reports/index.html and nothing else.
TEMPLATES := $(wildcard analysis/build/templates/*.j2)
RAW := $(wildcard data/raw/*)
CODING_FILES := $(wildcard data/coding/*.yml data/coding/*.csv data/coding/*.md data/coding/first_edition/*)
CORPUS := data/processed/documents.csv data/processed/turns.csv data/processed/dropped.csv data/processed/rules.csv
# The corpus tables depend only on the raw data and the modules the build imports (analysis.build.deps,
# standard library only, so it runs before .venv exists).
CORPUS_SRC := analysis/__main__.py $(shell $(PYTHON) -m analysis.build.deps corpus.build)
CORPUS_STAMP := data/processed/.built
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# The notebook runs come from report.yml (or REPORT=other.yml), turned into rules by `python -m analysis runs`.
REPORT ?= report.yml
RUNS_MK := reports/runs$(if $(filter report.yml,$(REPORT)),,-$(notdir $(basename $(REPORT)))).mk

# Notebook runs are independent, so two run at once (JOBS=1 for one at a time; the results are the same).
JOBS ?= 2
MAKEFLAGS += --jobs=$(JOBS)

.DEFAULT_GOAL := help
.PHONY: help venv corpus report test check lint hooks verify lab clean lock bench
# No .SECONDARY: it would make Make rerun every notebook after a corpus build that left the tables as they were.

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z]+):.*## (.*)/  make \1\t\2/' | expand -t 16

$(STAMP): pyproject.toml requirements.lock
	@echo "== building $(VENV) (pyproject.toml, pinned by requirements.lock)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test,lab,dev]'
	touch $@

venv: $(STAMP) ## create or refresh the virtual environment

# The build rewrites a table only when its content changes, so a change that leaves the tables as
# they were (a comment in readers.py) reruns no notebook: Make sees the tables' times unchanged.
$(CORPUS_STAMP): $(RAW) $(CORPUS_SRC) | $(STAMP)
	@echo "== building the corpus tables from data/raw"
	$(BIN)/python -m analysis corpus
	@touch $@

$(CORPUS) &: $(CORPUS_STAMP)
	@for f in $(CORPUS); do test -f $$f || { $(BIN)/python -m analysis corpus; exit $$?; }; done

corpus: $(CORPUS) ## build data/processed/*.csv from the raw transcripts

# $(call run_notebook,notebook,name): execute with the run's parameters; figures and tables go to a
# staging folder and replace those in figures/ only if the whole notebook succeeds. A failure stops
# make, names the notebook and run (papermill shows the cell), and keeps the previous outputs.
# papermill runs through analysis.build.kernels so that two kernels started at once never race for a TCP port.
# DISCOURSE_PROGRESS=0: no progress bar of the slow steps in an executed notebook (analysis/progress.py;
# the kernel's output is no terminal, so they are off anyway: this says so where the runs are made).
define run_notebook
	@mkdir -p reports figures && rm -rf reports/.stage/$(2) && mkdir -p reports/.stage/$(2)
	@echo "== running $(1) as $(2) with $$(tr '\n' ' ' < reports/params/$(2).yml)"
	@DISCOURSE_PROGRESS=0 $(BIN)/python -m analysis.build.kernels --engine ipc --log-level WARNING --cwd notebooks -f reports/params/$(2).yml \
	    -p figures_dir $(CURDIR)/reports/.stage/$(2) $(1) reports/.$(2).tmp.ipynb \
	  || { mv -f reports/.$(2).tmp.ipynb reports/$(2).failed.ipynb 2>/dev/null; \
	       echo "make report: FAILED $(1) (run $(2), parameters reports/params/$(2).yml); the failing cell and its error are shown above and kept in reports/$(2).failed.ipynb; the previous outputs are untouched" >&2; \
	       exit 1; }
	@$(BIN)/python -m analysis publish $(2) --stage reports/.stage/$(2)
	@rm -f reports/$(2).failed.ipynb && mv reports/.$(2).tmp.ipynb reports/$(2).ipynb
endef

define build_site
	@echo "== writing reports/index.html and reports/manifest.json"
	@$(BIN)/python -m analysis site --report $(REPORT)
endef

$(RUNS_MK): $(REPORT) $(NOTEBOOKS) $(SRC) | $(STAMP)
	@$(BIN)/python -m analysis runs --report $(REPORT) --rules $(notdir $(RUNS_MK)) --report-name $(REPORT) > /dev/null

ifneq ($(filter report test reports/%,$(MAKECMDGOALS)),)
include $(RUNS_MK)
endif

# Executed notebooks as pages that load nothing from a CDN (analysis/build/html.py).
reports/%.html: reports/%.ipynb analysis/build/html.py | $(STAMP)
	$(BIN)/python -m analysis.build.html $< $@

report: ## run every notebook run of report.yml: figures and tables in figures/, notebooks in reports/

verify: | $(STAMP) ## check every file of data/raw (transcripts, metadata, corrections, corpus.yml) against MANIFEST.csv
	$(BIN)/python -m analysis verify

test: verify report ## build the report, then run the full test suite (the browser test reads the report); what CI runs
	$(BIN)/python -m pytest

check: lint | $(STAMP) ## the quick tests (no slow ones, no report needed) and the linters: before every commit
	$(BIN)/python -m pytest -m "not slow" -q

lint: | $(STAMP) ## ruff (lint and format) and notebooks stored without outputs
	$(BIN)/ruff check analysis tests benchmarks
	$(BIN)/ruff format --check analysis tests benchmarks
	$(BIN)/nbstripout --keep-id --verify notebooks/*.ipynb

hooks: | $(STAMP) ## install the pre-commit hooks (ruff, ruff format, nbstripout) into .git/hooks
	$(BIN)/pre-commit install

# The benchmark's peers (spaCy, gensim) and profiler live in their own environment, so that the
# project's .venv never depends on them.
BENCH_VENV := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.installed

$(BENCH_STAMP): pyproject.toml requirements.lock benchmarks/requirements.txt
	@echo "== building $(BENCH_VENV): the project plus the benchmark's peers (benchmarks/requirements.txt)"
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -c requirements.lock \
	    -r benchmarks/requirements.txt -e '.[test,lab,dev]'
	touch $@

bench: $(CORPUS) | $(STAMP) $(BENCH_STAMP) ## measure speed and scaling against the peers: benchmarks/README.md
	$(BENCH_VENV)/bin/python benchmarks/bench.py $(BENCH_ARGS)

lab: $(CORPUS) | $(STAMP) ## open JupyterLab on the notebooks
	$(BIN)/jupyter lab --notebook-dir=notebooks

lock: ## re-pin requirements.lock from a fresh install of pyproject.toml
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check -e '.[test,lab,dev]'
	{ sed -n '1,2p' requirements.lock; .lock-venv/bin/pip freeze --exclude-editable; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv

clean: ## remove everything make built (not the virtual environment)
	rm -rf data/processed/*.csv data/processed/tables.json $(CORPUS_STAMP) figures/*.png figures/*.svg figures/*.csv figures/*.json reports
