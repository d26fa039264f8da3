#!/bin/sh
# install.sh: sets tend up on macOS or Linux and starts it. Safe to re-run.
#   1. checks Node >= 20.18 and curl      4. links `tend` into ~/.local/bin
#   2. installs dependencies (npm ci)     5. adds tend's hooks to ~/.claude/settings.json
#   3. builds                             6. starts the receiver as a user service
#                                            (systemd --user on Linux, launchd on macOS,
#                                            else a background process; --foreground: here)
set -eu

cd "$(dirname "$0")"
ROOT=$(pwd)
FOREGROUND=0
for arg in "$@"; do
  case $arg in
    --foreground) FOREGROUND=1 ;;
    -h | --help)
      sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) echo "install.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1mtend:\033[0m %s\n' "$*"; }
die() { printf 'tend: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || die "Node.js >= 20.18 is required (https://nodejs.org)"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=18)?0:1)' ||
  die "Node.js >= 20.18 is required; this is $(node --version)"
command -v curl >/dev/null 2>&1 || die "curl is required by the hooks (apt install curl / brew install curl)"

say "installing dependencies"
npm ci --no-audit --no-fund --loglevel=error
say "building"
npm run --silent build

BIN_DIR=${XDG_BIN_HOME:-$HOME/.local/bin}
mkdir -p "$BIN_DIR"
ln -sf "$ROOT/bin/tend" "$BIN_DIR/tend"
case ":$PATH:" in
  *":$BIN_DIR:"*) ;;
  *) say "note: $BIN_DIR is not on your PATH; add it, or run $ROOT/bin/tend" ;;
esac

say "adding hooks to Claude Code"
node "$ROOT/bin/tend" install

NODE=$(command -v node)
if [ "$FOREGROUND" = 1 ]; then
  say "starting the receiver in the foreground (Ctrl-C stops it)"
  exec "$NODE" "$ROOT/bin/tend" serve
fi

# Settings the receiver must share with the hooks (tend install pinned them there too).
ENV_VARS=""
for v in TEND_HOME TEND_PORT TEND_HOST TEND_URL; do
  eval "val=\${$v:-}"
  [ -n "$val" ] && ENV_VARS="$ENV_VARS $v=$val"
done

if [ "$(uname)" = Darwin ]; then
  PLIST="$HOME/Library/LaunchAgents/dev.tend.receiver.plist"
  mkdir -p "$(dirname "$PLIST")" "$HOME/Library/Logs"
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">'
    echo '<plist version="1.0"><dict>'
    echo '  <key>Label</key><string>dev.tend.receiver</string>'
    echo "  <key>ProgramArguments</key><array><string>$NODE</string><string>$ROOT/bin/tend</string><string>serve</string></array>"
    echo '  <key>EnvironmentVariables</key><dict>'
    echo "    <key>PATH</key><string>$(dirname "$NODE"):/usr/bin:/bin:/usr/sbin:/sbin</string>"
    for kv in $ENV_VARS; do echo "    <key>${kv%%=*}</key><string>${kv#*=}</string>"; done
    echo '  </dict>'
    echo '  <key>RunAtLoad</key><true/><key>KeepAlive</key><true/>'
    echo "  <key>StandardErrorPath</key><string>$HOME/Library/Logs/tend.log</string>"
    echo '</dict></plist>'
  } >"$PLIST"
  launchctl bootout "gui/$(id -u)/dev.tend.receiver" 2>/dev/null || true
  launchctl bootstrap "gui/$(id -u)" "$PLIST"
  say "receiver running as a launchd agent (logs: ~/Library/Logs/tend.log)"
elif command -v systemctl >/dev/null 2>&1 && systemctl --user show-environment >/dev/null 2>&1; then
  UNIT="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user/tend.service"
  mkdir -p "$(dirname "$UNIT")"
  {
    echo '[Unit]'
    echo 'Description=tend: watches Claude Code agents and pings you about the most-blocked one'
    echo '[Service]'
    echo "ExecStart=$NODE $ROOT/bin/tend serve"
    for kv in $ENV_VARS; do echo "Environment=$kv"; done
    echo 'Restart=on-failure'
    echo '[Install]'
    echo 'WantedBy=default.target'
  } >"$UNIT"
  # Desktop pings need the graphical session's display and bus.
  systemctl --user import-environment DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS XDG_RUNTIME_DIR 2>/dev/null || true
  systemctl --user daemon-reload
  systemctl --user enable tend.service >/dev/null 2>&1
  systemctl --user restart tend.service
  say "receiver running as a systemd user service (logs: journalctl --user -u tend)"
else
  DATA=${TEND_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/tend}
  mkdir -p "$DATA"
  if [ -f "$DATA/serve.pid" ] && kill -0 "$(cat "$DATA/serve.pid")" 2>/dev/null; then
    kill "$(cat "$DATA/serve.pid")" 2>/dev/null || true
    sleep 1
  fi
  nohup "$NODE" "$ROOT/bin/tend" serve >>"$DATA/serve.log" 2>&1 &
  echo $! >"$DATA/serve.pid"
  say "receiver running in the background, pid $(cat "$DATA/serve.pid") (no user service manager found;"
  say "it will not survive a reboot: add \`tend serve\` to your session start; logs: $DATA/serve.log)"
fi

# Wait until it answers, then show what it sees.
i=0
until node "$ROOT/bin/tend" status >/dev/null 2>&1; do
  i=$((i + 1))
  [ $i -gt 50 ] && die "the receiver did not come up; try \`tend serve\` to see why"
  sleep 0.2
done
node "$ROOT/bin/tend" doctor || true
say "ready: start Claude Code in any project; \`tend status\` shows who waits on you"
