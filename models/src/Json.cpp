#include "PureCloudPlatformClientV2/model/Json.h"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>

#include "PureCloudPlatformClientV2/model/ErrorBody.h"
#include "PureCloudPlatformClientV2/model/IdleTokenTimeout.h"
#include "PureCloudPlatformClientV2/model/TokenInfo.h"
#include "PureCloudPlatformClientV2/model/internal/JsonCodec.h"

namespace PureCloudPlatformClientV2 {

template <class Model>
std::string toJson(const Model& model) {
  return boost::json::serialize(internal::toJsonValue(model));
}

template <class Model>
std::optional<Model> fromJson(std::string_view text, JsonError* error) {
  JsonError local;
  JsonError& e = error ? *error : local;
  // The document only lives while the model is read out of it: a stack arena spares the allocator one
  // call per node (this is on every SDK call's path). Larger documents spill over to the heap.
  unsigned char arena[4096];
  boost::json::monotonic_resource resource(arena, sizeof arena);
  auto value = internal::parseJson(text, e, &resource);
  if (!value) return std::nullopt;
  Model model{};
  if (!internal::fromJsonValue(*value, model, e)) return std::nullopt;
  return model;
}

#define TOKENS_MODEL_TEXT(M)                            \
  template std::string toJson<M>(const M&);            \
  template std::optional<M> fromJson<M>(std::string_view, JsonError*);

TOKENS_MODEL_TEXT(Entity)
TOKENS_MODEL_TEXT(NamedEntity)
TOKENS_MODEL_TEXT(DomainEntityRef)
TOKENS_MODEL_TEXT(TokenInfoClonedUser)
TOKENS_MODEL_TEXT(RoleDivision)
TOKENS_MODEL_TEXT(OrgOAuthClient)
TOKENS_MODEL_TEXT(TokenInfo)
TOKENS_MODEL_TEXT(InactivityTimeoutGroupBundle)
TOKENS_MODEL_TEXT(IdleTokenTimeout)
TOKENS_MODEL_TEXT(Detail)
TOKENS_MODEL_TEXT(Limit)
TOKENS_MODEL_TEXT(ErrorBody)

}  // namespace PureCloudPlatformClientV2
