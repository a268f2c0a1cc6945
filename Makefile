# Backroom: `make run` (install what is missing, build, seed a demo, serve on SQLite) and
# `make test` (fmt, clippy for both builds, Rust tests on SQLite and PostgreSQL, Playwright).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

# The target dir lives outside the clone so fresh CI clones reuse compiled dependencies.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/backroom/target
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION = $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/version = "\(.*\)"/\1/p}' Cargo.lock)
BIN = $(CARGO_TARGET_DIR)/debug/backroom
# cargo-leptos builds debug with this cfg; clippy and tests use it too so they share its artifacts.
SERVER_RUSTFLAGS := --cfg erase_components
PG_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/postgres
E2E_DIR := end2end/.e2e
E2E_PORT ?= 3917
E2E_PASSWORD := e2e-demo-password-1

# schemathesis, for `api-test`, lives in a virtual environment outside the clone like the target dir.
VENV := $(HOME)/.cache/backroom/venv
SCHEMATHESIS_VERSION := 4.32.5

.PHONY: run test tools build fmt clippy clippy-hydrate rust-test api-test crash-test e2e clean-e2e bench

run: build
	$(BIN) migrate
	$(BIN) seed --demo
	LEPTOS_SITE_ROOT=target/site BACKROOM_DEMO_REPORTER=true $(BIN) serve

test: fmt clippy clippy-hydrate rust-test api-test e2e

tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" || \
		cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" || \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@test -x /usr/bin/chromium || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)
	@test -x end2end/node_modules/.bin/playwright -a end2end/node_modules/.package-lock.json -nt end2end/package-lock.json || \
		(cd end2end && npm ci --no-audit --no-fund)

# The front end as a browser should get it: release wasm through wasm-opt, minified JS and CSS,
# each also stored brotli- and gzip-compressed at the highest levels (served as they are). Its
# components are type-erased: the wasm came out 1.91 MB instead of 2.54 MB (br 450 KB, not 600),
# measured before it was split.
# `--split` cuts the pages behind the login into a module per section (src/pages/lazy.rs): the
# first page's wasm is 198 KB in brotli instead of 515 KB.
# The server is a debug build, which takes a fraction of the time (`make bench` builds release).
build: tools
	RUSTFLAGS="--cfg erase_components" cargo leptos build --release --frontend-only --precompress --split
	cargo leptos build --server-only

fmt:
	cargo fmt --check

clippy:
	RUSTFLAGS="$(SERVER_RUSTFLAGS)" cargo clippy --features ssr --all-targets -- -D warnings

clippy-hydrate: tools
	cargo clippy --features hydrate --lib --target wasm32-unknown-unknown -- -D warnings

# Every DB test runs on SQLite and on PostgreSQL; BACKROOM_REQUIRE_PG makes a missing server fail.
# One test at a time per binary: leptos's task spawner is process-global, and router tests on
# several tokio runtimes at once made a request hang now and then (one runtime in production).
rust-test:
	BACKROOM_REQUIRE_PG=1 BACKROOM_TEST_PG_URL=$(PG_ADMIN_URL) RUSTFLAGS="$(SERVER_RUSTFLAGS)" cargo test --features ssr -- --test-threads=1

# The device APIs against their OpenAPI document, with schemathesis, on SQLite and PostgreSQL.
api-test: build
	@$(VENV)/bin/schemathesis --version 2>/dev/null | grep -q "$(SCHEMATHESIS_VERSION)" || \
		{ python3 -m venv $(VENV) && $(VENV)/bin/pip install --quiet --disable-pip-version-check schemathesis==$(SCHEMATHESIS_VERSION); }
	BIN=$(BIN) SCHEMATHESIS=$(VENV)/bin/schemathesis PG_ADMIN_URL=$(PG_ADMIN_URL) bash .ci/api-conformance.sh

# Kill -9 durability (DB-4) alone, with as many kills per engine as TRIALS (rust-test runs it
# with 20): `make crash-test TRIALS=200`.
TRIALS ?= 20
crash-test:
	BACKROOM_CRASH_TRIALS=$(TRIALS) BACKROOM_REQUIRE_PG=1 BACKROOM_TEST_PG_URL=$(PG_ADMIN_URL) RUSTFLAGS="$(SERVER_RUSTFLAGS)" \
		cargo test --features ssr --test it platform::crash:: -- --nocapture

# A fresh database with 100 sites and the demo users, a server on a spare port, Playwright. A
# server still draining after SIGTERM is killed after 10 s: one left behind once kept the port,
# and the next run's tests reached it instead of their own build.
e2e: build clean-e2e
	@! (exec 3<>/dev/tcp/127.0.0.1/$(E2E_PORT)) 2>/dev/null || \
		{ echo "port $(E2E_PORT) is in use (a server left by an earlier run?): the tests would reach it, not this build"; exit 1; }
	mkdir -p $(E2E_DIR)
	BACKROOM_DATA_DIR=$(E2E_DIR) $(BIN) seed --scale 1 > $(E2E_DIR)/seed.log
	BACKROOM_DATA_DIR=$(E2E_DIR) BACKROOM_DEMO_PASSWORD=$(E2E_PASSWORD) $(BIN) seed --demo >> $(E2E_DIR)/seed.log
	BACKROOM_DATA_DIR=$(E2E_DIR) LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:$(E2E_PORT) \
		BACKROOM_LOGIN_FAILURES_PER_HOUR=1000 BACKROOM_LOGIN_BURST_PER_CLIENT=1000 BACKROOM_BACKUP_SCHEDULE=false BACKROOM_MAINTENANCE_SCHEDULE=false BACKROOM_DEMO_REPORTER=true \
		$(BIN) serve > $(E2E_DIR)/server.log 2>&1 & echo $$! > $(E2E_DIR)/server.pid
	cd end2end && BASE_URL=http://127.0.0.1:$(E2E_PORT) E2E_PASSWORD=$(E2E_PASSWORD) npx playwright test; \
		status=$$?; pid=$$(cat ../$(E2E_DIR)/server.pid); kill $$pid 2>/dev/null || true; \
		for i in $$(seq 50); do kill -0 $$pid 2>/dev/null || break; sleep 0.2; done; \
		kill -9 $$pid 2>/dev/null || true; exit $$status

clean-e2e:
	@if [ -f $(E2E_DIR)/server.pid ]; then kill $$(cat $(E2E_DIR)/server.pid) 2>/dev/null || true; fi
	rm -rf $(E2E_DIR)

# Release build, scale-10 data on both engines, wrk from a second process. Not part of `test`.
bench: tools
	bash .ci/bench.sh
