# Everything runs inside .venv, which this Makefile creates and refreshes by itself.
# `make report` builds the corpus, every figure and reports/index.html; `make test` builds the report and runs
# the tests. `make` alone lists the targets.

# Grouped targets (`&:`) need GNU make 4.3 or later; macOS ships 3.81 (`brew install make`, then `gmake`).
ifeq ($(filter grouped-target,$(.FEATURES)),)
$(error GNU make 4.3 or later is needed (this is $(MAKE_VERSION)); on macOS: brew install make, then run gmake)
endif

# Make runs in the project folder: its paths (.venv, analysis/, notebooks/) are relative to it.
# (Checked by the name Make was given, not by comparing paths: Make's path functions split a path
# that holds a space, so a clone in "/work/my project" would be refused.)
ifeq ($(filter Makefile ./Makefile,$(firstword $(MAKEFILE_LIST))),)
$(error make runs in the project folder, not in $(CURDIR). Fix: make -C $(strip $(patsubst %/Makefile,%,$(MAKEFILE_LIST))) TARGET (give CORPUS= and REPORT= as absolute paths))
endif

# Environment variables never redirect a build: the notebooks read DISCOURSE_CORPUS, DISCOURSE_PROCESSED
# and DISCOURSE_FIGURES only when `make lab CORPUS=DIR` sets them (analysis/notebook/about.py).
unexport DISCOURSE_CORPUS DISCOURSE_PROCESSED DISCOURSE_FIGURES

# CORPUS= and REPORT= are paths Make and the shell carry; a character either would interpret is refused
# here, before any is used ($(value ...) reads them without expanding them). The same list is in
# analysis/report/owned.py.
comma := ,
lparen := (
rparen := )
hash := \#
backslash := $(subst x,,x\x)
UNSAFE_CHARS := $$ $(hash) $(comma) $(lparen) $(rparen) ' " ` ; & | < > * ? [ ] { } % : = ! ^ ~ $(backslash)
unsafe_in = $(strip $(foreach c,$(UNSAFE_CHARS),$(if $(findstring $(c),$(1)),$(c))))
define check_path_variable
ifneq ($$(origin $(1)),undefined)
ifneq ($$(words $$(value $(1))),1)
$$(error $(1)=: the path is empty or holds white space or a line break, which Make cannot carry. Fix: rename or link it to a path without spaces)
endif
ifneq ($$(call unsafe_in,$$(value $(1))),)
$$(error $(1)=$$(value $(1)): the path holds $$(call unsafe_in,$$(value $(1))), which Make or a shell would interpret. Fix: rename or link it to a path of letters, digits and - _ . / + @ only)
endif
endif
endef
$(eval $(call check_path_variable,CORPUS))
$(eval $(call check_path_variable,REPORT))

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SRC := $(wildcard analysis/*.py analysis/*/*.py)
# The report page's templates: editing one rebuilds reports/index.html and nothing else.
TEMPLATES := $(wildcard analysis/report/templates/*.j2)
CODING_FILES := $(wildcard data/coding/*.yml data/coding/*.csv data/coding/*.md data/coding/first_edition/*)

# `make report CORPUS=DIR` builds the report of a corpus of one's own, described by DIR/corpus.yml:
# tables in DIR/processed, figures in DIR/figures, pages in DIR/reports (README, "Bring your own
# corpus"). Without CORPUS everything is the seed study's, in data/processed, figures and reports.
# A corpus folder is data: its build state (rules, parameter files, records, stamps) lives in the
# project's .build/corpora/<key>/ (BUILD), made and checked by analysis/report/owned.py, and Make
# depends on a stamp per input file there, so no file name of the folder reaches Make.
ifdef CORPUS
CORPUS_DIR := $(patsubst %/,%,$(CORPUS))
ifeq ($(wildcard $(CORPUS_DIR)/corpus.yml),)
$(error $(CORPUS_DIR)/corpus.yml: not found. Fix: start the folder with `python -m analysis new $(CORPUS_DIR)`, or point CORPUS at the folder of your corpus.yml)
endif
CORPUS_CONFIG := $(CORPUS_DIR)/corpus.yml
PROCESSED := $(CORPUS_DIR)/processed
BASE_FIGURES := $(CORPUS_DIR)/figures
BASE_REPORTS := $(CORPUS_DIR)/reports
DEFAULT_REPORT := $(CORPUS_DIR)/report.yml
CORPUS_ARGS := --config $(CORPUS_CONFIG) --out $(PROCESSED)
# The notebooks read this corpus, not the seed (absolute paths: papermill runs them in notebooks/).
NB_PARAMS = -p processed_dir "$$(cd $(PROCESSED) && pwd)" -p corpus_config "$$(cd $(CORPUS_DIR) && pwd)/corpus.yml"
else
PROCESSED := data/processed
BASE_FIGURES := figures
BASE_REPORTS := reports
RAW := $(wildcard data/raw/*)
DEFAULT_REPORT := report.yml
CORPUS_ARGS :=
NB_PARAMS :=
endif
TABLES := $(PROCESSED)/documents.csv $(PROCESSED)/turns.csv $(PROCESSED)/dropped.csv $(PROCESSED)/rules.csv
# The corpus tables depend only on the raw data and the modules the build imports (analysis.report.deps,
# standard library only, so it runs before .venv exists).
CORPUS_SRC := analysis/__main__.py $(shell $(PYTHON) -m analysis.report.deps corpus.build)
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# The notebook runs come from report.yml (or REPORT=other.yml), turned into rules by `python -m analysis runs`.
# The default definition writes into figures/ and reports/; any other, REPORT=other.yml, into
# figures/other/ and reports/other/ with its own index page, so that no definition overwrites another's
# results. A corpus without a report.yml of its own gets the project's default definition for its groups.
REPORT ?= $(DEFAULT_REPORT)
ifeq ($(REPORT),$(DEFAULT_REPORT))
OUT_FIGURES := $(BASE_FIGURES)
OUT_REPORTS := $(BASE_REPORTS)
STATE_SUB :=
else
REPORT_STEM := $(notdir $(basename $(REPORT)))
ifeq ($(filter-out .%,$(REPORT_STEM)),)
$(error REPORT=$(REPORT): the file's name has no stem of its own, so its results would replace another definition's. Fix: name the definition like other.yml)
endif
ifneq ($(filter index manifest runs params outputs ran,$(REPORT_STEM)),)
$(error REPORT=$(REPORT): $(REPORT_STEM) is the name of a file or folder of the report itself. Fix: rename the definition, e.g. my_$(REPORT_STEM).yml)
endif
OUT_FIGURES := $(BASE_FIGURES)/$(REPORT_STEM)
OUT_REPORTS := $(BASE_REPORTS)/$(REPORT_STEM)
STATE_SUB := /$(REPORT_STEM)
endif
ifdef CORPUS
# Checked and stamped while Make reads this file (twice: the top-level make and the locked one).
BUILD := $(shell $(PYTHON) -m analysis.report.owned prepare '$(CORPUS_DIR)' '$(OUT_FIGURES)' '$(OUT_REPORTS)')
ifeq ($(BUILD),)
$(error $(CORPUS_DIR): refused (the reason is above))
endif
RAW := $(BUILD)/inputs.sha
INPUTS := $(BUILD)/inputs
# A stamp named in the rules whose file is gone (its input was removed): Make counts it as changed.
$(INPUTS)/%: ;
STATE := $(BUILD)/reports$(STATE_SUB)
CORPUS_STAMP := $(BUILD)/processed.built
LOCK := $(BUILD)/report.lock
else
STATE := $(OUT_REPORTS)
CORPUS_STAMP := $(PROCESSED)/.built
LOCK := $(BASE_REPORTS)/.lock
endif
ifneq ($(wildcard $(REPORT)),)
REPORT_ARGS := --report $(REPORT)
REPORT_DEP := $(REPORT)
else ifdef CORPUS_CONFIG
REPORT_ARGS := --corpus $(CORPUS_CONFIG)
REPORT_DEP := $(CORPUS_CONFIG)
else
$(error REPORT=$(REPORT): not found. Fix: give the path of a report definition (see report.yml))
endif
SITE_ARGS := $(REPORT_ARGS) $(if $(CORPUS_CONFIG),--corpus $(CORPUS_CONFIG)) --reports $(OUT_REPORTS) --figures $(OUT_FIGURES) --state $(STATE)
RUNS_MK := $(STATE)/runs.mk

# Notebook runs are independent, so two run at once (JOBS=1 for one at a time; the results are the same).
JOBS ?= 2
# PDF=no: build the report without reports/study.pdf (which needs headless Chromium).
PDF ?= yes
# (Only in the top-level make: `make report` runs the runs in a make of its own under a lock, which
# shares the top-level make's job slots.)
ifeq ($(MAKELEVEL),0)
MAKEFLAGS += --jobs=$(JOBS)
endif

.DEFAULT_GOAL := help
.PHONY: help venv corpus report report-locked test check lint hooks verify lab clean lock bench
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
	@echo "== building the corpus tables in $(PROCESSED)"
	$(BIN)/python -m analysis corpus $(CORPUS_ARGS)
	@touch $@

$(TABLES) &: $(CORPUS_STAMP)
	@for f in $(TABLES); do test -f $$f || { $(BIN)/python -m analysis corpus $(CORPUS_ARGS); exit $$?; }; done

corpus: $(TABLES) ## build data/processed/*.csv from the raw transcripts (CORPUS=DIR: DIR/processed)

# $(call run_notebook,notebook,name): execute with the run's parameters; figures and tables go to a
# staging folder and replace those in $(OUT_FIGURES) only if the whole notebook succeeds. A failure stops
# make, names the notebook and run (papermill shows the cell), and keeps the previous outputs.
# The staging folder and the temporary notebook carry the shell's process id, so no two builds share
# them; paths are quoted, so a clone in a folder whose path has a space works. The run's target is a
# stamp in $(STATE) (the project's own), never a file found in the report folder.
# papermill runs through analysis.report.kernels so that two kernels started at once never race for a TCP port.
# DISCOURSE_PROGRESS=0: no progress bar of the slow steps in an executed notebook (analysis/stats/progress.py;
# the kernel's output is no terminal, so they are off anyway: this says so where the runs are made).
define run_notebook
	@mkdir -p "$(OUT_REPORTS)/.stage" "$(OUT_FIGURES)" "$(STATE)/ran"; \
	stage="$(OUT_REPORTS)/.stage/$(2).$$$$"; tmp="$(OUT_REPORTS)/.$(2).$$$$.tmp.ipynb"; \
	rm -rf "$$stage" && mkdir -p "$$stage" || exit 1; \
	echo "== running $(1) as $(2) with $$(tr '\n' ' ' < "$(STATE)/params/$(2).yml")"; \
	if DISCOURSE_PROGRESS=0 $(BIN)/python -m analysis.report.kernels --engine ipc --log-level WARNING --cwd notebooks \
	    -f "$(STATE)/params/$(2).yml" -p figures_dir "$$(cd "$$stage" && pwd)" $(NB_PARAMS) $(1) "$$tmp"; then \
	  $(BIN)/python -m analysis publish $(2) --stage "$$stage" --figures "$(OUT_FIGURES)" --reports "$(STATE)" \
	    && rm -f "$(OUT_REPORTS)/$(2).failed.ipynb" && mv "$$tmp" "$(OUT_REPORTS)/$(2).ipynb" && touch "$@"; \
	else \
	  rm -rf "$$stage"; \
	  if test -f "$$tmp"; then mv -f "$$tmp" "$(OUT_REPORTS)/$(2).failed.ipynb"; \
	    kept="the failing cell and its error are shown above and kept in $(OUT_REPORTS)/$(2).failed.ipynb"; \
	  else kept="papermill stopped before running a cell (its message is above)"; fi; \
	  echo "make report: FAILED $(1) (run $(2), parameters $(STATE)/params/$(2).yml); $$kept; the previous outputs are untouched" >&2; \
	  exit 1; \
	fi
endef

define build_site
	@echo "== writing $(OUT_REPORTS)/index.html (the study), appendix.html and manifest.json"
	@$(BIN)/python -m analysis site $(SITE_ARGS) && touch "$@"
endef

# The offline explorer page (analysis/report/explorer.py): keywords, topics and frames in one file that
# opens from file:// with no network.
define build_explorer
	@echo "== writing $(OUT_REPORTS)/explore.html (the offline explorer)"
	@$(BIN)/python -m analysis.report.explorer $(SITE_ARGS) --processed $(PROCESSED) && touch "$@"
endef

# The study page printed to PDF by headless Chromium. Without Chromium it stops with one line
# (exit 2) and nothing records the PDF as built; PDF=no builds the report without it, says so and
# removes a PDF of an earlier page, so no stale PDF stands beside the study.
define build_pdf
	@if test "$(PDF)" = no; then \
	  rm -f "$(OUT_REPORTS)/study.pdf"; \
	  echo "== not printing $(OUT_REPORTS)/study.pdf (PDF=no): the study is $(OUT_REPORTS)/index.html"; \
	else \
	  echo "== printing $(OUT_REPORTS)/study.pdf"; \
	  $(BIN)/python -m analysis.report.study pdf "$(OUT_REPORTS)/index.html" "$(OUT_REPORTS)/study.pdf" && touch "$@"; \
	fi
endef

$(RUNS_MK): $(REPORT_DEP) $(NOTEBOOKS) $(SRC) | $(STAMP)
	@$(BIN)/python -m analysis runs $(REPORT_ARGS) $(if $(CORPUS_CONFIG),--corpus $(CORPUS_CONFIG)) \
	    --out $(STATE) --target-dir $(STATE) --report-name $(REPORT_DEP) > /dev/null

# A dry run (make -n, with -W to ask "what if this file changed") has no lock and no sub-make:
# -W is not passed down to a sub-make, so `make -n -W FILE report` would show nothing.
MAKE_LETTERS := $(firstword $(MAKEFLAGS))
DRY_RUN := $(if $(filter -%,$(MAKE_LETTERS)),,$(findstring n,$(MAKE_LETTERS)))

ifneq ($(filter report-locked $(STATE)/%,$(MAKECMDGOALS))$(DRY_RUN),)
include $(RUNS_MK)
endif

# Executed notebooks as pages that load nothing from a CDN (analysis/report/html.py).
$(STATE)/ran/%.html: $(STATE)/ran/%.ipynb analysis/report/html.py | $(STAMP)
	$(BIN)/python -m analysis.report.html "$(OUT_REPORTS)/$*.ipynb" "$(OUT_REPORTS)/$*.html" && touch "$@"

# One build of a corpus's reports at a time (a second waits, then finds the work done), and the
# leftovers of a killed build removed first: analysis/report/lock.py. The rules of the runs
# ($(RUNS_MK)) are read by the locked make only.
ifeq ($(DRY_RUN),)
report: | $(STAMP) ## run every notebook run of report.yml: figures and tables in figures/, notebooks in reports/ (CORPUS=DIR: in DIR)
	@$(BIN)/python -m analysis.report.lock --lock $(LOCK) --reports $(OUT_REPORTS) --figures $(OUT_FIGURES) \
	    --processed $(PROCESSED) --state $(STATE) -- $(MAKE) --no-print-directory report-locked
else
report: report-locked
endif

report-locked: $(TABLES)

verify: | $(STAMP) ## check every file of data/raw (transcripts, metadata, corrections, corpus.yml) against MANIFEST.csv
	$(BIN)/python -m analysis verify

test: verify report ## build the report, then run every tier of tests (unit, notebook, system: the system tests read the report) and list the ten slowest; what CI runs
	$(BIN)/python -m pytest --durations=10

check: lint | $(STAMP) ## the linters and the unit tests (tests/<stage>/, no notebook or system tier), under a minute: before every commit
	$(BIN)/python -m pytest -n 2 -m "not notebook and not system" --hypothesis-profile=check -q

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

bench: $(TABLES) | $(STAMP) $(BENCH_STAMP) ## measure speed and scaling against the peers: benchmarks/README.md
	$(BENCH_VENV)/bin/python benchmarks/bench.py $(BENCH_ARGS)

# The notebooks read DISCOURSE_CORPUS, DISCOURSE_PROCESSED and DISCOURSE_FIGURES when their path
# parameters are None (analysis/config.py), so `make lab CORPUS=DIR` opens them on that corpus.
lab: $(TABLES) | $(STAMP) ## open JupyterLab on the notebooks (CORPUS=DIR: on that corpus)
	$(if $(CORPUS_CONFIG),DISCOURSE_CORPUS="$$(cd $(CORPUS_DIR) && pwd)/corpus.yml" DISCOURSE_PROCESSED="$$(cd $(PROCESSED) && pwd)" \
	    DISCOURSE_FIGURES="$$(mkdir -p $(BASE_FIGURES) && cd $(BASE_FIGURES) && pwd)") $(BIN)/jupyter lab --notebook-dir=notebooks

lock: ## re-pin requirements.lock from a fresh install of pyproject.toml
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check -e '.[test,lab,dev]'
	{ sed -n '1,2p' requirements.lock; .lock-venv/bin/pip freeze --exclude-editable; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv

clean: ## remove everything make built (not the virtual environment; CORPUS=DIR: DIR's outputs)
ifdef CORPUS
	$(PYTHON) -m analysis.report.owned clean '$(CORPUS_DIR)'
else
	rm -rf $(PROCESSED)/*.csv $(PROCESSED)/tables.json $(PROCESSED)/.*.tmp $(CORPUS_STAMP) $(BASE_FIGURES)/*.png \
	    $(BASE_FIGURES)/*.svg $(BASE_FIGURES)/*.csv $(BASE_FIGURES)/*.json $(BASE_FIGURES)/.*.tmp $(BASE_REPORTS)
	if test -d $(BASE_FIGURES); then find $(BASE_FIGURES) -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +; fi
endif
