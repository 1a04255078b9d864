#include "store/group_commit.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "async/await_completion.h"
#include "store/token_store.h"

namespace tokens::store {

class PendingWrite {
 public:
  explicit PendingWrite(GroupCommit::Write w) : write(std::move(w)) {}
  GroupCommit::Write write;

  /// Called once by the writer. Never throws: a waiter that could not be woken must not stop the writer.
  void finish(std::exception_ptr failure) noexcept {
    async::Completion done;
    {
      std::lock_guard lock(mutex_);
      failure_ = std::move(failure);
      finished_ = true;
      done = std::move(done_);
    }
    try {
      if (done) done();
    } catch (...) {
      // Out of memory while posting the resumption: nothing left to do for this waiter.
    }
  }
  /// Calls `done` once the write is finished: now, or when it finishes.
  void whenFinished(async::Completion done) {
    {
      std::lock_guard lock(mutex_);
      if (!finished_) {
        done_ = std::move(done);
        return;
      }
    }
    done();
  }
  std::exception_ptr failure() const {
    std::lock_guard lock(mutex_);
    return failure_;
  }

 private:
  mutable std::mutex mutex_;
  bool finished_ = false;
  std::exception_ptr failure_;
  async::Completion done_;
};

GroupCommit::GroupCommit(Transactions transactions, std::size_t maxBatch)
    : transactions_(std::move(transactions)), maxBatch_(std::max<std::size_t>(maxBatch, 1)), writer_([this] { run(); }) {}

GroupCommit::~GroupCommit() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  writer_.join();
}

WriteTicket GroupCommit::submit(Write write) {
  auto ticket = std::make_shared<PendingWrite>(std::move(write));
  {
    std::lock_guard lock(mutex_);
    if (stopping_) throw StoreUnavailable("the store is closing");
    if (failed_) throw StoreUnavailable("a write to the store failed earlier: restart the server to reload it");
    queue_.push_back(ticket);
  }
  queued_.notify_one();
  return ticket;
}

void GroupCommit::wait(const WriteTicket& ticket) {
  if (!ticket) return;
  async::awaitCompletion([&](async::Completion done) { ticket->whenFinished(std::move(done)); });
  if (auto failure = ticket->failure()) std::rethrow_exception(failure);
}

bool GroupCommit::healthy() const {
  std::lock_guard lock(mutex_);
  return !failed_;
}

void GroupCommit::stopAfterFailure() {
  std::lock_guard lock(mutex_);
  failed_ = true;
}

GroupCommit::Counts GroupCommit::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

void GroupCommit::run() {
  std::vector<WriteTicket> batch;
  for (;;) {
    bool failedBefore = false;
    {
      std::unique_lock lock(mutex_);
      queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to commit
      // Whatever queued while the last batch was on its way to the disk goes together now.
      const auto take = std::min(queue_.size(), maxBatch_);
      batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + static_cast<long>(take)));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(take));
      failedBefore = failed_;
    }
    const auto failure =
        failedBefore
            ? std::make_exception_ptr(StoreUnavailable("a write to the store failed earlier: restart the server to reload it"))
            : commitBatch(batch);
    {
      // Before any waiter wakes: one told of a failure must find the writer stopped.
      std::lock_guard lock(mutex_);
      if (failure) {
        failed_ = true;
      } else {
        ++counts_.batches;
        counts_.writes += batch.size();
      }
    }
    for (const auto& ticket : batch) ticket->finish(failure);
    batch.clear();
  }
}

std::exception_ptr GroupCommit::commitBatch(std::vector<WriteTicket>& batch) {
  std::exception_ptr failure;
  try {
    transactions_.begin();
    try {
      for (const auto& ticket : batch) ticket->write();
      transactions_.commit();
    } catch (...) {
      transactions_.rollback();
      throw;
    }
  } catch (const StoreUnavailable&) {
    failure = std::current_exception();
  } catch (const std::exception& e) {
    failure = std::make_exception_ptr(StoreUnavailable(std::string("the store's writer failed: ") + e.what()));
  } catch (...) {
    failure = std::make_exception_ptr(StoreUnavailable("the store's writer failed"));
  }
  return failure;
}

}  // namespace tokens::store
