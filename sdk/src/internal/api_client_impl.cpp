#include "internal/api_client_impl.h"

#include <boost/json.hpp>
#include <sodium.h>

#include "PureCloudPlatformClientV2/ApiException.h"
#include "PureCloudPlatformClientV2/model/ErrorBody.h"
#include "PureCloudPlatformClientV2/model/Json.h"

namespace PureCloudPlatformClientV2::internal {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using std::chrono::system_clock;

std::string percentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string basicAuthorization(const std::string& id, const std::string& secret) {
  const std::string raw = id + ":" + secret;
  std::string encoded(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), reinterpret_cast<const unsigned char*>(raw.data()), raw.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  encoded.resize(std::strlen(encoded.c_str()));
  return "Basic " + encoded;
}

namespace {

std::string header(const std::map<std::string, std::string>& headers, const std::string& name) {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

// The ApiException for an attempt that did not succeed.
ApiException failure(const std::string& method, const std::string& url, TransportResponse&& r,
                     std::chrono::milliseconds timeout) {
  if (r.failure == TransportFailure::Timeout)
    return ApiException(ApiException::Kind::Timeout, 0,
                        method + " " + url + ": no answer within " + std::to_string(timeout.count()) + " ms");
  if (r.failure != TransportFailure::None)
    return ApiException(ApiException::Kind::TransportError, 0, method + " " + url + ": " + r.failureMessage);

  std::optional<ErrorBody> errorBody;
  std::string what = "HTTP " + std::to_string(r.status);
  if (auto parsed = fromJson<ErrorBody>(r.body); parsed && (parsed->code || parsed->message)) {
    errorBody = std::move(parsed);
    if (errorBody->code) what += " " + *errorBody->code;
    if (errorBody->message) what += ": " + *errorBody->message;
  } else {
    // An OAuth error ({"error", "error_description"}) or something else entirely.
    boost::system::error_code ec;
    const auto json = boost::json::parse(r.body, ec);
    if (!ec && json.is_object()) {
      const auto& o = json.as_object();
      if (const auto* e = o.if_contains("error"); e && e->is_string()) what += " " + std::string(e->as_string());
      if (const auto* d = o.if_contains("error_description"); d && d->is_string())
        what += ": " + std::string(d->as_string());
    }
  }
  what += " (" + method + " " + url;
  if (const auto id = header(r.headers, "inin-correlation-id"); !id.empty()) what += ", correlation id " + id;
  what += ")";
  return ApiException(ApiException::Kind::HttpError, r.status, std::move(what), std::move(r.body), std::move(r.headers),
                      std::move(errorBody));
}

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

std::string gatewayUrl(const GatewayConfig& g, const std::string& pathParams) {
  std::string url = (g.protocol.empty() ? "https" : g.protocol) + "://" + g.host;
  if (g.port >= 0) url += ":" + std::to_string(g.port);
  auto params = pathParams;
  while (!params.empty() && params.back() == '/') params.pop_back();
  if (!params.empty()) url += (params.front() == '/' ? "" : "/") + params;
  return url;
}

}  // namespace

ApiClientImpl::ApiClientImpl() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  auto s = std::make_shared<Settings>();
  s->transport = makeCurlTransport();
  s->sleeper = defaultSleeper();
  s->jitter = defaultJitter();
  deriveBasePaths(*s);
  settings_ = std::move(s);
}

std::shared_ptr<const ApiClientImpl::Settings> ApiClientImpl::settings() const {
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
void ApiClientImpl::setRetryConfig(const RetryConfig& c) { update([&](Settings& s) { s.retry = c; }); }
RetryConfig ApiClientImpl::retryConfig() const { return settings()->retry; }
void ApiClientImpl::setTimeouts(const TimeoutConfig& c) { update([&](Settings& s) { s.timeouts = c; }); }
TimeoutConfig ApiClientImpl::timeouts() const { return settings()->timeouts; }
void ApiClientImpl::setTlsConfig(const TlsConfig& c) { update([&](Settings& s) { s.tls = c; }); }
void ApiClientImpl::setProxy(const ProxyConfig& c) { update([&](Settings& s) { s.proxy = c; }); }
void ApiClientImpl::setUserAgent(const std::string& ua) { update([&](Settings& s) { s.userAgent = ua; }); }
void ApiClientImpl::setDefaultHeader(const std::string& name, const std::string& value) {
  update([&](Settings& s) {
    std::erase_if(s.defaultHeaders, [&](const auto& h) { return h.first == name; });
    s.defaultHeaders.emplace_back(name, value);
  });
}
void ApiClientImpl::addPreRequestHook(PreRequestHook hook) { update([&](Settings& s) { s.preHooks.push_back(hook); }); }
void ApiClientImpl::addPostResponseHook(PostResponseHook hook) { update([&](Settings& s) { s.postHooks.push_back(hook); }); }
void ApiClientImpl::setShouldRefreshAccessToken(bool r) { update([&](Settings& s) { s.refreshOn401 = r; }); }
void ApiClientImpl::setTokenRenewalMargin(std::chrono::seconds m) { update([&](Settings& s) { s.renewalMargin = m; }); }
void ApiClientImpl::setRefreshWaitMax(std::chrono::seconds w) { update([&](Settings& s) { s.refreshWaitMax = w; }); }
void ApiClientImpl::setTransport(std::shared_ptr<Transport> t) { update([&](Settings& s) { s.transport = std::move(t); }); }
void ApiClientImpl::setSleeper(Sleeper sleeper) { update([&](Settings& s) { s.sleeper = std::move(sleeper); }); }
void ApiClientImpl::setJitter(Jitter jitter) { update([&](Settings& s) { s.jitter = std::move(jitter); }); }

void ApiClientImpl::deriveBasePaths(Settings& s) {
  if (s.gateway) {
    s.apiBase = gatewayUrl(*s.gateway, s.gateway->pathParamsApi);
    s.loginBase = gatewayUrl(*s.gateway, s.gateway->pathParamsLogin);
    return;
  }
  const auto [scheme, host] = schemeAndHost(s.environment);
  s.apiBase = scheme + host;
  s.loginBase = scheme + (host.starts_with("api.") ? "login." + host.substr(4) : host);
}

std::string ApiClientImpl::basePath() const { return settings()->apiBase; }
std::string ApiClientImpl::loginBasePath() const { return settings()->loginBase; }

// ---- the token ------------------------------------------------------------------------------------------

void ApiClientImpl::setAccessToken(const std::string& token) {
  std::lock_guard lock(authMutex_);
  token_ = TokenState{};
  token_.data.accessToken = token;
}

AuthData ApiClientImpl::authData() const {
  std::lock_guard lock(authMutex_);
  return token_.data;
}

void ApiClientImpl::setAuthData(const AuthData& data, const std::string& clientId, const std::string& clientSecret) {
  std::lock_guard lock(authMutex_);
  token_ = TokenState{};
  token_.data = data;
  token_.clientId = clientId;
  token_.clientSecret = clientSecret;
  if (!data.refreshToken.empty())
    token_.renewal = GrantRequest::Renewal::RefreshToken;
  else if (!clientId.empty() && !clientSecret.empty())
    token_.renewal = GrantRequest::Renewal::ClientCredentials;
}

void ApiClientImpl::setTokenRenewedCallback(std::function<void(const AuthData&)> callback) {
  std::lock_guard lock(authMutex_);
  onRenewed_ = std::move(callback);
}

void ApiClientImpl::setDeferredClientCredentials(const std::string& clientId, const std::string& clientSecret) {
  std::lock_guard lock(authMutex_);
  token_ = TokenState{};
  token_.renewal = GrantRequest::Renewal::ClientCredentials;
  token_.clientId = clientId;
  token_.clientSecret = clientSecret;
}

AuthData ApiClientImpl::login(const GrantRequest& grant) {
  const auto s = settings();
  AuthData data = performGrant(*s, grant);
  std::lock_guard lock(authMutex_);
  token_.data = data;
  token_.renewal = grant.renewal;
  if (grant.renewal == GrantRequest::Renewal::RefreshToken && data.refreshToken.empty())
    token_.renewal = GrantRequest::Renewal::None;  // nothing to renew with (e.g. an idle timeout applies)
  token_.clientId = grant.clientId;
  token_.clientSecret = grant.clientSecret;
  ++renewals_;
  authChanged_.notify_all();
  return data;
}

GrantRequest refreshTokenGrant(const std::string& clientId, const std::string& clientSecret,
                               const std::string& refreshToken) {
  GrantRequest g{"grant_type=refresh_token&refresh_token=" + percentEncode(refreshToken), clientId, clientSecret, true,
                 GrantRequest::Renewal::RefreshToken};
  if (clientSecret.empty()) {  // a PKCE client: no secret, the id goes in the form
    g.basicAuth = false;
    g.form += "&client_id=" + percentEncode(clientId);
  }
  return g;
}

GrantRequest ApiClientImpl::renewalGrant(const TokenState& state) const {
  if (state.renewal == GrantRequest::Renewal::ClientCredentials)
    return {"grant_type=client_credentials", state.clientId, state.clientSecret, true, state.renewal};
  return refreshTokenGrant(state.clientId, state.clientSecret, state.data.refreshToken);
}

std::string ApiClientImpl::tokenForRequest(const Settings& s) {
  std::string current;
  {
    std::lock_guard lock(authMutex_);
    current = token_.data.accessToken;
    const bool renewable = token_.renewal == GrantRequest::Renewal::ClientCredentials;
    const bool due = current.empty() ||
                     (token_.data.tokenExpiryTime != system_clock::time_point{} &&
                      system_clock::now() + s.renewalMargin >= token_.data.tokenExpiryTime);
    if (!renewable || !due) return current;
  }
  return renewToken(s, current);
}

std::string ApiClientImpl::renewToken(const Settings& s, const std::string& staleToken) {
  std::unique_lock lock(authMutex_);
  if (token_.data.accessToken != staleToken) return token_.data.accessToken;  // someone renewed it already
  if (token_.renewal == GrantRequest::Renewal::None) return {};
  if (renewing_) {
    const unsigned seen = renewals_;
    authChanged_.wait_for(lock, s.refreshWaitMax, [&] { return renewals_ != seen || !renewing_; });
    if (token_.data.accessToken != staleToken) return token_.data.accessToken;
    if (lastRenewalError_) std::rethrow_exception(lastRenewalError_);
    return {};
  }
  renewing_ = true;
  const auto grant = renewalGrant(token_);
  lock.unlock();
  try {
    AuthData fresh = performGrant(s, grant);
    lock.lock();
    token_.data = fresh;
    if (token_.renewal == GrantRequest::Renewal::RefreshToken && fresh.refreshToken.empty())
      token_.renewal = GrantRequest::Renewal::None;
    renewing_ = false;
    lastRenewalError_ = nullptr;
    ++renewals_;
    authChanged_.notify_all();
    const auto renewed = token_.data;
    const auto onRenewed = onRenewed_;
    lock.unlock();
    logger_.message(LogLevel::Debug, "access token renewed");
    if (onRenewed) {
      try {
        onRenewed(renewed);
      } catch (const std::exception& e) {
        logger_.message(LogLevel::Error, std::string("the token-renewed callback threw: ") + e.what());
      } catch (...) {
        logger_.message(LogLevel::Error, "the token-renewed callback threw");
      }
    }
    return renewed.accessToken;
  } catch (...) {
    if (!lock.owns_lock()) lock.lock();
    renewing_ = false;
    lastRenewalError_ = std::current_exception();
    ++renewals_;
    authChanged_.notify_all();
    throw;
  }
}

// ---- the wire ------------------------------------------------------------------------------------------

void ApiClientImpl::beforeSend(const Settings& s, TransportRequest& request) const {
  if (s.preHooks.empty()) return;
  RequestContext ctx{request.method, request.url, {}};
  for (const auto& [name, value] : request.headers) ctx.headers[name] = value;
  for (const auto& hook : s.preHooks) hook(ctx);
  request.url = ctx.url;
  request.headers.assign(ctx.headers.begin(), ctx.headers.end());
}

void ApiClientImpl::afterSend(const Settings& s, const TransportRequest& request, const TransportResponse& response,
                              std::chrono::milliseconds elapsed, int attempt) {
  const bool failed = response.failure != TransportFailure::None || response.status >= 400;
  const bool logged = logger_.enabled(failed ? LogLevel::Error : LogLevel::Debug);
  if (!logged && s.postHooks.empty()) return;  // the common case: nothing to build for nobody
  const auto correlationId = header(response.headers, "inin-correlation-id");
  if (logged) {
    std::map<std::string, std::string> requestHeaders(request.headers.begin(), request.headers.end());
    LoggedExchange e{request.method, request.url, attempt, response.status, response.failureMessage, elapsed,
                     correlationId, &requestHeaders, &response.headers,
                     request.body ? &*request.body : nullptr, &response.body};
    logger_.log(e);
  }
  if (!s.postHooks.empty()) {
    ResponseContext ctx{request.method, request.url, response.status, response.headers, correlationId, elapsed, attempt};
    for (const auto& hook : s.postHooks) hook(ctx);
  }
}

ApiClientImpl::Attempt ApiClientImpl::send(const Settings& s, const TransportRequest& request, int attempt) {
  // Only hooks can make what is sent differ from `request`: copy it for them alone.
  std::optional<TransportRequest> hooked;
  if (!s.preHooks.empty()) beforeSend(s, hooked.emplace(request));
  const TransportRequest& sent = hooked ? *hooked : request;
  const auto started = steady_clock::now();
  Attempt a{s.transport->perform(sent), hooked ? hooked->url : std::string()};
  afterSend(s, sent, a.response, std::chrono::duration_cast<milliseconds>(steady_clock::now() - started), attempt);
  return a;
}

AuthData ApiClientImpl::performGrant(const Settings& s, const GrantRequest& grant) {
  TransportRequest request;
  request.method = "POST";
  request.url = s.loginBase + "/oauth/token";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"},
                     {"User-Agent", s.userAgent}};
  if (grant.basicAuth) request.headers.emplace_back("Authorization", basicAuthorization(grant.clientId, grant.clientSecret));
  for (const auto& h : s.defaultHeaders) request.headers.push_back(h);
  request.body = grant.form;
  request.connectTimeout = s.timeouts.connect;
  request.totalTimeout = s.timeouts.total;
  request.tls = s.tls;
  request.proxy = s.proxy;

  RetryState state;
  for (int attempt = 1;; ++attempt) {
    auto a = send(s, request, attempt);
    auto& r = a.response;
    if (r.failure == TransportFailure::None && r.status == 200) {
      boost::system::error_code ec;
      const auto json = boost::json::parse(r.body, ec);
      const auto* o = !ec ? json.if_object() : nullptr;
      const auto* token = o ? o->if_contains("access_token") : nullptr;
      if (!token || !token->is_string())
        throw ApiException(ApiException::Kind::HttpError, r.status, "POST " + a.urlOf(request) + ": the answer holds no access_token",
                           std::move(r.body), std::move(r.headers));
      AuthData data;
      data.accessToken = std::string(token->as_string());
      if (const auto* rt = o->if_contains("refresh_token"); rt && rt->is_string()) data.refreshToken = std::string(rt->as_string());
      if (const auto* tt = o->if_contains("token_type"); tt && tt->is_string()) data.tokenType = std::string(tt->as_string());
      if (const auto* ei = o->if_contains("expires_in"); ei && ei->is_int64()) data.expiresIn = static_cast<int>(ei->as_int64());
      data.tokenExpiryTime = system_clock::now() + std::chrono::seconds(data.expiresIn);
      return data;
    }
    if (const auto delay = backoffFor(CallKind::Login, s.retry, s.jitter, r, state)) {
      s.sleeper(*delay);
      continue;
    }
    throw failure("POST", a.urlOf(request), std::move(r), s.timeouts.total);
  }
}

TransportRequest ApiClientImpl::callRequest(const Settings& s, const ApiCall& call) {
  TransportRequest request;
  request.method = call.method;
  request.url = s.apiBase + call.path;
  if (!call.query.empty()) request.url += "?" + call.query;
  request.body = call.jsonBody;
  request.connectTimeout = call.options && call.options->connectTimeout ? *call.options->connectTimeout : s.timeouts.connect;
  request.totalTimeout = call.options && call.options->totalTimeout ? *call.options->totalTimeout : s.timeouts.total;
  request.tls = s.tls;
  request.proxy = s.proxy;
  return request;
}

void ApiClientImpl::setCallHeaders(const Settings& s, TransportRequest& request, const std::string& token) {
  request.headers.clear();
  request.headers.reserve(4 + s.defaultHeaders.size());
  if (!token.empty()) request.headers.emplace_back("Authorization", "Bearer " + token);
  request.headers.emplace_back("Accept", "application/json");
  if (request.body) request.headers.emplace_back("Content-Type", "application/json");
  request.headers.emplace_back("User-Agent", s.userAgent);
  for (const auto& h : s.defaultHeaders) request.headers.push_back(h);
}

ApiResult ApiClientImpl::execute(const ApiCall& call) {
  const auto s = settings();
  const RetryConfig& retry = call.options && call.options->retry ? *call.options->retry : s->retry;
  TransportRequest request = callRequest(*s, call);
  RetryState state;
  state.token = tokenForRequest(*s);
  for (int attempt = 1;; ++attempt) {
    setCallHeaders(*s, request, state.token);
    auto a = send(*s, request, attempt);
    auto& r = a.response;
    if (r.failure == TransportFailure::None && r.status >= 200 && r.status < 300)
      return ApiResult{r.status, std::move(r.headers), std::move(r.body)};
    const auto next = afterFailure(*s, retry, r, state);
    if (!next) throw failure(call.method, a.urlOf(request), std::move(r), request.totalTimeout);
    if (next->count() > 0) s->sleeper(*next);
  }
}

std::optional<milliseconds> ApiClientImpl::backoffFor(CallKind kind, const RetryConfig& retry, const Jitter& jitter,
                                                      const TransportResponse& r, RetryState& state) {
  if (!isRetryable(kind, r.status, r.failure)) return std::nullopt;
  const auto retryAfter = r.failure == TransportFailure::None
                              ? parseRetryAfter(header(r.headers, "retry-after"), system_clock::now())
                              : std::nullopt;
  const auto delay = retryDelay(retry, state.retries + 1, state.waited, retryAfter, jitter);
  if (delay) {
    state.waited += *delay;
    ++state.retries;
  }
  return delay;
}

std::optional<milliseconds> ApiClientImpl::afterFailure(const Settings& s, const RetryConfig& retry,
                                                        const TransportResponse& r, RetryState& state) {
  if (r.failure == TransportFailure::None && r.status == 401 && s.refreshOn401 && !state.renewedAfter401) {
    // A failed renewal throws from here: the caller gets the renewal's ApiException.
    const auto fresh = renewToken(s, state.token);
    if (!fresh.empty() && fresh != state.token) {
      state.token = fresh;
      state.renewedAfter401 = true;
      return milliseconds(0);  // not a retry: the same request with a working token
    }
  }
  return backoffFor(CallKind::Api, retry, s.jitter, r, state);
}

// ---- asynchronous calls ---------------------------------------------------------------------------------

// One asynchronous call in progress: what the blocking loop of execute() keeps in local variables.
struct ApiClientImpl::AsyncCall {
  std::shared_ptr<const Settings> settings;
  ApiCall call;
  CallOptions options;
  RetryConfig retry;
  TransportRequest request;
  TransportRequest sent;  // the attempt in flight after pre-request hooks (only when there are some)
  const TransportRequest& attempted() const;
  steady_clock::time_point due;  // when it was to start: submission plus backoff
  RetryState state;
  int attempt = 0;
  AsyncDone done;
};

void ApiClientImpl::executeAsync(ApiCall call, CallOptions options, AsyncDone done) {
  auto c = std::make_shared<AsyncCall>();
  c->settings = settings();
  c->options = std::move(options);
  c->call = std::move(call);
  c->call.options = &c->options;
  c->retry = c->options.retry ? *c->options.retry : c->settings->retry;
  c->request = callRequest(*c->settings, c->call);
  c->done = std::move(done);
  try {
    c->state.token = tokenForRequest(*c->settings);  // a due renewal happens here, on the caller's thread
  } catch (...) {
    return deliver(*c, std::current_exception(), {});
  }
  startAsyncAttempt(c, milliseconds(0));
}

void ApiClientImpl::startAsyncAttempt(const std::shared_ptr<AsyncCall>& c, milliseconds delay) {
  ++c->attempt;
  setCallHeaders(*c->settings, c->request, c->state.token);
  // Only hooks can make what is sent differ from c->request: copy it for them alone.
  const bool hooked = !c->settings->preHooks.empty();
  if (hooked) {
    c->sent = c->request;
    beforeSend(*c->settings, c->sent);
  }
  c->due = steady_clock::now() + delay;
  auto self = shared_from_this();  // the client lives as long as its calls
  c->settings->transport->performAsync(hooked ? c->sent : c->request, delay,
                                       [self, c](TransportResponse r) { self->onAsyncAttempt(c, std::move(r)); });
}

const TransportRequest& ApiClientImpl::AsyncCall::attempted() const {
  return settings->preHooks.empty() ? request : sent;
}

void ApiClientImpl::onAsyncAttempt(const std::shared_ptr<AsyncCall>& c, TransportResponse r) {
  std::exception_ptr error;
  ApiResult result;
  try {
    const auto& s = *c->settings;
    // The wire time (and any wait for a free connection), not the backoff, is what logs and hooks report.
    afterSend(s, c->attempted(), r, std::chrono::duration_cast<milliseconds>(steady_clock::now() - c->due), c->attempt);
    if (r.failure == TransportFailure::None && r.status >= 200 && r.status < 300) {
      result = ApiResult{r.status, std::move(r.headers), std::move(r.body)};
    } else {
      // The backoff waits on the event loop (a due time), never on a thread.
      if (const auto next = afterFailure(s, c->retry, r, c->state)) return startAsyncAttempt(c, *next);
      throw failure(c->call.method, c->attempted().url, std::move(r), c->request.totalTimeout);
    }
  } catch (...) {
    error = std::current_exception();
  }
  deliver(*c, error, std::move(result));
}

void ApiClientImpl::deliver(AsyncCall& c, std::exception_ptr error, ApiResult result) {
  // Exactly once, and outside the decision above: a callback that throws must neither be called a
  // second time with its own exception nor take the I/O loop down.
  try {
    c.done(error, std::move(result));
  } catch (const std::exception& e) {
    logger_.message(LogLevel::Error, std::string("an asynchronous callback threw: ") + e.what());
  } catch (...) {
    logger_.message(LogLevel::Error, "an asynchronous callback threw");
  }
}

}  // namespace PureCloudPlatformClientV2::internal
