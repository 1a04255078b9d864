#include "http/http_types.h"

namespace tokens::http {

std::string_view methodName(Method method) {
  switch (method) {
    case Method::Get: return "GET";
    case Method::Head: return "HEAD";
    case Method::Post: return "POST";
    case Method::Put: return "PUT";
    case Method::Delete: return "DELETE";
    case Method::Patch: return "PATCH";
    case Method::Options: return "OPTIONS";
    default: return "OTHER";
  }
}

}  // namespace tokens::http

#include "http/request_dispatcher.h"

namespace tokens::http {

int Refusal::status() const {
  switch (reason) {
    case Reason::Malformed: return 400;
    case Reason::Timeout: return 408;
    case Reason::BodyTooLarge: return 413;
    case Reason::HeaderTooLarge: return 431;
    case Reason::TooManyConnections: return 503;
  }
  return 400;
}

HttpResponse RequestDispatcher::refuse(const Refusal& refusal) {
  HttpResponse res;
  res.status = refusal.status();
  return res;
}

}  // namespace tokens::http
