// JSON bodies as the handlers read them: the idle token timeout of PUT /api/v2/tokens/timeout (read,
// then validated against an organization, HIPAA or not) and the emulator's clock and fault bodies
// (through their handlers, on a memory store). The first byte says which; every answer must be a
// success or an error in the contract's form (SPEC §3).

#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "PureCloudPlatformClientV2/model/Json.h"
#include "api/emulator_handlers.h"
#include "api/json_body.h"
#include "domain/clock.h"
#include "domain/directory.h"
#include "domain/faults.h"
#include "domain/idle_timeout.h"
#include "store/token_store.h"

namespace {

const tokens::domain::Directory& directory() {
  static const tokens::domain::Directory d = [] {
    tokens::domain::Directory dir;
    dir.add(tokens::domain::Organization{"acme", "Acme", false});
    dir.add(tokens::domain::Organization{"mercy", "Mercy", true});
    dir.add(tokens::domain::Group{"grp-support", "acme", "Support"});
    return dir;
  }();
  return d;
}

// An error answer is an ErrorBody whose status is the HTTP status.
void checkAnswer(const tokens::http::HttpResponse& res, std::initializer_list<int> successes) {
  for (const int ok : successes)
    if (res.status == ok) return;
  if (res.status != 400 && res.status != 415) __builtin_trap();
  boost::system::error_code ec;
  const auto body = boost::json::parse(res.body, ec);
  if (ec || !body.is_object() || !body.as_object().contains("code")) __builtin_trap();
  if (body.as_object().at("status") != res.status) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  tokens::http::HttpRequest req;
  req.contentType = "application/json";
  req.body = std::string_view(reinterpret_cast<const char*>(data + 1), size - 1);
  req.correlationId = "00000000-0000-0000-0000-000000000000";
  switch (data[0] % 4) {
    case 0:
    case 1: {  // PUT /api/v2/tokens/timeout, in an ordinary and in a HIPAA organization
      auto body = tokens::api::readJsonModel<tokens::domain::IdleTokenTimeout>(req);
      if (auto* res = std::get_if<tokens::http::HttpResponse>(&body)) {
        checkAnswer(*res, {});
        break;
      }
      const auto* org = directory().organization(data[0] % 4 == 0 ? "acme" : "mercy");
      std::vector<tokens::domain::FieldError> errors;
      const auto setting = tokens::domain::normaliseIdleTokenTimeout(std::get<tokens::domain::IdleTokenTimeout>(body),
                                                                     *org, directory(), errors);
      // What is accepted is stored and served as JSON, which must read back the same.
      if (errors.empty()) {
        const auto again = PureCloudPlatformClientV2::fromJson<tokens::domain::IdleTokenTimeout>(
            PureCloudPlatformClientV2::toJson(setting));
        if (!again || !(*again == setting)) __builtin_trap();
      }
      break;
    }
    case 2: {  // POST /_emulator/clock, several bodies (split at NUL bytes) on one clock and store
      tokens::domain::Clock clock;
      const auto store = tokens::store::openStore("memory:");
      tokens::domain::FaultInjector faults;
      tokens::api::EmulatorHandlers emulator(clock, *store, faults);
      std::string_view bodies = req.body;
      std::int64_t before = 0;
      while (!bodies.empty()) {
        const auto end = bodies.find('\0');
        req.body = bodies.substr(0, end);
        bodies.remove_prefix(end == std::string_view::npos ? bodies.size() : end + 1);
        checkAnswer(emulator.advanceClock(req), {200});
        // Never backwards, never past 100 years, and what the clock says the store says.
        if (clock.offsetMs() < before || clock.offsetMs() > tokens::domain::Clock::kMaxOffsetMs) __builtin_trap();
        if (store->clockOffsetMs() != clock.offsetMs()) __builtin_trap();
        before = clock.offsetMs();
      }
      break;
    }
    default: {  // POST /_emulator/faults
      tokens::domain::Clock clock;
      const auto store = tokens::store::openStore("memory:");
      tokens::domain::FaultInjector faults;
      tokens::api::EmulatorHandlers emulator(clock, *store, faults);
      checkAnswer(emulator.addFault(req), {201});
      break;
    }
  }
  return 0;
}
