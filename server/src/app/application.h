#pragma once
// Wires the server together: provisioning, store, services, handlers, router, HTTP loops, signals.

#include "app/server_options.h"

namespace tokens::app {

/// Runs the server until SIGINT or SIGTERM; returns the process exit code.
int runServer(const ServerOptions& options);

/// --hash-secret: reads one line from stdin, prints its hash.
int printSecretHash();

}  // namespace tokens::app
