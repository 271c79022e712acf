# kqlkernel: `make run` to try it, `make test` for everything CI checks.
SHELL := /bin/bash
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
BIN := $(CURDIR)/bin/kqlkernel
VENV := $(CURDIR)/.venv
PY := $(VENV)/bin/python
# Kernelspecs go into the venv; JUPYTER_PATH lets Debian's Jupyter find them too.
export JUPYTER_PATH := $(VENV)/share/jupyter
export PATH := $(CURDIR)/bin:$(VENV)/bin:$(PATH)

.PHONY: all build deps system-deps venv kqlmagic-venv browser-deps kernelspec run test test-go test-differential test-python test-debian bench fuzz lint clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w -X main.version=$(VERSION)" -o $(BIN) ./cmd/kqlkernel

deps: system-deps venv kqlmagic-venv browser-deps

system-deps:
	scripts/install-system-deps.sh

venv: $(VENV)/.installed

$(VENV)/.installed: tests/requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r tests/requirements.txt
	touch $@

KQLMAGIC_VENV := $(CURDIR)/.venv-kqlmagic

kqlmagic-venv: $(KQLMAGIC_VENV)/.installed

$(KQLMAGIC_VENV)/.installed: tests/requirements-kqlmagic.txt
	python3 -m venv $(KQLMAGIC_VENV)
	$(KQLMAGIC_VENV)/bin/python -m pip install -q --disable-pip-version-check -r tests/requirements-kqlmagic.txt
	touch $@

# playwright-core drives Debian's Chromium in the browser tests (no browser download).
browser-deps: tests/browser/node_modules/.installed

tests/browser/node_modules/.installed: tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $@

kernelspec: build venv
	$(BIN) install --prefix $(VENV)

run: deps kernelspec
	$(VENV)/bin/jupyter lab --notebook-dir=examples --ServerApp.ip=127.0.0.1

test: deps kernelspec test-go test-differential test-python test-debian

test-go: lint
	$(GO) test -count=1 ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed: $$out"; exit 1; fi
	$(GO) vet ./...

# Our parser against Microsoft's own (Kusto.Language from npm, under node) on the whole
# corpus and on random mutations of it: any disagreement on the corpus fails.
KUSTO_LS := $(CURDIR)/.cache/kustols
test-differential: $(KUSTO_LS)/.installed
	KUSTO_LS_DIR=$(KUSTO_LS)/node_modules/@kusto/language-service-next python3 bench/parser/differential.py --mutations 300

$(KUSTO_LS)/.installed:
	npm install --silent --no-audit --no-fund --prefix $(KUSTO_LS) @kusto/language-service-next@12.4.1
	touch $@

test-python: kernelspec
	$(PY) -m pytest -q -p no:cacheprovider tests/python

# The same protocol and notebook tests on Debian's Jupyter stack (jupyter_kernel_test 0.4.5,
# jupyter_client 7, nbclient 0.7).
DEBIAN_TESTS := tests/python/test_kernel_protocol.py tests/python/test_kernel_nbclient.py
test-debian: kernelspec
	/usr/bin/python3 -m pytest -q -p no:cacheprovider $(DEBIAN_TESTS)

bench: build venv kernelspec kqlmagic-venv
	bench/run.sh

# Every fuzz target, FUZZTIME each (not part of test: the corpora in testdata/ are).
fuzz:
	scripts/fuzz.sh $(or $(FUZZTIME),30s)

clean:
	rm -rf bin $(VENV) $(KQLMAGIC_VENV)
