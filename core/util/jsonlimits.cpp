#include "core/util/jsonlimits.h"

#include <algorithm>
#include <vector>

namespace sigscope::core {

std::string nestingTooDeepReason()
{
    return "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels";
}

std::size_t jsonNestingDepth(std::string_view text, std::size_t limit)
{
    std::size_t depth = 0, deepest = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"': inString = true; break;
        case '[':
        case '{':
            if (++depth > deepest) {
                deepest = depth;
                if (deepest > limit)
                    return deepest;
            }
            break;
        case ']':
        case '}':
            if (depth > 0)
                --depth;
            break;
        default: break;
        }
    }
    return deepest;
}

std::size_t yamlNestingDepth(std::string_view text, std::size_t limit)
{
    std::vector<std::size_t> indents; // open block levels by their indentation
    std::size_t flow = 0, deepest = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        std::size_t i = 0;
        while (i < line.size() && line[i] == ' ')
            ++i;
        if (flow == 0) {
            if (i == line.size() || line[i] == '#' || line[i] == '\r')
                continue; // blank or comment lines open nothing
            while (!indents.empty() && indents.back() >= i + 1)
                indents.pop_back();
            indents.push_back(i + 1);
        }
        std::size_t onLine = 0; // "- - - x" opens a level per dash
        while (i + 1 < line.size() && line[i] == '-' && line[i + 1] == ' ') {
            ++onLine;
            i += 2;
            while (i < line.size() && line[i] == ' ')
                ++i;
        }
        char quote = 0;
        for (; i < line.size(); ++i) {
            const char c = line[i];
            if (quote) {
                if (c == '\\' && quote == '"')
                    ++i;
                else if (c == quote)
                    quote = 0;
                continue;
            }
            if (c == '#' && (i == 0 || line[i - 1] == ' '))
                break;
            if (c == '"' || c == '\'')
                quote = c;
            else if (c == '[' || c == '{')
                ++flow;
            else if ((c == ']' || c == '}') && flow > 0)
                --flow;
            deepest = std::max(deepest, indents.size() + onLine + flow);
        }
        deepest = std::max(deepest, indents.size() + onLine + flow);
        if (deepest > limit)
            return deepest;
    }
    return deepest;
}

} // namespace sigscope::core
