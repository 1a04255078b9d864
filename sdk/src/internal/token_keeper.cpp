#include "internal/token_keeper.h"

#include "internal/sdk_logger.h"

namespace PureCloudPlatformClientV2::internal {

using std::chrono::system_clock;

void TokenKeeper::setAccessToken(const std::string& token) {
  std::lock_guard lock(mutex_);
  data_ = AuthData{};
  data_.accessToken = token;
  renewal_ = Renewal::None;
  clientId_.clear();
  clientSecret_.clear();
}

AuthData TokenKeeper::authData() const {
  std::lock_guard lock(mutex_);
  return data_;
}

void TokenKeeper::setAuthData(const AuthData& data, const std::string& clientId, const std::string& clientSecret) {
  std::lock_guard lock(mutex_);
  data_ = data;
  clientId_ = clientId;
  clientSecret_ = clientSecret;
  if (!data.refreshToken.empty())
    renewal_ = Renewal::RefreshToken;
  else if (!clientId.empty() && !clientSecret.empty())
    renewal_ = Renewal::ClientCredentials;
  else
    renewal_ = Renewal::None;
}

void TokenKeeper::setDeferredClientCredentials(const std::string& clientId, const std::string& clientSecret) {
  std::lock_guard lock(mutex_);
  data_ = AuthData{};
  renewal_ = Renewal::ClientCredentials;
  clientId_ = clientId;
  clientSecret_ = clientSecret;
}

void TokenKeeper::setRenewedCallback(std::function<void(const AuthData&)> callback) {
  std::lock_guard lock(mutex_);
  onRenewed_ = std::move(callback);
}

void TokenKeeper::adopt(const GrantRequest& grant, const AuthData& data) {
  std::lock_guard lock(mutex_);
  data_ = data;
  renewal_ = grant.renewal;
  if (renewal_ == Renewal::RefreshToken && data.refreshToken.empty())
    renewal_ = Renewal::None;  // nothing to renew with (e.g. an idle timeout applies)
  clientId_ = grant.clientId;
  clientSecret_ = grant.clientSecret;
  renewalEnded();
}

GrantRequest TokenKeeper::renewalGrant() const {
  if (renewal_ == Renewal::ClientCredentials) return clientCredentialsGrant(clientId_, clientSecret_);
  return refreshTokenGrant(clientId_, clientSecret_, data_.refreshToken);
}

void TokenKeeper::renewalEnded() {
  ++renewals_;
  changed_.notify_all();
}

std::string TokenKeeper::tokenForRequest(std::chrono::seconds margin, std::chrono::seconds waitMax,
                                         const PerformGrant& perform) {
  std::string current;
  {
    std::lock_guard lock(mutex_);
    current = data_.accessToken;
    const bool renewable = renewal_ == Renewal::ClientCredentials;
    const bool due = current.empty() || (data_.tokenExpiryTime != system_clock::time_point{} &&
                                         system_clock::now() + margin >= data_.tokenExpiryTime);
    if (!renewable || !due) return current;
  }
  return renew(current, waitMax, perform);
}

std::string TokenKeeper::renew(const std::string& staleToken, std::chrono::seconds waitMax,
                               const PerformGrant& perform) {
  std::unique_lock lock(mutex_);
  if (data_.accessToken != staleToken) return data_.accessToken;  // someone renewed it already
  if (renewal_ == Renewal::None) return {};
  if (renewing_) {
    const unsigned seen = renewals_;
    changed_.wait_for(lock, waitMax, [&] { return renewals_ != seen || !renewing_; });
    if (data_.accessToken != staleToken) return data_.accessToken;
    if (lastRenewalError_) std::rethrow_exception(lastRenewalError_);
    return {};
  }
  renewing_ = true;
  const auto grant = renewalGrant();
  lock.unlock();
  AuthData fresh;
  try {
    fresh = perform(grant);
  } catch (...) {
    lock.lock();
    renewing_ = false;
    lastRenewalError_ = std::current_exception();
    renewalEnded();
    throw;
  }
  lock.lock();
  data_ = fresh;
  if (renewal_ == Renewal::RefreshToken && fresh.refreshToken.empty()) renewal_ = Renewal::None;
  renewing_ = false;
  lastRenewalError_ = nullptr;
  renewalEnded();
  const auto onRenewed = onRenewed_;
  lock.unlock();
  tellRenewed(fresh, onRenewed);
  return fresh.accessToken;
}

void TokenKeeper::tellRenewed(const AuthData& renewed, const std::function<void(const AuthData&)>& onRenewed) {
  logger_.message(LogLevel::Debug, "access token renewed");
  if (!onRenewed) return;
  // The program's callback must not turn a renewal that worked into a failed call.
  try {
    onRenewed(renewed);
  } catch (const std::exception& e) {
    logger_.message(LogLevel::Error, std::string("the token-renewed callback threw: ") + e.what());
  } catch (...) {
    logger_.message(LogLevel::Error, "the token-renewed callback threw");
  }
}

}  // namespace PureCloudPlatformClientV2::internal
