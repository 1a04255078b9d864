#pragma once
// Not public API. The client's token and what renewing it needs, with single-flight renewal: when the
// token is due or refused, the first caller renews it and every concurrent caller waits for that one
// renewal (and gets its token, or its failure) instead of starting its own.

#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <string>

#include "PureCloudPlatformClientV2/AuthData.h"
#include "internal/grants.h"

namespace PureCloudPlatformClientV2::internal {

class SdkLogger;

class TokenKeeper {
 public:
  /// Performs a grant and returns its token, or throws its ApiException (the client's login loop).
  using PerformGrant = std::function<AuthData(const GrantRequest&)>;

  explicit TokenKeeper(SdkLogger& logger) : logger_(logger) {}

  void setAccessToken(const std::string& token);
  AuthData authData() const;
  void setAuthData(const AuthData& data, const std::string& clientId, const std::string& clientSecret);
  /// Client credentials to log in with on first use (GENESYSCLOUD_OAUTHCLIENT_ID/SECRET).
  void setDeferredClientCredentials(const std::string& clientId, const std::string& clientSecret);
  void setRenewedCallback(std::function<void(const AuthData&)> callback);
  /// Makes `data`, which `grant` has just obtained, the client's token, and keeps what renewing it needs.
  void adopt(const GrantRequest& grant, const AuthData& data);

  /// The token to send: renewed first when it is missing or expires within `margin` and can be renewed
  /// without the user (client credentials).
  std::string tokenForRequest(std::chrono::seconds margin, std::chrono::seconds waitMax, const PerformGrant& perform);
  /// Renews `staleToken` (single flight, waiting at most `waitMax` for another caller's renewal). Returns
  /// the token to use now, empty if it cannot be renewed; rethrows the renewal's failure.
  std::string renew(const std::string& staleToken, std::chrono::seconds waitMax, const PerformGrant& perform);

 private:
  /// The grant that renews the current token. Called with mutex_ held.
  GrantRequest renewalGrant() const;
  /// Tells the callers waiting in renew() that a renewal ended. Called with mutex_ held.
  void renewalEnded();
  void tellRenewed(const AuthData& renewed, const std::function<void(const AuthData&)>& onRenewed);

  SdkLogger& logger_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  AuthData data_;
  Renewal renewal_ = Renewal::None;
  std::string clientId_;
  std::string clientSecret_;
  bool renewing_ = false;
  unsigned renewals_ = 0;  // completed renewals, to tell a waiter that its renewal ended
  std::exception_ptr lastRenewalError_;
  std::function<void(const AuthData&)> onRenewed_;
};

}  // namespace PureCloudPlatformClientV2::internal
