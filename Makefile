# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The install stamp is NAMED by a hash of what it installs, not dated: a fresh checkout
# (every CI run) gives requirements.lock a new date but the same bytes, and a restored
# virtualenv must not reinstall spaCy every week. New bytes, new name: reinstall.
DEPS_HASH := $(shell $(PYTHON) -c "import hashlib; h = hashlib.sha256(); \
	[h.update(open(f, 'rb').read()) for f in ('requirements.lock', 'pyproject.toml')]; \
	print(h.hexdigest()[:16])")
STAMP := $(VENV)/.installed-$(DEPS_HASH)

.PHONY: install demo test eval eval-real bench serve lock clean

install: $(STAMP)

$(STAMP):
	rm -f $(VENV)/.installed $(VENV)/.installed-*
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

demo: install
	$(BIN)/aiwire demo --workdir demo

test: install
	$(BIN)/python -m pytest

eval: install
	$(BIN)/aiwire eval

# Real reporting: the labelled development corpus beside the project, when it is there,
# scored against the floors pinned in tests/realworld_floors.yaml (dated and same-week).
REALWORLD ?= ../shared/realworld-dev
eval-real: install
	@if [ -d "$(REALWORLD)" ]; then \
		$(BIN)/aiwire eval --corpus "$(REALWORLD)" --floors tests/realworld_floors.yaml && \
		$(BIN)/aiwire eval --corpus "$(REALWORLD)" --same-week --floors tests/realworld_floors.yaml; \
	else echo "eval-real: $(REALWORLD) not found; nothing to score"; fi

bench: install
	$(BIN)/python -m benchmarks

serve: install
	$(BIN)/aiwire serve --out demo/public

# Re-pin dependencies (needs the package index): edits requirements.lock.
lock: install
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --extra test --strip-extras \
		-o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) demo public aiwire.db* .pytest_cache test-artifacts
