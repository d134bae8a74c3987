#pragma once
// One function per mode of hermes-loadgen (the contract is in bench/loadgen/README.md). Each
// checks its options (throwing UsageError), runs, prints its JSON object(s) and returns.
#include <string>
#include <vector>

#include "cli_options.hpp"
#include "ssh_handles.hpp"

namespace hermes::loadgen {

// --host, --port, --user, --password, --timeout-ms plus a mode's own keys.
std::vector<std::string> ssh_option_keys(std::vector<std::string> mode_keys);
SshTarget ssh_target_from(const CliOptions& options);

void run_bruteforce(const CliOptions& options);
void run_idle(const CliOptions& options);
void run_login(const CliOptions& options);
void run_throughput(const CliOptions& options);
void run_sessions(const CliOptions& options);
void run_burst(const CliOptions& options);
void run_exec_floor(const CliOptions& options);
void run_exec_throughput(const CliOptions& options);

}  // namespace hermes::loadgen
