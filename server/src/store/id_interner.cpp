#include "store/id_interner.h"

#include <limits>
#include <stdexcept>

namespace tokens::store {

IdInterner::IdInterner() { intern(""); }

IdInterner::Id IdInterner::intern(std::string_view text) {
  if (const auto it = ids_.find(text); it != ids_.end()) return it->second;
  if (names_.size() >= std::numeric_limits<Id>::max()) throw std::length_error("too many distinct ids");
  const auto id = static_cast<Id>(names_.size());
  const auto& stored = names_.emplace_back(text);
  ids_.emplace(std::string_view(stored), id);
  return id;
}

std::optional<IdInterner::Id> IdInterner::find(std::string_view text) const {
  const auto it = ids_.find(text);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

}  // namespace tokens::store
