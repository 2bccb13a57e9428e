// sigscope.open(): every storage core opens (versions 0, 1 and 2, L6 workspaces: core::Storage::open),
// its trace descriptors (core/query's filter), traces as NumPy arrays, their as-of expansion
// (core/analysis/steps), metrics (core/analysis/metrics) and SQL (python/src/sql.cpp), and
// sigscope.demo() (core/demo's seeded generator).
#include "python/src/module.h"

#include "core/analysis/metrics.h"
#include "core/analysis/steps.h"
#include "core/demo/demo.h"
#include "core/market/priceseries.h"
#include "core/query/filter.h"
#include "core/query/lanes.h"
#include "core/storage/parquetstorage.h"
#include "core/storage/storage.h"
#include "core/storage/traceio.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <optional>

namespace sigscope::python {

namespace {

// One trace of an opened storage, as its index describes it.
struct TraceInfo
{
    core::IndexEntry entry;
    std::filesystem::path file; // absolute
};

class PyStorage
{
public:
    explicit PyStorage(const std::filesystem::path& root)
        : m_storage(core::Storage::open(root))
        , m_sql(std::make_shared<SqlTables>())
    {
        m_indexes = m_storage.readAllIndexes(&m_findings);
    }

    [[nodiscard]] const core::Storage& storage() const { return m_storage; }

    std::vector<TraceInfo> traces(const std::string& filter, const std::optional<std::string>& kind) const
    {
        std::vector<const core::IndexEntry*> entries;
        if (filter.find_first_not_of(" \t\n\r") == std::string::npos) {
            for (const auto& index : m_indexes)
                for (const auto& entry : index.entries)
                    entries.push_back(&entry);
            std::stable_sort(entries.begin(), entries.end(), [](const auto* a, const auto* b) {
                return core::query::treeOrderLess(*a, *b);
            });
        } else {
            entries = core::query::selectEntries(m_indexes, core::query::Filter(filter));
        }
        std::optional<core::Kind> wanted;
        if (kind) {
            wanted = core::kindFromName(*kind);
            if (!wanted)
                throw std::invalid_argument("kind must be 'signal' or 'classifier', not '" + *kind + "'");
        }
        std::vector<TraceInfo> out;
        for (const core::IndexEntry* e : entries)
            if (!wanted || e->kind == *wanted)
                out.push_back({*e, m_storage.absolutePath(*e)});
        return out;
    }

    [[nodiscard]] std::vector<std::string> findings() const
    {
        std::vector<std::string> out;
        for (const auto& f : m_findings)
            out.push_back(f.path.empty() ? f.message : f.path + ": " + f.message);
        return out;
    }

    py::dict sql(const std::string& query) const { return m_sql->query(m_storage, query); }

    // The market series of the storage for a trace's symbol and timeframe, each file read once.
    const core::PriceSeries* market(const core::Trace& trace)
    {
        const auto& id = trace.identity;
        if (!id.symbol || !id.timeframe)
            return nullptr;
        const auto path = core::findMarketCsv(m_storage.root(), *id.symbol, *id.timeframe);
        if (!path)
            return nullptr;
        auto it = m_markets.find(*path);
        if (it == m_markets.end()) {
            core::MarketCsvResult result = core::readMarketCsv(*path);
            if (!result.ok)
                throw core::StorageError(*path, result.error.message);
            it = m_markets.emplace(*path, std::make_shared<core::PriceSeries>(std::move(result.series))).first;
        }
        return it->second.get();
    }

private:
    core::Storage m_storage;
    std::vector<core::Finding> m_findings;
    std::vector<core::TypeIndex> m_indexes;
    std::map<std::filesystem::path, std::shared_ptr<core::PriceSeries>> m_markets;
    std::shared_ptr<SqlTables> m_sql; // built on the first query
};

// A trace argument: a descriptor, or a data file path (absolute or relative to the root).
std::filesystem::path traceFile(const PyStorage& storage, const py::handle& trace)
{
    if (py::isinstance<TraceInfo>(trace))
        return trace.cast<const TraceInfo&>().file;
    std::filesystem::path p = trace.cast<std::filesystem::path>();
    return p.is_absolute() ? p : storage.storage().root() / p;
}

// A data file mapped read-only: the text is parsed straight from the page cache, with no
// zero-filled buffer and no copy of it (measured: those were most of a 1M-change load).
class MappedFile
{
public:
    explicit MappedFile(const std::filesystem::path& file)
    {
        const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return;
        struct stat st = {};
        if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
            void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
            if (p != MAP_FAILED) {
                m_data = static_cast<const char*>(p);
                m_size = static_cast<std::size_t>(st.st_size);
            }
        }
        ::close(fd);
    }
    ~MappedFile()
    {
        if (m_data)
            ::munmap(const_cast<char*>(m_data), m_size);
    }
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    [[nodiscard]] bool ok() const { return m_data != nullptr; }
    [[nodiscard]] std::string_view text() const { return {m_data, m_size}; }

private:
    const char* m_data = nullptr;
    std::size_t m_size = 0;
};

// core::loadTrace, with a data file's JSON text mapped instead of read into a buffer.
core::Trace readTrace(const std::filesystem::path& file)
{
    py::gil_scoped_release release;
    if (core::isParquetTraceFile(file))
        return core::loadTrace(file); // version 2 and L6: rows through DuckDB
    const MappedFile mapped(file);
    if (!mapped.ok())
        return core::loadTrace(file); // not a readable, non-empty regular file: core words the error
    return core::parseTrace(mapped.text(), file);
}

template<typename T>
py::array_t<T> copyColumn(std::span<const T> column)
{
    py::array_t<T> out(static_cast<py::ssize_t>(column.size()));
    if (!column.empty())
        std::memcpy(out.mutable_data(), column.data(), column.size() * sizeof(T));
    return out;
}

// A column of a trace held by owner, handed to NumPy without a copy (the array keeps owner alive).
py::array view(std::span<const std::int64_t> column, const py::dtype& dtype, const py::capsule& owner)
{
    return py::array(dtype, std::vector<py::ssize_t>{static_cast<py::ssize_t>(column.size())},
                     std::vector<py::ssize_t>{sizeof(std::int64_t)}, column.data(), owner);
}

py::dict arrays(core::Trace&& loaded)
{
    auto* held = new core::Trace(std::move(loaded));
    const py::capsule owner(held, [](void* p) { delete static_cast<core::Trace*>(p); });
    const core::Trace& trace = *held;
    const std::size_t n = trace.size();
    py::dict out;
    // bar and time are the parser's own columns (kNoTime is INT64_MIN, NumPy's NaT).
    out["bar"] = view(trace.bars(), py::dtype::of<std::int64_t>(), owner);
    out["time"] = view(trace.times(), py::dtype("datetime64[us]"), owner);
    if (trace.kind() == core::Kind::Signal) {
        py::array_t<std::int8_t> values(static_cast<py::ssize_t>(n));
        std::int8_t* v = values.mutable_data();
        for (std::size_t i = 0; i < n; ++i) {
            const std::int32_t x = trace.value(i);
            if (x < std::numeric_limits<std::int8_t>::min() || x > std::numeric_limits<std::int8_t>::max())
                throw std::invalid_argument("signal value " + std::to_string(x) + " at bar " +
                                            std::to_string(trace.bar(i)) + " does not fit int8");
            v[i] = static_cast<std::int8_t>(x);
        }
        out["value"] = values;
    } else {
        out["value"] = copyColumn(trace.values());
        out["names"] = py::cast(trace.regimes());
        py::array_t<double> confidence(static_cast<py::ssize_t>(n));
        double* c = confidence.mutable_data();
        for (std::size_t i = 0; i < n; ++i)
            c[i] = trace.confidence(i);
        out["confidence"] = confidence;
    }
    py::array_t<double> price(static_cast<py::ssize_t>(n));
    double* p = price.mutable_data();
    for (std::size_t i = 0; i < n; ++i)
        p[i] = trace.price(i);
    out["price"] = price;
    out["total_bars"] = trace.effectiveTotalBars();
    return out;
}

// bars: None (the whole trace), N (bars [0, N)) or (from, to).
std::pair<std::int64_t, std::int64_t> barRange(const py::handle& bars, const core::Trace& trace)
{
    if (bars.is_none())
        return {0, trace.effectiveTotalBars()};
    if (py::isinstance<py::int_>(bars))
        return {0, bars.cast<std::int64_t>()};
    auto range = bars.cast<std::pair<std::int64_t, std::int64_t>>();
    return range;
}

py::dict metricsDict(const core::metrics::TraceMetrics& m)
{
    py::dict out;
    out["ok"] = m.ok;
    out["reason"] = m.reason;
    out["bars"] = m.bars;
    for (const std::string& name : core::metrics::metricNames()) {
        const double value = core::metrics::metricValue(m, name);
        if (name != "trades" && name != "flips")
            out[py::str(name)] = value;
        else if (std::isnan(value)) // a trace that could not be scored (ok false): no count
            out[py::str(name)] = py::none();
        else
            out[py::str(name)] = static_cast<std::int64_t>(value);
    }
    out["bar_prices"] = m.barPrices;
    return out;
}

void bindTraceInfo(py::module_& m)
{
    py::class_<TraceInfo>(m, "TraceInfo", "A trace of an opened storage as its index describes it.")
        .def_property_readonly("kind", [](const TraceInfo& t) { return std::string(core::kindName(t.entry.kind)); })
        .def_property_readonly("type", [](const TraceInfo& t) { return t.entry.type; })
        .def_property_readonly("name", [](const TraceInfo& t) { return t.entry.name; })
        .def_property_readonly("label", [](const TraceInfo& t) { return core::query::traceName(t.entry); })
        .def_property_readonly("parameters", [](const TraceInfo& t) { return fromParameters(t.entry.parameters); })
        .def_property_readonly("symbol", [](const TraceInfo& t) { return t.entry.symbol; })
        .def_property_readonly("timeframe", [](const TraceInfo& t) { return t.entry.timeframe; })
        .def_property_readonly("run", [](const TraceInfo& t) { return t.entry.run; })
        .def_property_readonly("variant", [](const TraceInfo& t) { return t.entry.variant; })
        .def_property_readonly("identity", [](const TraceInfo& t) { return t.entry.identity().canonicalJson(); },
                               "The canonical identity text (storage-format.md §2).")
        .def_property_readonly("hash", [](const TraceInfo& t) { return t.entry.identity().hashHex(); })
        .def_property_readonly("changes", [](const TraceInfo& t) { return t.entry.totalItems; })
        .def_property_readonly("total_bars", [](const TraceInfo& t) { return t.entry.totalBars; })
        .def_property_readonly("compression_ratio", [](const TraceInfo& t) { return t.entry.compressionRatio; })
        .def_property_readonly("first_bar", [](const TraceInfo& t) { return t.entry.firstIdx; })
        .def_property_readonly("last_bar", [](const TraceInfo& t) { return t.entry.lastIdx; })
        .def_property_readonly("first_time", [](const TraceInfo& t) { return t.entry.firstTs; })
        .def_property_readonly("last_time", [](const TraceInfo& t) { return t.entry.lastTs; })
        .def_property_readonly("created_at", [](const TraceInfo& t) { return t.entry.createdAt; })
        .def_property_readonly("file_path", [](const TraceInfo& t) { return t.entry.filePath; },
                               "Relative to the storage root, '/' separated.")
        .def_property_readonly("path", [](const TraceInfo& t) { return t.file; })
        .def_property_readonly("metrics", [](const TraceInfo&) { return py::none(); },
                               "Cached metrics; None until storages cache them (version 2).")
        .def("__repr__", [](const TraceInfo& t) {
            return "<sigscope.TraceInfo " + std::string(core::kindName(t.entry.kind)) + " " + t.entry.filePath + ">";
        });
}

py::dict demo(const std::filesystem::path& dir, std::int64_t bars, std::int64_t variants, std::uint64_t seed,
              std::vector<std::string> symbols, const std::string& format)
{
    core::DemoOptions options;
    const auto storageFormat = core::storageFormatFromName(format);
    if (!storageFormat)
        throw std::invalid_argument("format must be 'json' or 'parquet', not '" + format + "'");
    options.format = *storageFormat;
    options.bars = bars;
    options.variants = variants;
    options.seed = seed;
    options.symbols = std::move(symbols);
    core::DemoResult r;
    {
        py::gil_scoped_release release;
        r = core::generateDemo(dir, options);
    }
    py::dict out;
    out["root"] = r.root;
    out["bars"] = r.bars;
    out["signal_traces"] = r.signalTraces;
    out["classifier_traces"] = r.classifierTraces;
    out["events"] = r.events;
    out["changes"] = r.changes;
    out["text"] = r.text();
    return out;
}

} // namespace

void bindReading(py::module_& m)
{
    bindTraceInfo(m);
    py::class_<PyStorage>(m, "Storage",
                          "An opened storage: format version 0, 1 or 2 (Parquet), or an L6 Parquet workspace of the "
                          "Python system (read in place).")
        .def_property_readonly("root", [](const PyStorage& s) { return s.storage().root(); })
        .def_property_readonly("format_version", [](const PyStorage& s) { return s.storage().formatVersion(); })
        .def_property_readonly("findings", &PyStorage::findings, "Problems met reading the indexes.")
        .def("traces", &PyStorage::traces, py::arg("filter") = "", py::arg("kind") = py::none(),
             "Descriptors in the tree's order; filter uses the explorer's grammar (\"rsi 14\", "
             "\"period>=10\", \"a | b\").")
        .def(
            "load", [](const PyStorage& s, const py::handle& trace) { return arrays(readTrace(traceFile(s, trace))); },
            py::arg("trace"),
            "A dict of NumPy arrays: bar int64, time datetime64[us] (NaT when unknown), value (int8 positions; "
            "int32 codes into names for classifiers), price float64, and total_bars.")
        .def(
            "dense",
            [](const PyStorage& s, const py::handle& trace, const py::handle& bars) {
                const core::Trace t = readTrace(traceFile(s, trace));
                const auto [from, to] = barRange(bars, t);
                const std::vector<std::int32_t> values = core::steps::expand(t, from, to);
                if (t.kind() == core::Kind::Classifier)
                    return py::array(copyColumn(std::span<const std::int32_t>(values)));
                py::array_t<std::int8_t> out(static_cast<py::ssize_t>(values.size()));
                std::transform(values.begin(), values.end(), out.mutable_data(),
                               [](std::int32_t v) { return static_cast<std::int8_t>(v); });
                return py::array(out);
            },
            py::arg("trace"), py::arg("bars") = py::none(),
            "The value as of every bar of bars (None: the whole trace, N: [0, N), (from, to)); classifiers: "
            "codes, -1 while unknown.")
        .def(
            "metrics",
            [](PyStorage& s, const py::handle& trace, double costBps, const py::handle& bars, bool market,
               std::int64_t priceOffset) {
                const core::Trace t = readTrace(traceFile(s, trace));
                core::metrics::Options options;
                options.costBps = costBps;
                if (!bars.is_none())
                    std::tie(options.from, options.to) = barRange(bars, t);
                options.market = market ? s.market(t) : nullptr;
                options.priceOffset = priceOffset;
                // Scored as the command's table scores (metricstable.cpp): no per-bar series, the
                // market's price moves prepared, so that every number equals its CSV cell.
                options.keepBarSeries = false;
                std::optional<core::metrics::BarMoves> moves;
                if (options.market)
                    options.moves = &moves.emplace(*options.market, priceOffset, t.effectiveTotalBars());
                return metricsDict(core::metrics::compute(t, options));
            },
            py::arg("trace"), py::arg("cost_bps") = 0.0, py::arg("bars") = py::none(), py::arg("market") = true,
            py::arg("price_offset") = 0,
            "core's metrics of a signal trace (as `sigscope metrics`): priced by the storage's market CSV for "
            "its symbol and timeframe when there is one and market is true, else by the recorded prices.")
        .def("sql", &PyStorage::sql, py::arg("query"),
             "A read-only query (SELECT or EXPLAIN, DuckDB's dialect) over the tables of `sigscope sql` (traces, "
             "changes, signals, classifiers, market), built on the first call. Returns a dict of NumPy columns: "
             "int64, bool, float64, datetime64[us] (UTC), object arrays of str for text and other types; a "
             "column with a NULL is a numpy.ma.MaskedArray (NaN, NaT, None or 0 under the mask). Raises "
             "sigscope.SqlError with the command line's message.");
    m.def(
        "open", [](const std::filesystem::path& path) { return PyStorage(path); }, py::arg("path"),
        "Opens a storage folder (version 0, 1 or 2) or an L6 Parquet workspace, as the explorer and every "
        "command do. Raises sigscope.StorageError naming the file and the reason.");
    m.def("metric_names", &core::metrics::metricNames);
    m.def("demo", &demo, py::arg("dir"), py::arg("bars") = 20'000, py::arg("variants") = 200, py::arg("seed") = 42,
          py::arg("symbols") = std::vector<std::string>{"SPY", "QQQ"}, py::arg("format") = "json",
          "Writes core's seeded demo storage into dir (as `sigscope demo`; format 'json' is version 1, "
          "'parquet' version 2).");
}

} // namespace sigscope::python
