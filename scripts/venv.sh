# Shared by scripts/serve.sh and scripts/test.sh: create .venv (installing Debian's venv
# module when the system Python lacks it) and install the package with the given extras.
ensure_venv() {
    local extras="$1"
    if [ ! -x .venv/bin/python ]; then
        if ! python3 -m venv .venv 2>/dev/null; then
            rm -rf .venv
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
            python3 -m venv .venv
        fi
    fi
    .venv/bin/pip install -q --disable-pip-version-check -e ".${extras}"
}
