// The simulator's words for its enums, one table per enum read both ways: scenario files parse them, the
// control channel parses and writes them. A table may name a value twice (an alias): the first name is the
// one written.
#pragma once
#include <cstddef>
#include <string_view>

#include "machine/power.hpp"
#include "net/wlan.hpp"
#include "pads.hpp"

namespace weft::sim {

template <class E>
struct Named {
  std::string_view name;
  E value;
};

inline constexpr Named<net::WlanStatus> kWifiStatusNames[] = {
    {"idle", net::WlanStatus::idle},
    {"connecting", net::WlanStatus::connecting},
    {"wrong_password", net::WlanStatus::wrong_password},
    {"no_ap_found", net::WlanStatus::no_ap_found},
    {"connect_fail", net::WlanStatus::connect_fail},
    {"got_ip", net::WlanStatus::got_ip},
    {"connected", net::WlanStatus::got_ip},
};

inline constexpr Named<net::AuthMode> kAuthNames[] = {
    {"open", net::AuthMode::open},
    {"wep", net::AuthMode::wep},
    {"wpa", net::AuthMode::wpa_psk},
    {"wpa2", net::AuthMode::wpa2_psk},
    {"wpa/wpa2", net::AuthMode::wpa_wpa2_psk},
};

inline constexpr Named<machine::ResetCause> kResetCauseNames[] = {
    {"power_on", machine::ResetCause::power_on}, {"hard", machine::ResetCause::hard},
    {"watchdog", machine::ResetCause::watchdog}, {"deep_sleep", machine::ResetCause::deep_sleep},
    {"soft", machine::ResetCause::soft},
};

inline constexpr Named<Drive> kDriveNames[] = {
    {"high", Drive::high},
    {"low", Drive::low},
    {"float", Drive::none},
};

// The value `word` names in `names` (into `out`); false, `out` unchanged, when it names none.
template <class E, std::size_t N>
bool value_named(std::string_view word, const Named<E> (&names)[N], E& out) {
  for (const Named<E>& n : names) {
    if (n.name == word) {
      out = n.value;
      return true;
    }
  }
  return false;
}

// The first name of `value` in `names`, or "?".
template <class E, std::size_t N>
const char* name_of(E value, const Named<E> (&names)[N]) {
  for (const Named<E>& n : names) {
    if (n.value == value) return n.name.data();
  }
  return "?";
}

}  // namespace weft::sim
