// Test helper: replays tab-separated events through core's C++ Tracer into a storage, so that
// the Python tests can compare sigscope.Tracer's files with the C++ tracer's byte for byte.
//   bar    SYMBOL TIMEFRAME TIME
//   signal ID SYMBOL VALUE PRICE TIME PARAMETERS_JSON
//   class  ID SYMBOL REGIME CONFIDENCE TIME PARAMETERS_JSON
// An empty TIME means none. Usage: sigscope_tracer_replay EVENTS BASE_DIR
#include "core/tracer/tracer.h"

#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> split(const std::string& line)
{
    std::vector<std::string> fields;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, '\t'))
        fields.push_back(field);
    if (!line.empty() && line.back() == '\t')
        fields.emplace_back();
    return fields;
}

sigscope::core::EventTime timeOf(const std::string& text)
{
    return text.empty() ? sigscope::core::EventTime() : sigscope::core::EventTime(text);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::cerr << "usage: sigscope_tracer_replay EVENTS BASE_DIR\n";
        return 2;
    }
    using namespace sigscope::core;
    try {
        TraceConfig config;
        config.baseDir = argv[2];
        Tracer tracer(config);
        std::ifstream in(argv[1]);
        std::string line;
        while (std::getline(in, line)) {
            const std::vector<std::string> f = split(line);
            if (f.empty())
                continue;
            if (f[0] == "bar" && f.size() == 4)
                tracer.onBar(f[1], f[2], timeOf(f[3]));
            else if (f[0] == "signal" && f.size() == 7)
            {
                SignalOptions options;
                options.parameters = Parameters::fromJson(f[6]);
                tracer.onSignal(f[1], f[2], Direction(std::stoi(f[3])), std::stod(f[4]), timeOf(f[5]), options);
            }
            else if (f[0] == "class" && f.size() == 7)
            {
                ClassificationOptions options;
                options.parameters = Parameters::fromJson(f[6]);
                tracer.onClassification(f[1], f[2], f[3], std::stod(f[4]), timeOf(f[5]), options);
            }
            else
                throw std::invalid_argument("bad event line: " + line);
        }
        tracer.flush();
    } catch (const std::exception& e) {
        std::cerr << "sigscope_tracer_replay: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
