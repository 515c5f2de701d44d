# Two commands do all set-up on a fresh machine:
#   make deck   — install deckgen into .venv and build build/<output>.apkg
#   make test   — install the test tools (Anki's backend, Playwright, Debian's Chromium, WebKitWebDriver, Xvfb)
#                 and run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deck test check preview bench chromium browsers clean

deck: $(VENV)/.deck
	$(BIN)/deckgen build --fresh
	@echo "deckgen is installed as $(abspath $(BIN))/deckgen: run it by that path, or after 'source $(VENV)/bin/activate'," \
	      "or put it on the PATH with 'pipx install .' (README, Set-up)"

check: $(VENV)/.deck
	$(BIN)/deckgen check

test: $(VENV)/.test browsers
	$(BIN)/python -m pytest

preview: $(VENV)/.test chromium
	$(BIN)/deckgen preview --screenshots

bench: $(VENV)/.test
	$(BIN)/python benchmarks/run.py

$(VENV)/.deck: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test: pyproject.toml $(VENV)/.deck
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Debian's Chromium, driven headless by Playwright (no browser download).
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

# The engines the card tests read every card in, all Debian packages (no browser download): Chromium (AnkiDroid's
# engine), and WebKitGTK's WebDriver (AnkiMobile's engine) with Xvfb, which the tests start when there is no display.
browsers:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v WebKitWebDriver >/dev/null 2>&1 || missing="$$missing webkit2gtk-driver"; \
	command -v Xvfb >/dev/null 2>&1 || missing="$$missing xvfb"; \
	[ -z "$$missing" ] || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing; }

clean:
	rm -rf build
