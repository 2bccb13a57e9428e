#include "core/export/csv.h"

#include "core/analysis/steps.h"
#include "core/storage/writer.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace sigscope::core::csv {

namespace {

void appendField(std::string& out, std::string_view field)
{
    const bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos
                       || (!field.empty() && (field.front() == ' ' || field.back() == ' '));
    if (!quote) {
        out += field;
        return;
    }
    out += '"';
    for (const char c : field) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

void appendRow(std::string& out, std::span<const std::string> fields)
{
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0)
            out += ',';
        appendField(out, fields[i]);
    }
    out += '\n';
}

std::string number(double value)
{
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    return std::string(buffer.data(), result.ptr);
}

// Changes with from <= bar < to: bars are sorted, so a binary search gives the span.
std::pair<std::size_t, std::size_t> changeSpan(const Trace& trace, std::int64_t from, std::int64_t to)
{
    const auto bars = trace.bars();
    const auto first = std::lower_bound(bars.begin(), bars.end(), from);
    const auto last = to <= from ? first : std::lower_bound(first, bars.end(), to);
    return {static_cast<std::size_t>(first - bars.begin()), static_cast<std::size_t>(last - bars.begin())};
}

// Counts rows and asks the callback every 65,536 of them whether to go on.
class RowProgress
{
public:
    RowProgress(const ProgressCallback& callback, std::uint64_t total)
        : m_callback(callback)
        , m_total(total)
    {
    }
    // false once the callback said stop.
    bool row()
    {
        if (++m_done % 65536 == 0 && m_callback && !m_stopped) {
            Progress p;
            p.done = m_done;
            p.total = m_total;
            m_stopped = !m_callback(p);
        }
        return !m_stopped;
    }

private:
    const ProgressCallback& m_callback;
    std::uint64_t m_total;
    std::uint64_t m_done = 0;
    bool m_stopped = false;
};

// false when the progress callback stopped it.
bool appendChanges(std::string& out, const Trace& trace, const std::string* label, bool confidenceColumn,
                   std::int64_t from, std::int64_t to, RowProgress& rows)
{
    const bool classifier = trace.kind() == Kind::Classifier;
    std::vector<std::string> fields;
    const auto [first, last] = changeSpan(trace, from, to);
    for (std::size_t i = first; i < last; ++i) {
        if (!rows.row())
            return false;
        fields.clear();
        if (label)
            fields.push_back(*label);
        fields.push_back(std::to_string(trace.bar(i)));
        fields.push_back(trace.timeText(i));
        fields.push_back(trace.valueText(i));
        fields.push_back(number(trace.price(i)));
        if (confidenceColumn)
            fields.push_back(classifier ? number(trace.confidence(i)) : std::string());
        appendRow(out, fields);
    }
    return true;
}

std::vector<std::string> changesHeader(bool traceColumn, bool confidenceColumn)
{
    std::vector<std::string> header;
    if (traceColumn)
        header.emplace_back("trace");
    header.insert(header.end(), {"bar", "time", "value", "price"});
    if (confidenceColumn)
        header.emplace_back("confidence");
    return header;
}

} // namespace

std::string escapeField(std::string_view field)
{
    std::string out;
    appendField(out, field);
    return out;
}

std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows)
{
    std::string out;
    appendRow(out, header);
    for (const auto& row : rows)
        appendRow(out, row);
    return out;
}

std::string changes(const Trace& trace, std::int64_t from, std::int64_t to)
{
    return *changes(trace, from, to, ProgressCallback());
}

std::optional<std::string> changes(const Trace& trace, std::int64_t from, std::int64_t to, const ProgressCallback& progress)
{
    const bool classifier = trace.kind() == Kind::Classifier;
    const auto [first, last] = changeSpan(trace, from, to);
    RowProgress rows(progress, last - first);
    std::string out;
    appendRow(out, changesHeader(false, classifier));
    if (!appendChanges(out, trace, nullptr, classifier, from, to, rows))
        return std::nullopt;
    return out;
}

std::string changes(std::span<const LabelledTrace> traces, std::int64_t from, std::int64_t to)
{
    return *changes(traces, from, to, ProgressCallback());
}

std::optional<std::string> changes(std::span<const LabelledTrace> traces, std::int64_t from, std::int64_t to,
                                   const ProgressCallback& progress)
{
    const bool confidence = std::any_of(traces.begin(), traces.end(),
                                        [](const LabelledTrace& t) { return t.trace->kind() == Kind::Classifier; });
    std::uint64_t total = 0;
    for (const auto& t : traces) {
        const auto [first, last] = changeSpan(*t.trace, from, to);
        total += last - first;
    }
    RowProgress rows(progress, total);
    std::string out;
    appendRow(out, changesHeader(true, confidence));
    for (const auto& t : traces)
        if (!appendChanges(out, *t.trace, &t.label, confidence, from, to, rows))
            return std::nullopt;
    return out;
}

std::string dense(std::span<const LabelledTrace> traces, std::int64_t from, std::int64_t to)
{
    return *dense(traces, from, to, ProgressCallback());
}

std::optional<std::string> dense(std::span<const LabelledTrace> traces, std::int64_t from, std::int64_t to,
                                 const ProgressCallback& progress)
{
    std::vector<std::string> header{"bar"};
    std::vector<std::vector<std::int32_t>> columns;
    for (const auto& t : traces) {
        header.push_back(t.label);
        columns.push_back(steps::expand(*t.trace, from, to));
    }
    RowProgress rows(progress, to > from ? static_cast<std::uint64_t>(to - from) : 0);
    std::string out;
    appendRow(out, header);
    std::vector<std::string> fields;
    for (std::int64_t bar = from; bar < to; ++bar) {
        if (!rows.row())
            return std::nullopt;
        const auto row = static_cast<std::size_t>(bar - from);
        fields.clear();
        fields.push_back(std::to_string(bar));
        for (std::size_t c = 0; c < traces.size(); ++c) {
            const Trace& trace = *traces[c].trace;
            const std::int32_t value = columns[c][row];
            if (trace.kind() != Kind::Classifier)
                fields.push_back(std::to_string(value));
            else if (value == steps::kUnknown)
                fields.emplace_back();
            else
                fields.emplace_back(trace.regimes()[static_cast<std::size_t>(value)]);
        }
        appendRow(out, fields);
    }
    return out;
}

void writeFile(const std::filesystem::path& path, std::string_view text)
{
    writeFileAtomically(path, text);
}

} // namespace sigscope::core::csv
