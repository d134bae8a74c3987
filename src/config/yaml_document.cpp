#include "config/yaml_document.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <exception>
#include <sstream>

#include "config/scalar_parsing.hpp"

namespace hermes::config {
namespace {

// Counts documents and remembers where the last two started; ignores everything else.
class DocumentStarts final : public YAML::EventHandler {
 public:
  std::size_t count = 0;
  YAML::Mark previous = YAML::Mark::null_mark();
  YAML::Mark last = YAML::Mark::null_mark();
  YAML::Mark second = YAML::Mark::null_mark();

  void OnDocumentStart(const YAML::Mark& mark) override {
    previous = last;
    last = mark;
    if (++count == 2) second = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// Walks every document's events once. yaml-cpp 0.7 does not consume a token it cannot start a
// node with (a ',' where a value should begin) and then announces empty documents at that same
// place forever. A document that makes progress consumes at least one token, so the loop ends:
// either the input is used up or two documents start at the same position, which is exactly
// that stall. Returns false after reporting.
bool check_document_structure(const std::string& text, Diagnostics& diagnostics) {
  std::istringstream stream(text);
  YAML::Parser parser(stream);
  DocumentStarts documents;
  while (parser.HandleNextDocument(documents)) {
    if (documents.count >= 2 && documents.last.pos == documents.previous.pos) {
      const std::size_t pos = static_cast<std::size_t>(documents.last.pos);
      const std::string found = pos < text.size() ? quote_for_message(text.substr(pos, 1)) : "end";
      diagnostics.error(documents.last, {}, "YAML syntax error: unexpected " + found);
      return false;
    }
  }
  if (documents.count > 1) {
    diagnostics.error(documents.second, {},
                      "expected one YAML document, found more (a line \"---\" starts another)");
    return false;
  }
  return true;
}

}  // namespace

std::optional<YAML::Node> parse_single_document(const std::string& text, Diagnostics& diagnostics) {
  try {
    if (!check_document_structure(text, diagnostics)) return std::nullopt;
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    diagnostics.error(e.mark, {}, "YAML syntax error: " + escape_for_message(e.msg));
  } catch (const YAML::Exception& e) {
    diagnostics.error(e.mark, {}, "cannot read the YAML: " + escape_for_message(e.msg));
  } catch (const std::exception& e) {
    diagnostics.error_at_source("cannot read the YAML: " + escape_for_message(e.what()));
  }
  return std::nullopt;
}

}  // namespace hermes::config
