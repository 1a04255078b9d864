#pragma once
// Ids of organizations, clients, users and grant types as small numbers. A million tokens name a few
// thousand distinct ids, so the token table keeps 4 bytes per id instead of a string of its own.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace tokens::store {

/// Not thread-safe: the token table's lock guards it (writers intern, readers look up). Ids are never
/// given back: a store remembers every id it ever held, a few bytes each, however many tokens came and went.
class IdInterner {
 public:
  using Id = std::uint32_t;
  static constexpr Id kEmpty = 0;  ///< the empty string, interned from the start

  IdInterner();
  Id intern(std::string_view text);
  std::optional<Id> find(std::string_view text) const;
  const std::string& text(Id id) const { return names_[id]; }

 private:
  std::deque<std::string> names_;  // a deque: its strings never move, so the views below stay valid
  std::unordered_map<std::string_view, Id> ids_;
};

}  // namespace tokens::store
