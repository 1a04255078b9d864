#pragma once
// The body of `tokens timeout update`: from a JSON file (or stdin), from flags, or both (the flags then
// change the file's values).

#include <optional>
#include <string>

#include "PureCloudPlatformClientV2/model/IdleTokenTimeout.h"

namespace gctokens {

struct TimeoutFlags {
  std::string file;                ///< --file PATH, "-" for stdin; empty: none
  std::optional<int> seconds;      ///< --seconds
  std::optional<bool> enabled;     ///< --enable / --disable
  std::string unit;                ///< --unit Minutes|Hours; empty: none
  std::optional<bool> groupsEnabled;  ///< --enable-groups / --disable-groups

  /// Whether any flag other than --file was given.
  bool anyFieldFlag() const { return seconds || enabled || !unit.empty() || groupsEnabled; }
};

/// Reads an IdleTokenTimeout from a JSON file ("-": stdin). Throws CliError (usage) when the file cannot
/// be read or is not a valid IdleTokenTimeout, naming the field at fault.
PureCloudPlatformClientV2::IdleTokenTimeout readTimeoutBody(const std::string& path);

/// Sets the fields that the flags name.
void applyTimeoutFlags(PureCloudPlatformClientV2::IdleTokenTimeout& body, const TimeoutFlags& flags);

}  // namespace gctokens
