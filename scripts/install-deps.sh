#!/usr/bin/env bash
# Installs everything paperbot needs to build, run and test, from Debian 12 packages only.
set -euo pipefail

packages=(
  build-essential cmake pkg-config clang-format
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libcurl4-openssl-dev libssl-dev libsqlite3-dev
  libspdlog-dev libfmt-dev catch2 libpugixml-dev libcli11-dev
  libhowardhinnant-date-dev tzdata
  python3 python3-aiosmtpd
  chromium  # tests/test_email_render.cpp renders the newsletter HTML headless
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
fi
