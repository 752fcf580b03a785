#!/usr/bin/env bash
# Installs Debian's Chromium and its ChromeDriver when either is missing: the operator console's
# browser tests (ConsoleBrowserTest) call this before they start a browser, so `mvn verify` works
# on a fresh Debian machine as root. Uses the benchmark scripts' installer (loadtest/lib.sh).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { echo "install-chromium: $*" >&2; }
# shellcheck source=../../../../loadtest/lib.sh
source "$here/../../../../loadtest/lib.sh"
install_missing /usr/bin/chromium:chromium /usr/bin/chromedriver:chromium-driver
