#!/usr/bin/env bash
# Builds tokens-server and runs it on 127.0.0.1:8080 with the embedded SQLite store (./data/tokens.db)
# and the demo organizations of provisioning/demo.toml. Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build >/dev/null  # only the server is built below; the cached options stay as they are
cmake --build build -j"$(nproc)" --target tokens-server

cat <<'HINT'

tokens-server is starting on http://127.0.0.1:8080 with the demo organizations. In another terminal:

  TOKEN=$(curl -s -u acme-admin-service:acme-admin-secret -d grant_type=client_credentials \
      http://127.0.0.1:8080/oauth/token | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  curl -s -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/api/v2/tokens/me

Who is who in the demo: README.md, "The demo organizations". Ctrl-C stops the server.

HINT
exec build/bin/tokens-server --listen 127.0.0.1:8080 --store sqlite:./data/tokens.db --provision provisioning/demo.toml "$@"
