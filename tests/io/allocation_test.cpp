// Steady-state socket I/O allocates nothing: every wait lives in the awaiting coroutine's frame (from the
// frame arena), and reads and writes go straight between the caller's buffers and the kernel.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "io_test_support.hpp"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

// Every replaceable form, so each allocation is counted and every pair matches (malloc/free).
namespace {
void* counted(std::size_t n) noexcept {
  ++g_allocations;
  return std::malloc(n == 0 ? 1 : n);
}
}  // namespace
void* operator new(std::size_t n) {
  if (void* p = counted(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  return operator new(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return counted(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return counted(n);
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}

namespace weft {
namespace {

using test::RawListener;
using AllocationTest = test::IoTest;

TEST_F(AllocationTest, ReadsWritesAndTimedReadsAllocateNothingOnceConnected) {
  RawListener listener;
  run([](RawListener& l) -> Task<> {
    Result<TcpStream> s = co_await TcpStream::connect(l.endpoint(), sec(5));
    CO_ASSERT(s.ok());
    int peer = l.accept_one();
    char storage[64];
    BufferedReader in(*s, storage);
    char buf[16];
    long before = g_allocations;
    for (int i = 0; i < 100; ++i) {
      CO_ASSERT((co_await s->write_all("0123456789abcdef")).ok());
      char echo[16];
      CO_ASSERT(recv(peer, echo, sizeof echo, MSG_WAITALL) == 16);
      CO_ASSERT(send(peer, "line\n0123456789", 15, 0) == 15);
      CO_ASSERT((co_await wait_for(in.read_until('\n'), sec(5))).ok());
      CO_ASSERT((co_await in.read_exactly({buf, 10})).ok());
      CO_ASSERT(send(peer, "x", 1, 0) == 1);
      CO_ASSERT((co_await s->read_some(buf)).ok());
    }
    EXPECT_EQ(g_allocations - before, 0);
    close(peer);
  }(listener));
}

}  // namespace
}  // namespace weft
