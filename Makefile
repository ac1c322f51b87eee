# The course's two commands:  `make lab`  and  `make test`.
# Both create the environment the first time (a .venv made with python3 -m venv) and reuse it
# afterwards; it is rebuilt only when pyproject.toml changes. Inside an activated conda
# environment made from environment.yml they use that environment instead.

SHELL := /bin/bash
PYTHON3 ?= python3

ifneq ($(filter-out base,$(CONDA_DEFAULT_ENV)),)
  PY := python
  ENV_STAMP := .conda-env-checked
else
  PY := .venv/bin/python
  ENV_STAMP := .venv/.installed
endif

# One BLAS thread: stable timings on 2-core machines (FACTS.md).
export OPENBLAS_NUM_THREADS ?= 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: lab test lint bench html strip env hooks clean help

help:
	@echo "make lab    - create the environment if needed and open JupyterLab on the course"
	@echo "make test   - create the environment if needed and run every test (library, notebooks, browser)"
	@echo "make bench  - speed and latency benchmarks"
	@echo "make html   - build a static website of the executed course in _site/"
	@echo "make strip  - strip notebook outputs (cells tagged keep_output keep theirs)"

env: $(ENV_STAMP)

.venv/.installed: pyproject.toml
	@test -x .venv/bin/python || $(PYTHON3) -m venv .venv
	.venv/bin/python -m pip install --quiet --upgrade pip
	.venv/bin/python -m pip install --quiet -e ".[lab,test]"
	@$(MAKE) --no-print-directory hooks PY=.venv/bin/python
	@touch $@

.conda-env-checked: pyproject.toml
	@$(PY) -c "import nnlib, jupyterlab, nbval, pytest" 2>/dev/null || \
	  (echo "The active conda environment lacks the course packages:"; \
	   echo "  conda env update -f environment.yml   (or: pip install -e '.[lab,test]')"; exit 1)
	@$(MAKE) --no-print-directory hooks PY=$$(command -v python)
	@touch $@

# Strip notebook outputs on every `git add`, keeping cells tagged keep_output (.gitattributes).
hooks:
	@if [ -d .git ]; then \
	  git config filter.nbstrip.clean "'$(abspath $(PY))' tools/strip_outputs.py --stdin" && \
	  git config filter.nbstrip.smudge cat; \
	fi

# Extra options for JupyterLab, e.g. `make lab LAB_ARGS="--no-browser --port=8899"`.
# As root (containers, some lab machines) JupyterLab refuses to start without --allow-root.
LAB_ARGS ?=
ifeq ($(shell id -u),0)
  override LAB_ARGS += --allow-root
endif

lab: env
	$(PY) -m jupyter lab $(LAB_ARGS) notebooks/00_introduction.ipynb

# Library tests and nbval first; then the browser tests in their own process (Playwright keeps
# an event loop running for its whole session, which would change how widget tests behave).
test: env
	$(PY) -m ruff check .
	$(PY) -m pytest --nbval-lax --nbval-current-env -q -rs --ignore=tests/browser
	$(PY) -m pytest -q -rs tests/browser

lint: env
	$(PY) -m ruff check .

bench: env
	$(PY) -m benchmarks

html: env
	$(PY) tools/build_html.py --out _site
	@echo "open _site/index.html"

strip: env
	$(PY) tools/strip_outputs.py notebooks/*.ipynb notebooks/solutions/*.ipynb

clean:
	rm -rf .venv .conda-env-checked build *.egg-info
