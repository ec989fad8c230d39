#!/bin/sh
# Unpacks Exim 4 (exim4-daemon-light + exim4-base + exim4-config) into a project-owned directory beside Postfix.
# Why: in Debian, exim4 and postfix both provide mail-transport-agent and conflict; dpkg cannot install both.
# The binary is used with its own -C configuration only; nothing under /etc is touched except the Debian-exim
# system user, which the binary has compiled in and which the exim4-base package would create anyway.
# Usage: sudo src/peers/exim/unpack-exim.sh [root]   (default /opt/domsec-exim, or $DOMSEC_EXIM_ROOT)
set -eu
ROOT="${1:-${DOMSEC_EXIM_ROOT:-/opt/domsec-exim}}"
if [ -x "$ROOT/usr/sbin/exim4" ] && getent passwd Debian-exim >/dev/null; then
  echo "exim already unpacked in $ROOT"; exit 0
fi
export DEBIAN_FRONTEND=noninteractive
# Shared libraries the binary links against (harmless, no MTA conflict).
apt-get install -y -q --no-install-recommends libidn12 libgnutls-dane0 libgnutls30 libpcre2-8-0 libdb5.3 libnsl2 >/dev/null
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
chmod 755 "$TMP"
cd "$TMP"
# apt-get download runs as _apt; let it write here.
chown _apt "$TMP" 2>/dev/null || true
apt-get download exim4-daemon-light exim4-base exim4-config >/dev/null
mkdir -p "$ROOT"
for f in ./*.deb; do dpkg-deb -x "$f" "$ROOT"; done
# Debian 12's adduser refuses upper-case names unless told (exim4-base's own postinst passes the same option).
getent group Debian-exim >/dev/null || addgroup --system --quiet --allow-bad-names Debian-exim
getent passwd Debian-exim >/dev/null || adduser --system --ingroup Debian-exim --home /var/spool/exim4 --no-create-home --disabled-login --quiet --allow-bad-names Debian-exim
"$ROOT/usr/sbin/exim4" -bV -C /dev/null 2>/dev/null | head -1 || true
echo "exim unpacked in $ROOT"
