// The Blynk protocol codec in one include: pure code (no I/O, no scheduler, no allocation, no exceptions)
// that the session task builds on.
//
//   protocol.hpp          Command, StatusCode, limits, token validation
//   frame.hpp             FrameHeader, Frame, header encoding
//   frame_parser.hpp      FrameParser: bytes in any chunking -> Frames (views, no copy unless split)
//   frame_writer.hpp      FrameWriter: every frame a device sends, built all-or-nothing into a fixed buffer
//   message_id.hpp        MessageIdGenerator: 1..65535, wraps to 1, never 0
//   body.hpp              BodyReader (NUL-separated fields), Value (one outgoing field), BodyWriter
//   text/number.hpp       strict int/float parsing, printf-free int/float formatting (framework/text)
//   hardware.hpp          HARDWARE ops (vw vr dw dr aw ar pm), pins, pin modes
//   internal_message.hpp  INTERNAL ops (rtc utc acon adis ota meta)
//   redirect.hpp          REDIRECT `host\0port`
#pragma once
#include "body.hpp"
#include "frame.hpp"
#include "frame_parser.hpp"
#include "frame_writer.hpp"
#include "hardware.hpp"
#include "internal_message.hpp"
#include "message_id.hpp"
#include "protocol.hpp"
#include "redirect.hpp"
#include "text/number.hpp"
