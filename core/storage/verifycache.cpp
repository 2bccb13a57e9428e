#include "core/storage/verifycache.h"

// The verification cache's file: one JSON object, written by hand (sorted by path, so the same
// findings give the same bytes) and read with simdjson On-Demand. A cache that cannot be read
// is no damage: the next verification reads every file again and writes a new one.
//   {"sigscope_verify_cache": 1, "program": "<version>", "root": "...", "format_version": 1,
//    "files": [["<path>", size, mtime_ns, ctime_ns, inode, "<entry stamp hex>",
//               [[severity, "code", line, "message"], ...]], ...]}

#include "core/storage/indexio.h"
#include "core/storage/jsonsax.h"
#include "core/util/canonical.h"

#include <algorithm>
#include <charconv>
#include <simdjson.h>
#include <sys/stat.h>

#ifndef SIGSCOPE_VERSION
#define SIGSCOPE_VERSION "0"
#endif

namespace sigscope::core::detail {

namespace {

namespace od = simdjson::ondemand;

// Raised when what verification checks changes: caches of older rules are read no more.
constexpr std::int64_t kCacheLayout = 1;

void appendNumber(std::string& out, auto value)
{
    out += std::to_string(value);
}

// The elements of a JSON array one by one.
class Elements
{
public:
    explicit Elements(od::value value)
    {
        od::array array;
        m_ok = !value.get_array().get(array) && !array.begin().get(m_it) && !array.end().get(m_end);
    }
    // Past the last element: the one handed out last is consumed by then (On-Demand reads in order).
    bool atEnd()
    {
        advance();
        return m_ok && m_it == m_end;
    }
    bool next(od::value& out)
    {
        advance();
        if (!m_ok || m_it == m_end)
            return false;
        m_pending = true;
        return !(*m_it).get(out);
    }

private:
    void advance()
    {
        if (m_pending) {
            ++m_it;
            m_pending = false;
        }
    }

    od::array_iterator m_it, m_end;
    bool m_ok = false;
    bool m_pending = false;
};

bool nextInt(Elements& e, std::int64_t& out)
{
    od::value v;
    return e.next(v) && !v.get_int64().get(out);
}

bool nextUint(Elements& e, std::uint64_t& out)
{
    od::value v;
    return e.next(v) && !v.get_uint64().get(out);
}

bool nextString(Elements& e, std::string_view& out)
{
    od::value v;
    return e.next(v) && !v.get_string().get(out);
}

void appendFindings(std::string& out, const std::vector<Finding>& findings)
{
    out.push_back('[');
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const Finding& f = findings[i];
        if (i)
            out.push_back(',');
        out.push_back('[');
        appendNumber(out, static_cast<int>(f.severity));
        out.push_back(',');
        canonical::appendString(out, f.code);
        out.push_back(',');
        appendNumber(out, f.line);
        out.push_back(',');
        canonical::appendString(out, f.message);
        out.push_back(']');
    }
    out.push_back(']');
}

bool readFindings(od::value value, const std::string& path, std::vector<Finding>& out)
{
    Elements findings(value);
    od::value item;
    while (findings.next(item)) {
        Elements fields(item);
        Finding f;
        f.path = path;
        std::int64_t severity = 0;
        std::string_view code, message;
        if (!nextInt(fields, severity) || severity < 0 || severity > 2 || !nextString(fields, code)
            || !nextInt(fields, f.line) || !nextString(fields, message) || !fields.atEnd())
            return false;
        f.severity = static_cast<Finding::Severity>(severity);
        f.code = std::string(code);
        f.message = std::string(message);
        out.push_back(std::move(f));
    }
    return findings.atEnd();
}

bool readFile(od::value value, VerifyCache& cache)
{
    Elements fields(value);
    std::string_view path, stamp;
    VerifiedFile file;
    if (!nextString(fields, path) || !nextUint(fields, file.facts.size) || !nextInt(fields, file.facts.mtimeNs)
        || !nextInt(fields, file.facts.ctimeNs) || !nextUint(fields, file.facts.inode) || !nextString(fields, stamp))
        return false;
    if (std::from_chars(stamp.data(), stamp.data() + stamp.size(), file.facts.entryStamp, 16).ec != std::errc())
        return false;
    std::string key(path);
    od::value findings;
    if (!fields.next(findings) || !readFindings(findings, key, file.findings) || !fields.atEnd())
        return false;
    cache.files.emplace(std::move(key), std::move(file));
    return true;
}

bool readCache(const simdjson::padded_string& text, VerifyCache& cache)
{
    od::parser parser;
    od::document doc;
    od::object object;
    if (parser.iterate(text).get(doc) || doc.get_object().get(object))
        return false;
    std::int64_t layout = 0, version = 0;
    std::string_view program, root;
    // The fields in the order they are written.
    if (object["sigscope_verify_cache"].get_int64().get(layout) || layout != kCacheLayout
        || object["program"].get_string().get(program) || program != SIGSCOPE_VERSION
        || object["root"].get_string().get(root) || root != cache.root
        || object["format_version"].get_int64().get(version) || version != cache.formatVersion)
        return false;
    od::value files;
    if (object["files"].get(files))
        return false;
    Elements items(files);
    od::value item;
    while (items.next(item))
        if (!readFile(item, cache))
            return false;
    return items.atEnd();
}

} // namespace

bool fileFacts(const std::filesystem::path& path, FileFacts& out)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return false;
    out.size = static_cast<std::uint64_t>(st.st_size);
    out.mtimeNs = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    out.ctimeNs = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
    out.inode = static_cast<std::uint64_t>(st.st_ino);
    return true;
}

VerifyCache readVerifyCache(const std::filesystem::path& file, const std::string& root, int formatVersion)
{
    VerifyCache cache;
    cache.root = root;
    cache.formatVersion = formatVersion;
    std::error_code ec;
    if (file.empty() || !std::filesystem::is_regular_file(file, ec))
        return cache;
    try {
        const simdjson::padded_string text(readWholeFile(file));
        if (!readCache(text, cache))
            cache.files.clear();
    } catch (const StorageError&) {
        cache.files.clear(); // unreadable: verified again from the files
    }
    return cache;
}

void writeVerifyCache(const std::filesystem::path& file, const VerifyCache& cache)
{
    std::vector<const std::pair<const std::string, VerifiedFile>*> files;
    files.reserve(cache.files.size());
    for (const auto& item : cache.files)
        files.push_back(&item);
    std::sort(files.begin(), files.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
    std::string out = "{\"sigscope_verify_cache\": " + std::to_string(kCacheLayout) + ", \"program\": ";
    canonical::appendString(out, SIGSCOPE_VERSION);
    out += ", \"root\": ";
    canonical::appendString(out, cache.root);
    out += ", \"format_version\": " + std::to_string(cache.formatVersion) + ", \"files\": [";
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto& [path, verified] = *files[i];
        out += i ? ",\n" : "\n";
        out.push_back('[');
        canonical::appendString(out, path);
        const FileFacts& f = verified.facts;
        out += ',' + std::to_string(f.size) + ',' + std::to_string(f.mtimeNs) + ',' + std::to_string(f.ctimeNs) + ','
               + std::to_string(f.inode) + ",\"" + hex16(f.entryStamp) + "\",";
        appendFindings(out, verified.findings);
        out.push_back(']');
    }
    out += "]}\n";
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec)
        throw StorageError(file.parent_path(), "cannot create the cache folder: " + ec.message());
    replaceFile(file, out, false);
}

} // namespace sigscope::core::detail
