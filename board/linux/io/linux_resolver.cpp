#include "linux_resolver.hpp"

#include <netdb.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <utility>

#include "core/log.hpp"
#include "sockaddr.hpp"

namespace weft::linux_board {

struct LinuxResolver::Job {
  enum class State : std::uint8_t { queued, running, done };
  std::string host;
  std::uint16_t port = 0;
  Result<Endpoint> result{Errc::io_error};
  State state = State::queued;  // guarded by Shared::mutex
  Job* next = nullptr;          // queue / done list, guarded by Shared::mutex
  ResolveOp* op = nullptr;      // loop thread only; nullptr once cancelled
  Job* loop_prev = nullptr;     // loop thread only: LinuxResolver::jobs_
  Job* loop_next = nullptr;
};

// What the loop side and the helper threads share; freed by whoever lets go of it last.
struct LinuxResolver::Shared {
  std::mutex mutex;
  std::condition_variable work;
  Job* queue = nullptr;  // FIFO of jobs waiting for a thread
  Job* done = nullptr;   // LIFO of answers for the loop
  int queued = 0;
  int threads = 0;
  int idle = 0;
  int refs = 1;  // the resolver + one per thread
  bool stopping = false;
  int event_fd = -1;
  Lookup lookup = nullptr;
  int max_threads = 1;

  void release(std::unique_lock<std::mutex>& lock) {
    bool last = --refs == 0;
    lock.unlock();
    if (last) {
      if (event_fd >= 0) ::close(event_fd);
      delete this;
    }
  }
};

Result<Endpoint> LinuxResolver::system_lookup(const char* host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  int rc = ::getaddrinfo(host, nullptr, &hints, &list);
  if (rc != 0) {
    switch (rc) {
      case EAI_NONAME:
#ifdef EAI_NODATA
      case EAI_NODATA:
#endif
#ifdef EAI_ADDRFAMILY
      case EAI_ADDRFAMILY:
#endif
        return Errc::name_not_found;
      case EAI_AGAIN:
        return Errc::timed_out;
      default:
        return Errc::io_error;
    }
  }
  Result<Endpoint> found = Errc::name_not_found;
  for (addrinfo* a = list; a != nullptr; a = a->ai_next) {
    if (a->ai_family != AF_INET && a->ai_family != AF_INET6) continue;
    sockaddr_storage s{};
    std::memcpy(&s, a->ai_addr, a->ai_addrlen);
    Result<Endpoint> e = from_sockaddr(s);
    if (!e) continue;
    e->port = port;
    bool better = !found || (a->ai_family == AF_INET && !found->address.is_v4());
    if (better) found = e;
    if (found->address.is_v4()) break;
  }
  ::freeaddrinfo(list);
  return found;
}

LinuxResolver::LinuxResolver(FdReactor& reactor, Lookup lookup, int max_threads)
    : shared_(new Shared), reactor_(reactor) {
  shared_->lookup = lookup;
  shared_->max_threads = max_threads < 1 ? 1 : max_threads;
  watch_.events = EPOLLIN;  // level-triggered: read the counter each time
  watch_.on_ready = &on_ready;
  watch_.context = this;
}

LinuxResolver::~LinuxResolver() {
  reactor_.unwatch(watch_);
  // End the ops still waiting first: until `stopping` is set no thread frees a job.
  for (Job* j = jobs_; j != nullptr; j = j->loop_next) {
    if (ResolveOp* op = std::exchange(j->op, nullptr)) {
      op->port_data = nullptr;
      op->complete(Errc::closed);
    }
  }
  Job* ours = nullptr;  // queued or answered: freed here; running ones are freed by their thread
  {
    std::unique_lock lock(shared_->mutex);
    shared_->stopping = true;
    for (Job* head : {shared_->queue, shared_->done}) {
      while (head != nullptr) {
        Job* j = head;
        head = j->next;
        j->next = ours;
        ours = j;
      }
    }
    shared_->queue = shared_->done = nullptr;
    shared_->work.notify_all();
    shared_->release(lock);
  }
  while (ours != nullptr)
    delete std::exchange(ours, ours->next);
}

void LinuxResolver::start(ResolveOp& op) {
  if (shared_->event_fd < 0) {  // created on first use: no fd for programs that never resolve
    shared_->event_fd = watch_.fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (shared_->event_fd < 0) {
      log_message(LogLevel::error, "resolver: eventfd: %s", std::strerror(errno));
      op.complete(Errc::io_error);
      return;
    }
  }
  auto* job = new (std::nothrow) Job;
  if (job == nullptr) {
    op.complete(Errc::io_error);
    return;
  }
  job->host = op.host();
  job->port = op.port();
  job->op = &op;
  op.port_data = job;
  job->loop_next = jobs_;
  if (jobs_ != nullptr) jobs_->loop_prev = job;
  jobs_ = job;
  if (outstanding_++ == 0 && !reactor_.watch(watch_)) {
    finish(job, Errc::io_error);
    return;
  }

  std::unique_lock lock(shared_->mutex);
  Job** tail = &shared_->queue;
  while (*tail != nullptr)
    tail = &(*tail)->next;
  *tail = job;
  ++shared_->queued;
  bool spawn = shared_->queued > shared_->idle && shared_->threads < shared_->max_threads;
  if (spawn) {
    ++shared_->threads;
    ++shared_->refs;
  }
  shared_->work.notify_one();
  if (!spawn) return;
  lock.unlock();

  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t thread;
  int rc = pthread_create(&thread, &attr, &worker, shared_);
  pthread_attr_destroy(&attr);
  if (rc == 0) return;

  log_message(LogLevel::error, "resolver: starting a lookup thread: %s", std::strerror(rc));
  lock.lock();
  --shared_->threads;
  --shared_->refs;
  if (shared_->threads > 0 || job->state != Job::State::queued) return;  // another thread will take it
  for (Job** p = &shared_->queue; *p != nullptr; p = &(*p)->next) {
    if (*p == job) {
      *p = job->next;
      --shared_->queued;
      break;
    }
  }
  lock.unlock();
  finish(job, Errc::io_error);
}

void LinuxResolver::cancel(ResolveOp& op) {
  auto* job = static_cast<Job*>(op.port_data);
  if (job == nullptr) return;
  op.port_data = nullptr;
  job->op = nullptr;
  bool dropped = false;
  {
    std::lock_guard lock(shared_->mutex);
    if (job->state == Job::State::queued) {
      for (Job** p = &shared_->queue; *p != nullptr; p = &(*p)->next) {
        if (*p == job) {
          *p = job->next;
          --shared_->queued;
          dropped = true;
          break;
        }
      }
    }
  }
  if (dropped) finish(job, Errc::cancelled);  // never started; a running one is finished when it returns
}

void LinuxResolver::finish(Job* job, Result<Endpoint> r) {
  (job->loop_prev != nullptr ? job->loop_prev->loop_next : jobs_) = job->loop_next;
  if (job->loop_next != nullptr) job->loop_next->loop_prev = job->loop_prev;
  ResolveOp* op = job->op;
  delete job;
  if (--outstanding_ == 0) reactor_.unwatch(watch_);  // idle: not pending I/O
  if (op != nullptr) {
    op->port_data = nullptr;
    op->complete(static_cast<Result<Endpoint>&&>(r));
  }
}

void LinuxResolver::on_ready(FdWatch& w, std::uint32_t) {
  auto& self = *static_cast<LinuxResolver*>(w.context);
  std::uint64_t count = 0;
  ssize_t n = ::read(self.shared_->event_fd, &count, sizeof count);
  (void)n;
  Job* done = nullptr;
  {
    std::lock_guard lock(self.shared_->mutex);
    // Reverse the LIFO: answers are delivered in the order they came.
    for (Job* j = self.shared_->done; j != nullptr;) {
      Job* next = j->next;
      j->next = done;
      done = j;
      j = next;
    }
    self.shared_->done = nullptr;
  }
  while (done != nullptr) {
    Job* j = done;
    done = j->next;
    self.finish(j, j->result);
  }
}

void* LinuxResolver::worker(void* arg) {
  auto* s = static_cast<Shared*>(arg);
  std::unique_lock lock(s->mutex);
  for (;;) {
    while (s->queue == nullptr && !s->stopping) {
      ++s->idle;
      s->work.wait(lock);
      --s->idle;
    }
    if (s->stopping) break;
    Job* job = s->queue;
    s->queue = job->next;
    --s->queued;
    job->state = Job::State::running;
    lock.unlock();
    Result<Endpoint> r = s->lookup(job->host.c_str(), job->port);  // blocks this thread only
    lock.lock();
    if (s->stopping) {
      delete job;  // the resolver is gone: nobody wants the answer
      continue;
    }
    job->result = r;
    job->state = Job::State::done;
    job->next = s->done;
    s->done = job;
    std::uint64_t one = 1;
    ssize_t n = ::write(s->event_fd, &one, sizeof one);
    (void)n;
  }
  --s->threads;
  s->release(lock);
  return nullptr;
}

}  // namespace weft::linux_board
