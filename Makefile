# Redress: `make run` builds and serves the demo bank; `make test` runs every test.
GO   ?= go
BIN  := bin/redress
DATA ?= ./data

.PHONY: build run test vet clean assets test-deps screenshots crash fuzz

# Browser assets come from npm at build time and are embedded in the binary.
# ECharts is bundled (esbuild, pinned in package.json) from assets/echarts.js
# with only the charts and components the pages use. axe-core is for the
# browser test only: it goes to cmd/redress/testdata/vendor, which the
# binary does not embed, and the test injects it into the pages it checks.
VENDOR := web/static/vendor
TESTVENDOR := cmd/redress/testdata/vendor
assets: $(VENDOR)/htmx.min.js $(VENDOR)/echarts.min.js $(TESTVENDOR)/axe.min.js

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts

$(VENDOR)/htmx.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR) && cp node_modules/htmx.org/dist/htmx.min.js $@

$(VENDOR)/echarts.min.js: node_modules/.package-lock.json assets/echarts.js
	mkdir -p $(VENDOR) && node_modules/.bin/esbuild assets/echarts.js --bundle --minify --format=iife \
		--target=es2017 --legal-comments=eof --log-level=warning --outfile=$@

$(TESTVENDOR)/axe.min.js: node_modules/.package-lock.json
	mkdir -p $(TESTVENDOR) && cp node_modules/axe-core/axe.min.js $@

build: assets
	$(GO) build -o $(BIN) ./cmd/redress

# Loads the demo bank on first run (idempotent; later runs print its logins
# again), then serves it; ADDR=host:port picks the address (default
# 127.0.0.1:8080).
run: build
	$(BIN) demo --data $(DATA)
	$(BIN) serve --data $(DATA) $(if $(ADDR),--addr $(ADDR))

vet:
	$(GO) vet ./...
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "not gofmt-formatted: $$unformatted"; exit 1; fi

# Installs Chromium and the CJK fonts when missing (Debian packages), then
# runs every test: the store and API tests on SQLite and on a throwaway
# PostgreSQL cluster that scripts/test-postgres.sh starts (installing
# Debian's postgresql when missing) and stops afterwards. With CI=true
# nothing may be skipped for want of them. The store and API tests wait on
# the database more than they compute: four at a time per package (-parallel)
# keep two cores busier than the default of one per core.
test: assets vet
	bash scripts/test-deps.sh
	bash scripts/test-postgres.sh $(GO) test -count=1 -parallel 4 -timeout 30m ./...
	$(MAKE) --no-print-directory fuzz

# Fuzzes every decoder of the edge (JSON bodies, paths, queries and forms,
# the case list's filter, the holiday notice, the cut of a text, the search
# fragment). make test gives each target a count of inputs (about 2 s on
# two cores), not a duration: with a duration, Go 1.26's fuzz coordinator
# may fail a clean run with "context deadline exceeded" when the machine is
# busy at the deadline (go.dev/issue/75804, fixed in Go 1.27). A longer run:
# make fuzz FUZZTIME=5m (or 1000000x). The seed corpus is in testdata/fuzz/
# and web/testdata/fuzz/ (go test runs it as tests); an input that fails is
# added there by go test.
FUZZTIME ?=
FUZZ := .:FuzzCutText:20000 .:FuzzCaseFilterNormalize:4000 .:FuzzScheduleFromNotice:15000 .:FuzzFindFragment:10000 .:FuzzPeriodOf:20000 \
	./web:FuzzDecodeStrict:2000 ./web:FuzzCheckInput:500 ./web:FuzzCaseFilterQuery:2000
fuzz:
	@for target in $(FUZZ); do \
		pkg=$${target%%:*}; rest=$${target#*:}; name=$${rest%%:*}; count=$${rest#*:}; \
		budget=$(FUZZTIME); budget=$${budget:-$${count}x}; \
		$(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$$budget $$pkg || exit 1; \
	done

clean:
	rm -rf bin node_modules $(VENDOR) $(TESTVENDOR)

# The crash and restore drills (cmd/drill) against the built server, on
# SQLite and on a throwaway PostgreSQL cluster (scripts/test-postgres.sh):
# CRASH_ROUNDS rounds of 16-way intake over HTTP, each ended by kill -9 of
# redress serve, then audit verify, a restart and acknowledged vs stored;
# then a backup under load, restored into a fresh directory and checked.
# make test runs a 3-round version (cmd/drill's test).
CRASH_ROUNDS ?= 10
crash: build
	$(GO) build -o bin/drill ./cmd/drill
	bash scripts/test-postgres.sh bin/drill --bin $(BIN) --rounds $(CRASH_ROUNDS)

# Builds the server and the benchmark command, generates (or reuses) a
# dataset of BENCH_SIZE cases (default 100000) and measures Redress over
# loopback HTTP next to the raw durable insert rate of SQLite, and of
# PostgreSQL when available; appends the results to docs/benchmarks.md.
.PHONY: bench
bench: build
	$(GO) build -o bin/bench ./cmd/bench
	bin/bench

# Retakes the README's screenshots (docs/screenshots) in headless Chromium.
screenshots: assets
	bash scripts/test-deps.sh
	REDRESS_SCREENSHOTS=1 $(GO) test -count=1 -run TestBrowser ./cmd/redress
