// ApiClientImpl's asynchronous calls: the retry loop of sendUntilDone() as a chain of attempts on the
// transport's event loop, with the same decisions (afterFailure) between them.

#include "internal/api_client_impl.h"

#include "internal/api_failure.h"

namespace PureCloudPlatformClientV2::internal {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// One asynchronous call in progress: what the blocking loop keeps in local variables.
struct ApiClientImpl::AsyncCall {
  std::shared_ptr<const Settings> settings;
  ApiCall call;
  CallOptions options;
  RetryConfig retry;
  TransportRequest request;
  TransportRequest sent;  // the attempt in flight after pre-request hooks (only when there are some)
  const TransportRequest& attempted() const { return settings->preHooks.empty() ? request : sent; }
  steady_clock::time_point due;  // when it was to start: submission plus backoff
  RetryState state;
  int attempt = 0;
  AsyncDone done;
};

void ApiClientImpl::executeAsync(ApiCall call, CallOptions options, AsyncDone done) {
  auto pending = std::make_shared<AsyncCall>();
  pending->settings = snapshot();
  pending->options = std::move(options);
  pending->call = std::move(call);
  pending->call.options = &pending->options;
  pending->retry = pending->options.retry ? *pending->options.retry : pending->settings->retry;
  pending->request = callRequest(*pending->settings, pending->call);
  pending->done = std::move(done);
  try {
    pending->state.token = tokenFor(*pending->settings);  // a due renewal happens here, on the caller's thread
  } catch (...) {
    return deliver(*pending, std::current_exception(), {});
  }
  startAsyncAttempt(pending, milliseconds(0));
}

void ApiClientImpl::startAsyncAttempt(const std::shared_ptr<AsyncCall>& pending, milliseconds delay) {
  ++pending->attempt;
  const auto& settings = *pending->settings;
  setCallHeaders(settings, pending->request, pending->state.token);
  // Only hooks can make what is sent differ from the request: copy it for them alone.
  const bool hooked = !settings.preHooks.empty();
  if (hooked) {
    pending->sent = pending->request;
    beforeSend(settings, pending->sent);
  }
  pending->due = steady_clock::now() + delay;
  auto self = shared_from_this();  // the client lives as long as its calls
  settings.transport->performAsync(hooked ? pending->sent : pending->request, delay,
                                   [self, pending](TransportResponse response) {
                                     self->onAsyncAttempt(pending, std::move(response));
                                   });
}

void ApiClientImpl::onAsyncAttempt(const std::shared_ptr<AsyncCall>& pending, TransportResponse response) {
  std::exception_ptr error;
  ApiResult result;
  try {
    const auto& settings = *pending->settings;
    // The wire time (and any wait for a free connection), not the backoff, is what logs and hooks report.
    afterSend(settings, pending->attempted(), response,
              std::chrono::duration_cast<milliseconds>(steady_clock::now() - pending->due), pending->attempt);
    if (response.succeeded()) {
      result = ApiResult{response.status, std::move(response.headers), std::move(response.body)};
    } else {
      // The backoff waits on the event loop (a due time), never on a thread.
      if (const auto next = afterFailure(settings, CallKind::Api, pending->retry, response, pending->state))
        return startAsyncAttempt(pending, *next);
      throw failureOf(pending->call.method, pending->attempted().url, std::move(response),
                      pending->request.totalTimeout);
    }
  } catch (...) {
    error = std::current_exception();
  }
  deliver(*pending, error, std::move(result));
}

void ApiClientImpl::deliver(AsyncCall& pending, std::exception_ptr error, ApiResult result) {
  // Exactly once, and outside the decision above: a callback that throws must neither be called a
  // second time with its own exception nor take the I/O loop down.
  try {
    pending.done(error, std::move(result));
  } catch (const std::exception& e) {
    logger_.message(LogLevel::Error, std::string("an asynchronous callback threw: ") + e.what());
  } catch (...) {
    logger_.message(LogLevel::Error, "an asynchronous callback threw");
  }
}

}  // namespace PureCloudPlatformClientV2::internal
