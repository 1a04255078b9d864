#!/usr/bin/env bash
# Installs the SDK from BUILD_DIR into a temporary prefix, builds tests/package/consumer against it with
# find_package(PureCloudPlatformClientV2), and runs it against a live tokens-server.
set -euo pipefail
build_dir=$1
source_dir=$2
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/include/PureCloudPlatformClientV2/TokensApi.h"
test ! -e "$work/prefix/include/PureCloudPlatformClientV2/model/internal"
cmake -S "$source_dir/tests/package/consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null

"$build_dir/bin/tokens-server" --listen 127.0.0.1:0 --store memory: --provision "$source_dir/provisioning/demo.toml" \
  --threads 1 --log-level warn >/dev/null 2>"$work/server.err" &
server=$!
for _ in $(seq 1 150); do grep -q 'listening on' "$work/server.err" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/server.err")
output=$(CONSUMER_BASE_URL="http://127.0.0.1:$port" "$work/build/sdk_consumer")
test "$output" = "$(printf 'Acme Corp\nok')"
echo "package test: installed, found, built and ran against the server"
