#!/usr/bin/env bash
# Installs what the test suite needs and the machine lacks, from Debian's
# packages: Chromium (browser tests) and the Noto CJK fonts (Chinese in the
# screenshots). Idempotent and quick when everything is present. With
# CI=true a missing tool that cannot be installed fails the run; elsewhere
# the affected tests skip themselves and say so.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "test-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test-deps: cannot install ${missing[*]} (need root and apt-get)" >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/redress-test-deps.log 2>&1; then
  tail -20 /tmp/redress-test-deps.log >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
fi
