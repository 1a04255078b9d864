#include "domain/guess_throttle.h"

#include <arpa/inet.h>
#include <sodium.h>

#include <algorithm>
#include <tuple>

#include "domain/directory.h"
#include "domain/token_crypto.h"

namespace tokens::domain {

std::string GuessThrottle::addressScope(std::string_view address) {
  // One IPv6 host holds a whole /64 (and can pick any address in it): counted as one. An IPv4 address
  // mapped into IPv6 is that IPv4 address.
  const std::string text(address);
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return text;
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    char v4[INET_ADDRSTRLEN];
    return inet_ntop(AF_INET, &v6.s6_addr[12], v4, sizeof v4) ? std::string(v4) : text;
  }
  std::fill(v6.s6_addr + 8, v6.s6_addr + 16, 0);
  char scoped[INET6_ADDRSTRLEN];
  return inet_ntop(AF_INET6, &v6, scoped, sizeof scoped) ? std::string(scoped) + "/64" : text;
}

std::vector<GuessThrottle::Key> GuessThrottle::userKeys(std::string_view organizationId, std::string_view email,
                                                        std::string_view address) {
  std::vector<Key> keys;
  keys.push_back({Kind::User, std::string(organizationId).append("\n").append(lowercaseAscii(email))});
  keys.push_back({Kind::Address, addressScope(address)});
  return keys;
}

std::vector<GuessThrottle::Key> GuessThrottle::clientKeys(std::string_view clientId, std::string_view address) {
  std::vector<Key> keys;
  keys.push_back({Kind::Client, std::string(clientId).append("\n").append(addressScope(address))});
  return keys;
}

std::string GuessThrottle::mapKey(const Key& key) {
  static constexpr char kPrefix[] = {'u', 'a', 'c'};
  return std::string(1, kPrefix[static_cast<int>(key.kind)]).append(":").append(key.id);
}

std::int64_t GuessThrottle::waitAfter(int failures, const GuessRule& rule) const {
  if (failures < rule.freeFailures) return 0;
  const int doublings = std::min(failures - rule.freeFailures, 30);
  return std::min(limits_.firstWaitMs << doublings, limits_.maxWaitMs);
}

bool GuessThrottle::forgotten(const State& s, const GuessRule& rule, std::int64_t nowMs) const {
  // Quiet for forgetAfterMs once the last wait is over, not from the last failure: else a key whose wait
  // is as long as forgetAfterMs would start over just when its wait ends, and waits would never grow.
  return s.failures > 0 && nowMs - s.lastFailureMs >= waitAfter(s.failures, rule) + limits_.forgetAfterMs;
}

std::int64_t GuessThrottle::waitFor(const State& s, const GuessRule& rule, std::int64_t nowMs) const {
  const int failures = forgotten(s, rule, nowMs) ? 0 : s.failures;
  if (failures == 0) return s.inFlight >= rule.burst ? limits_.busyWaitMs : 0;
  // With failures on record, the attempts in flight may be failures too: together they stay within the
  // free ones, and past those, one attempt at a time once the wait is over.
  if (failures < rule.freeFailures) return failures + s.inFlight >= rule.freeFailures ? limits_.busyWaitMs : 0;
  const std::int64_t left = s.lastFailureMs + waitAfter(failures, rule) - nowMs;
  if (left > 0) return left;
  return s.inFlight > 0 ? limits_.busyWaitMs : 0;
}

std::int64_t GuessThrottle::waitLocked(std::span<const Key> keys, std::int64_t nowMs) {
  std::int64_t wait = 0;
  for (const auto& key : keys) {
    const auto it = states_.find(mapKey(key));
    if (it != states_.end()) wait = std::max(wait, waitFor(it->second, limits_.rule(key.kind), nowMs));
  }
  return wait;
}

namespace {

// An attempt's name among the others in flight on a shared ledger: 128 random bits.
std::string newAttemptId() {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  return toHex(bytes);
}

}  // namespace

GuessThrottle::Start GuessThrottle::begin(std::vector<Key> keys, std::int64_t nowMs) {
  if (shared_) {
    auto id = newAttemptId();
    if (const auto wait = shared_->admit(keys, limits_, nowMs, id, true); wait > 0) return {nullptr, wait};
    return {std::make_shared<Attempt>(*this, std::move(keys), std::move(id)), 0};
  }
  std::lock_guard lock(mutex_);
  if (const auto wait = waitLocked(keys, nowMs); wait > 0) return {nullptr, wait};
  if (states_.size() + keys.size() > limits_.maxKeys) sweep(nowMs);
  if (states_.size() + keys.size() > limits_.maxKeys) return {nullptr, limits_.busyWaitMs};  // all in flight
  for (const auto& key : keys) ++states_[mapKey(key)].inFlight;
  return {std::make_shared<Attempt>(*this, std::move(keys)), 0};
}

std::int64_t GuessThrottle::waitBefore(std::span<const Key> keys, std::int64_t nowMs) {
  if (shared_) return shared_->admit(keys, limits_, nowMs, {}, false);
  std::lock_guard lock(mutex_);
  return waitLocked(keys, nowMs);
}

void GuessThrottle::recordSuccess(std::span<const Key> keys) {
  if (shared_) {
    shared_->recordSuccess(keys, limits_);
    return;
  }
  std::lock_guard lock(mutex_);
  for (const auto& key : keys) {
    if (!limits_.rule(key.kind).clearedBySuccess) continue;
    const auto it = states_.find(mapKey(key));
    if (it == states_.end()) continue;
    it->second.failures = 0;
    if (it->second.inFlight == 0) states_.erase(it);
  }
}

void GuessThrottle::end(std::span<const Key> keys, GuessLedger::Outcome outcome, std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  for (const auto& key : keys) {
    const auto it = states_.find(mapKey(key));
    if (it == states_.end()) continue;  // not swept while in flight; kept defensive all the same
    auto& s = it->second;
    s.inFlight = std::max(0, s.inFlight - 1);
    if (outcome == GuessLedger::Outcome::Failed) {
      if (forgotten(s, limits_.rule(key.kind), nowMs)) s.failures = 0;
      ++s.failures;
      s.lastFailureMs = nowMs;
    } else if (outcome == GuessLedger::Outcome::Succeeded && limits_.rule(key.kind).clearedBySuccess) {
      s.failures = 0;
    }
    if (s.failures == 0 && s.inFlight == 0) states_.erase(it);
  }
}

void GuessThrottle::finish(std::span<const Key> keys, std::string_view attemptId, GuessLedger::Outcome outcome,
                           std::int64_t nowMs) {
  if (shared_)
    shared_->end(keys, limits_, nowMs, attemptId, outcome);
  else
    end(keys, outcome, nowMs);
}

GuessThrottle::Attempt::~Attempt() {
  if (ended_) return;
  try {
    owner_.finish(keys_, id_, GuessLedger::Outcome::Dropped, 0);
  } catch (...) {
    // A shared ledger that is unreachable: its entry for this attempt expires by itself.
  }
}

void GuessThrottle::Attempt::failed(std::int64_t nowMs) {
  if (ended_) return;
  ended_ = true;
  owner_.finish(keys_, id_, GuessLedger::Outcome::Failed, nowMs);
}

void GuessThrottle::Attempt::succeeded() {
  if (ended_) return;
  ended_ = true;
  owner_.finish(keys_, id_, GuessLedger::Outcome::Succeeded, 0);
}

std::size_t GuessThrottle::trackedKeys() {
  std::lock_guard lock(mutex_);
  return states_.size();
}

void GuessThrottle::sweep(std::int64_t nowMs) {
  // Down to 90 %, so that sweeps are rare. What goes first: keys forgotten anyway; then keys that make
  // nobody wait now, oldest first; and only then keys that wait, fewest failures first. Never a key
  // with a check under way. So noise (many new keys) cannot flush a key that is being made to wait
  // before every quiet one is gone.
  const std::size_t target = limits_.maxKeys - limits_.maxKeys / 10;
  if (states_.size() <= target) return;
  std::vector<std::tuple<int, int, std::int64_t, std::string>> candidates;  // (waiting, failures, last, key)
  for (const auto& [key, s] : states_) {
    if (s.inFlight > 0) continue;
    const auto& rule = limits_.rule(key[0] == 'u' ? Kind::User : key[0] == 'a' ? Kind::Address : Kind::Client);
    if (forgotten(s, rule, nowMs)) {
      candidates.emplace_back(-1, 0, s.lastFailureMs, key);
      continue;
    }
    const bool waiting = s.failures >= rule.freeFailures && nowMs < s.lastFailureMs + waitAfter(s.failures, rule);
    candidates.emplace_back(waiting ? 1 : 0, waiting ? s.failures : 0, s.lastFailureMs, key);
  }
  const std::size_t drop = std::min(candidates.size(), states_.size() - target);
  std::nth_element(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(drop), candidates.end());
  for (std::size_t i = 0; i < drop; ++i) states_.erase(std::get<3>(candidates[i]));
}

}  // namespace tokens::domain
