#include "timeout_body.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "PureCloudPlatformClientV2/model/Json.h"
#include "cli_error.h"

namespace gctokens {

namespace pc = PureCloudPlatformClientV2;

namespace {

// Far above any real setting (5 bundles), far below what could hurt: a runaway pipe is refused.
constexpr std::size_t kMaxBodyBytes = 1 << 20;

std::string readAll(std::istream& in, const std::string& what) {
  std::string text;
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxBodyBytes) throw usageError(what + ": larger than " + std::to_string(kMaxBodyBytes) + " bytes");
  }
  if (in.bad()) throw usageError("cannot read " + what);
  return text;
}

}  // namespace

pc::IdleTokenTimeout readTimeoutBody(const std::string& path) {
  std::string text;
  const std::string what = path == "-" ? std::string("standard input") : path;
  if (path == "-") {
    text = readAll(std::cin, what);
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw usageError("cannot read " + path + ": " + std::strerror(errno));
    text = readAll(in, what);
  }
  pc::JsonError error;
  auto body = pc::fromJson<pc::IdleTokenTimeout>(text, &error);
  if (!body) {
    std::string message = what + ": not a valid IdleTokenTimeout: ";
    if (!error.fieldName.empty()) message += error.fieldName + ": ";
    message += error.message.empty() ? std::string("invalid JSON") : error.message;
    throw usageError(message);
  }
  return *body;
}

void applyTimeoutFlags(pc::IdleTokenTimeout& body, const TimeoutFlags& flags) {
  if (flags.seconds) body.idleTokenTimeoutSeconds = *flags.seconds;
  if (flags.enabled) body.enableIdleTokenTimeout = *flags.enabled;
  if (!flags.unit.empty()) {
    // The flag is case-insensitive (CLI11 checked it is one of the two); the API's names are not.
    std::string unit = flags.unit;
    std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (unit == "minutes") body.inactivityTimeoutUnit = pc::InactivityTimeoutUnit::Minutes;
    else if (unit == "hours") body.inactivityTimeoutUnit = pc::InactivityTimeoutUnit::Hours;
    else throw usageError("--unit must be Minutes or Hours");
  }
  if (flags.groupsEnabled) body.inactivityTimeoutGroupsEnabled = *flags.groupsEnabled;
}

}  // namespace gctokens
