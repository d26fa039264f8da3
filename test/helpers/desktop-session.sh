#!/usr/bin/env bash
# desktop-session.sh - run a command inside a private headless desktop (Xvfb + own dbus-daemon + dunst) and capture Notify calls.
#
# Usage: desktop-session.sh [--daemon dunst|none|hung] [--out DIR] [--timeout SECS] -- CMD [ARGS...]
#        desktop-session.sh --parse MONITOR_LOG      (print captured Notify calls as JSON lines)
# CMD gets DISPLAY, DBUS_SESSION_BUS_ADDRESS and DESKTOP_OUT (log dir); stdin is passed on to it.
# After CMD ends everything is stopped by PID and $OUT/notify.jsonl is written. Exit: CMD's status, 4 on setup failure.
# Press a button: write ",KEY]" (or "[ID,KEY]") to $DESKTOP_OUT/pick, run `dunstctl context` (our picker is dunst's dmenu).
# Modeled on shared/tools/desktop-harness.sh, but never installs anything: scripts/ci-apt.sh does that.
set -u -o pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
die() { echo "desktop-session: $*" >&2; exit 4; }

# ---- parser: dbus-monitor text -> one JSON object per Notify call (strings are printed raw and may span lines)
parse() {
  awk '
  # char by char: backslashes in gsub replacements mean different things to mawk and gawk
  BEGIN { for (i = 1; i < 32; i++) ctl[sprintf("%c", i)] = sprintf("\\u%04x", i); ctl["\n"] = "\\n"; ctl["\t"] = "\\t" }
  function jesc(s,   i, c, r) {
    r = ""
    for (i = 1; i <= length(s); i++) {
      c = substr(s, i, 1)
      r = r (c == "\\" ? "\\\\" : c == "\"" ? "\\\"" : (c in ctl) ? ctl[c] : c)
    }
    return r
  }
  function store(v) { if (dest == "arg") arg[argi] = v; else if (dest == "act") act[++nact] = v; else if (dest == "hkey") hkey = v }
  function flush(   i, acts) {
    if (!inblock) return
    inblock = 0; acts = ""
    for (i = 1; i < nact; i += 2) acts = acts (i > 1 ? "," : "") "{\"key\":\"" jesc(act[i]) "\",\"label\":\"" jesc(act[i+1]) "\"}"
    printf "{\"time_ms\":%.1f,\"app_name\":\"%s\",\"summary\":\"%s\",\"body\":\"%s\",\"actions\":[%s],\"urgency\":%s,\"expire_timeout\":%s,\"hints\":{%s}}\n",
      tm * 1000, jesc(arg[1]), jesc(arg[4]), jesc(arg[5]), acts, (urgv == "" ? "null" : urgv), (arg[8] == "" ? "null" : arg[8]), hints
  }
  # a string may span lines and contain quotes: it ends at a closing quote followed by a structural line
  function structural(l) { return l ~ /^(method call|method return|signal|error) time=/ || l ~ /^ +(string "|u?int(16|32|64) |byte |boolean |double |array \[|\]$|dict entry\($|\)$|variant )/ }
  function feed(l) { sbuf = sbuf l; if (sbuf ~ /"$/) { pend = 1; instr = 0 } else { pend = 0; instr = 1; sbuf = sbuf "\n" } }
  pend && structural($0) { pend = 0; store(substr(sbuf, 1, length(sbuf) - 1)) }
  pend { sbuf = sbuf "\n"; feed($0); next }
  instr { feed($0); next }
  /^(method call|method return|signal|error) time=/ {
    flush()
    match($0, /time=[0-9.]+/); tm = substr($0, RSTART + 5, RLENGTH - 5)
    if ($0 ~ /^method call .*member=Notify$/) { inblock = 1; argi = 0; nact = 0; urgv = ""; hints = ""; delete arg }
    next
  }
  !inblock { next }
  /^   [a-z]/ {                             # top-level Notify argument
    argi++
    if ($1 == "string") { dest = "arg"; v = $0; sub(/^ *string "/, "", v); sbuf = ""; feed(v) }
    else if ($1 != "array") arg[argi] = $2
    next
  }
  /^      +string "/ {                      # action entry (arg 6) or hint key (arg 7)
    dest = argi == 6 ? "act" : argi == 7 ? "hkey" : "x"; v = $0; sub(/^ *string "/, "", v); sbuf = ""; feed(v)
    next
  }
  /^ +variant / {                           # hint value; numbers stay numbers, the rest becomes a string
    v = $0; sub(/^ +variant +[a-z0-9]+ /, "", v)
    if (hkey == "urgency") urgv = v
    if (v !~ /^-?[0-9.]+$/) { sub(/^"/, "", v); sub(/"$/, "", v); v = "\"" jesc(v) "\"" }
    hints = hints (hints == "" ? "" : ",") "\"" jesc(hkey) "\":" v
    next
  }
  END { if (pend) store(substr(sbuf, 1, length(sbuf) - 1)); flush() }' "$1"
}
if [ "${1:-}" = --parse ]; then [ -f "${2:-}" ] || die "--parse needs a dbus-monitor log"; parse "$2"; exit 0; fi

DAEMON=dunst OUT="" TIMEOUT=300
while [ $# -gt 0 ]; do
  case "$1" in
    --daemon) DAEMON=${2:?}; shift 2 ;;
    --out) OUT=${2:?}; shift 2 ;;
    --timeout) TIMEOUT=${2:?}; shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || die "no command given"
case "$DAEMON" in dunst|none|hung) ;; *) die "bad --daemon $DAEMON (dunst|none|hung)" ;; esac

# ---- tools: fail early, naming the Debian packages (scripts/ci-apt.sh installs them)
missing=""
for c in Xvfb:xvfb dbus-daemon:dbus dbus-monitor:dbus-bin dbus-send:dbus-bin notify-send:libnotify-bin; do
  command -v "${c%%:*}" >/dev/null 2>&1 || missing="$missing ${c#*:}"
done
[ "$DAEMON" = none ] || { command -v dunst >/dev/null 2>&1 && command -v dunstctl >/dev/null 2>&1; } || missing="$missing dunst"
[ -z "$missing" ] || die "missing Debian packages:$missing (run scripts/ci-apt.sh)"

[ -n "$OUT" ] || OUT=$(mktemp -d /tmp/desktop-session.XXXXXX) || die "mktemp failed"
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd) || die "cannot use $OUT"
rm -f "$OUT"/display "$OUT"/bus-address "$OUT"/dbus-monitor.log "$OUT"/notify.jsonl "$OUT"/pick "$OUT"/*.log

PIDS=() STOPPED=""
cleanup() {                                 # TERM in reverse start order, KILL whatever is left after 2 s
  local i p alive
  [ -n "$STOPPED" ] && kill -CONT "$STOPPED" 2>/dev/null
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do kill -TERM "${PIDS[$i]}" 2>/dev/null; done
  for i in 1 2 3 4 5 6 7 8 9 10; do
    alive=0; for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break; sleep 0.2
  done
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
  PIDS=()
}
CMD_PID=""
on_signal() { [ -n "$CMD_PID" ] && kill -TERM "$CMD_PID" 2>/dev/null; exit 130; }
trap cleanup EXIT
trap on_signal INT TERM HUP
wait_for() { local n=$1; shift; while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n-1)); done; return 1; }

# ---- Xvfb picks a free display itself and writes its number to fd 3
Xvfb -displayfd 3 -screen 0 1280x720x24 -nolisten tcp -noreset 3>"$OUT/display" >"$OUT/xvfb.log" 2>&1 &
PIDS+=($!)
wait_for 100 test -s "$OUT/display" || die "Xvfb did not start (see $OUT/xvfb.log)"
export DISPLAY=":$(tr -dc 0-9 < "$OUT/display")"
unset WAYLAND_DISPLAY

# ---- private session bus without service dirs: nothing gets D-Bus-activated behind our back
cat > "$OUT/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
dbus-daemon --config-file="$OUT/session.conf" --nofork --nopidfile --print-address=1 >"$OUT/bus-address" 2>"$OUT/dbus-daemon.log" &
PIDS+=($!)
wait_for 50 test -s "$OUT/bus-address" || die "dbus-daemon did not start (see $OUT/dbus-daemon.log)"
export DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$OUT/bus-address")

# ---- monitor: it loses its unique name once it has become a monitor, that is "ready"
dbus-monitor --session "interface='org.freedesktop.Notifications'" >"$OUT/dbus-monitor.log" 2>"$OUT/monitor-err.log" &
PIDS+=($!)
wait_for 50 grep -q 'member=NameLost' "$OUT/dbus-monitor.log" || die "dbus-monitor did not attach"

# ---- dunst with its own config; its context menu runs our picker instead of dmenu
name_owned() {
  dbus-send --session --print-reply=literal --reply-timeout=1000 --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.Notifications 2>/dev/null | grep -q true
}
if [ "$DAEMON" != none ]; then
  cat > "$OUT/picker.sh" <<PICK
#!/bin/sh
# stands in for dmenu: menu lines look like "#Approve (summary) [7,approve]"; echo the first holding the text in pick
tee -a "$OUT/menu.log" | grep -F -m1 -- "\$(cat "$OUT/pick" 2>/dev/null)"
PICK
  chmod +x "$OUT/picker.sh"
  cat > "$OUT/dunstrc" <<RC
[global]
    width = 420
    origin = top-right
    offset = 10x40
    markup = full
    format = "<b>%s</b>\n%b"
    dmenu = $OUT/picker.sh
    mouse_left_click = do_action, close_current
[urgency_low]
    timeout = 30
[urgency_normal]
    timeout = 30
[urgency_critical]
    timeout = 0
RC
  dunst -config "$OUT/dunstrc" >"$OUT/dunst.log" 2>&1 &
  PIDS+=($!)
  wait_for 100 name_owned || die "dunst did not take org.freedesktop.Notifications (see $OUT/dunst.log)"
  [ "$DAEMON" = hung ] && { STOPPED=${PIDS[-1]}; kill -STOP "$STOPPED"; }
fi

# ---- run the command in the background so that signals reach our trap at once
export DESKTOP_OUT="$OUT"
echo "desktop-session: DISPLAY=$DISPLAY daemon=$DAEMON out=$OUT" >&2
timeout --kill-after=3 "$TIMEOUT" "$@" <&0 &
CMD_PID=$!
wait "$CMD_PID"; RC=$?; CMD_PID=""
cleanup                                     # stopping dbus-monitor flushes its log
parse "$OUT/dbus-monitor.log" > "$OUT/notify.jsonl"
exit "$RC"
