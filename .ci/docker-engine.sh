#!/usr/bin/env bash
# A Docker engine for the container tests (docs/ci.md "Containers"). Sourced by .ci/run, or run by hand:
#
#   . .ci/docker-engine.sh && domsec_engine_up      # exports DOCKER_HOST; DOMSEC_ENGINE_STARTED=1 when it started one
#   domsec_engine_down                              # stops the engine only if domsec_engine_up started it
#   .ci/docker-engine.sh up                         # prints "export DOCKER_HOST=…" for eval (and leaves it running)
#   .ci/docker-engine.sh down                       # stops the engine it starts (the pidfile below)
#
# Order: the engine DOCKER_HOST names when it answers (fresh-ci lends its own), else /var/run/docker.sock, else its own
# dockerd. Its own runs the way the developers' guide says a machine of this kind allows: no bridge and no iptables rules
# (containers use the host's network; --privileged is refused), data and exec root under ~/.cache/domsec-docker so images
# built once are found again by the next run.

DOMSEC_ENGINE_HOME=${DOMSEC_ENGINE_HOME:-$HOME/.cache/domsec-docker}

_domsec_engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

domsec_engine_up() {
  DOMSEC_ENGINE_STARTED=""
  if [ -n "${DOCKER_HOST:-}" ] && _domsec_engine_answers; then return 0; fi
  if [ -S /var/run/docker.sock ] && DOCKER_HOST=unix:///var/run/docker.sock _domsec_engine_answers; then
    export DOCKER_HOST=unix:///var/run/docker.sock; return 0
  fi
  command -v dockerd >/dev/null 2>&1 || { echo "[engine] no dockerd: apt-get install docker.io (it is in .ci/apt-packages.txt)" >&2; return 1; }
  local home=$DOMSEC_ENGINE_HOME
  mkdir -p "$home"
  export DOCKER_HOST="unix://$home/docker.sock"
  if _domsec_engine_answers; then return 0; fi   # a previous run's engine, left running on purpose
  # A previous engine killed hard leaves its pidfile and sockets behind; dockerd refuses to start over a live-looking pidfile.
  if [ -f "$home/dockerd.pid" ] && ! kill -0 "$(cat "$home/dockerd.pid")" 2>/dev/null; then rm -f "$home/dockerd.pid"; fi
  rm -f "$home/docker.sock"
  nohup dockerd --bridge=none --iptables=false --ip6tables=false \
    --data-root "$home/data" --exec-root "$home/exec" --pidfile "$home/dockerd.pid" \
    -H "$DOCKER_HOST" >"$home/dockerd.log" 2>&1 </dev/null &
  local i
  for i in $(seq 1 120); do _domsec_engine_answers && break; sleep 0.5; done
  if ! _domsec_engine_answers; then echo "[engine] dockerd did not answer within 60 s:" >&2; tail -n 20 "$home/dockerd.log" >&2; return 1; fi
  DOMSEC_ENGINE_STARTED=1
  export DOMSEC_ENGINE_STARTED
}

domsec_engine_down() {
  [ -n "${DOMSEC_ENGINE_STARTED:-}" ] || return 0
  local pid
  pid=$(cat "$DOMSEC_ENGINE_HOME/dockerd.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || return 0
  local i
  for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  DOMSEC_ENGINE_STARTED=""
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  case "${1:-up}" in
    up) domsec_engine_up >&2 || exit 1; echo "export DOCKER_HOST=$DOCKER_HOST" ;;
    down) DOMSEC_ENGINE_STARTED=1 domsec_engine_down ;;
    *) echo "usage: $0 up|down" >&2; exit 2 ;;
  esac
fi
