#pragma once
// Group commit: one writer thread takes every write queued since its last commit and makes them durable
// together, with one transaction and so one fsync. A durable store then costs one fsync per batch
// instead of one per request, and no event loop waits on a disk: the request that queued a write waits
// for it in its fiber (async::awaitCompletion), and its answer goes out only once the write is durable.
//
// Writes are committed in the order they were queued. A batch that fails (disk full, I/O error) fails
// every write in it, each waiter gets StoreUnavailable, and so does every write after it: the writer
// stops for good (fail-stop). The store above it applied those changes to memory already, so memory and
// file no longer agree, and a later write that succeeded could rest on one that did not (a revocation
// retried finds nothing left to revoke in memory while the file still has the token). A restart, which
// reloads memory from the file, is the way back; PostgreSQL treats a failed fsync the same way.

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

  explicit GroupCommit(Transactions transactions, std::size_t maxBatch = 4096);
  /// Commits what is queued, then stops the writer.
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  /// Queues a write; returns at once. Throws StoreUnavailable once a batch has failed.
  WriteTicket submit(Write write);
  /// False once a batch has failed (and for good).
  bool healthy() const;
  /// Stops the writer as a failed batch would: for a store whose memory could not follow a queued write.
  void stopAfterFailure();
  /// Returns once the write is durable; throws StoreUnavailable if its batch failed. Suspends a request
  /// fiber rather than its loop: call it with no mutex held.
  static void wait(const WriteTicket& ticket);
  /// submit() and wait().
  void write(Write w) { wait(submit(std::move(w))); }

  /// Batches committed and the writes in them so far (for /metrics and the benchmarks).
  struct Counts {
    std::size_t batches = 0;
    std::size_t writes = 0;
  };
  Counts counts() const;

 private:
  void run();
  /// Runs and commits the batch; its failure, or null if it was committed. The tickets are left to run().
  std::exception_ptr commitBatch(std::vector<WriteTicket>& batch);

  Transactions transactions_;
  const std::size_t maxBatch_;
  mutable std::mutex mutex_;
  std::condition_variable queued_;
  std::vector<WriteTicket> queue_;
  bool stopping_ = false;
  bool failed_ = false;
  Counts counts_;
  std::thread writer_;  // last: started once everything above exists
};

}  // namespace tokens::store
