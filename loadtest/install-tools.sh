#!/usr/bin/env bash
# Installs from Debian the tools a test or benchmark needs, when missing (needs root):
#   loadtest/install-tools.sh haproxy:haproxy wrk:wrk
# Each argument is COMMAND:PACKAGE (see install_missing in lib.sh). The fleet test runs it for
# HAProxy before it starts its load balancer, the proxy's unreachable-store test for ip and iptables.
set -euo pipefail
cd "$(dirname "$0")"
log() { echo "[install-tools] $*" >&2; }
. ./lib.sh
install_missing "$@"
