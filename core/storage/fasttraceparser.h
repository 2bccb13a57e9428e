#pragma once

#include "core/model/trace.h"

#include <string_view>

namespace sigscope::core {

// Hand-written single-pass reader of the data files sigscope writes (and upstream version-0
// files). It builds exactly the Trace the SAX reader (parseTrace) builds, or returns false for
// anything it does not fully understand, leaving `out` unspecified; the caller then falls back
// to the SAX reader, which gives the proper error message. Never throws.
// Differences left to the caller: when the file names no type, `out.type` stays empty (the SAX
// reader derives it from the path).
bool parseTraceFast(std::string_view json, Trace& out);

} // namespace sigscope::core
