#include "core/sql/resultformat.h"

#include "core/export/csv.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

namespace sigscope::core::sql {

namespace {

std::size_t characters(std::string_view text)
{
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool numeric(const Column& column)
{
    return column.type == ColumnType::Integer || column.type == ColumnType::Real;
}

std::string cellText(const Table& table, std::size_t column, std::size_t row)
{
    return table.isNull(column, row) ? std::string("NULL") : table.text(column, row);
}

void pad(std::string& out, std::string_view text, std::size_t width, bool right)
{
    const std::size_t fill = width - std::min(width, characters(text));
    if (right)
        out.append(fill, ' ');
    out += text;
    if (!right)
        out.append(fill, ' ');
}

} // namespace

std::string formatText(const Table& table)
{
    std::vector<std::size_t> widths;
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
        std::size_t width = characters(table.columns[c].name);
        for (std::size_t r = 0; r < table.rows; ++r)
            width = std::max(width, characters(cellText(table, c, r)));
        widths.push_back(width);
    }
    std::string out;
    auto line = [&](auto&& textOf) {
        std::string row;
        for (std::size_t c = 0; c < table.columns.size(); ++c) {
            if (c > 0)
                row += "  ";
            pad(row, textOf(c), widths[c], numeric(table.columns[c]));
        }
        while (!row.empty() && row.back() == ' ')
            row.pop_back();
        out += row + '\n';
    };
    line([&](std::size_t c) { return table.columns[c].name; });
    line([&](std::size_t c) { return std::string(widths[c], '-'); });
    for (std::size_t r = 0; r < table.rows; ++r)
        line([&](std::size_t c) { return cellText(table, c, r); });
    out += "(" + std::to_string(table.rows) + (table.rows == 1 ? " row)\n" : " rows)\n");
    return out;
}

std::string formatCsv(const Table& table)
{
    std::string out;
    auto field = [&](std::size_t c, std::string_view text) {
        if (c > 0)
            out += ',';
        out += csv::escapeField(text);
    };
    for (std::size_t c = 0; c < table.columns.size(); ++c)
        field(c, table.columns[c].name);
    out += '\n';
    for (std::size_t r = 0; r < table.rows; ++r) {
        for (std::size_t c = 0; c < table.columns.size(); ++c)
            field(c, table.text(c, r));
        out += '\n';
    }
    return out;
}

std::string formatJson(const Table& table)
{
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (std::size_t r = 0; r < table.rows; ++r) {
        nlohmann::ordered_json row = nlohmann::ordered_json::object();
        for (std::size_t c = 0; c < table.columns.size(); ++c) {
            const Column& column = table.columns[c];
            nlohmann::ordered_json& cell = row[column.name];
            if (table.isNull(c, r))
                cell = nullptr;
            else if (column.type == ColumnType::Integer)
                cell = column.integers[r];
            else if (column.type == ColumnType::Boolean)
                cell = column.integers[r] != 0;
            else if (column.type == ColumnType::Real && std::isfinite(column.reals[r]))
                cell = column.reals[r];
            else
                cell = table.text(c, r);
        }
        out.push_back(std::move(row));
    }
    return out.dump(2) + '\n';
}

} // namespace sigscope::core::sql
