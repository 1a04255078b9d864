// The access log's string escaping (app/access_log.h): every line valid JSON in ASCII, whatever bytes.

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "app/access_log.h"

namespace tokens::app {
namespace {

TEST(AccessLogJson, EscapesQuotesControlsAndEveryByteBeyondAscii) {
  EXPECT_EQ(jsonString("/api/v2/tokens/me"), "\"/api/v2/tokens/me\"");
  EXPECT_EQ(jsonString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(jsonString(std::string("\x01\n\x7f", 3)), "\"\\u0001\\u000a\\u007f\"");
  EXPECT_EQ(jsonString("caf\xc3\xa9"), "\"caf\\u00c3\\u00a9\"") << "one escape per byte, even of valid UTF-8";
  EXPECT_EQ(jsonString("\xff\xfe"), "\"\\u00ff\\u00fe\"");
  EXPECT_EQ(jsonString(std::string("\0", 1)), "\"\\u0000\"");
}

TEST(AccessLogJson, EveryByteValueGivesParseableJson) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  const auto quoted = jsonString(all);
  for (const unsigned char c : quoted) EXPECT_LT(c, 0x80);
  boost::system::error_code ec;
  const auto value = boost::json::parse(quoted, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(value.as_string().size(), 128u + 2 * 128u) << "ASCII as one byte, the rest as two in UTF-8";
}

}  // namespace
}  // namespace tokens::app
