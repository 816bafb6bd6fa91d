# Tenestetorget: the README names `make demo` and `make test`; the rest serve them and CI.
SHELL := /bin/bash
PYTHON_VERSION := $(shell cat .python-version)
# A uv that answers; a pyenv shim for another Python version is found but fails.
UV := $(shell uv --version >/dev/null 2>&1 && command -v uv || echo .tools/bin/uv)
VENV := .venv
PY := $(VENV)/bin/python
TT := $(VENV)/bin/tenestetorget
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
# A SECRET_KEY the caller gives wins over the one this machine keeps in var/secret_key.
CALLER_SECRET_KEY := $(SECRET_KEY)
SECRET_KEY_FILE := var/secret_key

.PHONY: setup demo serve test test-fast lint schema attack bench bench-knowledge bench-records bench-routing bench-intake bench-booking clean browser-deps archive-deps office-deps mail-deps ocr-deps messages lock

.tools/bin/uv:
	python$(PYTHON_VERSION) -m venv .tools || python3 -m venv .tools
	.tools/bin/pip install --quiet uv

# The environment comes from requirements.lock: every package pinned with its hashes, exported
# by uv from its resolution (see docs/adr/0001-lock-file.md for why not uv.lock itself).
$(VENV)/.synced: pyproject.toml requirements.lock | $(UV)
	test -x $(PY) || $(UV) venv --quiet --python $(PYTHON_VERSION) $(VENV)
	$(UV) pip sync --quiet --python $(PY) --require-hashes requirements.lock
	$(UV) pip install --quiet --python $(PY) --no-deps --editable .
	touch $@

## lock: resolve again after changing dependencies in pyproject.toml
lock: | $(UV)
	$(UV) lock --python $(PYTHON_VERSION)
	$(UV) export --frozen --all-groups --no-emit-project --format requirements.txt \
	  --output-file requirements.lock --quiet

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## setup: the Python environment from requirements.lock and the front-end packages from package-lock.json
setup: $(VENV)/.synced node_modules/.installed

# This installation's own secret key, made once. With DEBUG off the settings refuse to start
# without a key, and the one in the repository is public (docs/operations.md).
$(SECRET_KEY_FILE):
	@mkdir -p $(@D)
	@umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(50))' > $@.tmp && mv $@.tmp $@
	@echo "Made a secret key for this machine's demo in $@"

# The targets that run the project's code use that key (the tests bring their own).
demo lint schema messages bench bench-knowledge bench-records bench-intake bench-booking: | $(SECRET_KEY_FILE)
demo lint schema messages bench bench-knowledge bench-records bench-intake bench-booking: export SECRET_KEY = $(or $(CALLER_SECRET_KEY),$(shell cat $(SECRET_KEY_FILE) 2>/dev/null))

## demo: set up, create and fill the demo database once, then serve it with a task worker. It
## runs as production does, with DEBUG off: WhiteNoise serves the static files and errors get
## the site's own pages; e-mail is written to var/mail.
demo: export DEBUG = 0
demo: export EMAIL_BACKEND ?= file
demo: setup archive-deps ocr-deps
	$(TT) migrate --no-input -v 0
	$(TT) load-demo
	$(TT) demo-logins
	@echo "Serving http://$(HOST):$(PORT)/ (Ctrl-C stops the server and the task worker)"
	@trap 'kill 0' EXIT; \
	  $(TT) worker --interval 1 >var/worker.log 2>&1 & \
	  $(TT) runserver $(HOST):$(PORT)

## browser-deps: Debian's chromium for the browser tests (Playwright drives it)
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing chromium from Debian's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

## archive-deps: Ghostscript and img2pdf from Debian's packages, which make the archival PDF/A
## variant of PDFs and images (docs/documents.md)
archive-deps:
	@command -v gs >/dev/null 2>&1 && command -v img2pdf >/dev/null 2>&1 || { \
	  echo "Installing ghostscript and img2pdf from Debian's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ghostscript img2pdf >/dev/null; }

## office-deps: LibreOffice without a desktop (Writer, Calc, Impress), which makes PDF/A of office
## files; large (about 250 MB), so the tests and CI install it, and a server without it keeps
## office files waiting in the conversion queue (docs/documents.md)
LIBREOFFICE := libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui
office-deps:
	@dpkg-query -W $(LIBREOFFICE) >/dev/null 2>&1 || { \
	  echo "Installing LibreOffice (headless) from Debian's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(LIBREOFFICE) >/dev/null; }

## mail-deps: Dovecot's IMAP server from Debian's packages; the mail room's tests start their own
## on loopback (tenestetorget/mailroom/tests/dovecot.py)
mail-deps:
	@command -v dovecot >/dev/null 2>&1 || { \
	  echo "Installing Dovecot (IMAP) from Debian's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dovecot-imapd >/dev/null; }

## ocr-deps: Tesseract with its Norwegian model and ocrmypdf from Debian's packages, which read
## scanned letters and keep them as searchable PDFs (docs/mailroom.md)
ocr-deps:
	@command -v ocrmypdf >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx nor || { \
	  echo "Installing Tesseract (nor) and ocrmypdf from Debian's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends tesseract-ocr tesseract-ocr-nor ocrmypdf >/dev/null; }

## test: the whole suite on the database in DATABASE_URL (SQLite when unset); PYTEST_ARGS adds
## options, e.g. PYTEST_ARGS='-m "not browser"'. pytest's exit 5 (no tests ran) is a failure.
test: setup browser-deps archive-deps office-deps mail-deps ocr-deps
	$(VENV)/bin/pytest -p no:cacheprovider -q $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "make test: pytest ran no tests" >&2; fi; exit $$rc

## lint: ruff, mypy, layer contract, missing migrations, OpenAPI schema drift
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy tenestetorget
	$(VENV)/bin/lint-imports
	$(TT) makemigrations --check --dry-run
	$(TT) spectacular --file var/openapi.check.yaml --validate --fail-on-warn
	diff -u docs/openapi.yaml var/openapi.check.yaml

## schema: regenerate the committed OpenAPI schema
schema: setup
	$(TT) spectacular --file docs/openapi.yaml --validate --fail-on-warn

## messages: extract and compile the nn/nb/en catalogues
messages: setup
	cd tenestetorget && ../$(TT) makemessages -l nn -l nb -l en --no-obsolete --ignore 'node_modules/*' --ignore '*/tests/*'
	cd tenestetorget && ../$(TT) compilemessages -v 0

## attack: the outside test again, over HTTP against a production-like server (gunicorn with
## three workers, DEBUG off, Redis); prints a JSON summary (docs/security.md)
attack: setup
	$(PY) benchmarks/attack.py

## bench: the performance benchmarks on PostgreSQL (see docs/performance.md)
bench: setup
	$(PY) benchmarks/run.py

## bench-knowledge: knowledge search with 10,000 articles on SQLite and on PostgreSQL
bench-knowledge: setup
	$(PY) benchmarks/knowledge_search.py --database-url sqlite:///$(CURDIR)/var/bench-knowledge.sqlite3
	$(PY) benchmarks/knowledge_search.py --database-url postgres://postgres@127.0.0.1:5432/tt_bench_knowledge

## bench-records: the records at 1,000,000 journal posts (case list, restanse, public journal)
bench-records: setup archive-deps
	$(PY) benchmarks/records_scale.py

## bench-routing: the routing classifier's figures on the held-out split and its speed on one core
bench-routing: setup
	$(PY) -m benchmarks.routing

## bench-intake: the mail room's intake of 10,000 .eml files with attachments on SQLite
bench-intake: setup
	$(PY) benchmarks/mailroom_intake.py

## bench-booking: availability of every resource over a year; the draw of 5,000 applicants for 20 weeks
bench-booking: setup
	$(PY) -m benchmarks.booking

clean:
	rm -rf $(VENV) .tools node_modules var
