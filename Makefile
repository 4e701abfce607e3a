.PHONY: test demo fmt lint

# The one test command: Python test tools, throwaway PostgreSQL + moto, fmt, clippy, tests.
# `make test TESTS=<filter>` runs only the Rust tests matching the filter, on the same services.
test:
	TESTS="$(TESTS)" bash scripts/test.sh

demo:
	cargo run -p tipline -- serve --demo --port 0

fmt:
	cargo fmt --all

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
