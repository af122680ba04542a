// framework/io in one include: endpoints, TCP streams and listeners, buffered reads, name resolution.
#pragma once
#include "buffered_reader.hpp"  // IWYU pragma: export
#include "endpoint.hpp"         // IWYU pragma: export
#include "io_result.hpp"        // IWYU pragma: export
#include "resolver.hpp"         // IWYU pragma: export
#include "tcp_listener.hpp"     // IWYU pragma: export
#include "tcp_stream.hpp"       // IWYU pragma: export
