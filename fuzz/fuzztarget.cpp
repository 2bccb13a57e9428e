// One libFuzzer target; SIGSCOPE_FUZZ_TARGET names the entry point of fuzz/entrypoints.h it
// drives (the CMakeLists builds this file once per target).
#include "fuzz/entrypoints.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

const sigscope::fuzz::Target& target()
{
    static const sigscope::fuzz::Target* found = [] {
        for (const auto& t : sigscope::fuzz::kTargets)
            if (t.name == SIGSCOPE_FUZZ_TARGET)
                return &t;
        std::fprintf(stderr, "no fuzz entry point named %s\n", SIGSCOPE_FUZZ_TARGET);
        std::abort();
    }();
    return *found;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // A PropertyViolation or any undocumented exception escapes and aborts: libFuzzer keeps the input.
    (void)target().run(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
