#include "linux/sim/control_channel.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "core/test_support.hpp"
#include "linux/sim/json_line.hpp"
#include "machine/machine.hpp"
#include "sim/sim_board.hpp"

namespace weft::sim {
namespace {

using test::SimBoard;

TEST(JsonObject, ParsesAFlatRequest) {
  JsonObject o;
  std::string error;
  ASSERT_TRUE(JsonObject::parse(
      R"( {"op":"press", "pin":"D5", "id": 7, "x": -1.5e2, "on": true, "n": null} )", o, error))
      << error;
  EXPECT_EQ(o.get("op")->text, "press");
  EXPECT_EQ(o.get("id")->number, 7);
  EXPECT_EQ(o.get("x")->number, -150);
  EXPECT_TRUE(o.get("on")->boolean);
  EXPECT_EQ(o.get("n")->type, JsonValue::Type::null);
  EXPECT_EQ(o.get("missing"), nullptr);
  ASSERT_TRUE(JsonObject::parse(R"({"s":"a\"b\\c\u00e9\n"})", o, error));
  EXPECT_EQ(o.get("s")->text, "a\"b\\c\xc3\xa9\n");
}

TEST(JsonObject, RejectsMalformedLinesWithAReason) {
  struct Case {
    const char* line;
    const char* error;
  };
  const Case cases[] = {
      {"", "expected a JSON object '{...}' at column 1"},
      {"op=press", "expected a JSON object '{...}' at column 1"},
      {R"({"op" "x"})", "expected ':' after a key at column 7"},
      {R"({"op":"x",})", "expected a \"string\" at column 11"},
      {R"({"a":[1,2]})", "nested objects and arrays are not supported in requests at column 6"},
      {R"({"a":1} trailing)", "unexpected text after the object at column 9"},
      {R"({"a":1,"a":2})", "duplicate key \"a\" at column 13"},
      {R"({"a":"open)", "unterminated string at column 11"},
      {R"({"a":1-2})", "bad number '1-2' at column 6"},
      {R"({"a":tru})", "expected a value (string, number, true, false or null) at column 6"},
  };
  for (const Case& c : cases) {
    JsonObject o;
    std::string error;
    EXPECT_FALSE(JsonObject::parse(c.line, o, error)) << c.line;
    EXPECT_EQ(error, c.error) << c.line;
  }
}

TEST(ControlChannel, AnswersEveryMalformedOrUnknownRequestWithAnError) {
  SimBoard board;
  ControlChannel c(board.world);
  EXPECT_EQ(c.handle("not json", 0),
            R"({"ok":false,"error":"malformed request: expected a JSON object '{...}' at column 1"})");
  EXPECT_EQ(
      c.handle(R"({"id":3})", 0).rfind(R"({"id":3,"ok":false,"error":"missing \"op\": one of pin, drive)", 0),
      0u);
  EXPECT_EQ(
      c.handle(R"({"op":"fly"})", 0).rfind(R"({"ok":false,"error":"unknown op \"fly\": use one of pin)", 0),
      0u);
  EXPECT_EQ(
      c.handle(R"({"op":"press","pin":"GPIO8"})", 0),
      R"({"ok":false,"error":"bad pin \"GPIO8\": use a GPIO number 0..5 or 12..16, \"GPIOn\" or a NodeMCU label \"D0\"..\"D8\""})");
  EXPECT_EQ(c.handle(R"({"op":"adc","value":2000})", 0),
            R"({"ok":false,"error":"\"value\" must be a whole number in 0..1023"})");
  EXPECT_EQ(c.handle(R"({"op":"wifi_drop","ssid":"Nope"})", 0),
            R"({"ok":false,"error":"no access point \"Nope\""})");
  EXPECT_EQ(c.handle(R"({"op":"advance"})", 0),
            R"j({"ok":false,"error":"\"advance\" needs \"ms\" or \"us\" (how far to run)"})j");
}

TEST(ControlChannel, EchoesAnIdOfAnyBytesAsValidJson) {
  SimBoard board;
  ControlChannel c(board.world);
  // Raw bytes that are not UTF-8, a lone surrogate escape and a control character: replaced or escaped.
  EXPECT_EQ(c.handle("{\"id\":\"a\xff\\ud800\\u0001\",\"op\":\"time\"}", 0)
                .rfind(R"({"id":"a\ufffd\ufffd\ufffd\ufffd\u0001","ok":true,"t_us":)", 0),
            0u);
  // A number is echoed in JSON's form, whatever the request wrote.
  EXPECT_EQ(c.handle(R"({"id":-0.50e1,"op":"subscribe"})", 0), R"({"id":-5,"ok":true})");
}

TEST(ControlChannel, DrivesInputsAndReportsPins) {
  SimBoard board;
  ControlChannel c(board.world);
  auto button = machine::Pin::open(14, machine::PinMode::in, machine::Pull::up);
  EXPECT_EQ(
      c.handle(R"({"op":"press","pin":"D5","id":"a"})", 0),
      R"({"id":"a","ok":true,"state":{"pin":14,"label":"D5","level":0,"mode":"in","pull":"up","drive":"low","pwm_duty":-1,"irq":false}})");
  EXPECT_EQ(button->value(), 0);
  c.handle(R"({"op":"release","pin":14})", 0);
  EXPECT_EQ(button->value(), 1);
  EXPECT_EQ(c.handle(R"({"op":"adc","value":700})", 0), R"({"ok":true,"value":700})");
  EXPECT_EQ(machine::Adc::open()->read(), 700);
  EXPECT_EQ(
      c.handle(R"({"op":"wifi_ap","ssid":"HomeAP","password":"secret123","rssi":-50})", 0),
      R"({"ok":true,"wifi":{"status":"idle","ssid":"","aps":[{"ssid":"HomeAP","up":true,"rssi":-50,"channel":6,"fail":false}]}})");
}

// A client of the control channel over its UNIX socket; the test drives the loop in between.
struct Client {
  int fd = -1;
  std::string pending;
  explicit Client(const std::string& path) {
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
    EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0) << std::strerror(errno);
  }
  ~Client() { close(fd); }
  void send_line(const std::string& line) {
    std::string l = line + "\n";
    ASSERT_EQ(write(fd, l.data(), l.size()), static_cast<ssize_t>(l.size()));
  }
  // Lines received so far (non-blocking).
  std::vector<std::string> lines() {
    char buf[4096];
    ssize_t n;
    while ((n = recv(fd, buf, sizeof buf, MSG_DONTWAIT)) > 0)
      pending.append(buf, static_cast<std::size_t>(n));
    std::vector<std::string> out;
    std::size_t nl;
    while ((nl = pending.find('\n')) != std::string::npos) {
      out.push_back(pending.substr(0, nl));
      pending.erase(0, nl + 1);
    }
    return out;
  }
};

std::string socket_path(const char* name) {
  return "/tmp/weft-ctl-" + std::to_string(getpid()) + "-" + name + ".sock";
}

Task<> blink_led() {
  auto led = machine::Pin::open(2, machine::PinMode::out);
  for (;;) {
    led->toggle();
    co_await sleep_ms(1000);
  }
}

TEST(ControlChannel, ServesAClientOverAUnixSocketUnderVirtualTime) {
  SimBoard board;
  std::string path = socket_path("serve");
  ASSERT_TRUE(board.world.open_control(path).ok());
  Client client(path);
  client.send_line(R"({"op":"subscribe","id":1})");
  client.send_line(R"({"op":"adc","value":12,"id":2})");
  EXPECT_TRUE(board.world.control()->poll());  // subscribed before the program starts
  board.loop.spawn(blink_led());
  board.loop.run_until(ms(2500));
  std::vector<std::string> got = client.lines();
  ASSERT_GE(got.size(), 5u);
  EXPECT_EQ(got[0], R"({"id":1,"ok":true})");
  EXPECT_EQ(got[1], R"({"id":2,"ok":true,"value":12})");
  EXPECT_EQ(got[2], R"({"event":"pin","pin":2,"level":1,"text":"GPIO2 high","t_us":0})");
  EXPECT_EQ(got[3], R"({"event":"pin","pin":2,"level":0,"text":"GPIO2 low","t_us":1000000})");
  EXPECT_EQ(got[4], R"({"event":"pin","pin":2,"level":1,"text":"GPIO2 high","t_us":2000000})");
}

// Reads one line, waiting up to 30 s (the loop runs in the test's main thread meanwhile).
std::string read_line(Client& c) {
  for (int i = 0; i < 3000; ++i) {
    std::vector<std::string> got = c.lines();
    if (!got.empty()) {
      std::string rest;
      for (std::size_t k = 1; k < got.size(); ++k)
        rest += got[k] + "\n";
      c.pending = rest + c.pending;
      return got[0];
    }
    usleep(10000);
  }
  return "(nothing within 30 s)";
}

TEST(ControlChannel, HoldAndAdvanceStepVirtualTime) {
  SimBoard board;
  std::string path = socket_path("step");
  ASSERT_TRUE(board.world.open_control(path).ok());
  Client client(path);
  std::vector<std::string> replies;
  client.send_line(R"({"op":"hold"})");
  EXPECT_TRUE(board.world.control()->poll());  // held before the program starts
  std::thread tool([&] {  // a tool stepping the simulation; the loop runs in this test's thread
    replies.push_back(read_line(client));
    client.send_line(R"({"op":"advance","ms":1500,"id":9})");
    replies.push_back(read_line(client));
    client.send_line(R"({"op":"advance","ms":1000,"id":10})");
    replies.push_back(read_line(client));
    client.send_line(R"({"op":"run"})");
    replies.push_back(read_line(client));
  });
  board.loop.spawn(blink_led());
  board.loop.run_until(sec(100));
  tool.join();
  ASSERT_EQ(replies.size(), 4u);
  EXPECT_EQ(replies[0], R"({"ok":true,"t_us":0})");
  EXPECT_EQ(replies[1], R"({"id":9,"ok":true,"t_us":1500000})");
  EXPECT_EQ(replies[2], R"({"id":10,"ok":true,"t_us":2500000})");
  EXPECT_EQ(replies[3], R"({"ok":true,"t_us":2500000})") << "time stood still until the tool said run";
  EXPECT_EQ(board.world.now(), sec(100));
}

TEST(ControlChannel, KeepsServingAfterAnOverlongLine) {
  SimBoard board;
  std::string path = socket_path("long");
  ASSERT_TRUE(board.world.open_control(path).ok());
  Client client(path);
  client.send_line(std::string(5000, 'x'));
  client.send_line(R"({"op":"time"})");
  board.loop.run_until(ms(1));
  board.loop.run_until(ms(2));
  std::vector<std::string> got = client.lines();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], R"({"ok":false,"error":"line longer than 4096 bytes: discarded"})");
  EXPECT_EQ(got[1].substr(0, 17), R"({"ok":true,"t_us")");
}

TEST(ControlChannel, RejectsAnAddressItCannotUse) {
  SimBoard board;
  test::LogCapture log;
  EXPECT_EQ(board.world.open_control("relative.sock").error(), Errc::invalid_argument);
  EXPECT_EQ(board.world.open_control("tcp:99999").error(), Errc::invalid_argument);
  EXPECT_EQ(board.world.open_control("/nonexistent-dir/x.sock").error(), Errc::io_error);
  EXPECT_TRUE(log.contains("use unix:/path/to.sock, /path/to.sock (under 108 bytes) or tcp:PORT"));
}

TEST(ControlChannel, ListensOnLoopbackTcp) {
  SimBoard board;
  ASSERT_TRUE(board.world.open_control("tcp:0").ok());
  EXPECT_GT(board.world.control()->port(), 0);
}

}  // namespace
}  // namespace weft::sim
