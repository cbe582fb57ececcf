# Every target creates/reuses .venv/ at the repo root and installs Rasad into it.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint eval venv clean browser

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/rasad demo

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

# Browser tests drive Debian's Chromium; install it (and fonts for Arabic script) when
# missing and allowed to (root). Without it those tests skip with the reason.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && { DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-core >/dev/null 2>&1 \
	       || { apt-get update -q >/dev/null 2>&1 \
	            && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-core >/dev/null 2>&1; }; } \
	  || echo "chromium not installed: browser tests will be skipped"; }

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

eval: $(STAMP)
	$(BIN)/python -m benchmarks.eval

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) .rasad .pytest_cache
