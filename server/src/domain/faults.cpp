#include "domain/faults.h"

namespace tokens::domain {

void FaultInjector::add(Fault fault) {
  std::lock_guard lock(mutex_);
  faults_.push_back(std::move(fault));
  any_.store(true, std::memory_order_release);
}

void FaultInjector::clear() {
  std::lock_guard lock(mutex_);
  faults_.clear();
  any_.store(false, std::memory_order_release);
}

std::optional<Fault> FaultInjector::take(std::string_view method, std::string_view path) {
  if (!any_.load(std::memory_order_acquire)) return std::nullopt;
  std::lock_guard lock(mutex_);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->method != method || it->path != path) continue;
    Fault taken = *it;
    if (--it->count <= 0) faults_.erase(it);
    if (faults_.empty()) any_.store(false, std::memory_order_release);
    return taken;
  }
  return std::nullopt;
}

}  // namespace tokens::domain
