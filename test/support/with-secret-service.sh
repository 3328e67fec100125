#!/bin/sh
# Runs a command against a private Secret Service: gnome-keyring, unlocked, on
# a D-Bus session of its own, with a throwaway HOME. The developer's own
# keychain is never touched, and a CI machine needs no desktop session.
#   test/support/with-secret-service.sh <command> [arguments…]
set -eu

missing=""
for tool in dbus-run-session gnome-keyring-daemon secret-tool; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  echo "Secret Service indisponible : outils manquants :$missing." >&2
  echo "  Debian/Ubuntu : apt-get install -y gnome-keyring dbus dbus-x11 libsecret-tools" >&2
  exit 127
fi

exec dbus-run-session -- sh -c '
  HOME="$(mktemp -d)"
  export HOME
  eval "$(printf guichet | gnome-keyring-daemon --unlock --components=secrets)"
  status=0
  "$@" || status=$?
  rm -rf "$HOME"
  exit "$status"
' sh "$@"
