#pragma once
// "memory:": everything in process memory, gone at exit. For tests and throw-away emulators.

#include "store/indexed_token_store.h"

namespace tokens::store {

class MemoryTokenStore final : public IndexedTokenStore {};

}  // namespace tokens::store
