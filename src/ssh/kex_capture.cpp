#include "ssh/kex_capture.hpp"

#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "ssh/pcap_packets.hpp"

namespace hermes::ssh {

namespace {
// A client that has not sent its KEXINIT after this many steps (readiness events during key
// exchange) is dribbling bytes; stop tracing it rather than pay for a flush per byte.
constexpr int kMaxSteps = 32;
// One step reads at most 4 KiB from the client, plus what the server wrote: far below this.
constexpr off_t kMaxTraceBytes = 1 << 20;
// Shown in /proc/<pid>/fd while a trace is open (tests look for it).
constexpr const char* kMemfdName = "hermes-kexinit";

std::string proc_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

// AF_INET, AF_INET6, another family, or AF_UNSPEC when the socket cannot tell.
sa_family_t socket_family(int fd) {
  sockaddr_storage local{};
  socklen_t length = sizeof(local);
  return ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) == 0 ? local.ss_family : AF_UNSPEC;
}

std::string read_all(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size <= 0 || st.st_size > kMaxTraceBytes) return {};
  std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::pread(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  return bytes;
}
}  // namespace

std::unique_ptr<KexCapture> KexCapture::attach(ssh_session session, int socket_fd) {
  const sa_family_t family = socket_family(socket_fd);
  if (family != AF_INET && family != AF_INET6) return nullptr;
  const int memfd = ::memfd_create(kMemfdName, MFD_CLOEXEC);
  if (memfd < 0) return nullptr;
  std::unique_ptr<ssh_pcap_file_struct, PcapDeleter> pcap(ssh_pcap_file_new());
  std::unique_ptr<KexCapture> capture(new KexCapture(memfd, std::move(pcap), family == AF_INET6));
  if (!capture->pcap_ || !capture->reopen() || ssh_set_pcap_file(session, capture->pcap_.get()) != SSH_OK) {
    return nullptr;
  }
  return capture;
}

KexCapture::KexCapture(int memfd, std::unique_ptr<ssh_pcap_file_struct, PcapDeleter> pcap, bool ipv6_socket)
    : memfd_(memfd), pcap_(std::move(pcap)), ipv6_socket_(ipv6_socket) {}

KexCapture::~KexCapture() {
  // The owner detaches before the session goes; this only releases what is left.
  pcap_.reset();
  if (memfd_ >= 0) ::close(memfd_);
}

bool KexCapture::reopen() {
  // libssh opens the path with fopen("wb"): the memory file is truncated and gets a fresh
  // pcap header; what it held was searched already.
  return ssh_pcap_file_open(pcap_.get(), proc_path(memfd_).c_str()) == SSH_OK;
}

void KexCapture::detach(ssh_session session) {
  // A trace context without a file makes libssh skip tracing at once for every later packet.
  if (session != nullptr) ssh_set_pcap_file(session, nullptr);
  pcap_.reset();  // closes libssh's FILE if still open
  if (memfd_ >= 0) ::close(memfd_);
  memfd_ = -1;
}

KexCapture::Outcome KexCapture::step(ssh_session session, std::uint16_t client_port, bool last) {
  Outcome outcome;
  if (!pcap_) {
    outcome.finished = true;
    return outcome;
  }
  ssh_pcap_file_close(pcap_.get());  // flushes libssh's buffered writes into the memory file
  const std::string trace = read_all(memfd_);
  const auto payload = first_client_packet(trace, client_port);
  if (payload) outcome.kexinit = parse_kexinit(*payload);
  // The client's first binary packet ends the trace whether or not it was a valid KEXINIT.
  if (payload || last || ++steps_ >= kMaxSteps || !reopen()) {
    detach(session);
    outcome.finished = true;
  }
  return outcome;
}

}  // namespace hermes::ssh
