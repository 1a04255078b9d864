#pragma once
// A durable write that was queued and is waited for later (store/group_commit.h): what a durable layer's
// hook hands back to IndexedTokenStore. Null: nothing to wait for.

#include <memory>

namespace tokens::store {

class PendingWrite;
using WriteTicket = std::shared_ptr<PendingWrite>;

}  // namespace tokens::store
