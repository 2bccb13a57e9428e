#include "core/analysis/sweep.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <stdexcept>

namespace sigscope::core::sweep {

namespace {

const ParamValue kMissing = nullptr;

const ParamValue& valueOf(const Parameters& p, const std::string& name)
{
    const ParamValue* v = p.find(name);
    return v ? *v : kMissing;
}

ParamValue tokenValue(std::string_view token)
{
    std::int64_t i = 0;
    const char* end = token.data() + token.size();
    if (auto [ptr, ec] = std::from_chars(token.data(), end, i); ec == std::errc() && ptr == end)
        return i;
    double d = 0.0;
    if (auto [ptr, ec] = std::from_chars(token.data(), end, d); ec == std::errc() && ptr == end && std::isfinite(d))
        return d;
    return std::string(token);
}

// 0 numbers, 1 booleans, 2 other values, 3 null.
int rank(const ParamValue& v)
{
    if (std::holds_alternative<std::int64_t>(v) || std::holds_alternative<double>(v))
        return 0;
    if (std::holds_alternative<bool>(v))
        return 1;
    if (std::holds_alternative<std::nullptr_t>(v))
        return 3;
    return 2;
}

double number(const ParamValue& v)
{
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return double(*i);
    return std::get<double>(v);
}

double median(std::vector<double> values)
{
    const std::size_t n = values.size();
    std::sort(values.begin(), values.end());
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

std::vector<ParamValue> sortedDistinct(std::vector<ParamValue> values)
{
    std::sort(values.begin(), values.end(), valueLess);
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return values;
}

std::size_t positionOf(const std::vector<ParamValue>& sorted, const ParamValue& v)
{
    return std::size_t(std::lower_bound(sorted.begin(), sorted.end(), v, valueLess) - sorted.begin());
}

// The cell value of its items: the best (largest) of the medians of the groups that share their
// Best parameters' values.
double reduceCell(const std::vector<std::size_t>& cellItems, const std::vector<Parameters>& items,
                  const std::vector<double>& values, const std::vector<std::string>& bestNames)
{
    std::map<std::vector<std::string>, std::vector<double>> groups;
    for (const std::size_t i : cellItems) {
        if (std::isnan(values[i]))
            continue;
        std::vector<std::string> key;
        key.reserve(bestNames.size());
        for (const std::string& name : bestNames)
            key.push_back(canonicalText(valueOf(items[i], name)));
        groups[key].push_back(values[i]);
    }
    double best = std::numeric_limits<double>::quiet_NaN();
    for (auto& [key, groupValues] : groups) {
        const double m = median(std::move(groupValues));
        if (std::isnan(best) || m > best)
            best = m;
    }
    return best;
}

} // namespace

Parameters heatmapParameters(const Parameters& recorded, std::string_view name)
{
    if (!recorded.empty())
        return recorded;
    std::vector<std::string_view> tokens;
    std::size_t start = 0;
    while (start <= name.size()) {
        const std::size_t end = std::min(name.find('_', start), name.size());
        tokens.push_back(name.substr(start, end - start));
        start = end + 1;
    }
    std::size_t grid = tokens.size();
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        std::string lowered(tokens[i]);
        std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                       [](unsigned char c) { return char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
        if (lowered == "grid")
            grid = i;
    }
    Parameters out;
    if (grid == tokens.size())
        return out;
    int position = 0;
    for (std::size_t i = grid + 1; i < tokens.size(); ++i) {
        if (tokens[i].empty())
            continue;
        std::string key = "p";
        key += std::to_string(++position);
        out.set(std::move(key), tokenValue(tokens[i]));
    }
    return out;
}

bool valueLess(const ParamValue& a, const ParamValue& b)
{
    const int ra = rank(a);
    const int rb = rank(b);
    if (ra != rb)
        return ra < rb;
    switch (ra) {
    case 0: {
        const double x = number(a);
        const double y = number(b);
        if (x != y)
            return x < y;
        return std::holds_alternative<std::int64_t>(a) && std::holds_alternative<double>(b);
    }
    case 1: return !std::get<bool>(a) && std::get<bool>(b);
    case 2: return displayText(a) < displayText(b) || (displayText(a) == displayText(b) && a.index() < b.index());
    default: return false;
    }
}

std::vector<Axis> varyingParameters(const std::vector<Parameters>& items)
{
    std::set<std::string> names;
    for (const Parameters& p : items)
        for (const auto& [key, value] : p.entries())
            names.insert(key);
    std::vector<Axis> axes;
    for (const std::string& name : names) {
        std::vector<ParamValue> values;
        values.reserve(items.size());
        for (const Parameters& p : items)
            values.push_back(valueOf(p, name));
        values = sortedDistinct(std::move(values));
        if (values.size() >= 2)
            axes.push_back({name, std::move(values)});
    }
    return axes;
}

Grid grid(const std::vector<Parameters>& items, const std::vector<double>& values, const Request& request)
{
    if (request.x.empty() || request.y.empty() || request.x == request.y)
        throw std::invalid_argument("the heatmap needs two different parameters for X and Y");
    if (items.size() != values.size())
        throw std::invalid_argument("the heatmap needs one value per item");
    std::vector<std::string> bestNames;
    std::vector<std::pair<std::string, ParamValue>> fixed;
    std::set<std::string> named;
    for (const auto& [name, choice] : request.others) {
        named.insert(name);
        if (name == request.x || name == request.y)
            continue;
        if (choice.reduce == Reduce::Fixed)
            fixed.emplace_back(name, choice.value);
        else if (choice.reduce == Reduce::Best)
            bestNames.push_back(name);
    }
    // Parameters not named are reduced by Best: they too tell the cell's groups apart.
    for (const Parameters& p : items)
        for (const auto& [key, value] : p.entries())
            if (key != request.x && key != request.y && !named.contains(key)) {
                named.insert(key);
                bestNames.push_back(key);
            }

    std::vector<std::size_t> kept;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const bool matches = std::all_of(fixed.begin(), fixed.end(), [&](const auto& f) {
            return valueOf(items[i], f.first) == f.second;
        });
        if (matches)
            kept.push_back(i);
    }
    Grid g;
    g.x = request.x;
    g.y = request.y;
    std::vector<ParamValue> xs;
    std::vector<ParamValue> ys;
    for (const std::size_t i : kept) {
        xs.push_back(valueOf(items[i], request.x));
        ys.push_back(valueOf(items[i], request.y));
    }
    g.xValues = sortedDistinct(std::move(xs));
    g.yValues = sortedDistinct(std::move(ys));
    g.cells.resize(g.xValues.size() * g.yValues.size());
    for (const std::size_t i : kept) {
        const std::size_t xi = positionOf(g.xValues, valueOf(items[i], request.x));
        const std::size_t yi = positionOf(g.yValues, valueOf(items[i], request.y));
        g.cells[yi * g.xValues.size() + xi].items.push_back(i);
    }
    for (Cell& cell : g.cells) {
        cell.value = reduceCell(cell.items, items, values, bestNames);
        if (!std::isfinite(cell.value))
            continue;
        g.min = std::isnan(g.min) ? cell.value : std::min(g.min, cell.value);
        g.max = std::isnan(g.max) ? cell.value : std::max(g.max, cell.value);
    }
    return g;
}

} // namespace sigscope::core::sweep
