// One benchmark's command line: `--name=value` or `--name value`, flags, `--help`. A mistake prints what was
// wrong and the usage to stderr and exits 2; --help prints the usage to stdout and exits 0.
//
// Arguments that are not options (a MODE) are read with positional() before next().
//
//   Args args(argc, argv, kUsage);
//   while (args.next()) {
//     if (args.flag("--quick")) o.quick = true;
//     else if (args.is("--runs")) o.runs = args.count(1000);
//     else args.unknown();
//   }
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace weft::bench {

class Args {
 public:
  // `usage` starts with "usage: PROGRAM ..."; the program's name in messages is argv[0]'s last part.
  Args(int argc, char** argv, const char* usage);

  // The next argument when it is not an option (a MODE), else nullptr; before next().
  const char* positional();
  // Moves to the next option; false after the last. --help and -h are answered here.
  bool next();
  // The current option is `name` (with or without a value).
  [[nodiscard]] bool is(const char* name) const { return name_ == name; }
  // The current option is `name` without a value.
  [[nodiscard]] bool flag(const char* name) const { return is(name) && !has_value_; }

  // The current option's value: after '=', or the next argument. A missing value is an error.
  const std::string& value();
  // The value as a whole number in [min, max].
  std::uint64_t count(std::uint64_t max, std::uint64_t min = 1);
  // The value as a number in [min, max].
  double number(double min, double max);
  // The value as comma-separated whole numbers, each in [1, max].
  std::vector<std::uint32_t> counts(std::uint64_t max);
  // The value as comma-separated names out of `choices`: sets those flags, clears the others.
  struct Choice {
    const char* name;
    bool* flag;
  };
  void choose(std::initializer_list<Choice> choices);

  // "PROGRAM: '--option=value': what" and the usage; exits 2.
  [[noreturn]] void fail(const std::string& what) const;
  // "PROGRAM: unknown option '--name'" and the usage; exits 2.
  [[noreturn]] void unknown() const;
  // "PROGRAM: what" and the usage, for a mistake that is no one option's (a missing MODE); exits 2.
  [[noreturn]] void fail_line(const std::string& what) const;

 private:
  std::uint64_t whole(const std::string& text, std::uint64_t min, std::uint64_t max) const;

  int argc_;
  char** argv_;
  const char* usage_;
  std::string program_;
  int i_ = 0;
  std::string arg_, name_, value_;
  bool has_value_ = false;
};

}  // namespace weft::bench
