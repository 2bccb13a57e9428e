#include "core/storage/indexio.h"

// Reading index.json (the SAX reader and the writer's own line layout) and listing the data
// files of a storage. Writing the index is in indexwrite.cpp, the atomic-write helpers in
// atomicwrite.cpp.

#include "core/storage/jsonsax.h"
#include "core/util/canonical.h"
#include "core/util/inputfile.h"
#include "core/util/jsonlimits.h"
#include "core/util/utf8.h"

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <sys/stat.h>

namespace sigscope::core::detail {

namespace {

using nlohmann::json;

// Streams index.json into IndexEntry values (an index of 10,000 traces opens in well under
// the 300 ms budget this way, where a DOM would not).
class IndexSax
{
public:
    enum class Ctx : std::uint8_t { Top, Root, Files, Entry, Params, End };

    TypeIndex index;
    std::string error;
    bool parseFailed = false;
    std::size_t position = 0;

    bool null() { return scalar(Kind::Null); }
    bool boolean(bool v)
    {
        m_bool = v;
        return scalar(Kind::Bool);
    }
    bool number_integer(json::number_integer_t v)
    {
        m_int = v;
        return scalar(Kind::Int);
    }
    bool number_unsigned(json::number_unsigned_t v)
    {
        if (v > static_cast<std::uint64_t>(INT64_MAX)) {
            m_text = std::to_string(v);
            return scalar(Kind::BigInt);
        }
        m_int = static_cast<std::int64_t>(v);
        return scalar(Kind::Int);
    }
    bool number_float(json::number_float_t v, const json::string_t& text)
    {
        m_double = v;
        m_text = text;
        return scalar(Kind::Float);
    }
    bool string(json::string_t& v)
    {
        m_text = v;
        return scalar(Kind::String);
    }
    bool binary(json::binary_t&) { return fail("binary values are not JSON"); }
    bool key(json::string_t& k)
    {
        if (m_cap.active()) {
            if (!m_cap.key(k))
                return fail("entry " + std::to_string(m_entryNo) + ": " + duplicateKeyReason(k));
        } else {
            m_key = k;
        }
        return true;
    }
    bool start_object(std::size_t) { return start(true); }
    bool start_array(std::size_t) { return start(false); }
    bool end_object() { return end('}'); }
    bool end_array() { return end(']'); }

    template<class Exception>
    bool parse_error(std::size_t pos, const std::string&, const Exception& ex)
    {
        parseFailed = true;
        position = pos;
        error = parseErrorReason(ex.what());
        return false;
    }

private:
    enum class Kind : std::uint8_t { Null, Bool, Int, BigInt, Float, String };

    bool fail(std::string reason)
    {
        if (error.empty())
            error = std::move(reason);
        return false;
    }

    bool start(bool object)
    {
        if (++m_depth > kMaxJsonDepth)
            return fail(nestingTooDeepReason());
        if (m_cap.active()) {
            object ? m_cap.startObject() : m_cap.startArray();
            return true;
        }
        switch (m_ctx) {
        case Ctx::Top:
            if (!object)
                return fail("index is not a JSON object");
            m_ctx = Ctx::Root;
            return true;
        case Ctx::Root:
            if (m_key == "files") {
                if (object)
                    return fail("files is not an array");
                m_ctx = Ctx::Files;
                return true;
            }
            m_capParams = false;
            break;
        case Ctx::Files:
            ++m_entryNo;
            if (!object)
                return fail("entry " + std::to_string(m_entryNo) + " is not an object");
            m_entry = IndexEntry{};
            m_entry.kind = index.kind;
            m_ctx = Ctx::Entry;
            return true;
        case Ctx::Entry:
            if (m_key == "parameters" && object) {
                // Built directly from the events: a DOM per entry would dominate opening big indexes.
                m_entry.parameters = Parameters();
                m_ctx = Ctx::Params;
                return true;
            }
            m_capParams = false;
            break;
        case Ctx::Params: m_capParams = true; break;
        case Ctx::End: return fail("content after the top-level object");
        }
        m_cap.begin();
        object ? m_cap.startObject() : m_cap.startArray();
        return true;
    }

    bool end(char closer)
    {
        --m_depth;
        if (m_cap.active()) {
            m_cap.endContainer(closer);
            if (!m_cap.active() && m_capParams) {
                // A nested parameter value: canonical text as Parameters::fromJson makes it.
                Parameters one;
                try {
                    one = Parameters::fromJson("{\"v\":" + m_cap.text() + "}");
                } catch (const std::invalid_argument& e) {
                    return fail("entry " + std::to_string(m_entryNo) + ": parameters." + m_key + ": " + e.what());
                }
                if (const ParamValue* v = one.find("v"))
                    m_entry.parameters.set(m_key, *v);
            }
            return true;
        }
        switch (m_ctx) {
        case Ctx::Root: m_ctx = Ctx::End; return true;
        case Ctx::Files: m_ctx = Ctx::Root; return true;
        case Ctx::Params: m_ctx = Ctx::Entry; return true;
        case Ctx::Entry:
            m_ctx = Ctx::Files;
            if (m_entry.filePath.empty())
                return fail("entry " + std::to_string(m_entryNo) + ": file_path is missing");
            index.entries.push_back(std::move(m_entry));
            return true;
        default: return fail("unbalanced JSON");
        }
    }

    bool scalar(Kind k)
    {
        if (m_cap.active()) {
            switch (k) {
            case Kind::Null: m_cap.null(); break;
            case Kind::Bool: m_cap.boolean(m_bool); break;
            case Kind::Int: m_cap.number(std::to_string(m_int)); break;
            case Kind::BigInt:
            case Kind::Float: m_cap.number(m_text); break;
            case Kind::String: m_cap.string(m_text); break;
            }
            return true;
        }
        if (m_ctx == Ctx::Params) {
            switch (k) {
            case Kind::Null: m_entry.parameters.set(m_key, nullptr); break;
            case Kind::Bool: m_entry.parameters.set(m_key, m_bool); break;
            case Kind::Int: m_entry.parameters.set(m_key, m_int); break;
            case Kind::BigInt: m_entry.parameters.set(m_key, RawJson{m_text}); break;
            case Kind::Float: m_entry.parameters.set(m_key, m_double); break;
            case Kind::String: m_entry.parameters.set(m_key, m_text); break;
            }
            return true;
        }
        if (m_ctx == Ctx::Root) {
            if (m_key == "type" && k == Kind::String)
                index.type = m_text;
            else if (m_key == "updated_at" && k == Kind::String)
                index.updatedAt = m_text;
            else if (m_key == "files")
                return fail("files is not an array");
            return true;
        }
        if (m_ctx == Ctx::Files)
            return fail("entry " + std::to_string(m_entryNo + 1) + " is not an object");
        if (m_ctx != Ctx::Entry)
            return m_ctx == Ctx::Top ? fail("index is not a JSON object") : true;
        return entryField(k);
    }

    bool text(Kind k, std::string& out)
    {
        if (k == Kind::String)
            out = m_text;
        else if (k != Kind::Null)
            return fail("entry " + std::to_string(m_entryNo) + ": " + m_key + " is not a string");
        return true;
    }
    bool optionalText(Kind k, std::optional<std::string>& out)
    {
        if (k == Kind::Null)
            out.reset();
        else if (k == Kind::String)
            out = m_text;
        else
            return fail("entry " + std::to_string(m_entryNo) + ": " + m_key + " is not a string");
        return true;
    }
    bool integer(Kind k, std::int64_t& out)
    {
        if (k == Kind::Int)
            out = m_int;
        else if (k == Kind::BigInt || (k == Kind::Float && !(m_double >= -9223372036854775808.0 && m_double < 9223372036854775808.0)))
            return fail("entry " + std::to_string(m_entryNo) + ": " + m_key + " is out of range (beyond 64-bit integers)");
        else if (k == Kind::Float)
            out = static_cast<std::int64_t>(m_double);
        else if (k != Kind::Null)
            return fail("entry " + std::to_string(m_entryNo) + ": " + m_key + " is not a number");
        return true;
    }
    bool optionalInt(Kind k, std::optional<std::int64_t>& out)
    {
        std::int64_t v = 0;
        if (!integer(k, v))
            return false;
        if (k == Kind::Null)
            out.reset();
        else
            out = v;
        return true;
    }

    bool entryField(Kind k)
    {
        const std::string& key = m_key;
        if (key == "type")
            return text(k, m_entry.type);
        if (key == "name")
            return text(k, m_entry.name);
        if (key == "symbol")
            return optionalText(k, m_entry.symbol);
        if (key == "timeframe")
            return optionalText(k, m_entry.timeframe);
        if (key == "run")
            return optionalText(k, m_entry.run);
        if (key == "variant")
            return optionalInt(k, m_entry.variant);
        if (key == "total_items")
            return integer(k, m_entry.totalItems);
        if (key == "total_bars")
            return integer(k, m_entry.totalBars);
        if (key == "compression_ratio") {
            if (k == Kind::Int)
                m_entry.compressionRatio = static_cast<double>(m_int);
            else if (k == Kind::Float)
                m_entry.compressionRatio = m_double;
            return true;
        }
        if (key == "first_idx")
            return optionalInt(k, m_entry.firstIdx);
        if (key == "last_idx")
            return optionalInt(k, m_entry.lastIdx);
        if (key == "first_ts")
            return text(k, m_entry.firstTs);
        if (key == "last_ts")
            return text(k, m_entry.lastTs);
        if (key == "created_at")
            return text(k, m_entry.createdAt);
        if (key == "file_hash")
            return text(k, m_entry.fileHash);
        if (key == "changes_hash")
            return text(k, m_entry.changesHash);
        if (key == "file_path") {
            if (!text(k, m_entry.filePath))
                return false;
            m_entry.storedFilePath = m_entry.filePath;
            return true;
        }
        if (key == "kind" && k == Kind::String) {
            if (auto kind = kindFromName(m_text); kind && *kind != index.kind)
                return fail("entry " + std::to_string(m_entryNo) + ": kind " + m_text + " in the wrong folder");
        }
        return true;
    }

    Ctx m_ctx = Ctx::Top;
    std::string m_key;
    std::string m_text;
    std::int64_t m_int = 0;
    double m_double = 0.0;
    bool m_bool = false;
    RawCapture m_cap;
    bool m_capParams = false;
    IndexEntry m_entry;
    std::int64_t m_entryNo = 0;
    std::size_t m_depth = 0; // arrays and objects open
};

} // namespace

TypeIndex parseIndex(std::string_view text, Kind kind, const std::filesystem::path& pathForMessages)
{
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        throw StorageError(pathForMessages, "the file is empty");
    if (TypeIndex fast; parseIndexFast(text, kind, fast))
        return fast;
    IndexSax sax;
    sax.index.kind = kind;
    const bool ok = json::sax_parse(text.data(), text.data() + text.size(), &sax);
    if (!ok || !sax.error.empty()) {
        if (sax.parseFailed) {
            const auto pos = textPosition(text, sax.position);
            throw StorageError(pathForMessages,
                               "line " + std::to_string(pos.line) + ", column " + std::to_string(pos.column) + ": "
                                   + sax.error,
                               pos.line);
        }
        throw StorageError(pathForMessages, sax.error.empty() ? std::string("invalid index") : sax.error);
    }
    return std::move(sax.index);
}

namespace {

// The text of a JSON string literal that starts at text[pos] == '"'; pos moves past it.
std::optional<std::string> readStringLiteral(std::string_view text, std::size_t& pos)
{
    if (pos >= text.size() || text[pos] != '"')
        return std::nullopt;
    std::size_t i = pos + 1;
    bool escaped = false;
    while (i < text.size() && text[i] != '"') {
        if (text[i] == '\\') {
            escaped = true;
            ++i;
        }
        ++i;
    }
    if (i >= text.size())
        return std::nullopt;
    const std::string_view literal = text.substr(pos, i + 1 - pos);
    pos = i + 1;
    if (!escaped)
        return std::string(literal.substr(1, literal.size() - 2));
    try {
        return json::parse(literal).get<std::string>();
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

bool consume(std::string_view text, std::size_t& pos, std::string_view expected)
{
    if (text.substr(pos, expected.size()) != expected)
        return false;
    pos += expected.size();
    return true;
}

} // namespace

std::optional<IndexLines> splitIndexLines(std::string_view text)
{
    IndexLines out;
    std::size_t pos = 0;
    if (!consume(text, pos, "{\n  \"type\": "))
        return std::nullopt;
    auto type = readStringLiteral(text, pos);
    if (!type || !consume(text, pos, ",\n  \"format_version\": 1,\n  \"updated_at\": ") || !readStringLiteral(text, pos)
        || !consume(text, pos, ",\n  \"files\": ["))
        return std::nullopt;
    out.type = std::move(*type);
    std::string_view rest = text.substr(pos);
    if (rest == "]\n}\n")
        return out;
    constexpr std::string_view tail = "\n  ]\n}\n";
    if (!rest.starts_with("\n    ") || !rest.ends_with(tail))
        return std::nullopt;
    rest = rest.substr(1, rest.size() - 1 - tail.size());
    constexpr std::string_view pathKey = ", \"file_path\": ";
    while (!rest.empty()) {
        const auto nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        if (!line.starts_with("    {\"type\": "))
            return std::nullopt;
        line.remove_prefix(4);
        if (!rest.empty()) {
            if (!line.ends_with(','))
                return std::nullopt;
            line.remove_suffix(1);
        }
        if (!line.ends_with("\"}"))
            return std::nullopt;
        const auto keyPos = line.rfind(pathKey);
        if (keyPos == std::string_view::npos)
            return std::nullopt;
        std::size_t p = keyPos + pathKey.size();
        auto path = readStringLiteral(line, p);
        if (!path || p + 1 != line.size())
            return std::nullopt;
        out.entries.emplace_back(std::move(*path), std::string(line));
    }
    return out;
}

namespace {

Finding problem(Finding::Severity severity, const char* code, std::string path, std::string message)
{
    Finding f;
    f.severity = severity;
    f.code = code;
    f.path = std::move(path);
    f.message = std::move(message);
    return f;
}

std::string joined(const std::string& rel, const std::string& name)
{
    return rel.empty() ? name : rel + "/" + name;
}

} // namespace

std::vector<std::string> listDataFiles(const std::filesystem::path& typeDir, const std::string& rel,
                                       std::vector<Finding>* problems)
{
    std::vector<std::string> files;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(typeDir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.empty() || name.front() == '.' || name == "index.json" || !name.ends_with(".json"))
            continue;
        if (!isValidUtf8(name)) {
            if (problems)
                problems->push_back(problem(Finding::Severity::Error, "invalid-name", joined(rel, escapeInvalidUtf8(name)),
                                            "the file name is not valid UTF-8 (left out of the index)"));
            continue;
        }
        std::error_code statEc;
        const auto status = it->status(statEc); // follows a symbolic link to what it names
        if (status.type() == std::filesystem::file_type::regular) {
            files.push_back(name);
            continue;
        }
        if (!problems)
            continue;
        std::string what;
        if (status.type() == std::filesystem::file_type::not_found && it->is_symlink(statEc))
            what = "a dangling symbolic link, not a data file";
        else if (status.type() == std::filesystem::file_type::directory)
            what = "a folder, not a data file";
        else {
            struct stat st {};
            what = ::stat(it->path().c_str(), &st) == 0 ? "not a regular file (" + fileTypeName(st.st_mode) + ")"
                                                         : "cannot be inspected: " + statEc.message();
        }
        problems->push_back(problem(Finding::Severity::Error, "not-a-file", joined(rel, name), what));
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<DataFolder> listDataFolders(const Storage& storage, std::uint64_t* fileCount, std::vector<Finding>* problems)
{
    std::vector<DataFolder> folders;
    std::uint64_t count = 0;
    for (const Kind kind : {Kind::Signal, Kind::Classifier}) {
        const std::string kindRel(kindFolder(kind));
        std::error_code ec;
        if (problems && std::filesystem::is_symlink(storage.root() / kindRel, ec))
            problems->push_back(problem(Finding::Severity::Warning, "symlinked-folder", kindRel,
                                        "the kind folder is a symbolic link (read through it; writes refuse it)"));
        for (const auto& type : storage.types(kind)) {
            const std::string rel = kindRel + "/" + type;
            if (!isValidUtf8(type)) {
                if (problems)
                    problems->push_back(problem(Finding::Severity::Error, "invalid-name",
                                                kindRel + "/" + escapeInvalidUtf8(type),
                                                "the folder name is not valid UTF-8 (its traces are left out)"));
                continue;
            }
            if (problems && std::filesystem::is_symlink(storage.root() / rel, ec))
                problems->push_back(problem(Finding::Severity::Warning, "symlinked-folder", rel,
                                            "the type folder is a symbolic link (read through it; writes refuse it)"));
            folders.push_back({kind, type, listDataFiles(storage.root() / rel, rel, problems)});
            count += folders.back().files.size();
        }
    }
    if (fileCount)
        *fileCount = count;
    return folders;
}

} // namespace sigscope::core::detail
