#!/usr/bin/env bash
# Makes sure the target image exists and was built from the current hermes-init and image recipes.
#   usage: scripts/ensure-image.sh BUILD_DIR IMAGE PROFILE
# The image is built with BUILD_DIR/hermes (`hermes image build --profile PROFILE`) when it is
# missing, or when this build dir has no record of building that very image (a stamp file holding
# its id), or when hermes-init or the profile's recipe (images/PROFILE/, if it has one) changed
# since. The stamp matters because machines are reused: an image left by an older checkout would
# otherwise be tested silently.
set -euo pipefail

[[ $# -eq 3 ]] || { echo "usage: $0 BUILD_DIR IMAGE PROFILE" >&2; exit 2; }
build_dir=$1 image=$2 profile=$3
cd "$(dirname "$0")/.."  # BUILD_DIR and images/ are relative to the repository root
stamp="$build_dir/.image-$profile.stamp"

say() { printf 'image: %s\n' "$*"; }

[[ -x $build_dir/hermes ]] || { say "ERROR: $build_dir/hermes is missing; run 'make build' first" >&2; exit 1; }

# Prints why a rebuild is needed, or nothing when the image is current.
rebuild_reason() {
  local current_id
  if ! current_id=$(docker image inspect --format '{{.Id}}' "$image" 2>/dev/null); then
    echo "$image is missing"
    return
  fi
  if [[ ! -f $stamp ]] || [[ $(<"$stamp") != "$current_id" ]]; then
    echo "$image was not built from this build directory"
    return
  fi
  local changed
  local watched=("$build_dir/hermes-init")
  [[ -d images/$profile ]] && watched+=("images/$profile")
  changed=$(find "${watched[@]}" -newer "$stamp" -print -quit 2>/dev/null || true)
  [[ -z $changed ]] || echo "$changed changed since $image was built"
}

reason=$(rebuild_reason)
[[ -n $reason ]] || exit 0

previous_id=$(cat "$stamp" 2>/dev/null || true)
say "building $image ($reason)"
# The debian profile runs debootstrap, which needs root: as scripts/setup.sh does for apt, use
# sudo when we are not root and it is there.
builder=("$build_dir/hermes" image build --profile "$profile")
if [[ $profile == debian && $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1; then
  builder=(sudo -n "${builder[@]}")
fi
"${builder[@]}"
docker image inspect --format '{{.Id}}' "$image" >"$stamp" ||
  { say "ERROR: 'hermes image build --profile $profile' did not produce $image" >&2; exit 1; }
# The image this build dir made last time is now untagged: drop it unless a container (a kept
# session, say) still uses it, in which case Docker refuses and it stays.
if [[ -n $previous_id && $previous_id != "$(<"$stamp")" ]]; then
  docker image rm "$previous_id" >/dev/null 2>&1 || true
fi
