// sigscope.Tracer: core's Tracer for Python engines, with a batch call for vectorised ones
// (one NumPy array of positions for a group of strategies per bar).
#include "python/src/module.h"

#include "core/storage/storage.h"
#include "core/tracer/tracer.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <memory>
#include <optional>
#include <string>

namespace sigscope::python {

namespace {

// A time argument: None (the symbol's latest bar), ISO text, integer microseconds since the
// epoch (UTC, written "+00:00") or a numpy.datetime64.
class TimeArg
{
public:
    explicit TimeArg(const py::handle& time)
    {
        if (time.is_none())
            return;
        if (py::isinstance<py::str>(time)) {
            m_text = time.cast<std::string>();
            m_time = core::EventTime(m_text);
            return;
        }
        std::int64_t micros = 0;
        if (py::isinstance<py::int_>(time))
            micros = time.cast<std::int64_t>();
        else
            micros = py::module_::import("numpy").attr("datetime64")(time, "us").attr("astype")("int64").cast<std::int64_t>();
        m_time = core::EventTime::fromUtcMicros(micros);
    }
    [[nodiscard]] const core::EventTime& time() const { return m_time; }

private:
    std::string m_text;
    core::EventTime m_time;
};

core::Direction direction(const py::handle& value)
{
    if (py::isinstance<py::str>(value))
        return core::Direction(value.cast<std::string>());
    return core::Direction(value.cast<std::int32_t>());
}

core::TraceConfig configFrom(const py::handle& config)
{
    if (config.is_none())
        return {};
    if (!py::isinstance<py::dict>(config))
        return core::TraceConfig::fromFile(config.cast<std::filesystem::path>());
    core::TraceConfig c;
    for (auto [key, value] : py::reinterpret_borrow<py::dict>(config)) {
        const std::string k = key.cast<std::string>();
        if (k == "base_dir")
            c.baseDir = value.cast<std::filesystem::path>();
        else if (k == "run_id")
            c.runId = value.is_none() ? std::nullopt : std::optional<std::string>(value.cast<std::string>());
        else if (k == "write_interval")
            c.writeInterval = value.cast<std::int64_t>();
        else if (k == "write_on_changes")
            c.writeOnChanges = value.cast<std::int64_t>();
        else if (k == "enabled")
            c.enabled = value.cast<bool>();
        else
            throw core::TraceConfigError("unknown tracer setting '" + k +
                                         "' (accepted: base_dir, run_id, write_interval, write_on_changes, enabled)");
    }
    return c;
}

// Strategies resolved once (core's handles) for on_signals.
struct SignalGroup
{
    std::vector<core::Tracer::Handle> handles;
};

py::dict summaryDict(const core::TracerSummary& s)
{
    py::dict out;
    out["bars_seen"] = s.barsSeen;
    out["signals_seen"] = s.signalsSeen;
    out["classifications_seen"] = s.classificationsSeen;
    out["changes_stored"] = s.changesStored;
    out["traces_written"] = s.tracesWritten;
    out["checkpoints"] = s.checkpoints;
    py::list traces;
    for (const core::TraceSummary& t : s.traces) {
        py::dict d;
        d["kind"] = std::string(core::kindName(t.kind));
        d["name"] = t.name;
        d["type"] = t.type;
        d["symbol"] = t.symbol;
        d["timeframe"] = t.timeframe;
        d["events_seen"] = t.eventsSeen;
        d["changes_stored"] = t.changesStored;
        d["total_bars"] = t.totalBars;
        d["compression_ratio"] = t.compressionRatio;
        traces.append(d);
    }
    out["traces"] = traces;
    out["text"] = s.text();
    return out;
}

void onSignals(core::Tracer& tracer, const SignalGroup& group,
               const py::array_t<std::int32_t, py::array::c_style | py::array::forcecast>& values,
               const py::handle& prices, const py::handle& time)
{
    const std::size_t n = group.handles.size();
    if (values.ndim() != 1 || static_cast<std::size_t>(values.shape(0)) != n)
        throw std::invalid_argument("on_signals: values must be one-dimensional with one entry per strategy of the group (" +
                                    std::to_string(n) + ")");
    std::optional<py::array_t<double, py::array::c_style | py::array::forcecast>> priceArray;
    double price = 0.0;
    if (py::isinstance<py::float_>(prices) || py::isinstance<py::int_>(prices)) {
        price = prices.cast<double>();
    } else if (!prices.is_none()) {
        priceArray = prices.cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
        if (priceArray->ndim() != 1 || static_cast<std::size_t>(priceArray->shape(0)) != n)
            throw std::invalid_argument("on_signals: prices must be a number or have one entry per strategy (" +
                                        std::to_string(n) + ")");
    }
    const TimeArg when(time);
    const std::int32_t* v = values.data();
    const double* p = priceArray ? priceArray->data() : nullptr;
    py::gil_scoped_release release;
    for (std::size_t i = 0; i < n; ++i)
        tracer.onSignal(group.handles[i], v[i], p ? p[i] : price, when.time());
}

} // namespace

void bindTracer(py::module_& m)
{
    py::class_<SignalGroup>(m, "SignalGroup", "Strategies of one symbol resolved once, for Tracer.on_signals.")
        .def("__len__", [](const SignalGroup& g) { return g.handles.size(); });

    py::class_<core::Tracer>(m, "Tracer",
                             "Records signals and classifications as sparse traces (core's tracer: same files, same "
                             "atomic writes). config: None, a dict (base_dir, run_id, write_interval, "
                             "write_on_changes, enabled) or the trading system's YAML/JSON file.")
        .def(py::init([](const py::handle& config) { return std::make_unique<core::Tracer>(configFrom(config)); }),
             py::arg("config") = py::none())
        .def_property_readonly("base_dir", [](const core::Tracer& t) { return t.config().baseDir; })
        .def_property_readonly("enabled", &core::Tracer::enabled)
        .def(
            "on_bar",
            [](core::Tracer& t, const std::string& symbol, const std::string& timeframe, const py::handle& time) {
                const TimeArg when(time);
                t.onBar(symbol, timeframe, when.time());
            },
            py::arg("symbol"), py::arg("timeframe"), py::arg("time") = py::none())
        .def(
            "on_signal",
            [](core::Tracer& t, const std::string& id, const std::string& symbol, const py::handle& value, double price,
               const py::handle& time, const py::handle& parameters, const std::string& type,
               const std::string& timeframe) {
                const TimeArg when(time);
                t.onSignal(id, symbol, direction(value), price, when.time(),
                           {.parameters = toParameters(parameters), .strategyType = type, .timeframe = timeframe});
            },
            py::arg("strategy_id"), py::arg("symbol"), py::arg("direction"), py::arg("price") = 0.0,
            py::arg("time") = py::none(), py::arg("parameters") = py::none(), py::arg("strategy_type") = "",
            py::arg("timeframe") = "")
        .def(
            "on_classification",
            [](core::Tracer& t, const std::string& id, const std::string& symbol, const std::string& regime,
               double confidence, const py::handle& time, const py::handle& parameters, const std::string& type,
               const std::string& timeframe) {
                const TimeArg when(time);
                t.onClassification(id, symbol, regime, confidence, when.time(),
                                   {.parameters = toParameters(parameters), .classifierType = type, .timeframe = timeframe});
            },
            py::arg("classifier_id"), py::arg("symbol"), py::arg("regime"), py::arg("confidence") = 1.0,
            py::arg("time") = py::none(), py::arg("parameters") = py::none(), py::arg("classifier_type") = "",
            py::arg("timeframe") = "")
        .def(
            "signal_group",
            [](core::Tracer& t, const std::vector<std::string>& ids, const std::string& symbol,
               const py::handle& parameters, const std::string& type, const std::string& timeframe) {
                SignalGroup g;
                py::list params = parameters.is_none() ? py::list() : parameters.cast<py::list>();
                if (!parameters.is_none() && params.size() != ids.size())
                    throw std::invalid_argument("signal_group: one parameters dict per strategy id");
                for (std::size_t i = 0; i < ids.size(); ++i)
                    g.handles.push_back(t.signalHandle(
                        ids[i], symbol,
                        {.parameters = parameters.is_none() ? core::Parameters() : toParameters(params[i]),
                         .strategyType = type,
                         .timeframe = timeframe}));
                return g;
            },
            py::arg("strategy_ids"), py::arg("symbol"), py::arg("parameters") = py::none(),
            py::arg("strategy_type") = "", py::arg("timeframe") = "",
            "Resolves strategies once; then on_signals(group, values) records one position per strategy. "
            "Without timeframe, the symbol's latest on_bar gives it: resolve after the first bar or name it.")
        .def("on_signals", &onSignals, py::arg("group"), py::arg("values"), py::arg("prices") = py::none(),
             py::arg("time") = py::none(),
             "One signal per strategy of group at the symbol's latest bar: values[i] for group's i-th strategy "
             "(prices: None, one number or an array). The GIL is released while recording.")
        .def("flush", &core::Tracer::flush, "Writes every trace atomically; raises sigscope.StorageError.")
        .def("discard", &core::Tracer::discard)
        .def("summary", [](const core::Tracer& t) { return summaryDict(t.summary()); })
        .def("__enter__", [](py::object self) { return self; })
        .def("__exit__", [](core::Tracer& t, const py::handle&, const py::handle&, const py::handle&) {
            t.flush();
            return false;
        });
}

} // namespace sigscope::python
