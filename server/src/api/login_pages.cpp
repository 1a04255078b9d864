#include "api/login_pages.h"

namespace tokens::api {

namespace {

constexpr std::string_view kStyle = R"css(
:root { color-scheme: light dark; --accent: #ff4f1f; --accent-dark: #d63b10; --text: #1d1d28; --muted: #5c5c6e;
  --card: #ffffff; --page: #f3f3f7; --border: #d5d5df; --error-bg: #fdecec; --error: #a4161a; }
@media (prefers-color-scheme: dark) { :root { --text: #ececf1; --muted: #a3a3b5; --card: #1e1e28; --page: #121218;
  --border: #3a3a48; --error-bg: #3b1517; --error: #ffb3b3; } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center; padding: 24px;
  background: var(--page); color: var(--text); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { width: 100%; max-width: 400px; background: var(--card); border: 1px solid var(--border); border-radius: 12px;
  padding: 40px 36px 32px; box-shadow: 0 8px 30px rgba(0, 0, 0, .08); }
.brand { display: flex; align-items: center; gap: 10px; font-weight: 700; font-size: 18px; margin-bottom: 28px; }
.brand svg { flex: none; }
h1 { font-size: 24px; margin: 0 0 4px; }
.subtitle { color: var(--muted); margin: 0 0 24px; }
label { display: block; font-weight: 600; font-size: 14px; margin: 16px 0 6px; }
input[type=email], input[type=password] { width: 100%; padding: 11px 12px; font: inherit; color: inherit;
  background: transparent; border: 1px solid var(--border); border-radius: 8px; }
input:focus { outline: 3px solid color-mix(in srgb, var(--accent) 45%, transparent); border-color: var(--accent); }
button { width: 100%; margin-top: 24px; padding: 12px; font: inherit; font-weight: 600; color: #fff; cursor: pointer;
  background: var(--accent); border: 0; border-radius: 8px; }
button:hover { background: var(--accent-dark); }
button:focus-visible { outline: 3px solid var(--text); outline-offset: 2px; }
.error { background: var(--error-bg); color: var(--error); border-radius: 8px; padding: 10px 12px; margin: 0 0 8px;
  font-size: 14px; }
footer { margin-top: 28px; color: var(--muted); font-size: 13px; text-align: center; }
)css";

constexpr std::string_view kLogo =
    R"svg(<svg width="28" height="28" viewBox="0 0 28 28" aria-hidden="true"><circle cx="14" cy="14" r="13" fill="#ff4f1f"/>)svg"
    R"svg(<path d="M9 14.5l3.2 3.2L19 11" stroke="#fff" stroke-width="2.6" fill="none" stroke-linecap="round" stroke-linejoin="round"/></svg>)svg";

std::string page(std::string_view title, std::string_view body) {
  std::string out;
  out.reserve(4096 + body.size());
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  out += escapeHtml(title);
  out += " · Tokens</title>\n<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n<main>\n<div class=\"brand\">";
  out += kLogo;
  out += "<span>Tokens</span></div>\n";
  out += body;
  out += "<footer>Tokens sign-in</footer>\n</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace

std::string escapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string renderLoginPage(const LoginPage& p) {
  std::string body = "<h1>Sign in</h1>\n<p class=\"subtitle\">to continue to <strong>" + escapeHtml(p.applicationName) +
                     "</strong> · " + escapeHtml(p.organizationName) + "</p>\n";
  body += "<form id=\"login-form\" method=\"post\" action=\"/oauth/authorize\" novalidate>\n";
  if (p.error) body += "<p class=\"error\" id=\"login-error\" role=\"alert\">" + escapeHtml(*p.error) + "</p>\n";
  for (const auto& [name, value] : p.hiddenFields)
    body += "<input type=\"hidden\" name=\"" + escapeHtml(name) + "\" value=\"" + escapeHtml(value) + "\">\n";
  const std::string described = p.error ? " aria-describedby=\"login-error\" aria-invalid=\"true\"" : "";
  body += "<label for=\"email\">Email</label>\n<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" "
          "required autofocus value=\"" + escapeHtml(p.email) + "\"" + described + ">\n";
  body += "<label for=\"password\">Password</label>\n<input id=\"password\" name=\"password\" type=\"password\" "
          "autocomplete=\"current-password\" required" + described + ">\n";
  body += "<button id=\"sign-in\" type=\"submit\">Sign in</button>\n</form>\n";
  return page("Sign in", body);
}

std::string renderErrorPage(std::string_view title, std::string_view message) {
  return page(title, "<h1>" + escapeHtml(title) + "</h1>\n<p class=\"error\" id=\"page-error\" role=\"alert\">" +
                         escapeHtml(message) + "</p>\n");
}

std::string renderSignedOutPage() {
  return page("Signed out", "<h1>You are signed out</h1>\n<p class=\"subtitle\" role=\"status\">You can close this "
                            "window. Applications you signed in to keep their own access until it expires or is "
                            "revoked.</p>\n");
}

}  // namespace tokens::api
