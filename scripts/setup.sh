#!/usr/bin/env bash
# Brings a Debian 12 machine to the state Hermes needs to build, run and test:
#   1. the Debian packages below (apt-get update + install, only when something is missing);
#   2. a Docker engine answering on the socket (installed and started in the background if none
#      answers; an engine that already answers is never stopped or restarted);
#   3. gVisor's runsc registered as the engine runtime "runsc" (container_pool.security.runtime):
#      merged into /etc/docker/daemon.json before an engine is started, and a running engine that
#      lacks it is told to reload its configuration (SIGHUP, which dockerd handles without a
#      restart: running containers are not touched).
# Idempotent and silent when there is nothing to do, so `make run` / `make test` can call it
# every time. Environment:
#   HERMES_DOCKER_SOCKET  engine socket to check/start (default /var/run/docker.sock)
#   HERMES_DOCKER_WAIT    seconds to wait for a freshly started engine (default 60)
#   HERMES_SETUP_GVISOR   0 skips step 3 (default 1)
set -euo pipefail

readonly BUILD_PACKAGES=(
  build-essential cmake pkg-config libssh-dev libboost1.81-dev libyaml-cpp-dev
  nlohmann-json3-dev libssl-dev libcli11-dev libgtest-dev libgmock-dev busybox-static zlib1g-dev
  clang libclang-rt-14-dev
  # The fuzz build uses clang 16: clang 14 cannot compile libstdc++ 12's <expected> at all,
  # clang 16 can once told its concepts are complete (see FUZZ_CXXFLAGS in the Makefile).
  clang-16 libclang-rt-16-dev
)
readonly TEST_PACKAGES=(
  openssh-client sshpass python3-pytest python3-pytest-timeout python3-pexpect python3-paramiko
  asciinema putty-tools nmap
)
# make bench: sshd (the brute-force reference) runs under tini as a subreaper so all its CPU is
# counted; bench/run.py reads config/hermes.yaml with python3-yaml.
readonly BENCH_PACKAGES=(tini python3-yaml)
# The debian target image is built from Debian's archive (hermes image build --profile debian).
readonly IMAGE_PACKAGES=(debootstrap)
readonly DOCKER_PACKAGES=(docker.io containerd runc iptables)
readonly GVISOR_PACKAGES=(runsc)

readonly DOCKER_SOCKET="${HERMES_DOCKER_SOCKET:-/var/run/docker.sock}"
readonly DOCKER_WAIT="${HERMES_DOCKER_WAIT:-60}"
readonly DOCKERD_LOG=/var/log/hermes-dockerd.log
readonly DOCKERD_CONFIG=/etc/docker/daemon.json
readonly DOCKERD_PIDFILE=/var/run/docker.pid
readonly SETUP_GVISOR="${HERMES_SETUP_GVISOR:-1}"
readonly RUNSC_RUNTIME=runsc
readonly RUNSC_PATH=/usr/bin/runsc

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

# Root is needed for apt-get and dockerd; use sudo when we are not root and it is there.
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || die "run as root (or install sudo): apt-get and dockerd need root"
  SUDO=(sudo -n)
fi

is_installed() {
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

missing_from() {
  local pkg
  for pkg in "$@"; do
    is_installed "$pkg" || printf '%s\n' "$pkg"
  done
}

# apt-get output goes to a log: shown only when apt fails, so a normal run stays short.
apt_get() {
  local log
  log=$(mktemp /tmp/hermes-setup-apt.XXXXXX)
  if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q -y \
      -o DPkg::Lock::Timeout=300 "$@" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    rm -f "$log"
    die "apt-get $1 failed (output above)"
  fi
  rm -f "$log"
}

# The package index is refreshed once per run, and only when something must be installed:
# a fresh machine has no usable lists, while re-runs with everything present stay fast.
APT_UPDATED=0
install_packages() {
  (($# > 0)) || return 0
  if ((APT_UPDATED == 0)); then
    say "updating the package index (apt-get update)"
    apt_get update
    APT_UPDATED=1
  fi
  say "installing: $*"
  apt_get install --no-install-recommends "$@"
}

# --- Docker engine -------------------------------------------------------------------------
# The docker CLI may be present without an engine, and curl may be absent: try what exists.
engine_answers() {
  [[ -S $DOCKER_SOCKET ]] || return 1
  if command -v curl >/dev/null 2>&1; then
    [[ $(curl -s --max-time 5 --unix-socket "$DOCKER_SOCKET" http://localhost/_ping 2>/dev/null) == OK ]]
    return
  fi
  if command -v docker >/dev/null 2>&1; then
    DOCKER_HOST="unix://$DOCKER_SOCKET" timeout 10 docker version >/dev/null 2>&1
    return
  fi
  # Last resort: speak HTTP to the socket with Debian's python3 (installed above for the tests).
  /usr/bin/python3 - "$DOCKER_SOCKET" <<'PY' >/dev/null 2>&1
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
status_line = s.recv(4096).split(b"\r\n", 1)[0].split()
sys.exit(0 if len(status_line) >= 2 and status_line[1] == b"200" else 1)
PY
}

start_engine() {
  local args=()
  # A non-default socket means "run the engine there"; the default needs no flag.
  [[ $DOCKER_SOCKET == /var/run/docker.sock ]] || args+=(--host "unix://$DOCKER_SOCKET")
  say "starting dockerd in the background (log: $DOCKERD_LOG)"
  printf '\n==== %s: hermes setup starts dockerd %s\n' "$(date -Is)" "${args[*]}" \
    | "${SUDO[@]}" tee -a "$DOCKERD_LOG" >/dev/null
  # setsid + nohup: the engine must outlive this script and the make process that ran it.
  "${SUDO[@]}" setsid nohup dockerd "${args[@]}" </dev/null >>"$DOCKERD_LOG" 2>&1 &
  local pid=$! waited=0
  until engine_answers; do
    # Give up at once when the daemon died instead of waiting out the whole delay.
    if ((waited >= DOCKER_WAIT)) || ! kill -0 "$pid" 2>/dev/null; then
      printf 'setup: last lines of %s:\n' "$DOCKERD_LOG" >&2
      tail -n 25 "$DOCKERD_LOG" >&2 || true
      die "dockerd did not answer on $DOCKER_SOCKET (waited ${waited}s of ${DOCKER_WAIT}s)"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  say "Docker engine is up on $DOCKER_SOCKET (after ${waited}s)"
}

ensure_engine() {
  engine_answers && return 0
  # docker.io ships both the CLI (used by make image and the tests) and dockerd.
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
    # shellcheck disable=SC2046
    install_packages $(missing_from "${DOCKER_PACKAGES[@]}")
    command -v dockerd >/dev/null 2>&1 || die "dockerd is still missing after installing docker.io"
  fi
  # Check once more: the package's own service scripts may have started an engine.
  engine_answers && return 0
  start_engine
}

# --- gVisor runtime -------------------------------------------------------------------------
# Adds runtimes.runsc to daemon.json, keeping every other setting; leaves the file untouched when
# it already has exactly that entry, and refuses (rather than overwrites) a file that is not JSON.
# runsc needs --network=none: without it, it refuses `NetworkMode: none` containers ("cannot run
# with network enabled in root network namespace"). Prints "changed" or "unchanged".
merge_runsc_into_daemon_config() {
  "${SUDO[@]}" /usr/bin/python3 - "$DOCKERD_CONFIG" "$RUNSC_RUNTIME" "$RUNSC_PATH" <<'PY'
import json, os, sys, tempfile
path, name, binary = sys.argv[1:4]
wanted = {"path": binary, "runtimeArgs": ["--network=none"]}
try:
    with open(path, encoding="utf-8") as f:
        text = f.read()
except FileNotFoundError:
    text = ""
try:
    config = json.loads(text) if text.strip() else {}
except json.JSONDecodeError as error:
    sys.exit(f"{path} is not valid JSON ({error}): fix it by hand, then run setup again")
if not isinstance(config, dict) or not isinstance(config.get("runtimes", {}), dict):
    sys.exit(f"{path}: expected a JSON object with an object 'runtimes'")
if config.get("runtimes", {}).get(name) == wanted:
    print("unchanged")
    sys.exit(0)
config.setdefault("runtimes", {})[name] = wanted
os.makedirs(os.path.dirname(path), exist_ok=True)
mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o644
fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".daemon.json.")
with os.fdopen(fd, "w", encoding="utf-8") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
os.chmod(temporary, mode)
os.replace(temporary, path)  # atomic: dockerd never reads half a file
print("changed")
PY
}

# True when the engine on $DOCKER_SOCKET lists the runtime in GET /info.
engine_has_runsc() {
  "${SUDO[@]}" /usr/bin/python3 - "$DOCKER_SOCKET" "$RUNSC_RUNTIME" <<'PY' >/dev/null 2>&1
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall(b"GET /info HTTP/1.0\r\nHost: docker\r\n\r\n")
data = b""
while chunk := s.recv(65536):
    data += chunk
body = data.split(b"\r\n\r\n", 1)[1]
sys.exit(0 if sys.argv[2] in (json.loads(body).get("Runtimes") or {}) else 1)
PY
}

# SIGHUP makes dockerd re-read daemon.json and reload its runtimes; it does not restart the
# daemon or touch containers. The pid comes from dockerd's own pid file, checked to be dockerd.
reload_engine_config() {
  local pid
  pid=$("${SUDO[@]}" cat "$DOCKERD_PIDFILE" 2>/dev/null) \
    || die "the engine lacks runtime $RUNSC_RUNTIME and $DOCKERD_PIDFILE is missing: send dockerd SIGHUP by hand"
  [[ $pid =~ ^[0-9]+$ && $(cat "/proc/$pid/comm" 2>/dev/null) == dockerd ]] \
    || die "$DOCKERD_PIDFILE does not name a running dockerd ($pid): send dockerd SIGHUP by hand"
  say "asking dockerd ($pid) to reload $DOCKERD_CONFIG (SIGHUP, no restart)"
  "${SUDO[@]}" kill -HUP "$pid"
}

# Before the engine check: a dockerd that setup starts reads the runtime from the file.
prepare_gvisor() {
  [[ $SETUP_GVISOR == 1 ]] || return 0
  # shellcheck disable=SC2046
  install_packages $(missing_from "${GVISOR_PACKAGES[@]}")
  [[ -x $RUNSC_PATH ]] || die "$RUNSC_PATH is missing after installing runsc"
  local outcome
  outcome=$(merge_runsc_into_daemon_config) || die "could not register runsc in $DOCKERD_CONFIG"
  [[ $outcome == unchanged ]] || say "registered runtime $RUNSC_RUNTIME in $DOCKERD_CONFIG"
}

# After the engine check: an engine that was already running may predate the file.
ensure_gvisor_runtime() {
  [[ $SETUP_GVISOR == 1 ]] || return 0
  engine_has_runsc && return 0
  reload_engine_config
  local waited=0
  until engine_has_runsc; do
    ((waited < 20)) || die "dockerd still lists no runtime $RUNSC_RUNTIME after SIGHUP (see its log)"
    sleep 1
    waited=$((waited + 1))
  done
  say "the engine now offers runtime $RUNSC_RUNTIME"
}

main() {
  command -v dpkg-query >/dev/null 2>&1 || die "this script expects Debian 12 (dpkg-query not found)"
  # shellcheck disable=SC2046
  install_packages $(missing_from "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}" "${BENCH_PACKAGES[@]}" \
    "${IMAGE_PACKAGES[@]}")
  prepare_gvisor
  ensure_engine
  ensure_gvisor_runtime
}

main "$@"
