#include "client.hpp"

#include <cstring>

#include "core/log.hpp"

namespace weft::net {
namespace {

constexpr int kMaxInterimResponses = 8;  // 1xx heads skipped before the final one

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

int clip(std::string_view s) {
  return static_cast<int>(s.size() > 120 ? 120 : s.size());
}

// The first bytes of `s` for a log line, non-printable ones as '.', NUL-terminated.
template <std::size_t N>
void printable(std::string_view s, char (&out)[N]) {
  std::size_t n = s.size() < N - 1 ? s.size() : N - 1;
  for (std::size_t i = 0; i < n; ++i)
    out[i] = s[i] >= ' ' && s[i] < 0x7f ? s[i] : '.';
  out[n] = '\0';
}

}  // namespace

// Marks the client busy for one operation; an operation that does not complete (error, timeout, cancellation:
// the task frame is destroyed) leaves the connection in an unknown state, so it is closed and the response
// ended.
class HttpClient::Busy {
 public:
  explicit Busy(HttpClient& c) : c_(c) { c_.busy_ = true; }
  ~Busy() {
    c_.busy_ = false;
    if (completed) return;
    c_.conn_.close();
    ++c_.generation_;  // whatever response was under way is over: its reads give Errc::closed
  }
  Busy(const Busy&) = delete;
  Busy& operator=(const Busy&) = delete;
  bool completed = false;

 private:
  HttpClient& c_;
};

Task<Result<std::size_t>> HttpResponse::read(std::span<char> into) {
  return client_->read_body(generation_, into);
}

Task<Result<std::string_view>> HttpResponse::body() {
  return client_->read_all(generation_);
}

Task<Result<HttpResponse>> HttpClient::send(HttpRequest request) {
  if (busy_) co_return Errc::busy;
  Busy busy(*this);
  ++generation_;
  deadline_ =
      options_.request_timeout > 0 ? deadline_after(Loop::current().now(), options_.request_timeout) : 0;
  pending_begin_ = pending_end_ = head_length_ = 0;
  if (conn_.is_open() && !(body_.done() && reusable_)) conn_.close();  // the last body was not read through
  body_ = BodyDecoder();

  std::string_view url_text = request.url;
  std::size_t url_copy = 0;  // a redirect's URL is kept at the end of the buffer: these many bytes
  Method method = request.method;
  std::string_view body = request.body;
  std::string_view content_type = request.content_type;
  for (unsigned redirects = 0;; ++redirects) {
    const char* why = nullptr;
    Result<Url> url = Url::parse(url_text, &why);
    if (!url) {
      WEFT_LOG_ERROR("http: bad URL \"%.*s\": %s", clip(url_text), url_text.data(), why);
      co_return url.error();
    }
    std::span<char> work = buf_.first(buf_.size() - url_copy);
    RequestHeadParts parts{method, &*url, request.headers, content_type, body.size(), options_.keep_alive};
    Result<std::size_t> head_size = format_request_head(parts, work, &why);
    if (!head_size) {
      WEFT_LOG_ERROR("http: %s %.*s: %s", to_string(method), clip(url_text), url_text.data(), why);
      co_return head_size.error();
    }
    Status s = co_await exchange(*url, method, work, *head_size, body);
    if (!s) co_return s.error();

    std::optional<std::string_view> location = head_.header("Location");
    if (!is_redirect(head_.status) || options_.max_redirects == 0 || !location) break;
    if (redirects == options_.max_redirects) {
      WEFT_LOG_WARN("http: more than %u redirects (the last to \"%.*s\")", options_.max_redirects,
                    clip(*location), location->data());
      co_return Errc::protocol_error;
    }
    // The next URL: resolved into the free room after the head, then moved to the end of the buffer, where
    // the next request head cannot overwrite it.
    std::span<char> room = buf_.subspan(head_length_, buf_.size() - head_length_ - url_copy);
    Result<std::size_t> next = resolve_reference(*url, *location, room, &why);
    if (!next) {
      WEFT_LOG_WARN("http: cannot follow the redirect to \"%.*s\": %s", clip(*location), location->data(),
                    why);
      co_return next.error() == Errc::too_large ? Errc::too_large : Errc::protocol_error;
    }
    url_copy = *next;
    char* at = buf_.data() + buf_.size() - url_copy;
    std::memmove(at, room.data(), url_copy);
    url_text = std::string_view(at, url_copy);
    bool post_to_get = (head_.status == 301 || head_.status == 302) && method == Method::post;
    if (head_.status == 303 || post_to_get) {
      if (method != Method::head) method = Method::get;
      body = {};
      content_type = {};
    }
    if (!(body_.done() && reusable_)) conn_.close();  // the 3xx's body is not read: never reuse mid-body
  }
  busy.completed = true;
  co_return HttpResponse(*this, generation_, head_);
}

Task<Status> HttpClient::exchange(const Url& url, Method method, std::span<char> work, std::size_t head_size,
                                  std::string_view body) {
  bool reused = conn_.serves(url);
  if (!reused) conn_.close();
  // One write when the body fits after the head (no Nagle delay between two small segments).
  std::string_view first(work.data(), head_size);
  std::string_view second = body;
  if (body.size() <= work.size() - head_size) {
    if (!body.empty()) std::memcpy(work.data() + head_size, body.data(), body.size());
    first = std::string_view(work.data(), head_size + body.size());
    second = {};
  }
  for (int attempt = 0;; ++attempt) {
    if (!conn_.is_open()) {
      Status opened = co_await conn_.open(url, limit(options_.connect_timeout), *sockets_, options_.tls);
      if (!opened) co_return opened;
      reused = false;
    }
    Result<IoResult> wrote = co_await conn_.write_all(first, limit(options_.read_timeout));
    IoResult w = flatten(wrote);
    if (w && !second.empty()) {
      wrote = co_await conn_.write_all(second, limit(options_.read_timeout));
      w = flatten(wrote);
    }
    Status s = w ? Status{} : Status{w.error};
    std::size_t received = 0;
    if (s) s = co_await read_head(work, method == Method::head, received);
    // A kept-alive connection the server closed meanwhile fails before any response byte: retry once.
    bool stale =
        reused && attempt == 0 && received == 0 && (s.error() == Errc::closed || s.error() == Errc::reset);
    if (!stale) co_return s;
    conn_.close();
  }
}

Task<Status> HttpClient::read_head(std::span<char> work, bool head_request, std::size_t& received) {
  std::size_t have = 0;
  std::size_t scanned = 0;
  head_length_ = 0;
  for (int interim = 0;;) {
    // Not HTTP at all (a wrong port, a TLS server): say so at once rather than wait for a blank line.
    if (std::memcmp(work.data(), "HTTP/", have < 5 ? have : 5) != 0) {
      char start[17];
      printable({work.data(), have}, start);
      WEFT_LOG_WARN("http: the server's reply is not HTTP (it starts with \"%s\")", start);
      co_return Errc::protocol_error;
    }
    std::size_t end = find_head_end({work.data(), have}, scanned);
    if (end == 0) {
      scanned = have;
      if (have == work.size()) {
        WEFT_LOG_WARN("http: the response head is longer than the client's buffer (%zu bytes)", work.size());
        co_return Errc::too_large;
      }
      Result<IoResult> got = co_await conn_.read_some(work.subspan(have), limit(options_.read_timeout));
      IoResult r = flatten(got);
      have += r.count;
      received += r.count;
      if (!r) co_return r.error;  // closed: the server hung up before the head was complete
      continue;
    }
    const char* why = nullptr;
    Result<ResponseHead> h = ResponseHead::parse({work.data(), end}, &why);
    if (!h) {
      WEFT_LOG_WARN("http: malformed response head: %s", why);
      co_return Errc::protocol_error;
    }
    if (h->status < 200) {  // 100 Continue, 103 Early Hints: the final response follows
      if (h->status == 101 || ++interim > kMaxInterimResponses) {
        WEFT_LOG_WARN("http: unexpected interim response %d", h->status);
        co_return Errc::protocol_error;
      }
      std::memmove(work.data(), work.data() + end, have - end);
      have -= end;
      scanned = 0;
      continue;
    }
    head_ = *h;
    head_length_ = end;
    reusable_ = options_.keep_alive && h->reusable(head_request);
    body_ = BodyDecoder(h->framing(head_request), h->content_length.value_or(0));
    // The bytes after the head are the body's first: decode them where they are.
    BodyDecoder::Step s = body_.decode(work.subspan(end, have - end));
    if (s.consumed < have - end) reusable_ = false;  // bytes past the body's end: not ours to interpret
    pending_begin_ = end;
    pending_end_ = end + s.produced;
    co_return Status{};
  }
}

Micros HttpClient::limit(Micros step) const {
  if (options_.request_timeout <= 0) return step;
  const Micros left = deadline_ - Loop::current().now();
  return left <= 0 ? 0 : (left < step ? left : step);
}

Errc HttpClient::check_body_read(std::uint32_t generation, std::span<char> into) const {
  if (generation != generation_) return Errc::closed;
  if (busy_) return Errc::busy;
  if (into.empty()) return Errc::invalid_argument;
  return Errc::ok;
}

void HttpClient::body_complete() {
  if (!reusable_) conn_.close();
}

Errc HttpClient::body_failed(Errc e, const char* what) {
  if (e == Errc::protocol_error || e == Errc::too_large || e == Errc::closed) {
    WEFT_LOG_WARN("http: %s (%s)", what, to_string(e));
  }
  ++generation_;  // the response is over: its later reads give Errc::closed
  conn_.close();
  return e;
}

Task<Result<std::size_t>> HttpClient::read_body(std::uint32_t generation, std::span<char> into) {
  if (Errc e = check_body_read(generation, into); e != Errc::ok) co_return e;
  Busy busy(*this);
  const std::uint64_t max = options_.max_body;
  for (;;) {
    if (body_.error() != Errc::ok) co_return body_failed(body_.error(), "the response body is malformed");
    if (body_.produced() > max || body_.remaining_length() > max - body_.produced()) {
      co_return body_failed(Errc::too_large, "the response body is longer than max_body");
    }
    busy.completed = true;
    if (pending_begin_ < pending_end_) {
      std::size_t n =
          pending_end_ - pending_begin_ < into.size() ? pending_end_ - pending_begin_ : into.size();
      std::memcpy(into.data(), buf_.data() + pending_begin_, n);
      pending_begin_ += n;
      co_return n;
    }
    if (body_.done()) {
      body_complete();
      co_return std::size_t{0};
    }
    busy.completed = false;  // a read cancelled or failing from here loses bytes: the connection must go
    Result<IoResult> got = co_await conn_.read_some(into, limit(options_.read_timeout));
    IoResult r = flatten(got);
    if (!r) {
      if (r.error == Errc::closed && body_.end_of_stream()) continue;  // an until-close body ends here
      co_return body_failed(r.error, "the connection ended before the response body did");
    }
    BodyDecoder::Step s = body_.decode(into.first(r.count));
    if (s.consumed < r.count) reusable_ = false;
    if (s.produced > 0 && body_.error() == Errc::ok && body_.produced() <= max) {
      busy.completed = true;
      co_return s.produced;
    }
  }
}

Task<Result<std::string_view>> HttpClient::read_all(std::uint32_t generation) {
  if (Errc e = check_body_read(generation, buf_); e != Errc::ok) co_return e;
  Busy busy(*this);
  // The body goes right after the head; bytes a read() already took are not part of it.
  char* start = buf_.data() + head_length_;
  std::size_t have = pending_end_ - pending_begin_;
  std::memmove(start, buf_.data() + pending_begin_, have);
  pending_begin_ = pending_end_ = head_length_;
  const std::size_t room = buf_.size() - head_length_;
  const std::uint64_t max = options_.max_body;
  char scratch[16];  // for the framing after a body that exactly fills the room
  for (;;) {
    if (body_.error() != Errc::ok) co_return body_failed(body_.error(), "the response body is malformed");
    if (have > room || body_.remaining_length() > room - have) {
      co_return body_failed(Errc::too_large, "the response body does not fit in the client's buffer");
    }
    if (body_.produced() > max || body_.remaining_length() > max - body_.produced()) {
      co_return body_failed(Errc::too_large, "the response body is longer than max_body");
    }
    if (body_.done()) {
      busy.completed = true;
      body_complete();
      co_return std::string_view(start, have);
    }
    std::span<char> into =
        have < room ? std::span<char>(start + have, room - have) : std::span<char>(scratch);
    Result<IoResult> got = co_await conn_.read_some(into, limit(options_.read_timeout));
    IoResult r = flatten(got);
    if (!r) {
      if (r.error == Errc::closed && body_.end_of_stream()) continue;
      co_return body_failed(r.error, "the connection ended before the response body did");
    }
    BodyDecoder::Step s = body_.decode(into.first(r.count));
    if (s.consumed < r.count) reusable_ = false;
    have += s.produced;  // produced bytes in the scratch mean have > room: too_large above
  }
}

}  // namespace weft::net
