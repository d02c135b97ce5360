# Debian's Chromium for the browser tests (tests/browser). Sourced by scripts/test.
# The tests drive /usr/bin/chromium through Playwright; no browser is ever downloaded
# by Playwright itself (never `playwright install`).

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    return 0
  fi
  echo "no /usr/bin/chromium: installing Debian's chromium for the browser tests" >&2
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    sudo="sudo"
  fi
  $sudo apt-get update -qq >/dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  if [ ! -x /usr/bin/chromium ]; then
    echo "chromium could not be installed; the browser tests need /usr/bin/chromium" >&2
    return 1
  fi
}
