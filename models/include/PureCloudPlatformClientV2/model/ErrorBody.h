#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace PureCloudPlatformClientV2 {

struct Detail {
  std::optional<std::string> errorCode;
  std::optional<std::string> fieldName;
  std::optional<std::string> entityId;
  std::optional<std::string> entityName;

  bool operator==(const Detail&) const = default;
};

struct Limit {
  std::optional<std::string> key;
  std::optional<std::string> namespace_;  // JSON name "namespace" (a C++ keyword)
  std::optional<int> value;

  bool operator==(const Limit&) const = default;
};

/// The body of every error answer of the API.
struct ErrorBody {
  std::optional<std::string> message;
  std::optional<std::string> code;
  std::optional<int> status;
  std::optional<std::string> entityId;
  std::optional<std::string> entityName;
  std::optional<std::string> messageWithParams;
  std::optional<std::map<std::string, std::string>> messageParams;
  std::optional<std::string> contextId;
  std::optional<std::vector<Detail>> details;
  std::optional<std::vector<ErrorBody>> errors;
  std::optional<Limit> limit;

  bool operator==(const ErrorBody&) const = default;
};

}  // namespace PureCloudPlatformClientV2
