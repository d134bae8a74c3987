# Hermes: the two commands a person needs are `make run` and `make test`; both set the machine
# up first (scripts/setup.sh: Debian packages, a Docker engine), so a fresh Debian 12 machine
# needs nothing installed by hand. `make help` lists every target.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
# The steps of run/test depend on each other in order (setup -> build -> image): never in parallel.
.NOTPARALLEL:
.DEFAULT_GOAL := build

JOBS         ?= $(shell nproc)
CONFIG       ?= config/hermes.yaml
# The image `make run` serves (config/hermes.yaml names it too). Tests use both target images:
# minimal (busybox, seconds to build) for most, debian (debootstrap, cached) where they need it.
IMAGE        ?= hermes-target-debian:latest
PROFILE      ?= debian
FUZZ_SECONDS ?= 60
# Debian's interpreter on purpose: a pyenv python3 earlier in PATH lacks python3-pytest & co.
PYTHON       := /usr/bin/python3
PYTEST       := $(PYTHON) -m pytest -v tests/integration
CTEST        := ctest --output-on-failure --timeout 600
# clang 16 with libstdc++ 12: <expected> is only enabled when __cpp_concepts >= 202002L, which
# clang 16 implements (P0848) but does not announce; GCC 12 needs no such help.
FUZZ_CXXFLAGS := -D__cpp_concepts=202002L -Wno-macro-redefined
FUZZ_TARGETS  := $(sort $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.cpp))))
# Sanitizer reports must be readable and fatal: stack traces on UB, leaks checked at exit.
SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# clang 16's runtime does not find llvm-symbolizer by itself here: name it, so fuzz findings
# come with file:line stacks.
SYMBOLIZER    := $(firstword $(wildcard /usr/lib/llvm-16/bin/llvm-symbolizer /usr/bin/llvm-symbolizer))
FUZZ_ENV      := $(SANITIZER_ENV) $(if $(SYMBOLIZER),ASAN_SYMBOLIZER_PATH=$(SYMBOLIZER))

.PHONY: help setup build image images run test test-unit test-integration test-sanitize \
        fuzz fuzz-smoke fuzz-build bench clean

help:
	@echo "make run            set up, build, build the target image, start the honeypot ($(CONFIG))"
	@echo "make test           set up, build, unit tests (ctest), integration tests (pytest)"
	@echo "make test-sanitize  the same tests against an ASan/UBSan build (build-asan/)"
	@echo "make fuzz           every libFuzzer target for FUZZ_SECONDS=$(FUZZ_SECONDS) s (build-fuzz/)"
	@echo "make fuzz-smoke     every libFuzzer target for 10 s"
	@echo "make bench          benchmarks beside sshd and docker exec (BENCH_ARGS=\"--quick --only idle\")"
	@echo "make setup | build | image (PROFILE=$(PROFILE)) | images (minimal and debian) | clean"

setup:
	@bash scripts/setup.sh

build:
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build build -j$(JOBS)

# The image always comes from build/: its PID 1 must be the static build/hermes-init.
image:
	@bash scripts/ensure-image.sh build $(IMAGE) $(PROFILE)

# Both target images, for the tests. The first debian build runs debootstrap (root, minutes);
# later ones reuse its cached base (docs/operations.md).
images:
	@bash scripts/ensure-image.sh build hermes-target-minimal:latest minimal
	@bash scripts/ensure-image.sh build hermes-target-debian:latest debian

run: setup build image
	@echo
	@echo "Hermes is starting. Connect with: ssh -p 2222 root@127.0.0.1 (password: toor)"
	@echo "Recordings: data/recordings/   events: data/logs/events.jsonl   stop: Ctrl-C"
	@echo
	exec build/hermes serve --config $(CONFIG)

test: setup build images test-unit test-integration

test-unit:
	$(CTEST) --test-dir build

test-integration:
	$(PYTEST)

test-sanitize: setup build images
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DHERMES_SANITIZE=ON
	cmake --build build-asan -j$(JOBS)
	$(SANITIZER_ENV) $(CTEST) --test-dir build-asan
	$(SANITIZER_ENV) HERMES_BIN=build-asan/hermes $(PYTEST)

fuzz-build: setup
	CC=clang-16 CXX=clang++-16 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DHERMES_FUZZ=ON -DHERMES_SANITIZE=ON -DCMAKE_CXX_FLAGS="$(FUZZ_CXXFLAGS)"
	$(if $(FUZZ_TARGETS),cmake --build build-fuzz -j$(JOBS) --target $(FUZZ_TARGETS),@echo "fuzz: no fuzz targets to build")

fuzz: fuzz-build
	$(FUZZ_ENV) bash scripts/run-fuzzers.sh build-fuzz $(FUZZ_SECONDS)

fuzz-smoke: fuzz-build
	$(FUZZ_ENV) bash scripts/run-fuzzers.sh build-fuzz 10

# Benchmarks (docs/performance.md): table on stdout, bench/results/latest.json. BENCH_ARGS goes
# to bench/run.py, e.g. BENCH_ARGS="--quick --only bruteforce,idle".
BENCH_ARGS ?=
bench: setup build images
	$(PYTHON) bench/run.py --build-dir build $(BENCH_ARGS)

clean:
	rm -rf build build-asan build-fuzz
