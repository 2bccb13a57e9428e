// Writes the generated part of the fuzz seed corpus: a small demo storage (core/demo through the
// Tracer, as `sigscope demo` does) whose data files and index.json files scripts/fuzz copies
// into the scratch corpora. Usage: fuzz_seed_maker DIR
#include "core/demo/demo.h"

#include <cstdio>
#include <exception>

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_seed_maker DIR\n");
        return 2;
    }
    sigscope::core::DemoOptions options;
    options.bars = 600;
    options.variants = 12;
    options.seed = 11;
    try {
        const auto result = sigscope::core::generateDemo(argv[1], options);
        std::printf("%s", result.text().c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fuzz_seed_maker: %s\n", e.what());
        return 1;
    }
    return 0;
}
