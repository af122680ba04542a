#include <gtest/gtest.h>

#include <string>

#include "core/test_support.hpp"
#include "net/http/url.hpp"

namespace weft::net {
namespace {

std::string why_of(std::string_view text) {
  const char* why = nullptr;
  Result<Url> u = Url::parse(text, &why);
  EXPECT_FALSE(u.ok()) << text;
  if (u.ok()) return "";
  EXPECT_EQ(u.error(), Errc::invalid_argument);
  return why == nullptr ? "(no reason)" : why;
}

TEST(Url, SplitsTheSeedsWebhookUrl) {
  Result<Url> u = Url::parse("http://maker.ifttt.com/trigger/button_pressed/with/key/abc?x=1#top");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->scheme, Scheme::http);
  EXPECT_EQ(u->host, "maker.ifttt.com");
  EXPECT_EQ(u->port, 80);
  EXPECT_FALSE(u->explicit_port);
  EXPECT_EQ(u->target, "/trigger/button_pressed/with/key/abc?x=1");  // the fragment stays on the client
}

TEST(Url, ReadsPortsSchemesInAnyCaseAndIpLiterals) {
  Result<Url> a = Url::parse("HTTP://127.0.0.1:8080");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  EXPECT_TRUE(a->explicit_port);
  EXPECT_EQ(a->target, "");
  Result<Url> b = Url::parse("http://[::1]:9000/x");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "::1");
  EXPECT_TRUE(b->is_ipv6_literal());
  EXPECT_EQ(b->port, 9000);
  Result<Url> c = Url::parse("https://example.com?q");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->scheme, Scheme::https);
  EXPECT_EQ(c->port, 443);
  EXPECT_EQ(c->target, "?q");
  Result<Url> d = Url::parse("http://host:/p");  // an empty port is the default one
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->port, 80);
}

TEST(Url, ExplainsWhatIsWrongWithABadUrl) {
  EXPECT_EQ(why_of("maker.ifttt.com/trigger"), "missing scheme: write http://host/path");
  EXPECT_EQ(why_of("ftp://host/"), "unsupported scheme: use http:// (or https://)");
  EXPECT_EQ(why_of("http:///path"), "missing host: write http://host/path");
  EXPECT_EQ(why_of("http://user:pw@host/"),
            "user:password@ in a URL is not supported: send an Authorization header instead");
  EXPECT_EQ(why_of("http://host:0/"), "bad port: write :1..65535 after the host");
  EXPECT_EQ(why_of("http://host:65536/"), "bad port: write :1..65535 after the host");
  EXPECT_EQ(why_of("http://host:8o/"), "bad port: write :1..65535 after the host");
  EXPECT_EQ(why_of("http://ho st/"), "invalid character in the host name (letters, digits, '-', '.', '_')");
  EXPECT_EQ(why_of("http://[::1/"), "unterminated [IPv6] host: write http://[::1]:8080/");
  EXPECT_EQ(why_of("http://[nope]/"), "bad IPv6 address between [ and ]");
  EXPECT_EQ(why_of("http://host/a b"),
            "space, control character or non-ASCII byte in the path: percent-encode it (%20, ...)");
  EXPECT_EQ(why_of(std::string_view("http://host/\0", 13)),
            "space, control character or non-ASCII byte in the path: percent-encode it (%20, ...)");
  EXPECT_EQ(why_of("http://" + std::string(254, 'a') + "/"), "host name longer than 253 characters");
}

std::string resolved(const char* base, const char* location) {
  Result<Url> b = Url::parse(base);
  EXPECT_TRUE(b.ok());
  char out[128];
  Result<std::size_t> n = resolve_reference(*b, location, out);
  if (!n) return std::string("error: ") + to_string(n.error());
  return std::string(out, *n);
}

TEST(Url, ResolvesRedirectLocationsAgainstTheRequestUrl) {
  EXPECT_EQ(resolved("http://a.com/x/y?q", "http://b.com:81/z"), "http://b.com:81/z");
  EXPECT_EQ(resolved("http://a.com:8080/x/y", "//b.com/z"), "http://b.com/z");
  EXPECT_EQ(resolved("http://a.com:8080/x/y", "/z"), "http://a.com:8080/z");
  EXPECT_EQ(resolved("http://a.com/x/y?q", "?r"), "http://a.com/x/y?r");
  EXPECT_EQ(resolved("http://a.com/x/y", "z?k=1#frag"), "http://a.com/x/z?k=1");
  EXPECT_EQ(resolved("http://a.com", "z"), "http://a.com/z");
  EXPECT_EQ(resolved("http://[::1]:9/x", "/y"), "http://[::1]:9/y");
  EXPECT_EQ(resolved("http://a.com/", "ftp://b.com/"), "error: invalid argument");
  EXPECT_EQ(resolved("http://a.com/", ""), "error: invalid argument");
  EXPECT_EQ(resolved("http://a.com/", ("/" + std::string(200, 'p')).c_str()), "error: too large");
}

}  // namespace
}  // namespace weft::net
