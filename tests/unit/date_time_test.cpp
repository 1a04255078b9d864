// ISO-8601 date-times of the API (SPEC §2): formatting with milliseconds and "Z", parsing what servers send.

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "PureCloudPlatformClientV2/model/DateTime.h"

namespace {

using namespace std::chrono;
using PureCloudPlatformClientV2::DateTime;
using PureCloudPlatformClientV2::formatDateTime;
using PureCloudPlatformClientV2::parseDateTime;

// 2026-11-22T10:15:30Z plus `extra`.
DateTime at(system_clock::duration extra = {}) {
  return sys_days{year{2026} / November / 22} + hours{10} + minutes{15} + seconds{30} + extra;
}

// ---- formatting --------------------------------------------------------------------------------------

TEST(FormatDateTime, WritesUtcWithMillisecondsAndZ) {
  EXPECT_EQ(formatDateTime(at(milliseconds{123})), "2026-11-22T10:15:30.123Z");
}

TEST(FormatDateTime, AlwaysWritesThreeFractionDigits) {
  EXPECT_EQ(formatDateTime(at()), "2026-11-22T10:15:30.000Z");
  EXPECT_EQ(formatDateTime(at(milliseconds{7})), "2026-11-22T10:15:30.007Z");
  EXPECT_EQ(formatDateTime(DateTime{}), "1970-01-01T00:00:00.000Z");
}

TEST(FormatDateTime, TruncatesBelowTheMillisecond) {
  EXPECT_EQ(formatDateTime(at(microseconds{999'999})), "2026-11-22T10:15:30.999Z");
  EXPECT_EQ(formatDateTime(at(nanoseconds{1'999'999})), "2026-11-22T10:15:30.001Z");
}

TEST(FormatDateTime, PadsEveryField) {
  const DateTime t = sys_days{year{2001} / January / 2} + hours{3} + minutes{4} + seconds{5} + milliseconds{6};
  EXPECT_EQ(formatDateTime(t), "2001-01-02T03:04:05.006Z");
}

TEST(FormatDateTime, BeforeTheEpochRoundsTowardsThePast) {
  // One millisecond before 1970: floor, not truncation towards zero.
  EXPECT_EQ(formatDateTime(DateTime{} - milliseconds{1}), "1969-12-31T23:59:59.999Z");
}

TEST(FormatDateTime, EndOfLeapYear) {
  const DateTime t = sys_days{year{2024} / December / 31} + hours{23} + minutes{59} + seconds{59} + milliseconds{999};
  EXPECT_EQ(formatDateTime(t), "2024-12-31T23:59:59.999Z");
  EXPECT_EQ(formatDateTime(t + milliseconds{1}), "2025-01-01T00:00:00.000Z");
}

// ---- parsing -----------------------------------------------------------------------------------------

TEST(ParseDateTime, UtcWithZ) {
  EXPECT_EQ(parseDateTime("2026-11-22T10:15:30.123Z"), at(milliseconds{123}));
  EXPECT_EQ(parseDateTime("2026-11-22T10:15:30Z"), at());
  EXPECT_EQ(parseDateTime("2026-11-22t10:15:30z"), at());
}

TEST(ParseDateTime, PositiveOffsetWithColon) {
  EXPECT_EQ(parseDateTime("2026-11-22T12:15:30.123+02:00"), at(milliseconds{123}));
}

TEST(ParseDateTime, NegativeOffsetWithoutColon) {
  EXPECT_EQ(parseDateTime("2026-11-22T04:45:30-0530"), at());
}

TEST(ParseDateTime, OffsetCrossesTheDateLine) {
  EXPECT_EQ(parseDateTime("2026-11-23T00:15:30+14:00"), at());
  EXPECT_EQ(parseDateTime("2026-11-21T23:15:30-11:00"), at());
}

TEST(ParseDateTime, ZeroOffsetsEqualZ) {
  EXPECT_EQ(parseDateTime("2026-11-22T10:15:30+00:00"), at());
  EXPECT_EQ(parseDateTime("2026-11-22T10:15:30-0000"), at());
}

TEST(ParseDateTime, FractionsOfAnyLength) {
  EXPECT_EQ(parseDateTime("2026-11-22T10:15:30.1Z"), at(milliseconds{100}));
  EXPECT_EQ(parseDateTime("2026-11-22T10:15:30.12Z"), at(milliseconds{120}));
  EXPECT_EQ(parseDateTime("2026-11-22T10:15:30.123Z"), at(milliseconds{123}));
  EXPECT_EQ(parseDateTime("2026-11-22T10:15:30.1234Z"), at(microseconds{123'400}));
  EXPECT_EQ(parseDateTime("2026-11-22T10:15:30.12345Z"), at(microseconds{123'450}));
  EXPECT_EQ(parseDateTime("2026-11-22T10:15:30.123456Z"), at(microseconds{123'456}));
  // Beyond the microsecond the digits are read but dropped (not rounded).
  EXPECT_EQ(parseDateTime("2026-11-22T10:15:30.1234567Z"), at(microseconds{123'456}));
  EXPECT_EQ(parseDateTime("2026-11-22T10:15:30.123456789Z"), at(microseconds{123'456}));
  EXPECT_EQ(parseDateTime("2026-11-22T10:15:30.999999999Z"), at(microseconds{999'999}));
  EXPECT_EQ(parseDateTime("2026-11-22T10:15:30.000000000Z"), at());
}

TEST(ParseDateTime, FractionWithOffset) {
  EXPECT_EQ(parseDateTime("2026-11-22T11:15:30.5+01:00"), at(milliseconds{500}));
}

TEST(ParseDateTime, LeapDayOnlyInLeapYears) {
  EXPECT_EQ(parseDateTime("2024-02-29T00:00:00Z"), DateTime{sys_days{year{2024} / February / 29}});
  EXPECT_EQ(parseDateTime("2000-02-29T00:00:00Z"), DateTime{sys_days{year{2000} / February / 29}});
  EXPECT_FALSE(parseDateTime("2025-02-29T00:00:00Z"));
  EXPECT_FALSE(parseDateTime("1900-02-29T00:00:00Z"));
}

TEST(ParseDateTime, RejectsImpossibleDates) {
  EXPECT_FALSE(parseDateTime("2026-02-30T10:15:30Z"));
  EXPECT_FALSE(parseDateTime("2026-04-31T10:15:30Z"));
  EXPECT_FALSE(parseDateTime("2026-13-01T10:15:30Z"));
  EXPECT_FALSE(parseDateTime("2026-00-10T10:15:30Z"));
  EXPECT_FALSE(parseDateTime("2026-11-00T10:15:30Z"));
  EXPECT_FALSE(parseDateTime("2026-11-32T10:15:30Z"));
}

TEST(ParseDateTime, LeapSecondFoldsIntoTheNextSecond) {
  EXPECT_EQ(parseDateTime("2016-12-31T23:59:60Z"), DateTime{sys_days{year{2017} / January / 1}});
}

TEST(ParseDateTime, RejectsImpossibleTimes) {
  EXPECT_FALSE(parseDateTime("2026-11-22T24:00:00Z"));
  EXPECT_FALSE(parseDateTime("2026-11-22T10:60:00Z"));
  EXPECT_FALSE(parseDateTime("2026-11-22T10:15:61Z"));
}

TEST(ParseDateTime, RejectsImpossibleOffsets) {
  EXPECT_FALSE(parseDateTime("2026-11-22T10:15:30+24:00"));
  EXPECT_FALSE(parseDateTime("2026-11-22T10:15:30+01:60"));
  EXPECT_FALSE(parseDateTime("2026-11-22T10:15:30+1:00"));
  EXPECT_FALSE(parseDateTime("2026-11-22T10:15:30+01"));
  EXPECT_FALSE(parseDateTime("2026-11-22T10:15:30+"));
}

TEST(ParseDateTime, RejectsAMissingZone) {
  // Without a zone the instant is ambiguous.
  EXPECT_FALSE(parseDateTime("2026-11-22T10:15:30"));
  EXPECT_FALSE(parseDateTime("2026-11-22T10:15:30.123"));
}

TEST(ParseDateTime, RejectsGarbage) {
  EXPECT_FALSE(parseDateTime(""));
  EXPECT_FALSE(parseDateTime("yesterday"));
  EXPECT_FALSE(parseDateTime("2026-11-22"));
  EXPECT_FALSE(parseDateTime("2026-11-22T10:15Z"));
  EXPECT_FALSE(parseDateTime("2026/11/22T10:15:30Z"));
  EXPECT_FALSE(parseDateTime("2026-11-22X10:15:30Z"));
  EXPECT_FALSE(parseDateTime("26-11-22T10:15:30Z"));
  EXPECT_FALSE(parseDateTime("2026-11-22T10:15:30.Z"));     // a dot without digits
  EXPECT_FALSE(parseDateTime("2026-11-22T10:15:30ZZ"));     // trailing text
  EXPECT_FALSE(parseDateTime("2026-11-22T10:15:30Z "));
  EXPECT_FALSE(parseDateTime(" 2026-11-22T10:15:30Z"));
  EXPECT_FALSE(parseDateTime("2026-11-22T10:15:30.123Zjunk"));
  EXPECT_FALSE(parseDateTime("1764.5"));
}

TEST(ParseDateTime, RejectsSignsInsideFields) {
  // std::from_chars accepts a leading '-', so a two-character field "-1" must be refused explicitly.
  EXPECT_FALSE(parseDateTime("2026-11-22T-1:15:30Z"));
  EXPECT_FALSE(parseDateTime("2026-11-22T10:-1:30Z"));
  EXPECT_FALSE(parseDateTime("2026-11-22T10:15:-1Z"));
  EXPECT_FALSE(parseDateTime("2026-11-22T10:15:30+-1:00"));
  EXPECT_FALSE(parseDateTime("-026-11-22T10:15:30Z"));
}

TEST(ParseDateTime, DoesNotReadPastTheEndOfAView) {
  // The view ends before the zone: the characters behind it must not be looked at.
  const std::string text = "2026-11-22T10:15:30Z";
  EXPECT_FALSE(parseDateTime(std::string_view(text).substr(0, text.size() - 1)));
  EXPECT_EQ(parseDateTime(std::string_view(text)), at());
}

// ---- round trips -------------------------------------------------------------------------------------

TEST(DateTimeRoundTrip, ParseOfFormatIsIdentityToTheMillisecond) {
  // Spread over several centuries, with every millisecond digit exercised.
  DateTime t = sys_days{year{1971} / March / 3} + milliseconds{1};
  for (int i = 0; i < 2000; ++i) {
    const auto text = formatDateTime(t);
    const auto back = parseDateTime(text);
    ASSERT_TRUE(back) << text;
    EXPECT_EQ(*back, t) << text;
    t += hours{24 * 53} + minutes{17} + seconds{41} + milliseconds{7 + i % 991};
  }
}

TEST(DateTimeRoundTrip, FormatOfParseKeepsTheText) {
  for (const char* text : {"2026-11-22T10:15:30.123Z", "1999-12-31T23:59:59.999Z", "2000-01-01T00:00:00.000Z"}) {
    const auto t = parseDateTime(text);
    ASSERT_TRUE(t) << text;
    EXPECT_EQ(formatDateTime(*t), text);
  }
}

TEST(DateTimeRoundTrip, OffsetsNormaliseToUtc) {
  const auto t = parseDateTime("2026-11-22T12:15:30.123+02:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(formatDateTime(*t), "2026-11-22T10:15:30.123Z");
}

TEST(ParseDateTime, YearsADateTimeCannotHoldAreRefusedNotWrapped) {
  // A DateTime counts nanoseconds in 64 bits, years 1678 to 2262. Found by fuzz_sdk_response: the year
  // 1013 overflowed the conversion (undefined behaviour, a wrong date in practice).
  for (const char* text : {"1013-11-22T10:15:30.123Z", "0000-01-01T00:00:00Z", "1677-09-21T00:00:00Z",
                           "2262-04-12T00:00:00Z", "9999-12-31T23:59:59.999Z"})
    EXPECT_FALSE(parseDateTime(text)) << text;
  EXPECT_TRUE(parseDateTime("1678-01-01T00:00:00Z"));
  EXPECT_TRUE(parseDateTime("2262-04-10T00:00:00Z"));
}

}  // namespace
