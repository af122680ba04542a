// The Blynk client in one include, for applications: the session, its device API, widgets and timers.
// (codec.hpp is the protocol codec alone.) The mapping from the seeds' Python APIs is in API_MAPPING.md.
//
//   client.hpp          Client<Limits> / Blynk: a Session with its buffers; Limits
//   session.hpp         Session: run() (the task), control, events, handlers, virtual_write & co
//   config.hpp          Config (server, token, template id, timing, backoff, rate limit), State,
//                       DisconnectReason
//   values.hpp          Values: what a write handler receives
//   pin_table.hpp       WriteHandler, ReadHandler, Reply
//   bridge.hpp lcd.hpp terminal.hpp          widgets
//   gpio_auto.hpp       GpioAuto: physical pins served through framework/machine (pblynk's gpio_auto)
//   timers.hpp          Ticker (pblynk), TimerGroup (blynktimer)
//   transport.hpp tcp_transport.hpp          the byte-stream seam and plain TCP (TLS: tls_transport.hpp)
//   message.hpp outbox.hpp rate_limiter.hpp backoff.hpp    outgoing messages, flood protection, pacing
#pragma once
#include "bridge.hpp"    // IWYU pragma: export
#include "client.hpp"    // IWYU pragma: export
#include "codec.hpp"     // IWYU pragma: export
#include "config.hpp"    // IWYU pragma: export
#include "lcd.hpp"       // IWYU pragma: export
#include "session.hpp"   // IWYU pragma: export
#include "terminal.hpp"  // IWYU pragma: export
#include "timers.hpp"    // IWYU pragma: export
#include "values.hpp"    // IWYU pragma: export
