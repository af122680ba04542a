#include "resolver.hpp"

#include <cstring>

#include "core/log.hpp"
#include "core/loop.hpp"

namespace weft {

ResolveAwaiter::ResolveAwaiter(std::string_view host, std::uint16_t port, SocketPort& sockets)
    : ResolveOp(nullptr, port, &on_complete), sockets_(&sockets) {
  const char* problem = nullptr;
  if (host.empty()) {
    problem = "empty host name";
  } else if (host.size() > kMaxHostLength) {
    problem = "host name longer than 253 characters";
  } else if (host.find('\0') != std::string_view::npos) {
    problem = "NUL character in the host name";
  }
  done_ = true;
  if (problem != nullptr) {
    log_message(LogLevel::error, "resolve(\"%.*s\"): %s",
                static_cast<int>(host.size() > 64 ? 64 : host.size()), host.data(), problem);
    result_ = Errc::invalid_argument;
    return;
  }
  std::memcpy(name_, host.data(), host.size());
  name_[host.size()] = '\0';
  if (Result<IpAddress> numeric = IpAddress::parse(host)) {
    result_ = Endpoint{*numeric, port};
    return;
  }
  done_ = false;
}

ResolveAwaiter::ResolveAwaiter(ResolveAwaiter&& o) noexcept
    : ResolveOp(nullptr, o.port_, &on_complete),
      node_(static_cast<WaitNode&&>(o.node_)),
      sockets_(o.sockets_),
      result_(o.result_),
      done_(o.done_) {
  std::memcpy(name_, o.name_, sizeof name_);
}

ResolveAwaiter::~ResolveAwaiter() {
  if (!node_.linked) return;
  node_.linked = false;
  sockets_->cancel_resolve(*this);
}

bool ResolveAwaiter::await_suspend(std::coroutine_handle<> h) {
  if (!Loop::current().begin_wait(h, node_)) return false;
  host_ = name_;  // not before: the awaiter may have moved since construction
  node_.context = this;
  node_.linked = true;
  sockets_->resolve(*this);  // may complete at once: the task is then already queued
  return true;
}

Result<Endpoint> ResolveAwaiter::await_resume() {
  if (!done_ && node_.result() != Errc::ok) return node_.result();
  return result_;
}

void ResolveAwaiter::on_complete(ResolveOp& op, Result<Endpoint>&& r) {
  auto& self = static_cast<ResolveAwaiter&>(op);
  self.result_ = static_cast<Result<Endpoint>&&>(r);
  self.node_.linked = false;
  self.node_.fire(Errc::ok);
}

void ResolveAwaiter::unlink(WaitNode& n) {
  auto& self = *static_cast<ResolveAwaiter*>(n.context);
  self.sockets_->cancel_resolve(self);
}

ResolveAwaiter resolve(std::string_view host, std::uint16_t port, SocketPort& sockets) {
  return ResolveAwaiter(host, port, sockets);
}

}  // namespace weft
