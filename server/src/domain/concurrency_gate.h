#pragma once
// At most N callers inside at once; the others are turned away rather than queued. For work that is
// expensive on purpose (Argon2id password checks, ~20 ms of CPU each): run on the event loops, an
// unbounded burst of them would stall every other request, so only some loops may be busy with them.

#include <atomic>

namespace tokens::domain {

class ConcurrencyGate {
 public:
  explicit ConcurrencyGate(int capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  /// Holds a place while alive; check `admitted()`.
  class Pass {
   public:
    explicit Pass(ConcurrencyGate& gate) : gate_(gate), admitted_(gate.inside_.fetch_add(1) < gate.capacity_) {}
    ~Pass() { gate_.inside_.fetch_sub(1); }
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;
    bool admitted() const { return admitted_; }

   private:
    ConcurrencyGate& gate_;
    bool admitted_;
  };

  int capacity() const { return capacity_; }

 private:
  const int capacity_;
  std::atomic<int> inside_{0};
};

}  // namespace tokens::domain
