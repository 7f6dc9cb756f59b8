# recits — set-up, run, test. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO := demo
CORPUS := $(wildcard corpus/*.txt corpus/*.md corpus/*.docx corpus/*.odt corpus/*.vtt corpus/*.srt)
# The people who speak in several of the demo's documents: the same persons (it is fiction),
# confirmed at import as a team would (otherwise each is « à confirmer » in a second document).
DEMO_PARTICIPANTS := Claire,Samia,Jo,Karim,Nadia,Fatou,Sylvie,Intervieweuse

.PHONY: run test lint format bench demo clean bytecode browser

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# The demo project, rebuilt from corpus/ when the corpus or the code changes.
# Its participants get pseudonyms and consent, and the names in it are reviewed
# (corpus/participants.yaml), so that the demo exports.
$(DEMO)/recits.db: $(STAMP) $(CORPUS) corpus/codings.jsonl corpus/participants.yaml
	rm -rf $(DEMO)
	$(BIN)/recits init $(DEMO) --name "Démo travail pair" --coder Claire
	$(BIN)/recits import --project $(DEMO) --participants "$(DEMO_PARTICIPANTS)" corpus/
	$(BIN)/recits codings import --project $(DEMO) corpus/codings.jsonl
	$(BIN)/recits participants load --project $(DEMO) corpus/participants.yaml

demo: $(DEMO)/recits.db

# Compiled once here rather than at every start (PYTHONDONTWRITEBYTECODE may be set): a third
# of the app's start-up otherwise.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q src

run: $(DEMO)/recits.db bytecode
	$(BIN)/recits --project $(DEMO)

# Debian's headless Chromium, for the test that opens `recits web` in a real browser and counts
# its requests. Installed when missing if this is root with apt-get and Debian's packages answer;
# otherwise that test is skipped, saying why (make test still passes offline).
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installation de chromium (paquet Debian) pour le test du navigateur…"; \
		( timeout 120 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 600 \
			apt-get install -y -qq chromium ) >/dev/null 2>&1 \
		|| echo "chromium non installé (paquets Debian injoignables) : test du navigateur sauté"; \
	else echo "chromium absent (/usr/bin/chromium) : test du navigateur sauté"; fi

test: $(STAMP) browser
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: bytecode
	$(BIN)/python bench/import.py
	$(BIN)/python bench/tui.py
	$(BIN)/python bench/analyse.py
	$(BIN)/python bench/suggest_quality.py
	$(BIN)/python bench/publish.py
	$(BIN)/python bench/names_quality.py
	$(BIN)/python bench/refi.py
	$(BIN)/python bench/merge.py
	$(BIN)/python bench/agreement.py
	$(BIN)/python bench/pdf.py
	$(BIN)/python bench/scenes.py

clean:
	rm -rf $(DEMO) .pytest_cache
