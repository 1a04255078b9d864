#include "PureCloudPlatformClientV2/ApiClient.h"

#include <mutex>
#include <stdexcept>

#include <sodium.h>

#include "internal/api_client_impl.h"
#include "internal/config_file.h"

namespace PureCloudPlatformClientV2 {

namespace {
std::mutex defaultMutex;
std::shared_ptr<ApiClient> defaultClient;  // guarded by defaultMutex
}  // namespace

ApiClient::ApiClient() : impl_(std::make_shared<internal::ApiClientImpl>()) {
  // Precedence, lowest first: built-in defaults, the config file, environment variables, then whatever
  // the program sets through this class afterwards.
  internal::applyConfigFile(*impl_, internal::defaultConfigPath());
  internal::applyEnvironment(*impl_);
}

ApiClient::~ApiClient() = default;

std::shared_ptr<ApiClient> ApiClient::getDefault() {
  std::lock_guard lock(defaultMutex);
  if (!defaultClient) defaultClient = std::make_shared<ApiClient>();
  return defaultClient;
}

void ApiClient::setDefault(std::shared_ptr<ApiClient> client) {
  std::lock_guard lock(defaultMutex);
  defaultClient = std::move(client);
}

void ApiClient::setEnvironment(Region region) { impl_->setEnvironment(std::string(regionHost(region))); }
void ApiClient::setEnvironment(const std::string& hostOrBaseUrl) { impl_->setEnvironment(hostOrBaseUrl); }
void ApiClient::setGateway(const GatewayConfig& gateway) { impl_->setGateway(gateway); }
std::string ApiClient::getBasePath() const { return impl_->basePath(); }
std::string ApiClient::getLoginBasePath() const { return impl_->loginBasePath(); }

void ApiClient::setAccessToken(const std::string& accessToken) { impl_->setAccessToken(accessToken); }
AuthData ApiClient::getAuthData() const { return impl_->authData(); }
void ApiClient::setAuthData(const AuthData& authData, const std::string& clientId, const std::string& clientSecret) {
  impl_->setAuthData(authData, clientId, clientSecret);
}
void ApiClient::setTokenRenewedCallback(std::function<void(const AuthData&)> callback) {
  impl_->setTokenRenewedCallback(std::move(callback));
}

AuthData ApiClient::loginClientCredentialsGrant(const std::string& clientId, const std::string& clientSecret) {
  return impl_->login(internal::clientCredentialsGrant(clientId, clientSecret));
}

AuthData ApiClient::loginPasswordGrant(const std::string& clientId, const std::string& clientSecret,
                                       const std::string& username, const std::string& password) {
  return impl_->login(internal::passwordGrant(clientId, clientSecret, username, password));
}

AuthData ApiClient::loginCodeAuthorizationGrant(const std::string& clientId, const std::string& clientSecret,
                                                const std::string& authCode, const std::string& redirectUri) {
  return impl_->login(internal::authorizationCodeGrant(clientId, clientSecret, authCode, redirectUri));
}

AuthData ApiClient::refreshCodeAuthorizationGrant(const std::string& clientId, const std::string& clientSecret,
                                                  const std::string& refreshToken) {
  return impl_->login(internal::refreshTokenGrant(clientId, clientSecret, refreshToken));
}

AuthData ApiClient::authorizePKCEGrant(const std::string& clientId, const std::string& codeVerifier,
                                       const std::string& authCode, const std::string& redirectUri) {
  return impl_->login(internal::pkceGrant(clientId, codeVerifier, authCode, redirectUri));
}

AuthData ApiClient::loginSAML2BearerGrant(const std::string& clientId, const std::string& clientSecret,
                                          const std::string& orgName, const std::string& assertion) {
  return impl_->login(internal::saml2BearerGrant(clientId, clientSecret, orgName, assertion));
}

std::string ApiClient::generatePKCECodeVerifier(std::size_t length) {
  if (length < 43 || length > 128) throw std::invalid_argument("a PKCE code verifier has 43 to 128 characters");
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  static constexpr std::string_view kUnreserved =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
  std::string verifier(length, ' ');
  for (auto& c : verifier) c = kUnreserved[randombytes_uniform(static_cast<std::uint32_t>(kUnreserved.size()))];
  return verifier;
}

std::string ApiClient::computePKCECodeChallenge(const std::string& codeVerifier) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(codeVerifier.data()), codeVerifier.size());
  char encoded[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(encoded, sizeof encoded, digest, sizeof digest, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return encoded;
}

void ApiClient::setShouldRefreshAccessToken(bool refresh) { impl_->setShouldRefreshAccessToken(refresh); }
void ApiClient::setTokenRenewalMargin(std::chrono::seconds margin) { impl_->setTokenRenewalMargin(margin); }
void ApiClient::setRetryConfig(const RetryConfig& config) { impl_->setRetryConfig(config); }
RetryConfig ApiClient::getRetryConfig() const { return impl_->retryConfig(); }
void ApiClient::setTimeouts(const TimeoutConfig& config) { impl_->setTimeouts(config); }
TimeoutConfig ApiClient::getTimeouts() const { return impl_->timeouts(); }
void ApiClient::setLoggingConfig(const LoggingConfig& config) { impl_->setLoggingConfig(config); }
void ApiClient::setTlsConfig(const TlsConfig& config) { impl_->setTlsConfig(config); }
void ApiClient::setProxy(const ProxyConfig& config) { impl_->setProxy(config); }
void ApiClient::setDefaultHeader(const std::string& name, const std::string& value) { impl_->setDefaultHeader(name, value); }
void ApiClient::setUserAgent(const std::string& userAgent) { impl_->setUserAgent(userAgent); }
void ApiClient::addPreRequestHook(PreRequestHook hook) { impl_->addPreRequestHook(std::move(hook)); }
void ApiClient::addPostResponseHook(PostResponseHook hook) { impl_->addPostResponseHook(std::move(hook)); }

}  // namespace PureCloudPlatformClientV2
