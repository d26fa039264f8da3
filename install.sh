#!/bin/sh
# install.sh: sets tend up on macOS or Linux and starts it. Safe to re-run: what is done is skipped.
#   1. checks Node >= 20.18 and curl
#   2. dependencies: only what running tend needs (the build's own tools come and go in step 3)
#   3. builds dist/ when src/ changed (npm ci, tsc, then npm prune --omit=dev)
#   4. links `tend` into ~/.local/bin
#   5. adds tend's hooks to ~/.claude/settings.json
#   6. starts the receiver as a user service (systemd --user on Linux, launchd on macOS, else a
#      background process); logs: `tend logs`
# Options: --foreground  run the receiver here instead of step 6 (Ctrl-C stops it)
#          --background  run it as a background process even where a service manager exists
#          --no-start    set everything up but start nothing
set -eu

cd "$(dirname "$0")"
ROOT=$(pwd)
MODE=service
for arg in "$@"; do
  case $arg in
    --foreground) MODE=foreground ;;
    --background) MODE=background ;;
    --no-start) MODE=none ;;
    -h | --help)
      sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "install.sh: unknown option $arg (try --help)" >&2
      exit 2
      ;;
  esac
done

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then B=$(printf '\033[1m') D=$(printf '\033[2m') R=$(printf '\033[0m'); else B='' D='' R=''; fi
STEPS=6
STEP=0
START=$(date +%s)
LOG=${TMPDIR:-/tmp}/tend-install.$$.log
trap 'rm -f "$LOG"' EXIT

die() {
  printf 'tend: %s\n' "$*" >&2
  exit 1
}
step() {
  STEP=$((STEP + 1))
  STEP_START=$(date +%s)
  printf '%s[%d/%d]%s %s\n' "$B" "$STEP" "$STEPS" "$R" "$*"
}
note() { printf '      %s\n' "$*"; }
skip() { printf '      %sskipped: %s%s\n' "$D" "$*" "$R"; }
done_step() { printf '      %sdone in %ss%s\n' "$D" "$(($(date +%s) - STEP_START))" "$R"; }
# Runs a long command with its output in $LOG, showing the time it has taken so far on a terminal;
# on failure shows the end of its output.
run() {
  what=$1
  shift
  "$@" >"$LOG" 2>&1 &
  pid=$!
  if [ -t 1 ]; then
    while kill -0 "$pid" 2>/dev/null; do
      printf '\r      %s … %ss ' "$what" "$(($(date +%s) - STEP_START))"
      sleep 1
    done
    printf '\r\033[K'
  fi
  if ! wait "$pid"; then
    tail -n 30 "$LOG" >&2
    die "$what failed (the output above is its end)"
  fi
  note "$what: done ($(($(date +%s) - STEP_START))s so far)"
}

step "checking Node.js and curl"
command -v node >/dev/null 2>&1 || die "Node.js >= 20.18 is required (https://nodejs.org)"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=18)?0:1)' ||
  die "Node.js >= 20.18 is required; this is $(node --version)"
command -v curl >/dev/null 2>&1 || die "curl is required by the hooks (apt install curl / brew install curl)"
note "node $(node --version), $(curl --version | head -n 1 | cut -d' ' -f1-2)"

# What the installed packages were installed for: the lockfile and this Node's ABI (better-sqlite3 is native).
STAMP=node_modules/.tend-runtime
WANT=$(node -e 'const c=require("crypto"),f=require("fs");console.log(c.createHash("sha256").update(f.readFileSync("package-lock.json")).digest("hex").slice(0,16)+"-abi"+process.versions.modules)')
HAVE=$(cat "$STAMP" 2>/dev/null || true)
# dist/ is out of date when any source or build setting is newer than the last build.
BUILT=dist/.tend-built
if [ -f "$BUILT" ] && [ -f dist/cli/index.js ] && [ -z "$(find src tsconfig.json tsconfig.build.json -newer "$BUILT" 2>/dev/null | head -n 1)" ]; then
  NEED_BUILD=0
else
  NEED_BUILD=1
fi
REBUILT=0

step "installing what tend needs to run"
if [ "$NEED_BUILD" = 1 ]; then
  skip "installed with the build's tools in the next step"
elif [ "$HAVE" = "$WANT" ]; then
  skip "node_modules matches package-lock.json"
else
  run "npm ci --omit=dev" npm ci --omit=dev --no-audit --no-fund --loglevel=error
  echo "$WANT" >"$STAMP"
  done_step
fi

step "building"
if [ "$NEED_BUILD" = 0 ]; then
  skip "dist/ is newer than src/"
else
  # The compiler and the types are needed only here: installed, used, then pruned.
  run "npm ci (with the build's tools)" npm ci --no-audit --no-fund --loglevel=error
  run "tsc" npm run --silent build
  touch "$BUILT"
  run "npm prune --omit=dev" npm prune --omit=dev --no-save --no-audit --no-fund --loglevel=error
  echo "$WANT" >"$STAMP"
  note "node_modules: $(du -sh node_modules | cut -f1) (only what tend runs on)"
  REBUILT=1
  done_step
fi

step "linking tend"
BIN_DIR=${XDG_BIN_HOME:-$HOME/.local/bin}
if [ "$(readlink "$BIN_DIR/tend" 2>/dev/null || true)" = "$ROOT/bin/tend" ]; then
  skip "$BIN_DIR/tend already links here"
else
  mkdir -p "$BIN_DIR"
  ln -sf "$ROOT/bin/tend" "$BIN_DIR/tend"
  note "$BIN_DIR/tend -> $ROOT/bin/tend"
fi
case ":$PATH:" in
  *":$BIN_DIR:"*) ;;
  *) note "note: $BIN_DIR is not on your PATH; add it, or run $ROOT/bin/tend" ;;
esac

step "adding tend's hooks to Claude Code"
if ! out=$(node "$ROOT/bin/tend" install 2>&1); then
  printf '%s\n' "$out" >&2
  die "tend install failed"
fi
printf '%s\n' "$out" | sed 's/^/      /'

NODE=$(command -v node)
DATA=${TEND_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/tend}
mkdir -p "$DATA"
chmod 700 "$DATA"

if [ "$MODE" = foreground ]; then
  step "starting the receiver in the foreground (Ctrl-C stops it)"
  exec "$NODE" "$ROOT/bin/tend" serve
fi

step "starting the receiver"
# Settings the receiver must share with the hooks (tend install pinned them there too), written
# into a unit or a plist: each value quoted for that format (a path may hold blanks, quotes, % or &).
ENV_NAMES=""
for v in TEND_HOME TEND_PORT TEND_HOST TEND_URL; do
  eval "val=\${$v:-}"
  [ -n "$val" ] && ENV_NAMES="$ENV_NAMES $v"
done
xml() { printf '%s' "$1" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }
# systemd: a double-quoted word (backslash and quote escaped), % doubled (its specifier sign).
unit_word() { printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/%/%%/g')"; }
unit_path() { printf '%s' "$1" | sed 's/%/%%/g'; }
# Whether a file's new content differs from what is there (then it is written).
changed() {
  if [ -f "$1" ] && cmp -s "$1" "$1.new"; then
    rm -f "$1.new"
    return 1
  fi
  mv -f "$1.new" "$1"
}

if [ "$MODE" = none ]; then
  skip "--no-start: \`tend restart\` starts it"
elif [ "$MODE" = service ] && [ "$(uname)" = Darwin ]; then
  PLIST="$HOME/Library/LaunchAgents/dev.tend.receiver.plist"
  mkdir -p "$(dirname "$PLIST")"
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">'
    echo '<plist version="1.0"><dict>'
    echo '  <key>Label</key><string>dev.tend.receiver</string>'
    echo "  <key>ProgramArguments</key><array><string>$(xml "$NODE")</string><string>$(xml "$ROOT/bin/tend")</string><string>serve</string></array>"
    echo '  <key>EnvironmentVariables</key><dict>'
    echo "    <key>PATH</key><string>$(xml "$(dirname "$NODE"):/usr/bin:/bin:/usr/sbin:/sbin")</string>"
    for v in $ENV_NAMES; do
      eval "val=\$$v"
      echo "    <key>$v</key><string>$(xml "$val")</string>"
    done
    echo '  </dict>'
    echo '  <key>RunAtLoad</key><true/><key>KeepAlive</key><true/>'
    echo "  <key>StandardOutPath</key><string>$(xml "$DATA/serve.log")</string>"
    echo "  <key>StandardErrorPath</key><string>$(xml "$DATA/serve.log")</string>"
    echo '</dict></plist>'
  } >"$PLIST.new"
  if ! changed "$PLIST" && [ "$REBUILT" = 0 ] && launchctl print "gui/$(id -u)/dev.tend.receiver" >/dev/null 2>&1; then
    skip "the launchd agent runs this build already"
  else
    launchctl bootout "gui/$(id -u)/dev.tend.receiver" 2>/dev/null || true
    launchctl bootstrap "gui/$(id -u)" "$PLIST"
    note "running as a launchd agent (dev.tend.receiver)"
  fi
elif [ "$MODE" = service ] && command -v systemctl >/dev/null 2>&1 && systemctl --user show-environment >/dev/null 2>&1; then
  UNIT="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user/tend.service"
  mkdir -p "$(dirname "$UNIT")"
  {
    echo '[Unit]'
    echo 'Description=tend: watches Claude Code agents and pings you about the most-blocked one'
    echo '[Service]'
    echo "ExecStart=$(unit_word "$NODE") $(unit_word "$ROOT/bin/tend") serve"
    for v in $ENV_NAMES; do
      eval "val=\$$v"
      echo "Environment=$(unit_word "$v=$val")"
    done
    echo "StandardOutput=append:$(unit_path "$DATA/serve.log")"
    echo "StandardError=append:$(unit_path "$DATA/serve.log")"
    echo 'Restart=on-failure'
    echo '[Install]'
    echo 'WantedBy=default.target'
  } >"$UNIT.new"
  # Desktop pings need the graphical session's display and bus.
  systemctl --user import-environment DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR 2>/dev/null || true
  if ! changed "$UNIT" && [ "$REBUILT" = 0 ] && systemctl --user is-active --quiet tend.service; then
    skip "the systemd user service runs this build already"
  else
    systemctl --user daemon-reload
    systemctl --user enable tend.service >/dev/null 2>&1
    systemctl --user restart tend.service
    note "running as a systemd user service (tend.service)"
  fi
else
  if [ "$REBUILT" = 0 ] && node "$ROOT/bin/tend" status >/dev/null 2>&1; then
    skip "a receiver answers already"
  else
    out=$(node "$ROOT/bin/tend" restart 2>&1) || die "$out"
    printf '%s\n' "$out" | sed 's/^/      /'
  fi
  [ "$MODE" = background ] ||
    note "no user service manager found: it will not survive a reboot (add \`tend restart\` to your session start)"
fi

if [ "$MODE" != none ]; then
  # Wait until it answers, then show what it sees.
  i=0
  until node "$ROOT/bin/tend" status >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -gt 50 ] && die "the receiver did not come up; \`tend logs\` shows why"
    sleep 0.2
  done
  node "$ROOT/bin/tend" doctor | sed 's/^/      /' || true
fi
printf '%stend: ready in %ss.%s Start Claude Code in any project; `tend status` shows who waits on you,\n' "$B" "$(($(date +%s) - START))" "$R"
printf '      `tend logs` what the receiver says, `tend demo` a simulated fleet to try it on.\n'
