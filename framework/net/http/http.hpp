// The HTTP client in one include: HttpClient and its responses, URLs, the JSON writer for request bodies.
#pragma once
#include "body_decoder.hpp"   // IWYU pragma: export
#include "client.hpp"         // IWYU pragma: export
#include "json_writer.hpp"    // IWYU pragma: export
#include "request_head.hpp"   // IWYU pragma: export
#include "response_head.hpp"  // IWYU pragma: export
#include "url.hpp"            // IWYU pragma: export
