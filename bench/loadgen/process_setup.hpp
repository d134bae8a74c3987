#pragma once
// Process-wide facts the load generator depends on.

namespace hermes::loadgen {

// Raises RLIMIT_NOFILE to its hard limit (idle mode holds thousands of sockets) and ignores
// SIGPIPE (a write to a connection the server already closed must fail, not kill the run).
void prepare_process();

// CPU time (user + system, all threads) this process has used so far, in milliseconds.
double own_cpu_ms();

}  // namespace hermes::loadgen
