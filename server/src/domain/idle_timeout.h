#pragma once
// The rules of SPEC §4: the idle token timeout setting, its validation, and the timeout of one token.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "PureCloudPlatformClientV2/model/IdleTokenTimeout.h"
#include "domain/directory.h"

namespace tokens::domain {

using PureCloudPlatformClientV2::IdleTokenTimeout;

inline constexpr int kMinTimeoutSeconds = 300;
inline constexpr int kMaxTimeoutSeconds = 28800;
inline constexpr int kMaxHipaaTimeoutSeconds = 900;
inline constexpr int kMaxBundlePriority = 5;

/// The setting of an organization that never changed it. In a HIPAA organization the default
/// timeout is 900 s instead of 1800 s, so that the default is itself a valid HIPAA value (decided).
IdleTokenTimeout defaultIdleTokenTimeout(const Organization& org);

struct FieldError {
  std::string fieldName;
  std::string message;
};

/// Checks a PUT body and fills in the defaults for what it leaves out. On success `errors` is empty and
/// the returned value is what is stored; every problem found is reported, not only the first.
IdleTokenTimeout normaliseIdleTokenTimeout(const IdleTokenTimeout& body, const Organization& org,
                                           const Directory& directory, std::vector<FieldError>& errors);

/// The timeout that applies to a token acting for a user in these groups, or none: the bundle with the
/// smallest priority number among the user's (when groups are enabled), else the organization's value
/// (when enabled).
std::optional<std::chrono::seconds> effectiveIdleTimeout(const IdleTokenTimeout& setting,
                                                         const std::vector<std::string>& userGroups);

}  // namespace tokens::domain
