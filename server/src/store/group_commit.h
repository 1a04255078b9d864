#pragma once
// Group commit: one writer thread takes every write queued since its last commit and makes them durable
// together, with one transaction and so one fsync. A durable store then costs one fsync per batch
// instead of one per request, and no event loop waits on a disk: the request that queued a write waits
// for it in its fiber (async::awaitCompletion), and its answer goes out only once the write is durable.
//
// Writes are committed in the order they were queued. A batch that fails (disk full, I/O error) fails
// every write in it, each waiter gets StoreUnavailable, and the next batch tries afresh.

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/write_ticket.h"

namespace tokens::store {


class GroupCommit {
 public:
  /// How the writer brackets a batch; each may throw StoreUnavailable. `rollback` must not throw.
  struct Transactions {
    std::function<void()> begin;
    std::function<void()> commit;
    std::function<void()> rollback;
  };
  /// A write, run on the writer thread inside the batch's transaction; may throw StoreUnavailable.
  using Write = std::function<void()>;

  GroupCommit(Transactions transactions, std::size_t maxBatch = 4096);
  /// Commits what is queued, then stops the writer.
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  /// Queues a write; returns at once.
  WriteTicket submit(Write write);
  /// Returns once the write is durable; throws StoreUnavailable if its batch failed. Suspends a request
  /// fiber rather than its loop: call it with no mutex held.
  static void wait(const WriteTicket& ticket);
  /// submit() and wait().
  void write(Write w) { wait(submit(std::move(w))); }

  /// Batches committed and writes in them so far (for /metrics and the benchmarks).
  struct Counts {
    std::size_t batches = 0;
    std::size_t writes = 0;
  };
  Counts counts() const;

 private:
  void run();
  void commitBatch(std::vector<WriteTicket>& batch);

  Transactions transactions_;
  const std::size_t maxBatch_;
  mutable std::mutex mutex_;
  std::condition_variable queued_;
  std::vector<WriteTicket> queue_;
  bool stopping_ = false;
  Counts counts_;
  std::thread writer_;  // last: started once everything above exists
};

}  // namespace tokens::store
