// Project files: what they declare, and the file:line errors for what they get wrong.
#include "project.hpp"

#include <gtest/gtest.h>

#include "blynk/token_text.hpp"
#include "store.hpp"

namespace weft::cloud {
namespace {

TEST(Project, ReadsDevicesWidgetsValuesPropertiesAndRules) {
  std::string error;
  std::optional<Project> p = Project::parse(
      "# a comment\n"
      "device \"Living room\" token 0123456789abcdefABCDEF0123456789   # trailing comment\n"
      "  widget button V1 label \"LED \\\"1\\\"\"\n"
      "  widget button D2 mode out\n"
      "  widget display D14\n"
      "  widget slider D5\n"
      "  widget display V2 poll 1.5\n"
      "  value V1 1\n"
      "  value V3 a \"b c\"\n"
      "  property V1 color \"#D3435C\"\n"
      "  quota 20\n"
      "  redirect 127.0.0.1:9443\n"
      "device Garage\n",
      "demo.project", error);
  ASSERT_TRUE(p) << error;
  ASSERT_EQ(p->devices.size(), 2u);
  const DeviceSpec& d = p->devices[0];
  EXPECT_EQ(d.name, "Living room");
  EXPECT_EQ(d.token, "0123456789abcdefABCDEF0123456789");
  ASSERT_EQ(d.widgets.size(), 5u);
  EXPECT_EQ(d.widgets[0].label, "LED \"1\"");
  EXPECT_FALSE(d.widgets[0].mode);
  EXPECT_EQ(d.widgets[1].mode, blynk::PinMode::output);
  EXPECT_EQ(d.widgets[2].mode, blynk::PinMode::input);  // a display reads
  EXPECT_EQ(d.widgets[3].mode, blynk::PinMode::pwm);    // a slider on a digital pin
  EXPECT_DOUBLE_EQ(d.widgets[4].poll_s, 1.5);
  EXPECT_EQ(d.values.at(PinRef{PinType::virtual_pin, 3}), (std::vector<std::string>{"a", "b c"}));
  EXPECT_EQ(d.properties.at(PinRef{PinType::virtual_pin, 1}).at("color"),
            (std::vector<std::string>{"#D3435C"}));
  EXPECT_DOUBLE_EQ(*d.quota, 20);
  EXPECT_EQ(d.redirect_host, "127.0.0.1");
  EXPECT_EQ(d.redirect_port, 9443);
  EXPECT_TRUE(p->devices[1].token.empty());  // generated when added to a Store

  Store store;
  ASSERT_TRUE(store.add_project(*p, error)) << error;
  EXPECT_EQ(store.devices()[1]->token().size(), 32u);
  EXPECT_EQ(store.devices()[0]->values.at(PinRef{PinType::virtual_pin, 3}), std::string("a\0b c", 5));
}

struct BadLine {
  const char* text;
  std::string error;
};

TEST(Project, ReadsTheDashboardsWidgetOptions) {
  std::string error;
  std::optional<Project> p = Project::parse(
      "device d\n"
      "  widget gauge V6 min -10 max 1023.5\n"
      "  widget button V9 action push\n"
      "  widget button V1 action switch\n"
      "  widget slider V2\n",
      "p", error);
  ASSERT_TRUE(p) << error;
  const std::vector<Widget>& w = p->devices[0].widgets;
  EXPECT_DOUBLE_EQ(w[0].min, -10);
  EXPECT_DOUBLE_EQ(w[0].max, 1023.5);
  EXPECT_TRUE(w[1].push);
  EXPECT_FALSE(w[2].push);
  EXPECT_DOUBLE_EQ(w[3].min, 0);  // the defaults: 0..255, a switch
  EXPECT_DOUBLE_EQ(w[3].max, 255);
  EXPECT_FALSE(w[3].push);
}

TEST(Project, NamesTheFileAndLineOfEveryMistake) {
  const BadLine cases[] = {
      {"widget button V1\n", "p:1: 'widget' outside a device"},
      {"device\n", "p:1: write `device NAME [token TOKEN]`"},
      {"device d token short\n", std::string("p:1: bad token '") + blynk::token_text("short").c_str() +
                                     "': auth token must be exactly 32 characters"},
      {"device d tokn AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", "p:1: expected `token`"},
      {"device a token AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\ndevice b token AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
       "p:2: token already used by device 'a' (line 1)"},
      {"device d\n\n  widget button X1\n", "p:3: bad pin 'X1'"},
      {"device d\n  widget button V1 lable x\n",
       "p:2: unknown widget option 'lable' (options: label, mode, poll, min, max, action)"},
      {"device d\n  widget gauge V1 max lots\n", "p:2: bad max 'lots': write a number"},
      {"device d\n  widget gauge V1 min 10 max 5\n", "p:2: min 10.000000 is not below max 5.000000"},
      {"device d\n  widget button V1 action hold\n", "p:2: bad action 'hold': write push"},
      {"device d\n  widget button V1 mode out\n", "p:2: a mode is for physical pins"},
      {"device d\n  widget button D1 mode fast\n", "p:2: bad mode 'fast'"},
      {"device d\n  widget button D1 label\n", "p:2: widget option 'label' needs a value"},
      {"device d\n  widget display V1 poll 0\n", "p:2: bad poll '0'"},
      {"device d\n  value V1\n", "p:2: write `value PIN VALUE"},
      {"device d\n  quota lots\n", "p:2: write `quota N`"},
      {"device d\n  redirect nowhere\n", "p:2: bad redirect 'nowhere'"},
      {"device d\n  label \"unterminated\n", "p:2: unterminated"},
      {"device d\n  colour red\n", "p:2: unknown line 'colour'"},
  };
  for (const BadLine& c : cases) {
    std::string error;
    EXPECT_FALSE(Project::parse(c.text, "p", error)) << c.text;
    EXPECT_EQ(error.rfind(c.error, 0), 0u) << "for:\n" << c.text << "got: " << error;
  }
}

TEST(Project, SaysWhyAFileCannotBeRead) {
  std::string error;
  EXPECT_FALSE(Project::load("/nonexistent/x.project", error));
  EXPECT_EQ(error, "cannot read project file /nonexistent/x.project: No such file or directory");
}

TEST(PinRef, ParsesTheRestApisPinNames) {
  EXPECT_EQ(PinRef::parse("V1"), (PinRef{PinType::virtual_pin, 1}));
  EXPECT_EQ(PinRef::parse("v255"), (PinRef{PinType::virtual_pin, 255}));
  EXPECT_EQ(PinRef::parse("D14"), (PinRef{PinType::digital, 14}));
  EXPECT_EQ(PinRef::parse("a17"), (PinRef{PinType::analog, 17}));
  for (const char* bad : {"", "V", "V256", "V-1", "X1", "V1x", "V 1", "V0001"})
    EXPECT_FALSE(PinRef::parse(bad)) << bad;
  EXPECT_EQ((PinRef{PinType::digital, 2}).name(), "D2");
}

}  // namespace
}  // namespace weft::cloud
