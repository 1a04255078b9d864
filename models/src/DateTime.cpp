#include "PureCloudPlatformClientV2/model/DateTime.h"

#include <cstdio>

namespace PureCloudPlatformClientV2 {
namespace {

using namespace std::chrono;

// Reads exactly `width` digits at `pos`.
bool readDigits(std::string_view text, std::size_t& pos, int width, int& out) {
  if (pos + static_cast<std::size_t>(width) > text.size()) return false;
  int value = 0;
  for (int i = 0; i < width; ++i) {  // digits only: from_chars would also take a sign
    const char c = text[pos + static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  pos += static_cast<std::size_t>(width);
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

std::string formatDateTime(DateTime value) {
  const auto ms = floor<milliseconds>(value);
  const auto day = floor<days>(ms);
  const year_month_day ymd{day};
  const hh_mm_ss time{ms - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()), static_cast<int>(time.subseconds().count()));
  return buffer;
}

std::optional<DateTime> parseDateTime(std::string_view text) {
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!readDigits(text, pos, 4, y) || !expect(text, pos, '-') || !readDigits(text, pos, 2, mo) ||
      !expect(text, pos, '-') || !readDigits(text, pos, 2, d))
    return std::nullopt;
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) return std::nullopt;
  ++pos;
  if (!readDigits(text, pos, 2, h) || !expect(text, pos, ':') || !readDigits(text, pos, 2, mi) ||
      !expect(text, pos, ':') || !readDigits(text, pos, 2, s))
    return std::nullopt;

  microseconds fraction{0};
  if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
    ++pos;
    long long micros = 0;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) micros = micros * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 6; ++i) micros *= 10;
    fraction = microseconds{micros};
  }

  minutes offset{0};
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int oh = 0, om = 0;
    if (!readDigits(text, pos, 2, oh)) return std::nullopt;
    if (pos < text.size() && text[pos] == ':') ++pos;
    if (!readDigits(text, pos, 2, om)) return std::nullopt;
    if (oh > 23 || om > 59) return std::nullopt;
    offset = minutes{sign * (oh * 60 + om)};
  } else {
    return std::nullopt;  // a date-time without a zone is ambiguous: refuse it rather than guess
  }
  if (pos != text.size()) return std::nullopt;

  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;  // 60: a leap second, folded below
  const auto local = sys_days{ymd} + hours{h} + minutes{mi} + seconds{s} + fraction;
  const auto utc = local - offset;  // in microseconds: every four-digit year fits
  // A DateTime counts nanoseconds in 64 bits: years 1678 to 2262 only. Outside them the conversion would
  // overflow (found by fuzz_sdk_response with the year 1013): such a date is refused, not wrapped.
  if (utc < time_point_cast<microseconds>(DateTime::min()) || utc > time_point_cast<microseconds>(DateTime::max()))
    return std::nullopt;
  return time_point_cast<system_clock::duration>(utc);
}

}  // namespace PureCloudPlatformClientV2
