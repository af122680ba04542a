// framework/net in one include: Wi-Fi (the HTTP client comes later).
#pragma once
#include "wlan.hpp"  // IWYU pragma: export
