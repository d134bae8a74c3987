#include "app/io_threads.hpp"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <future>
#include <set>
#include <thread>

namespace hermes::app {
namespace {

namespace asio = boost::asio;

// The thread a handler posted to `executor` runs on, the main context being run meanwhile.
std::thread::id thread_of(asio::io_context& main, const asio::any_io_executor& executor) {
  std::promise<std::thread::id> ran;
  auto result = ran.get_future();
  asio::post(executor, [&] { ran.set_value(std::this_thread::get_id()); });
  main.restart();
  while (result.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready) main.run_one_for(std::chrono::milliseconds(10));
  return result.get();
}

TEST(IoThreads, ConnectionsTakeTheContextsInTurnEachOnItsOwnThread) {
  asio::io_context main;
  IoThreads threads(main, 3);
  threads.start();
  std::vector<std::thread::id> seen;
  for (int i = 0; i < 6; ++i) seen.push_back(thread_of(main, threads.next_connection_executor()));
  EXPECT_EQ(seen[0], std::this_thread::get_id());  // the first turn is the main context
  EXPECT_EQ(std::set<std::thread::id>(seen.begin(), seen.end()).size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(seen[i], seen[i + 3]) << "turn " << i << " moved to another thread";
  threads.stop_and_join();
}

TEST(IoThreads, OneThreadMeansEverythingOnTheMainContext) {
  asio::io_context main;
  IoThreads threads(main, 1);
  threads.start();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(thread_of(main, threads.next_connection_executor()), std::this_thread::get_id());
}

TEST(IoThreads, StopsIdleThreadsWithoutHanging) {
  asio::io_context main;
  auto threads = std::make_unique<IoThreads>(main, 4);
  threads->start();
  // Idle extra contexts are kept running by their work guards; stopping must still end them.
  auto stopped = std::async(std::launch::async, [&] { threads.reset(); });
  EXPECT_EQ(stopped.wait_for(std::chrono::seconds(10)), std::future_status::ready);
}

}  // namespace
}  // namespace hermes::app
