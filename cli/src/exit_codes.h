#pragma once
// The exit codes of gctokens: a script tells the kind of failure from the code alone, and reads the
// details (JSON) from stderr.

namespace gctokens {

enum ExitCode : int {
  kExitOk = 0,
  kExitApiError = 1,        ///< the server answered with an HTTP error (ErrorBody on stderr)
  kExitUsageError = 2,      ///< bad command line, missing credentials, unreadable or invalid input file
  kExitTransportError = 3,  ///< no answer: connection refused, DNS, TLS, timeout
};

}  // namespace gctokens
