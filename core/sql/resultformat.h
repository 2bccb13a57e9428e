#pragma once

// A query's result as text for people and for other programs: the command line prints these,
// the SQL console exports the CSV.

#include "core/sql/database.h"

#include <string>

namespace sigscope::core::sql {

// An aligned table: a header line, a rule, one line per row; numbers right-aligned, NULL as
// "NULL", and "(N rows)" at the end. Widths count UTF-8 characters.
std::string formatText(const Table& table);
// RFC 4180 CSV (core/export/csv.h quoting): the header, then one line per row; NULL is empty.
std::string formatCsv(const Table& table);
// A JSON array with one object per row, keys in column order; numbers as numbers, NULL as null,
// timestamps as their text.
std::string formatJson(const Table& table);

} // namespace sigscope::core::sql
