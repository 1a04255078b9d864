#pragma once
// /_emulator/clock and /_emulator/faults (SPEC §8): mounted only with --emulator.

#include "domain/clock.h"
#include "domain/faults.h"
#include "http/http_types.h"
#include "store/token_store.h"

namespace tokens::api {

class EmulatorHandlers {
 public:
  EmulatorHandlers(domain::Clock& clock, store::TokenStore& store, domain::FaultInjector& faults)
      : clock_(clock), store_(store), faults_(faults) {}

  http::HttpResponse getClock(const http::HttpRequest& req);
  http::HttpResponse advanceClock(const http::HttpRequest& req);
  http::HttpResponse addFault(const http::HttpRequest& req);
  http::HttpResponse clearFaults(const http::HttpRequest& req);

 private:
  domain::Clock& clock_;
  store::TokenStore& store_;  // keeps the clock's offset across restarts
  domain::FaultInjector& faults_;
};

}  // namespace tokens::api
