#!/usr/bin/env bash
# Swift for the test and bench scripts. Source it, then call `swift_run CMD...` from the repository
# root. With a host `swift` (a developer's Mac, a Linux with a Swift toolchain) CMD runs directly.
# Otherwise CMD runs inside a cached Debian trixie root with its `swiftlang` 6.0.3 (see
# ../shared/notes/swift-on-linux.md): built once with debootstrap (a few minutes, the only network
# use), checked on every run and rebuilt when broken. Needs root on Linux for debootstrap, chroot
# and mount. Fails loudly when Swift cannot be set up: it never skips.
#   REPRISE_SWIFT_ROOT   where the root lives (default ~/.cache/reprise/swift-trixie)
#   REPRISE_SWIFT_BINDS  extra absolute paths to bind-mount at the same path (space separated)

REPRISE_SWIFT_ROOT="${REPRISE_SWIFT_ROOT:-$HOME/.cache/reprise/swift-trixie}"
_REPRISE_SWIFT_ENV="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/swift-env.sh"

swift_host_ok() {
    [ -z "${REPRISE_SWIFT_FORCE_CHROOT:-}" ] && command -v swift >/dev/null 2>&1 && swift --version >/dev/null 2>&1
}

# Runs `swift --version` inside the root (mounting /proc just for the check).
swift_root_ok() {
    local root="$REPRISE_SWIFT_ROOT"
    [ -f "$root/.reprise-swift-ready" ] || return 1
    if command -v unshare >/dev/null 2>&1; then
        # In a private mount namespace, so that no other run's /proc is touched.
        unshare --mount --propagation private -- sh -c \
            'mountpoint -q "$1/proc" || mount -t proc proc "$1/proc"; chroot "$1" swift --version' _ "$root" >/dev/null 2>&1
        return
    fi
    local mounted=0 rc=0
    if ! mountpoint -q "$root/proc"; then mount -t proc proc "$root/proc" && mounted=1 || return 1; fi
    chroot "$root" swift --version >/dev/null 2>&1 || rc=1
    [ "$mounted" = 1 ] && umount "$root/proc"
    return $rc
}

swift_setup() {
    if swift_host_ok; then return 0; fi
    if [ "$(uname -s)" != Linux ]; then
        echo "error: no swift on PATH; install Xcode or a Swift toolchain" >&2; return 1
    fi
    if [ "$(id -u)" != 0 ]; then
        echo "error: no host swift, and building the trixie root needs root (debootstrap, chroot, mount)" >&2; return 1
    fi
    if swift_root_ok; then return 0; fi
    local root="$REPRISE_SWIFT_ROOT"
    echo "swift-env: building the Swift root at $root (Debian trixie, swiftlang; a few minutes)" >&2
    swift_unmount_all
    # Never delete through a bind mount (the checkout, /tmp) left by a killed run: unmount
    # everything under the root first, refuse if that fails, and stay on one file system.
    local m
    for m in $(awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m"
    done
    if awk -v r="$root/" 'index($2, r) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
        echo "error: mounts remain under $root; not deleting it" >&2; return 1
    fi
    rm -rf --one-file-system "$root"
    mkdir -p "$(dirname "$root")"
    if ! command -v debootstrap >/dev/null; then
        apt-get -o DPkg::Lock::Timeout=900 update -qq && apt-get -o DPkg::Lock::Timeout=900 install -y -qq debootstrap >/dev/null
    fi
    debootstrap --variant=minbase trixie "$root" http://deb.debian.org/debian >/dev/null
    chroot "$root" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends \
        swiftlang libc6-dev libstdc++-14-dev >/dev/null
    touch "$root/.reprise-swift-ready"
    swift_root_ok || { echo "error: the Swift root at $root does not run swift" >&2; return 1; }
}

# Paths mounted by swift_run, innermost last, so that unmounting goes in reverse.
_SWIFT_MOUNTS=()

_swift_bind() {
    local src="$1" dst="$REPRISE_SWIFT_ROOT$1"
    mkdir -p "$dst"
    if mountpoint -q "$dst"; then return 0; fi  # already there (an earlier run that was killed)
    mount --bind "$src" "$dst"
    _SWIFT_MOUNTS+=("$dst")
}

swift_unmount_all() {
    local i
    for ((i=${#_SWIFT_MOUNTS[@]}-1; i>=0; i--)); do
        umount "${_SWIFT_MOUNTS[$i]}" 2>/dev/null || umount -l "${_SWIFT_MOUNTS[$i]}" 2>/dev/null || true
    done
    _SWIFT_MOUNTS=()
}

# swift_run CMD...: runs CMD in the current directory, with the host swift or inside the root.
# In the root, CMD runs in a private mount namespace when `unshare` is there: the mounts are this
# run's alone, so runs from several checkouts at once (each binds its own) never unmount each
# other's /proc or /tmp, and they vanish with the run even when it is killed.
swift_run() {
    if swift_host_ok; then "$@"; return; fi
    if [ -z "${_REPRISE_SWIFT_NS:-}" ] && command -v unshare >/dev/null 2>&1; then
        _REPRISE_SWIFT_NS=1 unshare --mount --propagation private -- \
            bash -c 'source "$0" && swift_run "$@"' "$_REPRISE_SWIFT_ENV" "$@"
        return
    fi
    local root="$REPRISE_SWIFT_ROOT" rc=0 p
    trap swift_unmount_all EXIT INT TERM
    if ! mountpoint -q "$root/proc"; then mount -t proc proc "$root/proc"; _SWIFT_MOUNTS+=("$root/proc"); fi
    # /dev/null, /dev/urandom and friends (only when the root's /dev is not already populated).
    [ -c "$root/dev/null" ] || _swift_bind /dev
    _swift_bind "$PWD"
    for p in ${REPRISE_SWIFT_BINDS:-}; do _swift_bind "$p"; done
    [ -d /tmp ] && _swift_bind /tmp
    chroot "$root" /usr/bin/env -C "$PWD" HOME="${HOME:-/root}" PATH=/usr/local/bin:/usr/bin:/bin "$@" || rc=$?
    swift_unmount_all
    trap - EXIT INT TERM
    return $rc
}
