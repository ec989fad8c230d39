#!/usr/bin/env bash
# Extra system setup the interop tests need beyond apt: Exim conflicts with Postfix as a Debian package,
# so it is unpacked into /opt/domsec-exim (see docs/interop.md).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /opt/domsec-exim/usr/sbin/exim4 ]; then
  apt-get update -qq >/dev/null 2>&1 || true
  bash src/peers/exim/unpack-exim.sh
fi
