#include "api/emulator_handlers.h"

#include <boost/json.hpp>

#include "PureCloudPlatformClientV2/model/DateTime.h"
#include "api/error_responses.h"
#include "api/json_body.h"

namespace tokens::api {

using http::HttpRequest;
using http::HttpResponse;

namespace {

HttpResponse jsonResponse(const boost::json::object& body, int status = 200) {
  HttpResponse res;
  res.status = status;
  res.contentType = "application/json";
  res.body = boost::json::serialize(body);
  return res;
}

// Reads an optional integer field within [min, max]; records an error when present and wrong.
std::optional<std::int64_t> intField(const boost::json::object& o, std::string_view name, std::int64_t min,
                                     std::int64_t max, std::vector<domain::FieldError>& errors) {
  const auto* v = o.if_contains(name);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_int64() || v->get_int64() < min || v->get_int64() > max) {
    errors.push_back({std::string(name), "must be an integer from " + std::to_string(min) + " to " + std::to_string(max)});
    return std::nullopt;
  }
  return v->get_int64();
}

std::optional<std::string> stringField(const boost::json::object& o, std::string_view name,
                                       std::vector<domain::FieldError>& errors) {
  const auto* v = o.if_contains(name);
  if (!v || !v->is_string() || v->get_string().empty()) {
    errors.push_back({std::string(name), "is required and must be a string"});
    return std::nullopt;
  }
  return std::string(v->get_string());
}

}  // namespace

HttpResponse EmulatorHandlers::getClock(const HttpRequest&) {
  return jsonResponse({{"now", PureCloudPlatformClientV2::formatDateTime(clock_.now())}});
}

HttpResponse EmulatorHandlers::advanceClock(const HttpRequest& req) {
  auto body = readJsonObject(req);
  if (auto* res = std::get_if<HttpResponse>(&body)) return std::move(*res);
  std::vector<domain::FieldError> errors;
  const auto seconds = intField(std::get<boost::json::object>(body), "advanceSeconds", 0, 10LL * 365 * 24 * 3600, errors);
  if (!errors.empty()) return invalidValue(req, errors);
  // The offset is stored before it applies (SPEC §8: a restart keeps it), in one step of the store's, which
  // also refuses a total past 100 years: far enough for any token's life, far from where time values
  // overflow. No lock here: with a network store the request waits in a fiber, and a lock held across
  // that wait would block the event loop.
  const auto offset = store_.advanceClockOffsetMs(seconds.value_or(0) * 1000, domain::Clock::kMaxOffsetMs);
  if (!offset)
    return invalidValue(req, {{"advanceSeconds", "would move the clock past 100 years ahead in all (already " +
                                                     std::to_string(clock_.offsetMs() / 1000) + " seconds)"}});
  clock_.advanceTo(*offset);  // the store's total: advances made by other nodes count too
  return getClock(req);
}

HttpResponse EmulatorHandlers::addFault(const HttpRequest& req) {
  auto body = readJsonObject(req);
  if (auto* res = std::get_if<HttpResponse>(&body)) return std::move(*res);
  const auto& o = std::get<boost::json::object>(body);
  std::vector<domain::FieldError> errors;
  domain::Fault fault;
  if (auto m = stringField(o, "method", errors)) {
    for (auto& c : *m) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    fault.method = *m;
  }
  if (auto p = stringField(o, "path", errors)) {
    if (!p->starts_with("/")) errors.push_back({"path", "must start with /"});
    fault.path = *p;
  }
  fault.status = static_cast<int>(intField(o, "status", 0, 599, errors).value_or(503));
  if (fault.status != 0 && fault.status < 400) errors.push_back({"status", "must be 0 (delay only) or 400..599"});
  fault.count = static_cast<int>(intField(o, "count", 1, 1000000, errors).value_or(1));
  if (auto r = intField(o, "retryAfterSeconds", 0, 86400, errors)) fault.retryAfterSeconds = static_cast<int>(*r);
  fault.delayMs = static_cast<int>(intField(o, "delayMs", 0, 120000, errors).value_or(0));
  if (!errors.empty()) return invalidValue(req, errors);

  boost::json::object echo{{"method", fault.method}, {"path", fault.path}, {"status", fault.status},
                           {"count", fault.count},   {"delayMs", fault.delayMs}};
  if (fault.retryAfterSeconds) echo["retryAfterSeconds"] = *fault.retryAfterSeconds;
  faults_.add(std::move(fault));
  return jsonResponse(echo, 201);
}

HttpResponse EmulatorHandlers::clearFaults(const HttpRequest&) {
  faults_.clear();
  HttpResponse res;
  res.status = 204;
  return res;
}

}  // namespace tokens::api
