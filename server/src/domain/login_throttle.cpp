#include "domain/login_throttle.h"

#include <algorithm>

#include "domain/directory.h"

namespace tokens::domain {

namespace {

std::string userKey(std::string_view organizationId, std::string_view email) {
  return "u:" + std::string(organizationId) + "\n" + lowercaseAscii(email);
}
std::string addressKey(std::string_view address) { return "a:" + std::string(address); }

}  // namespace

std::optional<std::int64_t> LoginThrottle::waitFor(const std::string& key, int freeFailures, std::int64_t nowMs) const {
  const auto it = failures_.find(key);
  if (it == failures_.end() || it->second.count < freeFailures) return std::nullopt;
  if (nowMs - it->second.lastMs >= limits_.forgetAfterMs) return std::nullopt;
  const int doublings = std::min(it->second.count - freeFailures, 30);
  const std::int64_t wait = std::min(limits_.firstWaitMs << doublings, limits_.maxWaitMs);
  const std::int64_t left = it->second.lastMs + wait - nowMs;
  if (left <= 0) return std::nullopt;
  return left;
}

std::optional<std::int64_t> LoginThrottle::waitBefore(std::string_view organizationId, std::string_view email,
                                                      std::string_view address, std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  const auto user = waitFor(userKey(organizationId, email), limits_.freeFailuresPerUser, nowMs);
  const auto addr = waitFor(addressKey(address), limits_.freeFailuresPerAddress, nowMs);
  if (!user) return addr;
  if (!addr) return user;
  return std::max(*user, *addr);
}

void LoginThrottle::fail(const std::string& key, std::int64_t nowMs) {
  auto& f = failures_[key];
  if (f.count > 0 && nowMs - f.lastMs >= limits_.forgetAfterMs) f.count = 0;
  ++f.count;
  f.lastMs = nowMs;
}

void LoginThrottle::recordFailure(std::string_view organizationId, std::string_view email, std::string_view address,
                                  std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  if (failures_.size() >= limits_.maxKeys) sweep(nowMs);
  fail(userKey(organizationId, email), nowMs);
  fail(addressKey(address), nowMs);
}

void LoginThrottle::recordSuccess(std::string_view organizationId, std::string_view email) {
  std::lock_guard lock(mutex_);
  failures_.erase(userKey(organizationId, email));
}

std::size_t LoginThrottle::trackedKeys() {
  std::lock_guard lock(mutex_);
  return failures_.size();
}

void LoginThrottle::sweep(std::int64_t nowMs) {
  std::erase_if(failures_, [&](const auto& kv) { return nowMs - kv.second.lastMs >= limits_.forgetAfterMs; });
  // Still full (an attack with many distinct keys within the window): drop the oldest half. Losing a
  // count lets a guesser try a few more times; growing without bound would take the server down.
  if (failures_.size() >= limits_.maxKeys) {
    std::vector<std::int64_t> times;
    times.reserve(failures_.size());
    for (const auto& kv : failures_) times.push_back(kv.second.lastMs);
    auto middle = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
    std::nth_element(times.begin(), middle, times.end());
    const std::int64_t cutoff = *middle;
    std::erase_if(failures_, [&](const auto& kv) { return kv.second.lastMs <= cutoff; });
  }
}

}  // namespace tokens::domain
