#!/usr/bin/env bash
# Runs every libFuzzer target (tests/fuzz/fuzz_*.cpp) built in BUILD_DIR for SECONDS each.
#   usage: scripts/run-fuzzers.sh BUILD_DIR SECONDS
# Each target keeps a growing corpus in BUILD_DIR/corpus/<name> (tests/fuzz/corpus/<name>, when
# present, is read as seeds and never written). A target's full output goes to
# BUILD_DIR/fuzz-logs/<name>.log; one line per target is printed, plus the log's tail and the
# crashing input's path when it finds something. Every target runs even after a failure, so one
# run reports all of them; the exit code is 1 when any failed.
set -euo pipefail

[[ $# -eq 2 ]] || { echo "usage: $0 BUILD_DIR SECONDS" >&2; exit 2; }
build_dir=$1 seconds=$2
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: SECONDS must be a positive integer, got '$seconds'" >&2; exit 2; }
cd "$(dirname "$0")/.."

shopt -s nullglob
sources=(tests/fuzz/fuzz_*.cpp)
if ((${#sources[@]} == 0)); then
  echo "fuzz: no targets (tests/fuzz/fuzz_*.cpp) to run"
  exit 0
fi

# The sanitizer's report (its first lines: error kind and stack) and where the input was saved;
# the whole log can run to thousands of lines of coverage progress and shadow-memory dumps.
show_finding() {
  local log=$1 first
  first=$(grep -n -m1 -E '==[0-9]+==ERROR|runtime error:|ERROR: libFuzzer|^ALARM' "$log" | cut -d: -f1 || true)
  if [[ -n $first ]]; then
    sed -n "${first},$((first + 30))p" "$log"
    grep -E 'Test unit written to' "$log" || true
  else
    tail -n 30 "$log"
  fi
}

mkdir -p "$build_dir/fuzz-logs" "$build_dir/artifacts"
failed=()
for source in "${sources[@]}"; do
  name=$(basename "$source" .cpp)
  binary="$build_dir/tests/fuzz/$name"
  log="$build_dir/fuzz-logs/$name.log"
  corpus="$build_dir/corpus/$name"
  seeds=()
  [[ -d tests/fuzz/corpus/$name ]] && seeds=("tests/fuzz/corpus/$name")
  if [[ ! -x $binary ]]; then
    echo "fuzz: $name FAILED: $binary was not built"
    failed+=("$name")
    continue
  fi
  mkdir -p "$corpus"
  # -timeout: an input taking 10 s is a hang worth reporting; -rss_limit_mb bounds memory on a
  # shared 2-core machine. The first corpus dir receives new inputs, the seeds stay untouched.
  if "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$build_dir/artifacts/$name-" "$corpus" "${seeds[@]}" >"$log" 2>&1; then
    summary=$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1 || true)
    echo "fuzz: $name ok (${summary:-finished}, corpus $(find "$corpus" -type f | wc -l) inputs)"
  else
    echo "fuzz: $name FAILED (full log: $log)"
    show_finding "$log" | sed 's/^/    /'
    failed+=("$name")
  fi
done

if ((${#failed[@]} > 0)); then
  echo "fuzz: ${#failed[@]} of ${#sources[@]} targets failed: ${failed[*]}"
  exit 1
fi
echo "fuzz: all ${#sources[@]} targets ran ${seconds}s each without a finding"
