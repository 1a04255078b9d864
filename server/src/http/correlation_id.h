#pragma once
// The ININ-Correlation-Id every response carries (SPEC §3): made by the connection layer, since it
// answers some requests (400, 408, 413, 431, 503) before any handler sees them.

#include <string>

namespace tokens::http {

/// A random version-4 UUID. Not secret: a fast per-thread generator seeded from the CSPRNG.
std::string newCorrelationId();

}  // namespace tokens::http
