// Opaque tokens, their digests and the small cryptographic helpers (SPEC §5: 256 bits from a CSPRNG,
// base64url; only a digest is stored).

#include <set>
#include <string>
#include <thread>
#include <vector>

#include <cctype>

#include <gtest/gtest.h>

#include "domain/token_crypto.h"

namespace {

using namespace tokens::domain;

bool isBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// ---- opaque tokens -----------------------------------------------------------------------------------

TEST(OpaqueToken, Is43Base64UrlCharactersWithoutPadding) {
  for (int i = 0; i < 200; ++i) {
    const auto token = generateOpaqueToken();
    ASSERT_EQ(token.size(), 43u) << token;  // 256 bits = 32 bytes = ceil(32 * 4 / 3) characters
    for (const char c : token) ASSERT_TRUE(isBase64UrlChar(c)) << token;
  }
}

TEST(OpaqueToken, ThreeThousandAreAllDifferent) {
  std::set<std::string> seen;
  for (int i = 0; i < 3000; ++i) seen.insert(generateOpaqueToken());
  EXPECT_EQ(seen.size(), 3000u);
}

TEST(OpaqueToken, UsesTheWholeAlphabet) {
  // 64 symbols over 3000 x 42 fully random positions: each symbol is expected ~2000 times.
  std::set<char> symbols;
  for (int i = 0; i < 3000; ++i)
    for (const char c : generateOpaqueToken()) symbols.insert(c);
  EXPECT_EQ(symbols.size(), 64u);
}

TEST(OpaqueToken, DifferentThreadsGetDifferentTokens) {
  std::vector<std::string> a, b;
  std::thread ta([&] { for (int i = 0; i < 500; ++i) a.push_back(generateOpaqueToken()); });
  std::thread tb([&] { for (int i = 0; i < 500; ++i) b.push_back(generateOpaqueToken()); });
  ta.join();
  tb.join();
  std::set<std::string> all(a.begin(), a.end());
  all.insert(b.begin(), b.end());
  EXPECT_EQ(all.size(), 1000u);
}

// ---- digests -----------------------------------------------------------------------------------------

TEST(Digest, HexGoesBothWays) {
  const auto d = digestOf("some token");
  EXPECT_EQ(digestFromHex(toHex(d)), d);
  auto upper = toHex(d);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(digestFromHex(upper), d);
  EXPECT_FALSE(digestFromHex(toHex(d).substr(1)));
  EXPECT_FALSE(digestFromHex(std::string(64, 'g')));
  EXPECT_FALSE(digestFromHex(toHex(d) + "0"));
  EXPECT_FALSE(digestFromHex(""));
}

TEST(Digest, IsSha256) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(toHex(digestOf("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(toHex(digestOf("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(toHex(digestOf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Digest, ReadsExactlyTheViewItIsGiven) {
  const std::string text = "abcdef";
  EXPECT_EQ(digestOf(std::string_view(text).substr(0, 3)), digestOf("abc"));
  const std::string withNul("a\0b", 3);
  EXPECT_NE(digestOf(withNul), digestOf("a"));
}

TEST(Digest, IsDeterministicAndDistinguishesTokens) {
  const auto token = generateOpaqueToken();
  EXPECT_EQ(digestOf(token), digestOf(std::string(token)));
  EXPECT_NE(digestOf(token), digestOf(token + "x"));
  EXPECT_NE(digestOf("token-a"), digestOf("token-b"));
}

TEST(Digest, HexIsLowerCaseAnd64Characters) {
  Digest d{};
  d[0] = 0xAB;
  d[31] = 0x0F;
  const auto hex = toHex(d);
  EXPECT_EQ(hex.size(), 64u);
  EXPECT_EQ(hex.substr(0, 2), "ab");
  EXPECT_EQ(hex.substr(2, 60), std::string(60, '0'));
  EXPECT_EQ(hex.substr(62), "0f");
}

TEST(Digest, HashOfEqualDigestsIsEqual) {
  DigestHash hash;
  EXPECT_EQ(hash(digestOf("x")), hash(digestOf("x")));
  EXPECT_NE(hash(digestOf("x")), hash(digestOf("y")));
}


// ---- base64 (HTTP Basic) -----------------------------------------------------------------------------

TEST(DecodeBase64, WithPadding) {
  EXPECT_EQ(decodeBase64("dXNlcjpwYXNz"), "user:pass");
  EXPECT_EQ(decodeBase64("YQ=="), "a");
  EXPECT_EQ(decodeBase64("YWI="), "ab");
  EXPECT_EQ(decodeBase64("YWJj"), "abc");
  EXPECT_EQ(decodeBase64("Y2MtYWRtaW46Y2MtYWRtaW4tc2VjcmV0"), "cc-admin:cc-admin-secret");
}

TEST(DecodeBase64, WithoutPadding) {
  EXPECT_EQ(decodeBase64("YQ"), "a");
  EXPECT_EQ(decodeBase64("YWI"), "ab");
  EXPECT_EQ(decodeBase64("Y2xpZW50OnNlY3JldA"), "client:secret");
}

TEST(DecodeBase64, EmptyIsEmpty) { EXPECT_EQ(decodeBase64(""), ""); }

TEST(DecodeBase64, StandardAlphabetAndBinary) {
  EXPECT_EQ(decodeBase64("+/8="), std::string("\xfb\xff", 2));
  EXPECT_EQ(decodeBase64("AAE="), std::string("\x00\x01", 2));
}

TEST(DecodeBase64, RefusesWhatIsNotBase64) {
  EXPECT_FALSE(decodeBase64("!!!!"));
  EXPECT_FALSE(decodeBase64("-_8="));            // the URL-safe alphabet is not what Basic uses
  EXPECT_FALSE(decodeBase64("dXNl cjpwYXNz"));   // no spaces inside
  EXPECT_FALSE(decodeBase64("dXNlcjpwYXNz "));   // nor after
  EXPECT_FALSE(decodeBase64("YQ==YQ=="));        // nothing after the padding
  EXPECT_FALSE(decodeBase64("Y"));               // a lone character carries no whole byte
  EXPECT_FALSE(decodeBase64("YQ=\x01"));
}

// ---- constant-time comparison ------------------------------------------------------------------------

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(constantTimeEquals("secret", "secret"));
  EXPECT_TRUE(constantTimeEquals("", ""));
  EXPECT_FALSE(constantTimeEquals("secret", "secreT"));
  EXPECT_FALSE(constantTimeEquals("secret", "Secret"));
  EXPECT_FALSE(constantTimeEquals("secret", "secret!"));
  EXPECT_FALSE(constantTimeEquals("secret", "secre"));
  EXPECT_FALSE(constantTimeEquals("", "x"));
  EXPECT_TRUE(constantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(constantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
