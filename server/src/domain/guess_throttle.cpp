#include "domain/guess_throttle.h"

#include <algorithm>

#include "domain/directory.h"

namespace tokens::domain {

std::vector<GuessThrottle::Key> GuessThrottle::userKeys(std::string_view organizationId, std::string_view email,
                                                        std::string_view address) {
  std::vector<Key> keys;
  keys.push_back({Kind::User, std::string(organizationId).append("\n").append(lowercaseAscii(email))});
  keys.push_back({Kind::Address, std::string(address)});
  return keys;
}

std::vector<GuessThrottle::Key> GuessThrottle::clientKeys(std::string_view clientId, std::string_view address) {
  std::vector<Key> keys;
  keys.push_back({Kind::Client, std::string(clientId).append("\n").append(address)});
  return keys;
}

const GuessRule& GuessThrottle::ruleOf(Kind kind) const {
  switch (kind) {
    case Kind::User: return limits_.user;
    case Kind::Address: return limits_.address;
    case Kind::Client: break;
  }
  return limits_.client;
}

std::string GuessThrottle::mapKey(const Key& key) {
  static constexpr char kPrefix[] = {'u', 'a', 'c'};
  return std::string(1, kPrefix[static_cast<int>(key.kind)]).append(":").append(key.id);
}

std::int64_t GuessThrottle::waitFor(const State& s, const GuessRule& rule, std::int64_t nowMs) const {
  const bool forgotten = s.failures > 0 && nowMs - s.lastFailureMs >= limits_.forgetAfterMs;
  const int failures = forgotten ? 0 : s.failures;
  if (failures == 0) return s.inFlight >= rule.burst ? limits_.busyWaitMs : 0;
  // With failures on record, the attempts in flight may be failures too: together they stay within the
  // free ones, and past those, one attempt at a time once the wait is over.
  if (failures < rule.freeFailures) return failures + s.inFlight >= rule.freeFailures ? limits_.busyWaitMs : 0;
  const int doublings = std::min(failures - rule.freeFailures, 30);
  const std::int64_t wait = std::min(limits_.firstWaitMs << doublings, limits_.maxWaitMs);
  const std::int64_t left = s.lastFailureMs + wait - nowMs;
  if (left > 0) return left;
  return s.inFlight > 0 ? limits_.busyWaitMs : 0;
}

std::int64_t GuessThrottle::waitLocked(std::span<const Key> keys, std::int64_t nowMs) {
  std::int64_t wait = 0;
  for (const auto& key : keys) {
    const auto it = states_.find(mapKey(key));
    if (it != states_.end()) wait = std::max(wait, waitFor(it->second, ruleOf(key.kind), nowMs));
  }
  return wait;
}

GuessThrottle::Start GuessThrottle::begin(std::vector<Key> keys, std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  if (const auto wait = waitLocked(keys, nowMs); wait > 0) return {nullptr, wait};
  if (states_.size() + keys.size() > limits_.maxKeys) sweep(nowMs);
  for (const auto& key : keys) ++states_[mapKey(key)].inFlight;
  return {std::make_shared<Attempt>(*this, std::move(keys)), 0};
}

std::int64_t GuessThrottle::waitBefore(std::span<const Key> keys, std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  return waitLocked(keys, nowMs);
}

void GuessThrottle::recordSuccess(std::span<const Key> keys) {
  std::lock_guard lock(mutex_);
  for (const auto& key : keys) {
    if (!ruleOf(key.kind).clearedBySuccess) continue;
    const auto it = states_.find(mapKey(key));
    if (it == states_.end()) continue;
    it->second.failures = 0;
    if (it->second.inFlight == 0) states_.erase(it);
  }
}

void GuessThrottle::end(std::span<const Key> keys, bool failed, bool succeeded, std::int64_t nowMs) {
  std::lock_guard lock(mutex_);
  for (const auto& key : keys) {
    const auto it = states_.find(mapKey(key));
    if (it == states_.end()) continue;  // not swept while in flight; kept defensive all the same
    auto& s = it->second;
    s.inFlight = std::max(0, s.inFlight - 1);
    if (failed) {
      if (s.failures > 0 && nowMs - s.lastFailureMs >= limits_.forgetAfterMs) s.failures = 0;
      ++s.failures;
      s.lastFailureMs = nowMs;
    } else if (succeeded && ruleOf(key.kind).clearedBySuccess) {
      s.failures = 0;
    }
    if (s.failures == 0 && s.inFlight == 0) states_.erase(it);
  }
}

GuessThrottle::Attempt::~Attempt() {
  if (!ended_) owner_.end(keys_, false, false, 0);
}

void GuessThrottle::Attempt::failed(std::int64_t nowMs) {
  if (ended_) return;
  ended_ = true;
  owner_.end(keys_, true, false, nowMs);
}

void GuessThrottle::Attempt::succeeded() {
  if (ended_) return;
  ended_ = true;
  owner_.end(keys_, false, true, 0);
}

std::size_t GuessThrottle::trackedKeys() {
  std::lock_guard lock(mutex_);
  return states_.size();
}

void GuessThrottle::sweep(std::int64_t nowMs) {
  const auto idle = [&](const State& s) { return s.inFlight == 0; };
  std::erase_if(states_, [&](const auto& kv) {
    return idle(kv.second) && nowMs - kv.second.lastFailureMs >= limits_.forgetAfterMs;
  });
  // Still full (an attack with many distinct keys within the window): drop the older half of those not in
  // flight. Losing a count lets a guesser try a few more times; growing without bound would take the
  // server down.
  if (states_.size() + 2 <= limits_.maxKeys) return;  // room for the keys of one more attempt
  std::vector<std::int64_t> times;
  times.reserve(states_.size());
  for (const auto& kv : states_)
    if (idle(kv.second)) times.push_back(kv.second.lastFailureMs);
  if (times.empty()) return;
  auto middle = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
  std::nth_element(times.begin(), middle, times.end());
  const std::int64_t cutoff = *middle;
  std::erase_if(states_, [&](const auto& kv) { return idle(kv.second) && kv.second.lastFailureMs <= cutoff; });
}

}  // namespace tokens::domain
