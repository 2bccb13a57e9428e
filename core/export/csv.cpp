#include "core/export/csv.h"

#include "core/analysis/agreementmatrix.h"
#include "core/analysis/steps.h"
#include "core/storage/indexio.h"
#include "core/storage/writer.h"

#include <algorithm>
#include <array>
#include <charconv>

namespace sigscope::core::csv {

namespace {

// A file export hands its text to the file in pieces of about this size, so that memory stays
// bounded whatever the trace's length (issue 12: a 1M-change trace grew a 60 MB string first).
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;

// The text being produced: handed to the sink whenever a row ends past kChunkBytes, or kept
// whole when there is no sink (the functions that return a string).
class Output
{
public:
    explicit Output(const TextSink* sink)
        : m_sink(sink)
    {
        if (m_sink)
            m_text.reserve(kChunkBytes + 4096);
    }
    std::string& text() { return m_text; }
    void rowDone()
    {
        if (m_sink && m_text.size() >= kChunkBytes) {
            (*m_sink)(m_text);
            m_text.clear();
        }
    }
    void finish()
    {
        if (m_sink && !m_text.empty()) {
            (*m_sink)(m_text);
            m_text.clear();
        }
    }
    std::string take() { return std::move(m_text); }

private:
    const TextSink* m_sink;
    std::string m_text;
};

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

// Integers and doubles through std::to_chars: the same text as std::to_string for integers and
// the shortest round-trip form for doubles, without a temporary string per field.
template<typename T>
void appendNumber(std::string& out, T value)
{
    std::array<char, 32> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
    out.append(buffer.data(), result.ptr);
}

std::string escaped(std::string_view field)
{
    std::string out;
    appendField(out, field);
    return out;
}

// A classifier's regime names, escaped once instead of once per row.
std::vector<std::string> escapedRegimes(const Trace& trace)
{
    std::vector<std::string> names;
    if (trace.kind() == Kind::Classifier)
        for (const auto& name : trace.regimes())
            names.push_back(escaped(name));
    return names;
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

// false when the progress callback stopped it. label is already escaped.
bool appendChanges(Output& output, const Trace& trace, const std::string* label, bool confidenceColumn,
                   std::int64_t from, std::int64_t to, RowProgress& rows)
{
    const bool classifier = trace.kind() == Kind::Classifier;
    const auto regimes = escapedRegimes(trace);
    const auto [first, last] = changeSpan(trace, from, to);
    IsoTimeBuffer timeBuffer{};
    for (std::size_t i = first; i < last; ++i) {
        if (!rows.row())
            return false;
        std::string& out = output.text();
        if (label) {
            out += *label;
            out += ',';
        }
        appendNumber(out, trace.bar(i));
        out += ',';
        appendField(out, trace.timeText(i, timeBuffer));
        out += ',';
        if (classifier)
            out += regimes[static_cast<std::size_t>(trace.value(i))];
        else
            appendNumber(out, trace.value(i));
        out += ',';
        appendNumber(out, trace.price(i));
        if (confidenceColumn) {
            out += ',';
            if (classifier)
                appendNumber(out, trace.confidence(i));
        }
        out += '\n';
        output.rowDone();
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

bool produceChanges(Output& out, const Trace& trace, std::int64_t from, std::int64_t to, const ProgressCallback& progress)
{
    const bool classifier = trace.kind() == Kind::Classifier;
    const auto [first, last] = changeSpan(trace, from, to);
    RowProgress rows(progress, last - first);
    appendRow(out.text(), changesHeader(false, classifier));
    if (!appendChanges(out, trace, nullptr, classifier, from, to, rows))
        return false;
    out.finish();
    return true;
}

bool produceChanges(Output& out, std::span<const LabelledTrace> traces, std::int64_t from, std::int64_t to,
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
    appendRow(out.text(), changesHeader(true, confidence));
    for (const auto& t : traces) {
        const std::string label = escaped(t.label);
        if (!appendChanges(out, *t.trace, &label, confidence, from, to, rows))
            return false;
    }
    out.finish();
    return true;
}

bool produceDense(Output& output, std::span<const LabelledTrace> traces, std::int64_t from, std::int64_t to,
                  const ProgressCallback& progress)
{
    std::vector<std::string> header{"bar"};
    std::vector<std::vector<std::int32_t>> columns;
    std::vector<std::vector<std::string>> regimes;
    for (const auto& t : traces) {
        header.push_back(t.label);
        columns.push_back(steps::expand(*t.trace, from, to));
        regimes.push_back(escapedRegimes(*t.trace));
    }
    RowProgress rows(progress, to > from ? static_cast<std::uint64_t>(to - from) : 0);
    appendRow(output.text(), header);
    for (std::int64_t bar = from; bar < to; ++bar) {
        if (!rows.row())
            return false;
        const auto row = static_cast<std::size_t>(bar - from);
        std::string& out = output.text();
        appendNumber(out, bar);
        for (std::size_t c = 0; c < traces.size(); ++c) {
            out += ',';
            const std::int32_t value = columns[c][row];
            if (traces[c].trace->kind() != Kind::Classifier)
                appendNumber(out, value);
            else if (value != steps::kUnknown)
                out += regimes[c][static_cast<std::size_t>(value)];
        }
        out += '\n';
        output.rowDone();
    }
    output.finish();
    return true;
}

// Thrown through the file writer when the progress callback stops an export, so that the
// temporary file is removed and the target left as it was; caught below, never escapes.
struct ExportStopped
{
};

// Streams what produce writes into path atomically (temporary file, fsync, rename, folder
// fsync); false when produce was stopped.
template<typename Produce>
bool writeStreamed(const std::filesystem::path& path, Produce&& produce)
{
    try {
        detail::replaceFile(
            path,
            [&produce](const TextSink& sink) {
                Output out(&sink);
                if (!produce(out))
                    throw ExportStopped{};
            },
            true);
    } catch (const ExportStopped&) {
        return false;
    }
    return true;
}

} // namespace

std::string escapeField(std::string_view field)
{
    return escaped(field);
}

std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows)
{
    std::string out;
    appendRow(out, header);
    for (const auto& row : rows)
        appendRow(out, row);
    return out;
}

std::string agreementMatrix(const std::vector<std::string>& labels, const stats::AgreementMatrix& matrix)
{
    std::vector<std::string> header{"trace"};
    for (const std::size_t i : matrix.order)
        header.push_back(labels[i]);
    std::vector<std::vector<std::string>> rows;
    rows.reserve(matrix.order.size());
    std::array<char, 32> share{};
    for (const std::size_t i : matrix.order) {
        std::vector<std::string> row{labels[i]};
        for (const std::size_t j : matrix.order) {
            const auto end = std::to_chars(share.data(), share.data() + share.size(), matrix.at(i, j),
                                           std::chars_format::fixed, 6).ptr;
            row.emplace_back(share.data(), end);
        }
        rows.push_back(std::move(row));
    }
    return table(header, rows);
}

std::string changes(const Trace& trace, std::int64_t from, std::int64_t to)
{
    return *changes(trace, from, to, ProgressCallback());
}

std::optional<std::string> changes(const Trace& trace, std::int64_t from, std::int64_t to, const ProgressCallback& progress)
{
    Output out(nullptr);
    if (!produceChanges(out, trace, from, to, progress))
        return std::nullopt;
    return out.take();
}

std::string changes(std::span<const LabelledTrace> traces, std::int64_t from, std::int64_t to)
{
    return *changes(traces, from, to, ProgressCallback());
}

std::optional<std::string> changes(std::span<const LabelledTrace> traces, std::int64_t from, std::int64_t to,
                                   const ProgressCallback& progress)
{
    Output out(nullptr);
    if (!produceChanges(out, traces, from, to, progress))
        return std::nullopt;
    return out.take();
}

std::string dense(std::span<const LabelledTrace> traces, std::int64_t from, std::int64_t to)
{
    return *dense(traces, from, to, ProgressCallback());
}

std::optional<std::string> dense(std::span<const LabelledTrace> traces, std::int64_t from, std::int64_t to,
                                 const ProgressCallback& progress)
{
    Output out(nullptr);
    if (!produceDense(out, traces, from, to, progress))
        return std::nullopt;
    return out.take();
}

bool writeChanges(const std::filesystem::path& path, const Trace& trace, std::int64_t from, std::int64_t to,
                  const ProgressCallback& progress)
{
    return writeStreamed(path, [&](Output& out) { return produceChanges(out, trace, from, to, progress); });
}

bool writeChanges(const std::filesystem::path& path, std::span<const LabelledTrace> traces, std::int64_t from,
                  std::int64_t to, const ProgressCallback& progress)
{
    return writeStreamed(path, [&](Output& out) { return produceChanges(out, traces, from, to, progress); });
}

bool writeDense(const std::filesystem::path& path, std::span<const LabelledTrace> traces, std::int64_t from,
                std::int64_t to, const ProgressCallback& progress)
{
    return writeStreamed(path, [&](Output& out) { return produceDense(out, traces, from, to, progress); });
}

void writeFile(const std::filesystem::path& path, std::string_view text)
{
    writeFileAtomically(path, text);
}

} // namespace sigscope::core::csv
