# Shared by scripts/serve.sh and scripts/test.sh: install Debian packages (waiting for another
# package manager instead of failing at once), create .venv and install the package with the
# given extras — only when pyproject.toml changed since the last install (the package itself is
# installed editable, so changed sources need no reinstall).

apt_busy() {  # true while apt or dpkg holds one of its locks (e.g. unattended upgrades)
    python3 - <<'PY'
import fcntl, sys
for path in ("/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock", "/var/lib/apt/lists/lock"):
    try:
        with open(path, "a") as handle:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except FileNotFoundError:
        continue
    except OSError:
        sys.exit(0)
sys.exit(1)
PY
}

apt_get() {  # apt-get that waits up to 10 minutes for the package manager's lock
    local waited=0
    while apt_busy; do
        [ "$waited" -eq 0 ] && echo "Waiting for another package manager to finish (apt/dpkg lock)…" >&2
        [ "$waited" -ge 600 ] && { echo "apt/dpkg is still locked after 10 minutes; try again later." >&2; return 1; }
        sleep 5
        waited=$((waited + 5))
    done
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
}

ensure_venv() {
    local extras="$1"
    if [ ! -x .venv/bin/python ]; then
        if ! python3 -m venv .venv 2>/dev/null; then
            rm -rf .venv
            apt_get update -qq
            apt_get install -y -qq python3-venv >/dev/null
            python3 -m venv .venv
        fi
    fi
    local stamp=.venv/.cityindex-installed
    local hash
    hash=$(sha256sum pyproject.toml | cut -d' ' -f1)
    # Installed before with the same pyproject.toml: with these extras, or (no extras) with any.
    if [ -x .venv/bin/cityindex ] && [ -f "$stamp" ] \
        && { grep -qxF "$hash $extras" "$stamp" || { [ -z "$extras" ] && grep -q "^$hash " "$stamp"; }; }; then
        return 0
    fi
    .venv/bin/pip install -q --disable-pip-version-check -e ".${extras}"
    echo "$hash $extras" >> "$stamp"
}
