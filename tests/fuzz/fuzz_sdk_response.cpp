// Answers from a server as the SDK reads them: header lines as libcurl hands them over
// (internal/response_headers.h), then the status and body through every operation's response handling
// (models, ErrorBody, the OAuth token and error bodies, Retry-After), via a transport that answers with
// the input. The input: byte 0 the operation, byte 1 the status, then header lines up to an empty line,
// then the body.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "PureCloudPlatformClientV2/ApiClient.h"
#include "PureCloudPlatformClientV2/ApiException.h"
#include "PureCloudPlatformClientV2/TokensApi.h"
#include "internal/api_client_impl.h"
#include "internal/response_headers.h"
#include "internal/transport.h"

namespace pc = PureCloudPlatformClientV2;

namespace {

class ScriptedTransport : public pc::internal::Transport {
 public:
  pc::internal::TransportResponse answer;
  pc::internal::TransportResponse perform(const pc::internal::TransportRequest&) override { return answer; }
  void performAsync(const pc::internal::TransportRequest& request, std::chrono::milliseconds, Completion done) override {
    done(perform(request));
  }
};

constexpr int kStatuses[] = {200, 204, 400, 401, 403, 404, 408, 413, 429, 500, 502, 503, 504, 302, 100, 999};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("GENESYSCLOUDCPP_CONFIG_PATH", "/nonexistent/genesyscloudcpp-config", 1);  // no config file
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const int operation = data[0] % 10;
  auto transport = std::make_shared<ScriptedTransport>();
  transport->answer.status = kStatuses[data[1] % std::size(kStatuses)];
  std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const auto line = rest.substr(0, end == std::string_view::npos ? rest.size() : end + 1);
    rest.remove_prefix(line.size());
    if (line == "\n" || line == "\r\n") break;
    pc::internal::addHeaderLine(line, transport->answer.headers);
  }
  transport->answer.body = std::string(rest);

  auto client = std::make_shared<pc::ApiClient>();
  client->setEnvironment("http://127.0.0.1:9");
  pc::internal::implOf(*client).setTransport(transport);
  pc::internal::implOf(*client).setSleeper([](std::chrono::milliseconds) {});
  pc::RetryConfig retry = pc::internal::implOf(*client).retryConfig();
  retry.maxRetries = 1;
  pc::internal::implOf(*client).setRetryConfig(retry);
  client->setAccessToken("fuzz-token");
  pc::TokensApi api(client);
  try {
    switch (operation) {
      case 0: (void)api.getTokensMe(); break;
      case 1: (void)api.getTokensMeWithHttpInfo(true); break;
      case 2: (void)api.getTokensTimeout(); break;
      case 3: (void)api.putTokensTimeout(pc::IdleTokenTimeout{}); break;
      case 4: api.headTokensMe(); break;
      case 5: api.deleteTokensMe(); break;
      case 6: (void)api.deleteTokenWithHttpInfo("u-1"); break;
      case 7: (void)client->loginClientCredentialsGrant("id", "secret"); break;
      case 8: (void)client->loginPasswordGrant("id", "secret", "user@example.com", "pw"); break;
      default: (void)api.getTokensMeAsync().get(); break;
    }
  } catch (const pc::ApiException& e) {
    (void)e.what();
  }
  return 0;
}
