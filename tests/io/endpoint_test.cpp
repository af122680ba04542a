#include <gtest/gtest.h>

#include <string>

#include "io/endpoint.hpp"

namespace weft {
namespace {

std::string formatted(const IpAddress& a) {
  char out[IpAddress::kMaxText];
  Result<std::size_t> n = a.format(out);
  return n ? std::string(out, *n) : std::string("<") + to_string(n.error()) + ">";
}

std::string round_trip(std::string_view text) {
  Result<IpAddress> a = IpAddress::parse(text);
  return a ? formatted(*a) : std::string("<") + to_string(a.error()) + ">";
}

TEST(IpAddress, ParsesDottedQuads) {
  Result<IpAddress> a = IpAddress::parse("192.168.4.1");
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->is_v4());
  EXPECT_EQ(*a, IpAddress::v4(192, 168, 4, 1));
  EXPECT_EQ(round_trip("0.0.0.0"), "0.0.0.0");
  EXPECT_EQ(round_trip("255.255.255.255"), "255.255.255.255");
}

TEST(IpAddress, RejectsMalformedIpv4) {
  for (const char* bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1..2.3", "a.b.c.d", "1.2.3.4 ",
                          " 1.2.3.4", "1.2.3.-4", "1234.1.1.1"}) {
    EXPECT_EQ(IpAddress::parse(bad).error(), Errc::invalid_argument) << '"' << bad << '"';
  }
}

TEST(IpAddress, ParsesIpv6WithZeroCompressionAndAnIpv4Tail) {
  EXPECT_EQ(IpAddress::parse("::1").value_or(IpAddress{}), IpAddress::loopback_v6());
  EXPECT_EQ(round_trip("::"), "::");
  EXPECT_EQ(round_trip("fe80::1"), "fe80::1");
  EXPECT_EQ(round_trip("1:2:3:4:5:6:7:8"), "1:2:3:4:5:6:7:8");
  EXPECT_EQ(round_trip("2001:DB8::8:800:200C:417A"), "2001:db8::8:800:200c:417a");
  EXPECT_EQ(round_trip("::ffff:10.0.0.1"), "::ffff:10.0.0.1");
  EXPECT_EQ(round_trip("1::"), "1::");
  EXPECT_EQ(round_trip("64:ff9b::192.0.2.33"), "64:ff9b::c000:221");
}

TEST(IpAddress, RejectsMalformedIpv6) {
  for (const char* bad : {":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "1:", ":1", "::ffff:1.2.3",
                          "1:2:3:4:5:6:7", "g::1", "1:2:3:4:5:6:7:1.2.3.4", "::1%eth0"}) {
    EXPECT_EQ(IpAddress::parse(bad).error(), Errc::invalid_argument) << '"' << bad << '"';
  }
}

TEST(IpAddress, FormatsIpv6TheRfc5952Way) {
  EXPECT_EQ(round_trip("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");     // the first of two equal runs
  EXPECT_EQ(round_trip("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");  // a lone zero is not compressed
  EXPECT_EQ(round_trip("1:0:0:0:0:0:0:0"), "1::");
  EXPECT_EQ(round_trip("0:0:1:0:0:0:1:0"), "0:0:1::1:0");  // the longest run wins
}

TEST(IpAddress, FormatRefusesABufferThatIsTooSmall) {
  char tiny[8];
  EXPECT_EQ(IpAddress::v4(192, 168, 100, 200).format(tiny).error(), Errc::too_large);
  char exact[8];  // "1.2.3.4" + NUL
  EXPECT_EQ(IpAddress::v4(1, 2, 3, 4).format(exact).value_or(0), 7u);
}

TEST(Endpoint, ParsesAndFormatsAddressesWithPorts) {
  for (const char* text : {"127.0.0.1:8080", "[::1]:80", "0.0.0.0:0", "[fe80::1]:65535"}) {
    Result<Endpoint> e = Endpoint::parse(text);
    ASSERT_TRUE(e.ok()) << text;
    char out[Endpoint::kMaxText];
    Result<std::size_t> n = e->format(out);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(std::string(out, *n), text);
  }
  EXPECT_EQ(Endpoint::parse("10.0.0.7:80").value_or(Endpoint{}), Endpoint::v4(10, 0, 0, 7, 80));
}

TEST(Endpoint, RejectsMissingOrBadPorts) {
  for (const char* bad : {"127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "::1:80", "[::1]80",
                          "[::1]:x", "[::1]", "host:80", ":80"}) {
    EXPECT_EQ(Endpoint::parse(bad).error(), Errc::invalid_argument) << '"' << bad << '"';
  }
}

}  // namespace
}  // namespace weft
