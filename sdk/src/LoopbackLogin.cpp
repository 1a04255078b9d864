// ApiClient::loginPKCEGrantWithBrowser: the native-app sign-in of RFC 8252 (loopback redirect, PKCE,
// state). The listener is in internal/loopback_listener; the exchange is authorizePKCEGrant.

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <sodium.h>

#include <stdexcept>

#include "PureCloudPlatformClientV2/ApiClient.h"
#include "PureCloudPlatformClientV2/ApiException.h"
#include "internal/api_client_impl.h"
#include "internal/loopback_listener.h"

namespace PureCloudPlatformClientV2 {

using internal::percentEncode;

namespace {

constexpr std::string_view kPathCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/";

void validate(const std::string& clientId, const LoopbackLoginOptions& options) {
  if (clientId.empty()) throw std::invalid_argument("loginPKCEGrantWithBrowser: the client id is empty");
  const auto& path = options.redirectPath;
  if (path.empty() || path.front() != '/' || path.find_first_not_of(kPathCharacters) != std::string::npos)
    throw std::invalid_argument("loginPKCEGrantWithBrowser: redirectPath must be '/' followed by letters, digits and "
                                "-._~/ (got '" + path + "')");
  if (options.port < 0 || options.port > 65535)
    throw std::invalid_argument("loginPKCEGrantWithBrowser: port must be 0..65535");
  if (options.timeout.count() <= 0) throw std::invalid_argument("loginPKCEGrantWithBrowser: timeout must be positive");
}

// 256 bits from the CSPRNG, base64url: what ties the redirect to this sign-in (CSRF, RFC 6749 §10.12).
std::string newState() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char encoded[sodium_base64_ENCODED_LEN(sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(encoded, sizeof encoded, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return encoded;
}

bool sameState(const std::string& expected, const std::string* got) {
  // Constant time: the state is a secret until the browser brings it back.
  return got != nullptr && got->size() == expected.size() &&
         sodium_memcmp(got->data(), expected.data(), expected.size()) == 0;
}

const std::string* find(const internal::LoopbackListener::Query& query, const std::string& name) {
  const auto it = query.find(name);
  return it == query.end() ? nullptr : &it->second;
}

// The OAuth error a redirect brought (RFC 6749 §4.1.2.1), as the ApiException a refused login is: the
// error in getOAuthError() and a JSON body as the token endpoint would have sent it. No HTTP status: it
// came through the browser.
ApiException redirectError(const std::string& error, const std::string* description, const std::string& authorizeUrl) {
  boost::json::object body{{"error", error}};
  std::string what = error;
  if (description != nullptr) {
    body["error_description"] = *description;
    what += ": " + *description;
  }
  return ApiException(ApiException::Kind::HttpError, 0, what + " (GET " + authorizeUrl + ")",
                      boost::json::serialize(body));
}

}  // namespace

AuthData ApiClient::loginPKCEGrantWithBrowser(const std::string& clientId, const LoopbackLoginOptions& options) {
  validate(clientId, options);
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  internal::LoopbackListener listener(static_cast<std::uint16_t>(options.port), options.redirectPath);
  // RFC 8252 §7.3: the IP literal, not "localhost", which may resolve elsewhere or to IPv6 first.
  const std::string redirectUri = "http://127.0.0.1:" + std::to_string(listener.port()) + options.redirectPath;
  const std::string verifier = generatePKCECodeVerifier();
  const std::string state = newState();

  const std::string authorizeUrl = getLoginBasePath() + "/oauth/authorize";
  std::string url = authorizeUrl + "?response_type=code&client_id=" + percentEncode(clientId) +
                    "&redirect_uri=" + percentEncode(redirectUri) +
                    "&code_challenge=" + computePKCECodeChallenge(verifier) + "&code_challenge_method=S256" +
                    "&state=" + state;
  if (!options.scope.empty()) url += "&scope=" + percentEncode(options.scope);
  if (options.openUrl)
    options.openUrl(url);
  else
    openInSystemBrowser(url);

  const auto query = listener.waitForRedirect(deadline);
  if (!query)
    throw ApiException(ApiException::Kind::Timeout, 0,
                       "no sign-in within " + std::to_string(options.timeout.count()) + " s: the browser did not come "
                       "back to " + redirectUri + " (GET " + authorizeUrl + ")");
  // The browser waits for the outcome: it shows the result of the exchange, not just its start.
  try {
    if (!sameState(state, find(*query, "state")))
      throw ApiException(ApiException::Kind::HttpError, 0,
                         "the redirect to " + redirectUri + " carried a state other than this sign-in's (a forged or "
                         "stale sign-in): its code was not used");
    if (const auto* error = find(*query, "error"))
      throw redirectError(*error, find(*query, "error_description"), authorizeUrl);
    const auto* code = find(*query, "code");
    if (code == nullptr || code->empty())
      throw ApiException(ApiException::Kind::HttpError, 0,
                         "the redirect to " + redirectUri + " carried neither a code nor an error (GET " +
                             authorizeUrl + ")");
    AuthData auth = authorizePKCEGrant(clientId, verifier, *code, redirectUri);
    listener.answerRedirect(200, "You are signed in", "You can close this window and return to the application.");
    return auth;
  } catch (const std::exception& e) {
    listener.answerRedirect(400, "Sign-in failed", e.what());
    throw;
  }
}

}  // namespace PureCloudPlatformClientV2
