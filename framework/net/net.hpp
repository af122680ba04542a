// framework/net in one include: Wi-Fi and the HTTP client.
#pragma once
#include "http/http.hpp"  // IWYU pragma: export
#include "wlan.hpp"       // IWYU pragma: export
