# Redress: `make run` builds and serves the demo bank; `make test` runs every test.
GO   ?= go
BIN  := bin/redress
DATA ?= ./data

.PHONY: build run test vet clean

build:
	$(GO) build -o $(BIN) ./cmd/redress

# Loads the demo bank on first run (idempotent), then serves it.
run: build
	$(BIN) demo --data $(DATA)
	$(BIN) serve --data $(DATA)

vet:
	$(GO) vet ./...
	@unformatted="$$(gofmt -l .)"; if [ -n "$$unformatted" ]; then echo "not gofmt-formatted: $$unformatted"; exit 1; fi

test: vet
	$(GO) test -count=1 ./...

clean:
	rm -rf bin
