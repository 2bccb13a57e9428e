#pragma once

// Shared pieces of the sigscope Python module: the exception hierarchy and the bindings of
// each part (reading storages, the tracer).
#include "core/model/parameters.h"

#include <pybind11/pybind11.h>

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

} // namespace sigscope::python
