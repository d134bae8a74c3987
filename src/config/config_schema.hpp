#pragma once
// The configuration's schema: which keys exist under which section, how each is read and checked,
// and which accepted values deserve a warning. One function per section in config_schema.cpp;
// docs/configuration.md is the same table for humans.
#include <yaml-cpp/yaml.h>

#include "config/config.hpp"
#include "config/yaml_reader.hpp"

namespace hermes::config {

// Reads the document's root node into `config` (which holds the defaults on entry). Problems go
// to reader.diagnostics(); keys with bad values keep their defaults.
void read_config(YamlReader& reader, const YAML::Node& root, Config& config);

}  // namespace hermes::config
