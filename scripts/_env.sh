# Shared by scripts/demo and scripts/test: a virtual environment with the project installed in it.
# Sourced, not run. Set VENV to use another environment than .venv.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV="${VENV:-.venv}"
[[ "$VENV" == /* ]] || VENV="$PWD/$VENV"
PYTHON="${PYTHON:-python3}"

apt_install() {
    # Installs Debian packages when they are missing and we may (root, or sudo without a password).
    local missing=()
    for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if sudo -n true 2>/dev/null; then sudo="sudo -n"; else
            echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
            return 1
        fi
    fi
    echo "Installing Debian packages: ${missing[*]}" >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_node() {
    # Node.js is needed once, to bundle frontend/ when installing from source; never at run time.
    command -v npm >/dev/null 2>&1 || apt_install nodejs npm
}

ensure_venv() {
    # $1: the extras to install, e.g. "test,lint".
    ensure_node
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[$1]"
    if [[ ",$1," == *",test,"* ]]; then
        # The host integrations and the component package are packages of their own; the test suite covers them too.
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
            -e integrations/django -e integrations/litestar -e packages/daypicker
    fi
    export PATH="$VENV/bin:$PATH"
}
