# Redress: `make run` builds and serves the demo bank; `make test` runs every test.
GO   ?= go
BIN  := bin/redress
DATA ?= ./data

.PHONY: build run test vet clean assets test-deps

# Browser assets come from npm at build time and are embedded in the binary.
VENDOR := web/static/vendor
assets: $(VENDOR)/htmx.min.js $(VENDOR)/echarts.min.js

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts

$(VENDOR)/htmx.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR) && cp node_modules/htmx.org/dist/htmx.min.js $@

$(VENDOR)/echarts.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR) && cp node_modules/echarts/dist/echarts.min.js $@

build: assets
	$(GO) build -o $(BIN) ./cmd/redress

# Loads the demo bank on first run (idempotent), then serves it.
run: build
	$(BIN) demo --data $(DATA)
	$(BIN) serve --data $(DATA)

vet:
	$(GO) vet ./...
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "not gofmt-formatted: $$unformatted"; exit 1; fi

# Installs Chromium and the CJK fonts when missing (Debian packages), then
# runs every test; with CI=true nothing may be skipped for want of them.
test: assets vet
	bash scripts/test-deps.sh
	$(GO) test -count=1 ./...

clean:
	rm -rf bin node_modules $(VENDOR)
