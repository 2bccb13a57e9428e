// Storage.sql(): a read-only query over the tables `sigscope sql` sees (core/sql/storageviews.h),
// its result handed to Python as NumPy columns.
//
// Column types: integers (every integer type) int64, booleans bool, reals float64, timestamps
// datetime64[us] (UTC), text and every other DuckDB type as the command line writes it, object
// arrays of str. A column with a NULL is a numpy.ma.MaskedArray whose mask marks the NULLs; under
// the mask are NaN (float64), NaT (datetime64), None (text) and 0 (int64, bool), so that `.data`
// alone is still usable where those stand for "missing".
#include "python/src/module.h"

#include "core/sql/storageviews.h"

#include <pybind11/numpy.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>

namespace sigscope::python {

namespace {

using core::sql::Column;
using core::sql::ColumnType;

bool hasNull(const Column& column)
{
    return std::any_of(column.nulls.begin(), column.nulls.end(), [](std::uint8_t n) { return n != 0; });
}

bool isNull(const Column& column, std::size_t row)
{
    return !column.nulls.empty() && column.nulls[row] != 0;
}

py::array integers(const Column& column, std::size_t rows, const py::dtype& dtype, std::int64_t nullValue)
{
    py::array out(dtype, static_cast<py::ssize_t>(rows));
    auto* data = static_cast<std::int64_t*>(out.mutable_data());
    if (rows > 0)
        std::memcpy(data, column.integers.data(), rows * sizeof(std::int64_t));
    for (std::size_t i = 0; i < rows; ++i)
        if (isNull(column, i))
            data[i] = nullValue;
    return out;
}

py::array values(const Column& column, std::size_t rows)
{
    switch (column.type) {
    case ColumnType::Boolean: {
        py::array_t<bool> out(static_cast<py::ssize_t>(rows));
        bool* data = out.mutable_data();
        for (std::size_t i = 0; i < rows; ++i)
            data[i] = !isNull(column, i) && column.integers[i] != 0;
        return out;
    }
    case ColumnType::Integer: return integers(column, rows, py::dtype::of<std::int64_t>(), 0);
    case ColumnType::Timestamp:
        return integers(column, rows, py::dtype("datetime64[us]"), std::numeric_limits<std::int64_t>::min()); // NaT
    case ColumnType::Real: {
        py::array_t<double> out(static_cast<py::ssize_t>(rows));
        double* data = out.mutable_data();
        for (std::size_t i = 0; i < rows; ++i)
            data[i] = isNull(column, i) ? std::numeric_limits<double>::quiet_NaN() : column.reals[i];
        return out;
    }
    case ColumnType::Text: break;
    }
    py::array out(py::dtype("O"), static_cast<py::ssize_t>(rows)); // NULL pointers, not yet objects
    auto** data = static_cast<PyObject**>(out.mutable_data());
    for (std::size_t i = 0; i < rows; ++i) {
        py::object value = isNull(column, i) ? py::object(py::none()) : py::object(py::str(column.texts[i]));
        Py_XDECREF(data[i]);
        data[i] = value.release().ptr();
    }
    return out;
}

py::object toColumn(const Column& column, std::size_t rows)
{
    py::array data = values(column, rows);
    if (!hasNull(column))
        return data;
    py::array_t<bool> mask(static_cast<py::ssize_t>(rows));
    bool* m = mask.mutable_data();
    for (std::size_t i = 0; i < rows; ++i)
        m[i] = isNull(column, i);
    return py::module_::import("numpy.ma").attr("MaskedArray")(data, py::arg("mask") = mask);
}

// "warning missing-file signals/x.json: ..." as the command line prints a finding.
std::string findingLine(const core::Finding& f)
{
    std::string where = f.path;
    if (f.line > 0)
        where += ":" + std::to_string(f.line);
    return std::string(core::severityName(f.severity)) + " " + f.code + " " + where + ": " + f.message;
}

} // namespace

SqlTables::SqlTables() = default;
SqlTables::~SqlTables() = default;

py::dict SqlTables::query(const core::Storage& storage, const std::string& text)
{
    std::vector<core::Finding> findings;
    core::sql::Table table;
    {
        py::gil_scoped_release release; // the mutex is taken without the GIL: no lock-order deadlock
        const std::lock_guard lock(m_mutex);
        if (!m_opened) {
            m_opened = std::make_unique<core::sql::OpenedStorage>(core::sql::openStorageDatabase(storage));
            findings = m_opened->report.findings;
        }
        table = m_opened->database.query(text);
    }
    for (const core::Finding& f : findings)
        if (PyErr_WarnEx(PyExc_UserWarning, findingLine(f).c_str(), 1) < 0)
            throw py::error_already_set();
    std::set<std::string> names;
    for (const Column& column : table.columns)
        if (!names.insert(column.name).second)
            throw std::invalid_argument("the result has two columns named '" + column.name
                                        + "'; name them apart (... AS other_name)");
    py::dict out;
    for (const Column& column : table.columns)
        out[py::str(column.name)] = toColumn(column, table.rows);
    return out;
}

} // namespace sigscope::python
