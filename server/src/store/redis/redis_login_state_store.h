#pragma once
// The login state (store/login_state_store.h) in Redis, for nodes behind a load balancer: a login page
// shown by one node can be posted to another, its code exchanged on a third, and a code replayed on any
// node revokes what the first exchange issued (docs/redis.md).
//
// Keys (prefix "tokens:"): "code:<digest hex>" hashes, "secret:<name>"; in the bucket of the session's
// digest (redis_keys.h), "session:<digest hex>" hashes and "sessions-of:<user>" sets of the user's
// session keys in that bucket. Claiming a code, recording what it issued, ending sessions and the
// shared secrets are durable writes (redis_client.h): a failover must not let a spent code be spent again. Each expires in Redis once it cannot matter any more;
// the times that decide expiry are the server's (the emulator's clock), checked by the caller.

#include "store/login_state_store.h"
#include "store/redis/redis_client.h"

namespace tokens::store {

class RedisLoginStateStore final : public LoginStateStore {
 public:
  /// `client` is the token store's, and must outlive this.
  explicit RedisLoginStateStore(redis::RedisClient& client) : client_(client) {}

  bool putCode(const Digest& code, const CodeGrant& grant, std::int64_t expiresAtMs, std::int64_t nowMs) override;
  ClaimedCode claimCode(const Digest& code, std::string_view clientId) override;
  bool recordIssued(const Digest& code, std::span<const Digest> issued) override;
  bool putSession(const Digest& session, std::string_view userId, std::int64_t expiresAtMs, std::int64_t nowMs) override;
  std::optional<std::string> sessionUser(const Digest& session, std::int64_t nowMs) override;
  void endSession(const Digest& session) override;
  void endSessionsOf(std::string_view userId) override;
  std::string sharedSecret(std::string_view name) override;

 private:
  redis::RedisClient& client_;
};

}  // namespace tokens::store
