#include "internal/api_client_impl.h"

#include <cstring>

#include <sodium.h>

#include "PureCloudPlatformClientV2/ApiClient.h"
#include "PureCloudPlatformClientV2/ApiException.h"
#include "internal/api_failure.h"

namespace PureCloudPlatformClientV2::internal {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using std::chrono::system_clock;

ApiClientImpl& ApiClientAccess::impl(const ApiClient& client) { return *client.impl_; }

namespace {

// "https://api.x" or "http://127.0.0.1:8080": scheme and host. A bare host gets https and "api.".
std::pair<std::string, std::string> schemeAndHost(const std::string& environment) {
  auto env = environment;
  while (!env.empty() && env.back() == '/') env.pop_back();
  for (const char* scheme : {"https://", "http://"}) {
    if (env.rfind(scheme, 0) == 0) return {std::string(scheme), env.substr(std::strlen(scheme))};
  }
  if (env.rfind("api.", 0) == 0) env = env.substr(4);
  return {"https://", "api." + env};
}

std::string gatewayUrl(const GatewayConfig& gateway, const std::string& pathParams) {
  std::string url = (gateway.protocol.empty() ? "https" : gateway.protocol) + "://" + gateway.host;
  if (gateway.port >= 0) url += ":" + std::to_string(gateway.port);
  auto params = pathParams;
  while (!params.empty() && params.back() == '/') params.pop_back();
  if (!params.empty()) url += (params.front() == '/' ? "" : "/") + params;
  return url;
}

}  // namespace

// ---- settings -------------------------------------------------------------------------------------------

ApiClientImpl::ApiClientImpl() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  auto settings = std::make_shared<Settings>();
  settings->transport = makeCurlTransport();
  settings->sleeper = defaultSleeper();
  settings->jitter = defaultJitter();
  deriveBasePaths(*settings);
  settings_ = std::move(settings);
}

std::shared_ptr<const ApiClientImpl::Settings> ApiClientImpl::snapshot() const {
  std::lock_guard lock(settingsMutex_);
  return settings_;
}

template <class Change>
void ApiClientImpl::update(Change change) {
  std::lock_guard lock(settingsMutex_);
  auto next = std::make_shared<Settings>(*settings_);
  change(*next);
  deriveBasePaths(*next);
  settings_ = std::move(next);
}

void ApiClientImpl::setEnvironment(const std::string& hostOrBaseUrl) {
  update([&](Settings& s) { s.environment = hostOrBaseUrl; });
}
void ApiClientImpl::setGateway(const GatewayConfig& gateway) {
  update([&](Settings& s) {
    if (gateway.host.empty())
      s.gateway.reset();
    else
      s.gateway = gateway;
  });
}
void ApiClientImpl::setRetryConfig(const RetryConfig& config) { update([&](Settings& s) { s.retry = config; }); }
RetryConfig ApiClientImpl::retryConfig() const { return snapshot()->retry; }
void ApiClientImpl::setTimeouts(const TimeoutConfig& config) { update([&](Settings& s) { s.timeouts = config; }); }
TimeoutConfig ApiClientImpl::timeouts() const { return snapshot()->timeouts; }
void ApiClientImpl::setTlsConfig(const TlsConfig& config) { update([&](Settings& s) { s.tls = config; }); }
void ApiClientImpl::setProxy(const ProxyConfig& config) { update([&](Settings& s) { s.proxy = config; }); }
void ApiClientImpl::setUserAgent(const std::string& userAgent) { update([&](Settings& s) { s.userAgent = userAgent; }); }
void ApiClientImpl::setDefaultHeader(const std::string& name, const std::string& value) {
  update([&](Settings& s) {
    std::erase_if(s.defaultHeaders, [&](const auto& header) { return header.first == name; });
    s.defaultHeaders.emplace_back(name, value);
  });
}
void ApiClientImpl::addPreRequestHook(PreRequestHook hook) { update([&](Settings& s) { s.preHooks.push_back(hook); }); }
void ApiClientImpl::addPostResponseHook(PostResponseHook hook) { update([&](Settings& s) { s.postHooks.push_back(hook); }); }
void ApiClientImpl::setShouldRefreshAccessToken(bool refresh) { update([&](Settings& s) { s.refreshOn401 = refresh; }); }
void ApiClientImpl::setTokenRenewalMargin(std::chrono::seconds margin) {
  update([&](Settings& s) { s.renewalMargin = margin; });
}
void ApiClientImpl::setRefreshWaitMax(std::chrono::seconds wait) { update([&](Settings& s) { s.refreshWaitMax = wait; }); }
void ApiClientImpl::setTransport(std::shared_ptr<Transport> transport) {
  update([&](Settings& s) { s.transport = std::move(transport); });
}
void ApiClientImpl::setSleeper(Sleeper sleeper) { update([&](Settings& s) { s.sleeper = std::move(sleeper); }); }
void ApiClientImpl::setJitter(Jitter jitter) { update([&](Settings& s) { s.jitter = std::move(jitter); }); }

void ApiClientImpl::deriveBasePaths(Settings& settings) {
  if (settings.gateway) {
    settings.apiBase = gatewayUrl(*settings.gateway, settings.gateway->pathParamsApi);
    settings.loginBase = gatewayUrl(*settings.gateway, settings.gateway->pathParamsLogin);
    return;
  }
  const auto [scheme, host] = schemeAndHost(settings.environment);
  settings.apiBase = scheme + host;
  settings.loginBase = scheme + (host.starts_with("api.") ? "login." + host.substr(4) : host);
}

std::string ApiClientImpl::basePath() const { return snapshot()->apiBase; }
std::string ApiClientImpl::loginBasePath() const { return snapshot()->loginBase; }

// ---- logins and calls: one retry loop -----------------------------------------------------------------

AuthData ApiClientImpl::login(const GrantRequest& grant) {
  AuthData data = performGrant(*snapshot(), grant);
  token_.adopt(grant, data);
  return data;
}

TokenKeeper::PerformGrant ApiClientImpl::grantPerformer(const Settings& settings) {
  return [this, &settings](const GrantRequest& grant) { return performGrant(settings, grant); };
}

std::string ApiClientImpl::tokenFor(const Settings& settings) {
  return token_.tokenForRequest(settings.renewalMargin, settings.refreshWaitMax, grantPerformer(settings));
}

std::string ApiClientImpl::renewAfter401(const Settings& settings, const std::string& staleToken) {
  return token_.renew(staleToken, settings.refreshWaitMax, grantPerformer(settings));
}

AuthData ApiClientImpl::performGrant(const Settings& settings, const GrantRequest& grant) {
  TransportRequest request = grantRequest(settings, grant);
  RetryState state;
  auto done = sendUntilDone(settings, CallKind::Login, settings.retry, request, state);
  auto data = parseTokenResponse(done.response.body, system_clock::now());
  if (!data)
    throw ApiException(ApiException::Kind::HttpError, done.response.status,
                       "POST " + done.urlOf(request) + ": the answer holds no access_token",
                       std::move(done.response.body), std::move(done.response.headers));
  return std::move(*data);
}

ApiResult ApiClientImpl::execute(const ApiCall& call) {
  const auto settings = snapshot();
  const RetryConfig& retry = call.options && call.options->retry ? *call.options->retry : settings->retry;
  TransportRequest request = callRequest(*settings, call);
  RetryState state;
  state.token = tokenFor(*settings);
  auto done = sendUntilDone(*settings, CallKind::Api, retry, request, state);
  return ApiResult{done.response.status, std::move(done.response.headers), std::move(done.response.body)};
}

ApiClientImpl::Attempt ApiClientImpl::sendUntilDone(const Settings& settings, CallKind kind, const RetryConfig& retry,
                                                    TransportRequest& request, RetryState& state) {
  for (int attempt = 1;; ++attempt) {
    if (kind == CallKind::Api) setCallHeaders(settings, request, state.token);
    auto outcome = send(settings, request, attempt);
    if (outcome.response.succeeded()) return outcome;
    const auto next = afterFailure(settings, kind, retry, outcome.response, state);
    if (!next) throw failureOf(request.method, outcome.urlOf(request), std::move(outcome.response), request.totalTimeout);
    if (next->count() > 0) settings.sleeper(*next);
  }
}

std::optional<milliseconds> ApiClientImpl::afterFailure(const Settings& settings, CallKind kind,
                                                        const RetryConfig& retry, const TransportResponse& response,
                                                        RetryState& state) {
  if (kind == CallKind::Api && response.failure == TransportFailure::None && response.status == 401 &&
      settings.refreshOn401 && !state.renewedAfter401) {
    // A failed renewal throws from here: the caller gets the renewal's ApiException.
    const auto fresh = renewAfter401(settings, state.token);
    if (!fresh.empty() && fresh != state.token) {
      state.token = fresh;
      state.renewedAfter401 = true;
      return milliseconds(0);  // not a retry: the same request with a working token
    }
  }
  if (!isRetryable(kind, response.status, response.failure)) return std::nullopt;
  const auto retryAfter = response.failure == TransportFailure::None
                              ? parseRetryAfter(headerValue(response.headers, "retry-after"), system_clock::now())
                              : std::nullopt;
  const auto delay = retryDelay(retry, state.retries + 1, state.waited, retryAfter, settings.jitter);
  if (delay) {
    state.waited += *delay;
    ++state.retries;
  }
  return delay;
}

// ---- the wire ------------------------------------------------------------------------------------------

TransportRequest ApiClientImpl::grantRequest(const Settings& settings, const GrantRequest& grant) {
  TransportRequest request;
  request.method = "POST";
  request.url = settings.loginBase + "/oauth/token";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"},
                     {"User-Agent", settings.userAgent}};
  if (grant.basicAuth) request.headers.emplace_back("Authorization", basicAuthorization(grant.clientId, grant.clientSecret));
  for (const auto& header : settings.defaultHeaders) request.headers.push_back(header);
  request.body = grant.form;
  request.connectTimeout = settings.timeouts.connect;
  request.totalTimeout = settings.timeouts.total;
  request.tls = settings.tls;
  request.proxy = settings.proxy;
  return request;
}

TransportRequest ApiClientImpl::callRequest(const Settings& settings, const ApiCall& call) {
  TransportRequest request;
  request.method = call.method;
  request.url = settings.apiBase + call.path;
  if (!call.query.empty()) request.url += "?" + call.query;
  request.body = call.jsonBody;
  const CallOptions* options = call.options;
  request.connectTimeout = options && options->connectTimeout ? *options->connectTimeout : settings.timeouts.connect;
  request.totalTimeout = options && options->totalTimeout ? *options->totalTimeout : settings.timeouts.total;
  request.tls = settings.tls;
  request.proxy = settings.proxy;
  return request;
}

void ApiClientImpl::setCallHeaders(const Settings& settings, TransportRequest& request, const std::string& token) {
  request.headers.clear();
  request.headers.reserve(4 + settings.defaultHeaders.size());
  if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
  request.headers.emplace_back("Accept", "application/json");
  if (request.body) request.headers.emplace_back("Content-Type", "application/json");
  request.headers.emplace_back("User-Agent", settings.userAgent);
  for (const auto& header : settings.defaultHeaders) request.headers.push_back(header);
}

void ApiClientImpl::beforeSend(const Settings& settings, TransportRequest& request) const {
  if (settings.preHooks.empty()) return;
  RequestContext context{request.method, request.url, {}};
  for (const auto& [name, value] : request.headers) context.headers[name] = value;
  for (const auto& hook : settings.preHooks) hook(context);
  request.url = context.url;
  request.headers.assign(context.headers.begin(), context.headers.end());
}

void ApiClientImpl::afterSend(const Settings& settings, const TransportRequest& request,
                              const TransportResponse& response, milliseconds elapsed, int attempt) {
  const bool failed = response.failure != TransportFailure::None || response.status >= 400;
  const bool logged = logger_.enabled(failed ? LogLevel::Error : LogLevel::Debug);
  if (!logged && settings.postHooks.empty()) return;  // the common case: nothing to build for nobody
  const auto correlationId = headerValue(response.headers, "inin-correlation-id");
  if (logged) {
    std::map<std::string, std::string> requestHeaders(request.headers.begin(), request.headers.end());
    LoggedExchange exchange{request.method, request.url, attempt, response.status, response.failureMessage, elapsed,
                            correlationId, &requestHeaders, &response.headers,
                            request.body ? &*request.body : nullptr, &response.body};
    logger_.log(exchange);
  }
  if (!settings.postHooks.empty()) {
    ResponseContext context{request.method, request.url, response.status, response.headers,
                            correlationId, elapsed, attempt};
    for (const auto& hook : settings.postHooks) hook(context);
  }
}

ApiClientImpl::Attempt ApiClientImpl::send(const Settings& settings, const TransportRequest& request, int attempt) {
  // Only hooks can make what is sent differ from `request`: copy it for them alone.
  std::optional<TransportRequest> hooked;
  if (!settings.preHooks.empty()) beforeSend(settings, hooked.emplace(request));
  const TransportRequest& sent = hooked ? *hooked : request;
  const auto started = steady_clock::now();
  Attempt outcome{settings.transport->perform(sent), hooked ? hooked->url : std::string()};
  afterSend(settings, sent, outcome.response, std::chrono::duration_cast<milliseconds>(steady_clock::now() - started),
            attempt);
  return outcome;
}

}  // namespace PureCloudPlatformClientV2::internal
