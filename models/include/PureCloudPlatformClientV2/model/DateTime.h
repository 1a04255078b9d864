#pragma once
// Date-times of the API: ISO-8601 in UTC with milliseconds, e.g. "2026-11-22T10:15:30.123Z".

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace PureCloudPlatformClientV2 {

using DateTime = std::chrono::system_clock::time_point;

/// Formats as "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC, milliseconds, truncated).
std::string formatDateTime(DateTime value);

/// Parses ISO-8601 date-times as servers send them: "2026-11-22T10:15:30Z", with an optional fraction
/// of any length (kept to the microsecond) and "Z", "+HH:MM", "-HH:MM" or "+HHMM" as the zone.
/// Returns nullopt for anything else.
std::optional<DateTime> parseDateTime(std::string_view text);

}  // namespace PureCloudPlatformClientV2
