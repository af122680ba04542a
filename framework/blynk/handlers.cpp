// The session's handler registry: what runs when the app writes or reads a pin.
#include "core/log.hpp"
#include "session.hpp"

namespace weft::blynk {

// ============================================ Handlers =====================================================

Status Session::check_pin(const char* what, int pin) const {
  if (is_valid_virtual_pin(pin)) return {};
  WEFT_LOG_ERROR("Blynk: %s(V%d): virtual pins are 0..%d", what, pin, max_virtual_pin);
  return Errc::invalid_argument;
}

namespace {
Status table_status(const char* what, int pin, const PinTable& table, Status s) {
  if (!s) {
    WEFT_LOG_ERROR("Blynk: %s(%d): the handler table is full (%u slots): raise Limits::handlers", what, pin,
                   static_cast<unsigned>(table.capacity()));
  }
  return s;
}
}  // namespace

Status Session::on_write(int pin, WriteHandler h) {
  if (Status s = check_pin("on_write", pin); !s) return s;
  return table_status("on_write", pin, pins_, pins_.set_write(HardwareOp::virtual_write, pin, false, h));
}

Status Session::on_read(int pin, ReadHandler h) {
  if (Status s = check_pin("on_read", pin); !s) return s;
  return table_status("on_read", pin, pins_, pins_.set_read(HardwareOp::virtual_read, pin, false, h));
}

Status Session::on_write_any(WriteHandler h) {
  return table_status("on_write_any", -1, pins_, pins_.set_write(HardwareOp::virtual_write, 0, true, h));
}

Status Session::on_read_any(ReadHandler h) {
  return table_status("on_read_any", -1, pins_, pins_.set_read(HardwareOp::virtual_read, 0, true, h));
}

Status Session::add_digital_hw_pin(int pin, ReadHandler read, WriteHandler write) {
  if (!is_valid_physical_pin(pin)) {
    WEFT_LOG_ERROR("Blynk: add_digital_hw_pin(%d): physical pins are 0..%d", pin, max_physical_pin);
    return Errc::invalid_argument;
  }
  if (read) {
    Status s = pins_.set_read(HardwareOp::digital_read, pin, false, read);
    if (!s) return table_status("add_digital_hw_pin", pin, pins_, s);
  }
  if (write) {
    Status s = pins_.set_write(HardwareOp::digital_write, pin, false, write);
    if (!s) return table_status("add_digital_hw_pin", pin, pins_, s);
  }
  return {};
}

}  // namespace weft::blynk
