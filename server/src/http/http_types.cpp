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
