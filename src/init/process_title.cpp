#include "init/process_title.hpp"

#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace hermes::init {
namespace {

char* title_begin = nullptr;
std::size_t title_capacity = 0;

}  // namespace

void prepare_process_title(int argc, char** argv) {
  if (argc < 1 || argv[0] == nullptr) return;
  // The area is argv[0] up to the end of the last string that follows contiguously (argv, then
  // environ, as the kernel lays them out at exec).
  char* end = argv[0] + std::strlen(argv[0]) + 1;
  for (int i = 1; i < argc && argv[i] == end; ++i) end = argv[i] + std::strlen(argv[i]) + 1;
  std::size_t count = 0;
  while (environ && environ[count]) ++count;
  // Leaked on purpose: the process lives with these strings until it execs or exits.
  char** copy = new char*[count + 1];
  for (std::size_t i = 0; i < count; ++i) {
    if (environ[i] == end) end = environ[i] + std::strlen(environ[i]) + 1;
    copy[i] = strdup(environ[i]);
  }
  copy[count] = nullptr;
  environ = copy;
  title_begin = argv[0];
  title_capacity = static_cast<std::size_t>(end - argv[0]);
}

void set_process_title(std::string_view title) {
  if (title_begin != nullptr && title_capacity > 1) {
    const std::size_t n = std::min(title.size(), title_capacity - 1);
    std::memset(title_begin, 0, title_capacity);
    std::memcpy(title_begin, title.data(), n);
  }
  const std::string comm(title.substr(0, std::min(title.find_first_of(": "), std::size_t{15})));
  prctl(PR_SET_NAME, comm.c_str(), 0, 0, 0);
}

}  // namespace hermes::init
