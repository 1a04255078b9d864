#!/usr/bin/env bash
# Installs everything the build, the tests and the benchmarks need, from Debian's packages.
# Idempotent: packages already present are skipped, so a second run costs one dpkg query.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates curl
  # Boost 1.81 (not Debian's default 1.74): Beast/Asio are header-only, JSON and URL are compiled.
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-system1.81-dev
  # Boost.Context: the server's request fibers (asio::spawn) with the Redis store.
  libboost-context1.81-dev
  libssl-dev libsqlite3-dev libsodium-dev libcurl4-openssl-dev libhiredis-dev
  libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # Used by the tests (conformance suite), the benchmark, and the API reference (doxygen docs/Doxyfile).
  nodejs wrk nginx-light doxygen
  # The SDK's TLS, mutual TLS and proxy tests: certificates made with openssl, nginx and tinyproxy in front.
  openssl tinyproxy
  # The browser tests (tests/browser): Debian's Chromium, driven headless by playwright-core from npm.
  chromium
  # The Redis store's tests start their own redis-server instances on loopback ports.
  redis-server
  # The fuzz targets (tests/fuzz, scripts/fuzz.sh): clang with libFuzzer and the sanitizers' runtimes.
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  # nodejs may come from another source already (then `node` exists): don't fight it.
  if [[ $p == nodejs ]] && command -v node >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! command -v npm >/dev/null 2>&1; then
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
echo "install-deps: ready"
