#!/usr/bin/env bash
# Makes the base image domsec/minbase:bookworm on the engine DOCKER_HOST names, from nothing: no registry is reachable
# from these machines, so the root file system comes from debootstrap (minbase variant) and enters the engine through
# `docker import`. An image fresh-ci made the same way (fresh-ci/minbase:bookworm) is tagged instead when present.
# Needs root and debootstrap (.ci/apt-packages.txt). Usage: base-image.sh [CACHE_DIR]
set -euo pipefail
image=domsec/minbase:bookworm
cache=${1:-${DOMSEC_ENGINE_HOME:-$HOME/.cache/domsec-docker}}
docker image inspect "$image" >/dev/null 2>&1 && exit 0
if docker image inspect fresh-ci/minbase:bookworm >/dev/null 2>&1; then docker tag fresh-ci/minbase:bookworm "$image"; exit 0; fi
command -v debootstrap >/dev/null || { echo "debootstrap is not installed: apt-get install debootstrap" >&2; exit 2; }
mkdir -p "$cache"
rootfs=$(mktemp -d "$cache/rootfs.XXXXXX")
trap 'rm -rf "$rootfs"' EXIT
start=$(date +%s)
debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$cache/debootstrap.log" 2>&1 \
  || { tail -n 20 "$cache/debootstrap.log" >&2; exit 2; }
tar -C "$rootfs" -c . | docker import - "$image" >/dev/null
echo "base image $image made in $(( $(date +%s) - start )) s (debootstrap + import)" >&2
