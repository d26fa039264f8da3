#!/usr/bin/env bash
# Times processes for bench/hook.ts with bash's $EPOCHREALTIME (a variable: no fork to read the
# clock), so each figure is fork+exec of the command plus all it does until it exits.
# Prints one line per run: "<side> <microseconds> <exit code>" (or just microseconds for floor).
#
#   hook-driver.sh pair FIRST N DIR URL TOKEN HOOK MODE HOLD_SECONDS
#     runs i = FIRST .. FIRST+N-1, alternating the order (hook, curl), (curl, hook) …:
#       hook: HOOK MODE [HOLD_SECONDS] < DIR/hook-<i>.json
#       curl: curl -s -o /dev/null -X POST URL/v1/hooks (same headers as the hook) --data-binary @DIR/curl-<i>.json
#   hook-driver.sh floor true|sh-noop|curl-version N
set -u

if [ -z "${EPOCHREALTIME:-}" ]; then
  echo "hook-driver.sh needs bash >= 5 (\$EPOCHREALTIME); this is bash $BASH_VERSION" >&2
  exit 3
fi

if [ "$1" = floor ]; then
  what=$2 n=$3
  for ((i = 0; i < n; i++)); do
    t0=${EPOCHREALTIME/./}
    case $what in
      true) /bin/true ;;
      sh-noop) /bin/sh -c : ;;
      curl-version) curl --version >/dev/null ;;
    esac
    t1=${EPOCHREALTIME/./}
    echo $((t1 - t0))
  done
  exit 0
fi

first=$2 n=$3 dir=$4 url=$5 token=$6 hook=$7 mode=$8 hold=$9
if [ "$mode" = hold ]; then hook_args=(hold "$hold"); else hook_args=(observe); fi

run_hook() {
  t0=${EPOCHREALTIME/./}
  "$hook" "${hook_args[@]}" <"$dir/hook-$id.json" >/dev/null 2>&1
  rc=$?
  t1=${EPOCHREALTIME/./}
  echo "hook $((t1 - t0)) $rc"
}

run_curl() {
  # The hook stamps its own time inside its run; curl gets the same header, stamped just before.
  now=${EPOCHREALTIME/./}
  now=${now%???}
  t0=${EPOCHREALTIME/./}
  curl -s -o /dev/null -X POST "$url/v1/hooks" \
    -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' \
    -H "X-Tend-Time: $now" \
    -H "X-Tend-Pid: " \
    -H "X-Tend-Hold: $hold" \
    --data-binary "@$dir/curl-$id.json"
  rc=$?
  t1=${EPOCHREALTIME/./}
  echo "curl $((t1 - t0)) $rc"
}

for ((i = first; i < first + n; i++)); do
  printf -v id '%05d' "$i"
  if ((i % 2 == 0)); then
    run_hook
    run_curl
  else
    run_curl
    run_hook
  fi
done
