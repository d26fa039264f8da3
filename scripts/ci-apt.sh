#!/usr/bin/env bash
# ci-apt.sh - install the Debian packages the desktop/terminal tests need (idempotent; root or passwordless sudo).
set -euo pipefail

# libnotify-bin: notify-send (what the desktop channel runs on Linux); dbus + dbus-bin: private bus, dbus-send, dbus-monitor;
# xvfb: headless X server; dunst: notification daemon (+dunstctl, whose context menu presses buttons); tmux: terminal tests;
# curl: hooks/tend-hook posts with it (the e2e tests run the real hook from Claude Code);
# chromium: the browser tests drive the dashboard in it through playwright-core (no browser download).
PKGS=(libnotify-bin dbus dbus-bin xvfb dunst tmux curl chromium)

missing=()
for p in "${PKGS[@]}"; do
  # dpkg-query prints "install ok installed" only for a fully installed package
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "ci-apt: all present: ${PKGS[*]}"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"
  else echo "ci-apt: need root or passwordless sudo to install: ${missing[*]}" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
echo "ci-apt: installing ${missing[*]}"
$SUDO apt-get -o DPkg::Lock::Timeout=120 update -qq
$SUDO apt-get -o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "ci-apt: done"
