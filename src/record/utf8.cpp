// UTF-8 sanitising for recordings. Invalid input is replaced following the Unicode/WHATWG
// "maximal subpart" practice: one U+FFFD per maximal prefix of a well-formed sequence that
// turned out ill-formed (so F0 9F 41 gives one U+FFFD then 'A'), and one per byte that cannot
// start a sequence at all. Validity follows Unicode Table 3-7, which excludes overlong forms
// (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points above U+10FFFF (F4 90+, F5..FF).
#include <cstddef>
#include <string>
#include <string_view>

#include "record/utf8.hpp"

namespace hermes::record {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// What a first byte promises: the sequence length (0 when it can never start one) and the
// range its second byte must fall in. Later bytes are always 80..BF.
struct Lead {
  std::size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
};

Lead classify_lead(unsigned char b) {
  if (b < 0x80) return {1};
  if (b >= 0xC2 && b <= 0xDF) return {2};
  if (b == 0xE0) return {3, 0xA0, 0xBF};  // 80..9F would be overlong
  if (b == 0xED) return {3, 0x80, 0x9F};  // A0..BF would be a surrogate
  if (b >= 0xE1 && b <= 0xEF) return {3};
  if (b == 0xF0) return {4, 0x90, 0xBF};  // 80..8F would be overlong
  if (b >= 0xF1 && b <= 0xF3) return {4};
  if (b == 0xF4) return {4, 0x80, 0x8F};  // 90..BF would exceed U+10FFFF
  return {};                              // 80..C1, F5..FF
}

bool in_range(unsigned char b, unsigned char lo, unsigned char hi) { return b >= lo && b <= hi; }

}  // namespace

void utf8_sanitize(std::string_view bytes, std::string& out, std::string& tail, bool final) {
  // The held-back tail is always a valid prefix, so rescanning it joined with the new bytes
  // gives exactly what a byte-at-a-time decoder would have produced.
  std::string joined;
  std::string_view in = bytes;
  if (!tail.empty()) {
    joined = std::move(tail);
    joined.append(bytes);
    in = joined;
  }
  tail.clear();

  std::size_t verbatim_start = 0;  // start of the run of valid bytes not yet copied out
  std::size_t i = 0;
  auto replace = [&](std::size_t bad_begin, std::size_t bad_end) {
    out.append(in.substr(verbatim_start, bad_begin - verbatim_start));
    out.append(kReplacement);
    verbatim_start = bad_end;
  };

  while (i < in.size()) {
    const Lead lead = classify_lead(static_cast<unsigned char>(in[i]));
    if (lead.length == 0) {
      replace(i, i + 1);
      ++i;
      continue;
    }
    std::size_t j = 1;  // bytes of this sequence accepted so far
    bool broken = false;
    while (j < lead.length && i + j < in.size()) {
      const auto b = static_cast<unsigned char>(in[i + j]);
      const bool ok = j == 1 ? in_range(b, lead.second_min, lead.second_max)
                             : in_range(b, 0x80, 0xBF);
      if (!ok) {
        broken = true;
        break;
      }
      ++j;
    }
    if (broken) {
      // bytes i..i+j-1 are the maximal subpart; the offending byte is rescanned as a lead
      replace(i, i + j);
      i += j;
      continue;
    }
    if (j < lead.length) {  // ran out of input inside a sequence that is valid so far
      if (final) {
        replace(i, in.size());
      } else {
        out.append(in.substr(verbatim_start, i - verbatim_start));
        tail.assign(in.substr(i));
        verbatim_start = in.size();
      }
      i = in.size();
      break;
    }
    i += lead.length;
  }
  out.append(in.substr(verbatim_start));
}

}  // namespace hermes::record
