#include "domain/idle_timeout.h"

#include <algorithm>
#include <set>

namespace tokens::domain {

using PureCloudPlatformClientV2::InactivityTimeoutGroupBundle;
using PureCloudPlatformClientV2::InactivityTimeoutUnit;

IdleTokenTimeout defaultIdleTokenTimeout(const Organization& org) {
  IdleTokenTimeout t;
  t.idleTokenTimeoutSeconds = org.hipaa ? kMaxHipaaTimeoutSeconds : 1800;
  t.enableIdleTokenTimeout = false;
  t.inactivityTimeoutUnit = InactivityTimeoutUnit::Minutes;
  t.inactivityTimeoutGroupsEnabled = false;
  t.inactivityTimeoutGroupBundles = std::vector<InactivityTimeoutGroupBundle>{};
  return t;
}

namespace {

void checkSeconds(int value, const Organization& org, const std::string& field, std::vector<FieldError>& errors) {
  const int max = org.hipaa ? kMaxHipaaTimeoutSeconds : kMaxTimeoutSeconds;
  if (value < kMinTimeoutSeconds || value > max)
    errors.push_back({field, "must be between " + std::to_string(kMinTimeoutSeconds) + " and " +
                                 std::to_string(max) + " seconds" +
                                 (org.hipaa ? " in a HIPAA organization" : "")});
}

void checkUnit(const std::optional<InactivityTimeoutUnit>& unit, const std::string& field,
               std::vector<FieldError>& errors) {
  if (unit && *unit == InactivityTimeoutUnit::outdated_sdk_version)
    errors.push_back({field, "must be Minutes or Hours"});
}

}  // namespace

IdleTokenTimeout normaliseIdleTokenTimeout(const IdleTokenTimeout& body, const Organization& org,
                                           const Directory& directory, std::vector<FieldError>& errors) {
  IdleTokenTimeout out = defaultIdleTokenTimeout(org);
  if (body.idleTokenTimeoutSeconds) out.idleTokenTimeoutSeconds = body.idleTokenTimeoutSeconds;
  if (body.enableIdleTokenTimeout) out.enableIdleTokenTimeout = body.enableIdleTokenTimeout;
  if (body.inactivityTimeoutUnit) out.inactivityTimeoutUnit = body.inactivityTimeoutUnit;
  if (body.inactivityTimeoutGroupsEnabled) out.inactivityTimeoutGroupsEnabled = body.inactivityTimeoutGroupsEnabled;

  checkSeconds(*out.idleTokenTimeoutSeconds, org, "idleTokenTimeoutSeconds", errors);
  checkUnit(out.inactivityTimeoutUnit, "inactivityTimeoutUnit", errors);

  std::set<int> priorities;
  const auto& bundles = body.inactivityTimeoutGroupBundles ? *body.inactivityTimeoutGroupBundles
                                                           : std::vector<InactivityTimeoutGroupBundle>{};
  for (std::size_t i = 0; i < bundles.size(); ++i) {
    const auto& b = bundles[i];
    const std::string prefix = "inactivityTimeoutGroupBundles[" + std::to_string(i) + "].";
    if (!b.priority) {
      errors.push_back({prefix + "priority", "is required"});
    } else if (*b.priority < 1 || *b.priority > kMaxBundlePriority) {
      errors.push_back({prefix + "priority", "must be between 1 and 5"});
    } else if (!priorities.insert(*b.priority).second) {
      errors.push_back({prefix + "priority", "must be unique among the bundles"});
    }
    if (!b.timeoutSeconds)
      errors.push_back({prefix + "timeoutSeconds", "is required"});
    else
      checkSeconds(*b.timeoutSeconds, org, prefix + "timeoutSeconds", errors);
    checkUnit(b.inactivityTimeoutUnit, prefix + "inactivityTimeoutUnit", errors);
    if (!b.groups || b.groups->empty()) {
      errors.push_back({prefix + "groups", "must name at least one group"});
    } else {
      for (std::size_t g = 0; g < b.groups->size(); ++g) {
        const auto* group = directory.group((*b.groups)[g]);
        if (!group || group->organizationId != org.id)
          errors.push_back({prefix + "groups[" + std::to_string(g) + "]", "is not a group of this organization"});
      }
    }
  }
  out.inactivityTimeoutGroupBundles = bundles;
  return out;
}

std::optional<std::chrono::seconds> effectiveIdleTimeout(const IdleTokenTimeout& setting,
                                                         const std::vector<std::string>& userGroups) {
  if (setting.inactivityTimeoutGroupsEnabled.value_or(false) && setting.inactivityTimeoutGroupBundles &&
      !userGroups.empty()) {
    const InactivityTimeoutGroupBundle* winner = nullptr;
    for (const auto& bundle : *setting.inactivityTimeoutGroupBundles) {
      if (!bundle.priority || !bundle.timeoutSeconds || !bundle.groups) continue;
      const bool member = std::any_of(bundle.groups->begin(), bundle.groups->end(), [&](const std::string& g) {
        return std::find(userGroups.begin(), userGroups.end(), g) != userGroups.end();
      });
      if (member && (!winner || *bundle.priority < *winner->priority)) winner = &bundle;
    }
    if (winner) return std::chrono::seconds(*winner->timeoutSeconds);
  }
  if (setting.enableIdleTokenTimeout.value_or(false) && setting.idleTokenTimeoutSeconds)
    return std::chrono::seconds(*setting.idleTokenTimeoutSeconds);
  return std::nullopt;
}

}  // namespace tokens::domain
