// One figure as a JSON line on stdout: {"bench": ..., "impl": ..., figures...}, what the benches print with
// --json and run_suite.py reads. Written by net::JsonText, so any text stays valid JSON.
//
//   Record("switch", "weft").add("tasks", 10).add("ns", 3.2).print();
#pragma once
#include <cstdio>

#include "net/http/json_writer.hpp"

namespace weft::bench {

class Record {
 public:
  Record(const char* bench, const char* impl) {
    json_.begin_object().member("bench", bench).member("impl", impl);
  }
  template <typename V>
  Record& add(const char* key, const V& value) {
    json_.member(key, value);
    return *this;
  }
  // Prints the line and flushes (a reader sees each record as soon as it is measured).
  void print() {
    json_.end_object();
    std::printf("%s\n", json_.str().c_str());
    std::fflush(stdout);
  }

 private:
  net::JsonText json_;
};

}  // namespace weft::bench
