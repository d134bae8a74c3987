#pragma once
// UTF-8 sanitising for byte streams that must become JSON strings (recordings, event fields).
// No dependencies beyond the standard library, so fuzzers and tools can use it alone.
#include <string>
#include <string_view>

namespace hermes::record {

// Decodes `bytes` as UTF-8 into `out` (appending): valid text verbatim, each invalid sequence
// as U+FFFD — one per maximal subpart of an ill-formed sequence, as Unicode and WHATWG
// recommend (so "\xF0\x9F\x41" gives U+FFFD then "A", and "\xC0\x80" gives two U+FFFD).
// Overlong forms, surrogates (ED A0..BF ..) and code points above U+10FFFF are invalid.
// An incomplete but so-far-valid sequence at the very end is left in `tail` (at most 3 bytes)
// to be joined with the next call's bytes, unless `final` is set, in which case it becomes
// one U+FFFD. Pass the same `tail` to every call for one stream.
void utf8_sanitize(std::string_view bytes, std::string& out, std::string& tail, bool final);

}  // namespace hermes::record
