// The whole core in one include, for applications.
#pragma once
#include "callback.hpp"          // IWYU pragma: export
#include "clock_port.hpp"        // IWYU pragma: export
#include "errc.hpp"              // IWYU pragma: export
#include "event.hpp"             // IWYU pragma: export
#include "frame_arena.hpp"       // IWYU pragma: export
#include "gather.hpp"            // IWYU pragma: export
#include "io_poller.hpp"         // IWYU pragma: export
#include "lock.hpp"              // IWYU pragma: export
#include "log.hpp"               // IWYU pragma: export
#include "loop.hpp"              // IWYU pragma: export
#include "periodic.hpp"          // IWYU pragma: export
#include "queue.hpp"             // IWYU pragma: export
#include "race.hpp"              // IWYU pragma: export
#include "result.hpp"            // IWYU pragma: export
#include "sleep.hpp"             // IWYU pragma: export
#include "task.hpp"              // IWYU pragma: export
#include "thread_safe_flag.hpp"  // IWYU pragma: export
#include "time.hpp"              // IWYU pragma: export
#include "timer.hpp"             // IWYU pragma: export
#include "virtual_clock.hpp"     // IWYU pragma: export
#include "wait_for.hpp"          // IWYU pragma: export
