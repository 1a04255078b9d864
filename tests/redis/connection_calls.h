#pragma once
// Driving a RedisConnection from a test: run its loop until something happens, or one command waited for.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>

#include <boost/asio/io_context.hpp>

#include "store/redis/redis_connection.h"

namespace tokens::testing {

/// Runs the loop until `done` says so, at most `limit`.
inline bool runUntil(boost::asio::io_context& ioc, const std::function<bool()>& done,
                     std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    ioc.restart();
    ioc.run_for(std::chrono::milliseconds(10));
  }
  return true;
}

/// One command, waited for (at most 5 s).
inline store::redis::RedisResult call(boost::asio::io_context& ioc, store::redis::RedisConnection& c,
                                      std::vector<std::string> args) {
  store::redis::RedisResult out;
  bool got = false;
  c.command(std::move(args), [&](store::redis::RedisResult r) {
    out = std::move(r);
    got = true;
  });
  EXPECT_TRUE(runUntil(ioc, [&] { return got; }));
  return out;
}

}  // namespace tokens::testing
