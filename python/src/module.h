#pragma once

// Shared pieces of the sigscope Python module: the exception hierarchy and the bindings of
// each part (reading storages, the tracer).
#include "core/model/parameters.h"
#include "core/storage/storage.h"

#include <pybind11/pybind11.h>

#include <memory>
#include <mutex>
#include <string>

namespace sigscope::core::sql {
struct OpenedStorage;
} // namespace sigscope::core::sql

namespace sigscope::python {

namespace py = pybind11;

// Registers sigscope.Error and its subclasses and the translator of core's exceptions to them.
void bindErrors(py::module_& m);
void bindReading(py::module_& m);
void bindTracer(py::module_& m);

// A dict of str -> bool/int/float/str/None (nested lists and dicts as canonical JSON) as
// core Parameters; raises TypeError for anything else.
core::Parameters toParameters(const py::handle& object);
py::dict fromParameters(const core::Parameters& parameters);

// The SQL tables of one opened storage (core/sql/storageviews.h, those of `sigscope sql`), built
// on the first query and kept for the next ones (python/src/sql.cpp).
class SqlTables
{
public:
    SqlTables();
    ~SqlTables();
    SqlTables(const SqlTables&) = delete;
    SqlTables& operator=(const SqlTables&) = delete;

    // The result as a dict of NumPy columns in the query's order; raises sigscope.SqlError with the
    // command line's message. Problems met building the tables are issued as warnings, once.
    py::dict query(const core::Storage& storage, const std::string& text);

private:
    std::mutex m_mutex; // one query at a time on the database (the GIL is released while it runs)
    std::unique_ptr<core::sql::OpenedStorage> m_opened;
};

} // namespace sigscope::python
