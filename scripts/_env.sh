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
    for pkg in "$@"; do
        # Installed, not merely known to dpkg (a removed package leaves its configuration files behind).
        [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if sudo -n true 2>/dev/null; then sudo="sudo -n"; else
            echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" \
                "(on Debian 12, valkey-server is in bookworm-backports: apt-get install -t bookworm-backports)" >&2
            return 1
        fi
    fi
    echo "Installing Debian packages: ${missing[*]}" >&2
    local apt=($sudo env DEBIAN_FRONTEND=noninteractive apt-get -qq)
    "${apt[@]}" update
    # Debian 12 (bookworm) has some of them (valkey-server) only in its backports: add those when a package
    # has no candidate otherwise, and take such packages (with their dependencies) from there.
    local stable=() backports=()
    for pkg in "${missing[@]}"; do
        if apt-cache policy "$pkg" 2>/dev/null | grep -q "Candidate: [^(]"; then stable+=("$pkg"); else backports+=("$pkg"); fi
    done
    if [ ${#backports[@]} -gt 0 ] && grep -q "^VERSION_CODENAME=bookworm$" /etc/os-release; then
        local list=/etc/apt/sources.list.d/bookworm-backports.list
        if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
            echo "deb http://deb.debian.org/debian bookworm-backports main" | $sudo tee "$list" >/dev/null
            "${apt[@]}" update
        fi
        "${apt[@]}" install -y --no-install-recommends -t bookworm-backports "${backports[@]}" >/dev/null
    else
        stable+=("${backports[@]}")
    fi
    [ ${#stable[@]} -eq 0 ] || "${apt[@]}" install -y --no-install-recommends "${stable[@]}" >/dev/null
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
