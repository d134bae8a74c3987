#include "session/artifact_plan.hpp"

#include <gtest/gtest.h>

namespace hermes::session {
namespace {

using sandbox::ChangeKind;

std::vector<std::string> names(const std::vector<PlannedFile>& plan) {
  std::vector<std::string> out;
  for (const auto& file : plan) out.push_back(file.filename + ":" + std::string(file_event_id(file.change)));
  return out;
}

TEST(ArtifactPlan, FilesNotDirectoriesCreatedModifiedThenDeleted) {
  const std::vector<sandbox::ContainerChange> changes{
      {"/root", ChangeKind::modified},          {"/root/x.sh", ChangeKind::added},
      {"/etc", ChangeKind::modified},           {"/etc/passwd", ChangeKind::modified},
      {"/etc/motd", ChangeKind::deleted},       {"/opt", ChangeKind::added},
      {"/opt/kit", ChangeKind::added},          {"/opt/kit/run", ChangeKind::added},
      {"/a-b", ChangeKind::added},              {"/a", ChangeKind::added},
  };
  EXPECT_EQ(names(plan_artifacts(changes, "/.hermes-tmpfs")),
            (std::vector<std::string>{"/a:hermes.session.file_created", "/a-b:hermes.session.file_created",
                                      "/etc/passwd:hermes.session.file_modified",
                                      "/opt/kit/run:hermes.session.file_created",
                                      "/root/x.sh:hermes.session.file_created",
                                      "/etc/motd:hermes.session.file_deleted"}));
}

TEST(ArtifactPlan, PreservedTmpfsFilesKeepTheirOriginalPath) {
  const std::vector<sandbox::ContainerChange> changes{
      {"/.hermes-tmpfs", ChangeKind::added},
      {"/.hermes-tmpfs/.part", ChangeKind::added},
      {"/.hermes-tmpfs/tmp", ChangeKind::added},
      {"/.hermes-tmpfs/tmp/y", ChangeKind::added},
      {"/.hermes-tmpfs/dev", ChangeKind::added},
      {"/.hermes-tmpfs/dev/shm", ChangeKind::added},
      {"/.hermes-tmpfs/dev/shm/z", ChangeKind::added},
      {"/.hermes-tmpfs/etc/odd", ChangeKind::added},
      {"/.hermes-tmpfs/tmp/gone", ChangeKind::deleted},
      {"/.hermes-tmpfsX", ChangeKind::added},
  };
  const auto plan = plan_artifacts(changes, "/.hermes-tmpfs");
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].filename, "/.hermes-tmpfsX");
  EXPECT_EQ(plan[1].filename, "/dev/shm/z");
  EXPECT_EQ(plan[1].container_path, "/.hermes-tmpfs/dev/shm/z");
  EXPECT_EQ(plan[1].change, FileChange::created);
  EXPECT_EQ(plan[2].filename, "/tmp/y");
}

TEST(ArtifactPlan, TheDockerMarkerInitRemovesIsNotTheAttackersDeletion) {
  const std::vector<sandbox::ContainerChange> changes{{"/.dockerenv", ChangeKind::deleted},
                                                      {"/etc/issue", ChangeKind::deleted}};
  EXPECT_EQ(names(plan_artifacts(changes, "/.hermes-tmpfs")),
            std::vector<std::string>{"/etc/issue:hermes.session.file_deleted"});
}

TEST(ArtifactPlan, EmptyChangeList) { EXPECT_TRUE(plan_artifacts({}, "/.hermes-tmpfs").empty()); }

}  // namespace
}  // namespace hermes::session
