// TimerHeap's edge cases (ordering, ties, removal anywhere, re-arming from a callback, many nodes) and the
// loop's timer pass (one clock read per wake, the fired-timer count).
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace weft {
namespace {

// A node that records its name in a shared trace when it expires, and may run an action then.
struct Named : TimerNode {
  Named(std::string n, std::vector<std::string>& out) : TimerNode(&fired), name(std::move(n)), trace(&out) {}
  static void fired(TimerNode& t) {
    auto& self = static_cast<Named&>(t);
    self.trace->push_back(self.name);
    if (self.on_fire) self.on_fire();
  }
  std::string name;
  std::vector<std::string>* trace;
  std::function<void()> on_fire;
};

// A node that counts its expiries.
struct Counted : TimerNode {
  static void fired(TimerNode& n) { static_cast<Counted&>(n).hits++; }
  Counted() : TimerNode(&fired) {}
  int hits = 0;
};

TEST(TimerHeap, PopsInDeadlineOrderAndRemovesArbitraryNodes) {
  std::mt19937 rng(1234);
  std::vector<Counted> nodes(2000);
  TimerHeap heap;
  std::multiset<Micros> model;
  for (auto& n : nodes) {
    Micros d = static_cast<Micros>(rng() % 100000);
    heap.insert(n, d);
    model.insert(d);
  }
  for (std::size_t i = 0; i < nodes.size(); i += 3) {  // remove a third, at random positions of the heap
    model.erase(model.find(nodes[i].deadline()));
    heap.remove(nodes[i]);
    EXPECT_FALSE(nodes[i].armed());
  }
  EXPECT_EQ(heap.size(), model.size());
  Micros last = -1;
  while (!heap.empty()) {
    Micros d = heap.next_deadline();
    EXPECT_EQ(d, *model.begin());
    EXPECT_GE(d, last);
    last = d;
    model.erase(model.begin());
    heap.expire_due(d);
    while (!model.empty() && *model.begin() == d)
      model.erase(model.begin());
  }
  EXPECT_TRUE(model.empty());
  for (std::size_t i = 0; i < nodes.size(); ++i)
    EXPECT_EQ(nodes[i].hits, i % 3 == 0 ? 0 : 1);
}

TEST(TimerHeap, FiresInDeadlineOrderWhateverTheInsertionOrder) {
  std::vector<std::string> trace;
  TimerHeap heap;
  Named a("a", trace), b("b", trace), c("c", trace), d("d", trace);
  heap.insert(c, 30);
  heap.insert(a, 10);
  heap.insert(d, 40);
  heap.insert(b, 20);
  EXPECT_EQ(heap.size(), 4u);
  EXPECT_EQ(heap.next_deadline(), 10);
  EXPECT_EQ(heap.expire_due(25), 2u);
  EXPECT_EQ(trace, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(heap.next_deadline(), 30);
  EXPECT_EQ(heap.expire_due(kForever - 1), 2u);
  EXPECT_EQ(trace, (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_TRUE(heap.empty());
  EXPECT_EQ(heap.next_deadline(), kForever);
}

TEST(TimerHeap, EqualDeadlinesFireInTheOrderTheyWereArmed) {
  std::vector<std::string> trace;
  TimerHeap heap;
  std::vector<std::unique_ptr<Named>> nodes;
  nodes.reserve(12);
  for (int i = 0; i < 12; ++i)
    nodes.push_back(std::make_unique<Named>(std::to_string(i), trace));
  // Interleave an earlier and a later deadline so the equal ones end up in different subtrees.
  Named early("early", trace), late("late", trace);
  heap.insert(late, 200);
  for (int i = 0; i < 6; ++i)
    heap.insert(*nodes[static_cast<std::size_t>(i)], 100);
  heap.insert(early, 50);
  for (int i = 6; i < 12; ++i)
    heap.insert(*nodes[static_cast<std::size_t>(i)], 100);
  EXPECT_EQ(heap.expire_due(50), 1u);  // restructures the heap before the ties are popped
  heap.remove(*nodes[3]);
  heap.insert(*nodes[3], 100);  // re-armed: now the last of its deadline
  EXPECT_EQ(heap.expire_due(kForever - 1), 13u);
  EXPECT_EQ(trace, (std::vector<std::string>{"early", "0", "1", "2", "4", "5", "6", "7", "8", "9", "10", "11",
                                             "3", "late"}));
}

TEST(TimerHeap, RemovesTheEarliestAMiddleAndTheLastNode) {
  for (int victim = 0; victim < 5; ++victim) {
    std::vector<std::string> trace;
    TimerHeap heap;
    std::vector<std::unique_ptr<Named>> nodes;
    for (int i = 0; i < 5; ++i) {
      nodes.push_back(std::make_unique<Named>(std::to_string(i), trace));
      heap.insert(*nodes.back(), Micros{10} * (5 - i));  // inserted latest-first: 4 is the earliest
    }
    EXPECT_EQ(heap.expire_due(0), 0u);
    Named& gone = *nodes[static_cast<std::size_t>(victim)];
    heap.remove(gone);
    EXPECT_FALSE(gone.armed());
    heap.remove(gone);  // removing an unarmed node does nothing
    EXPECT_EQ(heap.size(), 4u);
    EXPECT_EQ(heap.expire_due(100), 4u);
    std::vector<std::string> expected;
    for (int i = 4; i >= 0; --i) {
      if (i != victim) expected.push_back(std::to_string(i));
    }
    EXPECT_EQ(trace, expected) << "victim " << victim;
  }
}

TEST(TimerHeap, ADestroyedNodeLeavesTheHeap) {
  std::vector<std::string> trace;
  TimerHeap heap;
  Named a("a", trace);
  {
    Named b("b", trace);
    heap.insert(b, 5);  // the root
    heap.insert(a, 10);
  }
  EXPECT_EQ(heap.size(), 1u);
  EXPECT_EQ(heap.next_deadline(), 10);
  EXPECT_EQ(heap.expire_due(100), 1u);
  EXPECT_EQ(trace, (std::vector<std::string>{"a"}));
}

TEST(TimerHeap, ACallbackMayReArmItselfAndArmOthersForNow) {
  std::vector<std::string> trace;
  TimerHeap heap;
  Named tick("tick", trace), other("other", trace);
  int ticks = 0;
  tick.on_fire = [&] {
    if (++ticks < 3) heap.insert(tick, tick.deadline() + 10);  // re-armed from its own expiry
    if (ticks == 1) heap.insert(other, 10);                    // due now: fires in this same expire_due
  };
  heap.insert(tick, 10);
  EXPECT_EQ(heap.expire_due(10), 2u);
  EXPECT_EQ(heap.expire_due(30), 2u);
  EXPECT_EQ(trace, (std::vector<std::string>{"tick", "other", "tick", "tick"}));
  EXPECT_TRUE(heap.empty());
}

TEST(TimerHeap, ReArmingAnArmedNodeMovesIt) {
  std::vector<std::string> trace;
  TimerHeap heap;
  Named a("a", trace), b("b", trace);
  heap.insert(a, 10);
  heap.insert(b, 20);
  heap.insert(a, 30);  // a was the earliest; now the last
  EXPECT_EQ(heap.size(), 2u);
  EXPECT_EQ(heap.next_deadline(), 20);
  EXPECT_EQ(heap.expire_due(100), 2u);
  EXPECT_EQ(trace, (std::vector<std::string>{"b", "a"}));
}

TEST(TimerHeap, KeepsOrderAndCountThroughManyInsertsRemovesAndPops) {
  std::mt19937 rng(99);
  std::vector<Counted> nodes(3000);
  TimerHeap heap;
  // Rounds of: arm a random subset (ties likely), remove some armed ones, pop the earliest few.
  Micros now = 0;
  for (int round = 0; round < 30; ++round) {
    for (auto& n : nodes) {
      if (!n.armed() && rng() % 3 == 0) heap.insert(n, now + 1 + static_cast<Micros>(rng() % 500));
    }
    for (auto& n : nodes) {
      if (n.armed() && rng() % 7 == 0) heap.remove(n);
    }
    std::uint32_t armed = 0;
    for (auto& n : nodes)
      armed += n.armed() ? 1u : 0u;
    ASSERT_EQ(heap.size(), armed);
    now += 20;
    Micros last = -1;
    while (heap.next_deadline() <= now) {
      Micros d = heap.next_deadline();
      ASSERT_GE(d, last);
      last = d;
      TimerNode* n = heap.pop_due(now);
      ASSERT_NE(n, nullptr);
      ASSERT_FALSE(n->armed());
      n->expire();
    }
    EXPECT_EQ(heap.pop_due(now), nullptr);
  }
  heap.expire_due(kForever - 1);
  EXPECT_TRUE(heap.empty());
  EXPECT_EQ(heap.size(), 0u);
}

// A virtual clock that counts its reads.
class CountingClock final : public ClockPort {
 public:
  Micros now() override {
    ++reads;
    return inner.now();
  }
  void wait_until(Micros deadline) override { inner.wait_until(deadline); }
  void wake() override { inner.wake(); }
  [[nodiscard]] bool is_virtual() const override { return true; }
  VirtualClock inner;
  int reads = 0;
};

TEST(LoopTimers, ReadTheClockOncePerWakeAfterAnIdleWait) {
  CountingClock clock;
  Loop loop(clock);
  loop.set_profiling(false);  // profiling under a virtual clock reads it per slice
  auto sleeper = [](int n) -> Task<> {
    for (int i = 0; i < n; ++i)
      co_await sleep_ms(1);
  };
  auto h = loop.spawn(sleeper(100));
  EXPECT_TRUE(loop.run_until(sec(1)).ok());
  EXPECT_TRUE(h.done());
  // Per wake: the read after the idle wait (the pass then reads none) and the sleep's own (no timer armed).
  EXPECT_LE(clock.reads, 2 * 100 + 10);  // (a re-read per wake would make it 300)
  EXPECT_EQ(loop.stats().timers_fired, 100u);
  EXPECT_EQ(loop.stats().max_lag_us, 0);
}

TEST(LoopTimers, ReportTheWorstLatenessOfATimerPass) {
  test::VirtualLoop v;
  Timer late([] {}, v.loop);
  auto hog = [](VirtualClock& clock) -> Task<> {
    clock.advance(ms(7));  // runs 7 ms without yielding, past the timer's 2 ms deadline
    co_return;
  };
  EXPECT_TRUE(late.start_once(ms(2)).ok());
  v.loop.spawn(hog(v.clock));
  EXPECT_TRUE(v.loop.run_until(ms(20)).ok());
  EXPECT_EQ(late.fired(), 1u);
  EXPECT_EQ(v.loop.stats().timers_fired, 1u);
  EXPECT_EQ(v.loop.stats().max_lag_us, ms(5));
}

}  // namespace
}  // namespace weft
