// PinTable: which slot serves (op, pin): the pin's own, else the op's wildcard, else none.
#include "blynk/pin_table.hpp"

#include <gtest/gtest.h>

#include <array>

namespace weft::blynk {
namespace {

WriteHandler noop_write() {
  return WriteHandler([](int, Values) {});
}

TEST(PinTable, PrefersThePinsOwnSlotToTheWildcardWhicheverCameFirst) {
  std::array<PinSlot, 4> slots{};
  PinTable table(slots);
  ASSERT_TRUE(table.set_write(HardwareOp::virtual_write, 0, true, noop_write()));
  ASSERT_TRUE(table.set_write(HardwareOp::virtual_write, 5, false, noop_write()));
  EXPECT_EQ(table.find(HardwareOp::virtual_write, 5), &slots[1]);
  EXPECT_EQ(table.find(HardwareOp::virtual_write, 6), &slots[0]);
  EXPECT_EQ(table.find(HardwareOp::virtual_read, 5), nullptr);  // another op: no slot
  EXPECT_EQ(table.find(HardwareOp::digital_write, 5), nullptr);
  EXPECT_EQ(table.used(), 2U);
}

TEST(PinTable, KeepsPinZeroAndTheWildcardApart) {
  std::array<PinSlot, 2> slots{};
  PinTable table(slots);
  ASSERT_TRUE(table.set_write(HardwareOp::virtual_write, 0, false, noop_write()));
  EXPECT_EQ(table.find(HardwareOp::virtual_write, 0), &slots[0]);
  EXPECT_EQ(table.find(HardwareOp::virtual_write, 1), nullptr);
  ASSERT_TRUE(table.set_write(HardwareOp::virtual_write, 0, true, noop_write()));
  EXPECT_EQ(table.find(HardwareOp::virtual_write, 1), &slots[1]);
  table.remove(HardwareOp::virtual_write, 0, false);
  EXPECT_EQ(table.find(HardwareOp::virtual_write, 0), &slots[1]);  // now the wildcard's
  EXPECT_EQ(table.used(), 1U);
}

TEST(PinTable, ReplacesAHandlerInPlaceAndReportsAFullTable) {
  std::array<PinSlot, 2> slots{};
  PinTable table(slots);
  ASSERT_TRUE(table.set_write(HardwareOp::virtual_write, 255, false, noop_write()));
  ASSERT_TRUE(table.set_write(HardwareOp::virtual_write, 255, false, noop_write()));  // same slot
  EXPECT_EQ(table.used(), 1U);
  ASSERT_TRUE(table.set_read(HardwareOp::virtual_read, 255, false, ReadHandler([](int, Reply&) {})));
  EXPECT_EQ(table.set_write(HardwareOp::virtual_write, 7, false, noop_write()).error(), Errc::no_memory);
  EXPECT_EQ(table.find(HardwareOp::virtual_read, 255), &slots[1]);
  EXPECT_EQ(table.find(HardwareOp::virtual_write, 255), &slots[0]);
}

}  // namespace
}  // namespace weft::blynk
