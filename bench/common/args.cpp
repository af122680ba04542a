#include "args.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace weft::bench {

Args::Args(int argc, char** argv, const char* usage) : argc_(argc), argv_(argv), usage_(usage) {
  program_ = argc > 0 ? argv[0] : "bench";
  if (std::size_t slash = program_.rfind('/'); slash != std::string::npos) program_.erase(0, slash + 1);
}

const char* Args::positional() {
  if (i_ + 1 >= argc_ || argv_[i_ + 1][0] == '-') return nullptr;
  return argv_[++i_];
}

bool Args::next() {
  if (++i_ >= argc_) return false;
  arg_ = argv_[i_];
  const std::size_t eq = arg_.find('=');
  has_value_ = eq != std::string::npos;
  name_ = arg_.substr(0, eq);
  value_ = has_value_ ? arg_.substr(eq + 1) : std::string();
  if (name_ == "--help" || name_ == "-h") {
    std::fputs(usage_, stdout);
    std::exit(0);
  }
  return true;
}

const std::string& Args::value() {
  if (!has_value_) {
    if (i_ + 1 >= argc_) fail("missing value");
    value_ = argv_[++i_];
    arg_ += ' ' + value_;
    has_value_ = true;
  }
  return value_;
}

std::uint64_t Args::whole(const std::string& text, std::uint64_t min, std::uint64_t max) const {
  errno = 0;
  const unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || errno != 0 || v < min ||
      v > max) {
    fail("expected a whole number " + std::to_string(min) + " .. " + std::to_string(max));
  }
  return v;
}

std::uint64_t Args::count(std::uint64_t max, std::uint64_t min) {
  return whole(value(), min, max);
}

double Args::number(double min, double max) {
  const std::string& text = value();
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno != 0 || !(v >= min && v <= max)) {
    fail("expected a number " + std::to_string(min) + " .. " + std::to_string(max));
  }
  return v;
}

std::vector<std::uint32_t> Args::counts(std::uint64_t max) {
  const std::string& list = value();
  std::vector<std::uint32_t> out;
  for (std::size_t start = 0;;) {
    const std::size_t comma = list.find(',', start);
    out.push_back(static_cast<std::uint32_t>(whole(list.substr(start, comma - start), 1, max)));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

void Args::choose(std::initializer_list<Choice> choices) {
  const std::string& list = value();
  for (const Choice& c : choices)
    *c.flag = false;
  for (std::size_t start = 0;;) {
    const std::size_t comma = list.find(',', start);
    const std::string name = list.substr(start, comma - start);
    bool known = false;
    for (const Choice& c : choices) {
      if (name == c.name) *c.flag = known = true;
    }
    if (!known) {
      std::string names;
      for (const Choice& c : choices)
        names += std::string(names.empty() ? "" : ", ") + c.name;
      fail("unknown name '" + name + "' (expected: " + names + ")");
    }
    if (comma == std::string::npos) return;
    start = comma + 1;
  }
}

void Args::fail(const std::string& what) const {
  if (arg_.empty())
    std::fprintf(stderr, "%s: %s\n%s", program_.c_str(), what.c_str(), usage_);
  else
    std::fprintf(stderr, "%s: '%s': %s\n%s", program_.c_str(), arg_.c_str(), what.c_str(), usage_);
  std::exit(2);
}

void Args::unknown() const {
  std::fprintf(stderr, "%s: unknown option '%s'\n%s", program_.c_str(), name_.c_str(), usage_);
  std::exit(2);
}

void Args::fail_line(const std::string& what) const {
  std::fprintf(stderr, "%s: %s\n%s", program_.c_str(), what.c_str(), usage_);
  std::exit(2);
}

}  // namespace weft::bench
