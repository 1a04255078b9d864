#include "async/request_fiber.h"

namespace tokens::async {

namespace {
thread_local Yield* current = nullptr;
}  // namespace

Yield* currentFiber() noexcept { return current; }

FiberScope::FiberScope(Yield& yield) noexcept { current = &yield; }
FiberScope::~FiberScope() { current = nullptr; }

AwayFromFiber::AwayFromFiber() noexcept : fiber_(current) { current = nullptr; }
AwayFromFiber::~AwayFromFiber() { current = fiber_; }

StackPool::~StackPool() {
  for (auto& stack : free_) maker_.deallocate(stack);
}

boost::context::stack_context StackPool::take() {
  if (free_.empty()) return maker_.allocate();
  auto stack = free_.back();
  free_.pop_back();
  return stack;
}

void StackPool::give(boost::context::stack_context& stack) noexcept {
  if (free_.size() < kKeptStacks) {
    free_.push_back(stack);
    return;
  }
  maker_.deallocate(stack);
}

}  // namespace tokens::async
