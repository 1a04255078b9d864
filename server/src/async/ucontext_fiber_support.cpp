// Sanitizer builds only (cmake/Sanitizers.cmake): Boost.Context's ucontext flavour, the one that tells
// AddressSanitizer about stack switches, keeps its "current fiber" record in the library. Debian builds
// libboost_context with the assembly flavour, which lacks it, so the sanitizer build supplies it here,
// as Boost's own libs/context/src/fiber.cpp defines it for that flavour.
#if defined(BOOST_USE_UCONTEXT)

#include <boost/context/fiber.hpp>

namespace boost::context::detail {

namespace {
thread_local fiber_activation_record* currentRecord = nullptr;
thread_local std::size_t users = 0;
}  // namespace

// The thread's own (main) context is the first record: created on first use, deleted with the thread.
fiber_activation_record_initializer::fiber_activation_record_initializer() noexcept {
  if (users++ == 0) currentRecord = new fiber_activation_record();
}

fiber_activation_record_initializer::~fiber_activation_record_initializer() {
  if (--users == 0) {
    delete currentRecord;
    currentRecord = nullptr;
  }
}

fiber_activation_record*& fiber_activation_record::current() noexcept {
  thread_local static fiber_activation_record_initializer initializer;
  return currentRecord;
}

}  // namespace boost::context::detail

#endif
