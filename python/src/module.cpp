// The `sigscope` Python module: reading storages into NumPy arrays and recording traces with
// core's tracer. Errors become sigscope.Error subclasses carrying the CLI's message.
#include "python/src/module.h"

#include "core/sql/database.h"
#include "core/storage/storage.h"
#include "core/tracer/traceconfig.h"

#include <pybind11/stl.h>
#include <stdexcept>

namespace sigscope::python {

namespace {

py::object g_error;
py::object g_storageError;
py::object g_configError;
py::object g_argumentError;
py::object g_sqlError;

py::object makeError(const char* name, const py::object& base, const char* doc, py::module_& m)
{
    py::object type = py::reinterpret_steal<py::object>(
        PyErr_NewExceptionWithDoc((std::string("sigscope.") + name).c_str(), doc, base.ptr(), nullptr));
    if (!type)
        throw py::error_already_set();
    m.attr(name) = type;
    return type;
}

} // namespace

void bindErrors(py::module_& m)
{
    g_error = makeError("Error", py::reinterpret_borrow<py::object>(PyExc_Exception),
                        "Base of every error sigscope raises; str() is the command line's message.", m);
    g_storageError = makeError("StorageError", g_error,
                               "A file that cannot be read or written: .path names it, .reason says why.", m);
    g_configError = makeError("ConfigError", g_error, "A tracer configuration that cannot be used.", m);
    py::tuple argumentBases = py::make_tuple(g_error, py::reinterpret_borrow<py::object>(PyExc_ValueError));
    g_argumentError = makeError("ArgumentError", argumentBases, "An argument sigscope cannot use (also a ValueError).", m);
    g_sqlError = makeError("SqlError", g_error,
                           "A query DuckDB rejected or sigscope refused (a writing statement): str() is the command "
                           "line's message; .kind is 'syntax', 'refused', 'interrupted' or 'other'.",
                           m);
    // pybind11 takes a void(*)(std::exception_ptr): the parameter is by value by its contract.
    py::register_exception_translator([](std::exception_ptr p) { // NOLINT(performance-unnecessary-value-param)
        try {
            if (p)
                std::rethrow_exception(p);
        } catch (const core::StorageError& e) {
            py::object error = g_storageError(e.what());
            error.attr("path") = e.path().string();
            error.attr("reason") = e.reason();
            PyErr_SetObject(g_storageError.ptr(), error.ptr());
        } catch (const core::sql::SqlError& e) {
            static constexpr const char* kinds[] = {"syntax", "refused", "interrupted", "other"};
            py::object error = g_sqlError(e.what());
            error.attr("kind") = kinds[static_cast<std::size_t>(e.kind())];
            PyErr_SetObject(g_sqlError.ptr(), error.ptr());
        } catch (const core::TraceConfigError& e) {
            PyErr_SetString(g_configError.ptr(), e.what());
        } catch (const std::invalid_argument& e) {
            PyErr_SetString(g_argumentError.ptr(), e.what());
        }
    });
}

core::Parameters toParameters(const py::handle& object)
{
    core::Parameters parameters;
    if (object.is_none())
        return parameters;
    if (!py::isinstance<py::dict>(object))
        throw py::type_error("parameters must be a dict of str to bool, int, float, str or None");
    py::object json = py::module_::import("json");
    for (auto [key, value] : py::reinterpret_borrow<py::dict>(object)) {
        if (!py::isinstance<py::str>(key))
            throw py::type_error("parameter names must be str");
        std::string name = key.cast<std::string>();
        if (value.is_none())
            parameters.set(std::move(name), nullptr);
        else if (py::isinstance<py::bool_>(value))
            parameters.set(std::move(name), value.cast<bool>());
        else if (py::isinstance<py::int_>(value))
            parameters.set(std::move(name), value.cast<std::int64_t>());
        else if (py::isinstance<py::float_>(value))
            parameters.set(std::move(name), value.cast<double>());
        else if (py::isinstance<py::str>(value))
            parameters.set(std::move(name), value.cast<std::string>());
        else if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value) || py::isinstance<py::dict>(value)) {
            const std::string text = json.attr("dumps")(value).cast<std::string>();
            core::Parameters nested = core::Parameters::fromJson("{\"v\":" + text + "}");
            parameters.set(std::move(name), *nested.find("v"));
        } else {
            throw py::type_error("parameter '" + name + "' must be bool, int, float, str, None, list or dict");
        }
    }
    return parameters;
}

py::dict fromParameters(const core::Parameters& parameters)
{
    py::dict out;
    py::object json = py::module_::import("json");
    for (const auto& [key, value] : parameters.entries()) {
        py::object v = std::visit(
            [&](const auto& x) -> py::object {
                using T = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<T, std::nullptr_t>)
                    return py::none();
                else if constexpr (std::is_same_v<T, core::RawJson>)
                    return json.attr("loads")(x.text);
                else
                    return py::cast(x);
            },
            value);
        out[py::str(key)] = v;
    }
    return out;
}

} // namespace sigscope::python

PYBIND11_MODULE(sigscope, m)
{
    m.doc() = "Read sigscope signal storages into NumPy arrays and record traces from Python.";
    m.attr("__version__") = SIGSCOPE_PYTHON_VERSION;
    // Imported with the module, not inside the first load (measured: 190 ms of a 1M-change load).
    pybind11::module_::import("numpy");
    pybind11::module_::import("numpy.ma");
    sigscope::python::bindErrors(m);
    sigscope::python::bindReading(m);
    sigscope::python::bindTracer(m);
}
