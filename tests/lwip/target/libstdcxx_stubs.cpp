// What framework/io pulls from libstdc++'s runtime, which this target does not link: string_view::substr
// checks its position (endpoint.cpp parses text with it) and would throw. Weak, so a board runtime that
// supplies it wins. Never reached by correct code: the checks guard positions the parser computed.
#include <cstdarg>

#include "lx106_qemu/lx106.hpp"

namespace std {
[[gnu::weak, noreturn]] void __throw_out_of_range_fmt(const char* /*format*/, ...) {
  weft::lx106::fatal(weft::lx106::kExitTrap, "std::string_view position out of range");
}
}  // namespace std
