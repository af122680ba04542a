#include "blynk/protocol.hpp"

#include <gtest/gtest.h>

#include <string>

#include "blynk/message_id.hpp"

namespace weft::blynk {
namespace {

TEST(Command, HasTheCodesAndNamesOfTheReference) {
  struct Row {
    int code;
    const char* name;
  };
  const Row rows[] = {{0, "RESPONSE"},   {2, "LOGIN"},       {6, "PING"},      {12, "TWEET"},
                      {13, "EMAIL"},     {14, "NOTIFY"},     {15, "BRIDGE"},   {16, "HARDWARE_SYNC"},
                      {17, "INTERNAL"},  {18, "SMS"},        {19, "PROPERTY"}, {20, "HARDWARE"},
                      {21, "GROUP"},     {29, "HW_LOGIN"},   {41, "REDIRECT"}, {55, "DEBUG_PRINT"},
                      {64, "EVENT_LOG"}, {65, "EVENT_CLEAR"}};
  for (const Row& r : rows) {
    const auto c = static_cast<Command>(r.code);
    EXPECT_TRUE(is_known(c)) << r.code;
    EXPECT_STREQ(to_string(c), r.name) << r.code;
  }
}

TEST(Command, NamesAnyOtherCodeUnknown) {
  int known = 0;
  for (int code = 0; code < 256; ++code)
    known += is_known(static_cast<Command>(code)) ? 1 : 0;
  EXPECT_EQ(known, 18);
  EXPECT_FALSE(is_known(static_cast<Command>(1)));
  EXPECT_STREQ(to_string(static_cast<Command>(200)), "UNKNOWN");
}

TEST(StatusCode, HasTheCodesAndNamesOfTheReference) {
  struct Row {
    int code;
    const char* name;
  };
  const Row rows[] = {{200, "OK"},
                      {1, "QUOTA_LIMIT"},
                      {2, "ILLEGAL_COMMAND"},
                      {3, "NOT_REGISTERED"},
                      {4, "ALREADY_REGISTERED"},
                      {5, "NOT_AUTHENTICATED"},
                      {6, "NOT_ALLOWED"},
                      {7, "DEVICE_NOT_IN_NETWORK"},
                      {8, "NO_ACTIVE_DASHBOARD"},
                      {9, "INVALID_TOKEN"},
                      {11, "ILLEGAL_COMMAND_BODY"},
                      {13, "NTF_INVALID_BODY"},
                      {14, "NTF_NOT_AUTHORIZED"},
                      {15, "NTF_EXCEPTION"},
                      {16, "TIMEOUT"},
                      {17, "NO_DATA"},
                      {18, "DEVICE_WENT_OFFLINE"},
                      {19, "SERVER_EXCEPTION"},
                      {20, "NOT_SUPPORTED_VERSION"},
                      {21, "ENERGY_LIMIT"},
                      {23, "OPERATION_ACCEPT"},
                      {24, "OPERATION_DECLINE"}};
  for (const Row& r : rows) {
    const auto s = static_cast<StatusCode>(r.code);
    EXPECT_TRUE(is_known(s)) << r.code;
    EXPECT_STREQ(to_string(s), r.name) << r.code;
  }
  EXPECT_FALSE(is_known(static_cast<StatusCode>(10)));
  EXPECT_STREQ(to_string(static_cast<StatusCode>(999)), "UNKNOWN_STATUS");
}

TEST(Token, AcceptsExactly32CharactersOfTheTokenAlphabet) {
  EXPECT_EQ(check_token("0123456789abcdefABCDEF_-xyzXYZ09"), TokenProblem::none);
  EXPECT_TRUE(validate_token("0123456789abcdefABCDEF_-xyzXYZ09").ok());
}

TEST(Token, RejectsATokenOfAnyOtherLengthWithAClearReason) {
  const std::string token(32, 'a');
  EXPECT_EQ(check_token(token.substr(0, 31)), TokenProblem::too_short);
  EXPECT_EQ(check_token(""), TokenProblem::too_short);
  EXPECT_EQ(check_token(token + "a"), TokenProblem::too_long);
  EXPECT_EQ(validate_token(token + "\n").error(), Errc::invalid_argument);
  EXPECT_NE(std::string(to_string(TokenProblem::too_short)).find("exactly 32 characters"), std::string::npos);
  EXPECT_NE(std::string(to_string(TokenProblem::too_long)).find("exactly 32 characters"), std::string::npos);
}

TEST(Token, RejectsCharactersOutsideTheTokenAlphabet) {
  for (char bad : {' ', '"', '\n', '\0', '.', '/', '+', '='}) {
    std::string token(32, 'a');
    token[10] = bad;
    EXPECT_EQ(check_token(token), TokenProblem::bad_character) << int{bad};
    EXPECT_EQ(validate_token(token).error(), Errc::invalid_argument);
  }
  EXPECT_NE(std::string(to_string(TokenProblem::bad_character)).find("A-Z a-z 0-9 - _"), std::string::npos);
}

TEST(MessageIdGenerator, StartsAtOneAndCountsUp) {
  MessageIdGenerator ids;
  EXPECT_EQ(ids.last(), 0);
  EXPECT_EQ(ids.next(), 1);
  EXPECT_EQ(ids.next(), 2);
  EXPECT_EQ(ids.last(), 2);
}

TEST(MessageIdGenerator, WrapsFrom65535ToOneNeverYieldingZero) {
  MessageIdGenerator ids;
  std::uint16_t previous = 0;
  for (int i = 0; i < 65535; ++i)
    previous = ids.next();
  EXPECT_EQ(previous, 65535);
  EXPECT_EQ(ids.next(), 1);
  for (int i = 0; i < 3 * 65536; ++i)
    ASSERT_NE(ids.next(), 0);
}

TEST(MessageIdGenerator, StartsOverAtOneAfterReset) {
  MessageIdGenerator ids;
  for (int i = 0; i < 100; ++i)
    (void)ids.next();
  ids.reset();
  EXPECT_EQ(ids.last(), 0);
  EXPECT_EQ(ids.next(), 1);  // the LOGIN of the new connection
}

TEST(MessageIdGenerator, IsUsableAtCompileTime) {
  constexpr std::uint16_t wrapped = [] {
    MessageIdGenerator ids;
    std::uint16_t id = 0;
    for (int i = 0; i < 65536; ++i)
      id = ids.next();
    return id;
  }();
  static_assert(wrapped == 1);
  EXPECT_EQ(wrapped, 1);
}

}  // namespace
}  // namespace weft::blynk
