#include "core/storage/verify.h"

#include "core/storage/index_io.h"
#include "core/storage/storage.h"
#include "core/storage/trace_io.h"

#include <cmath>
#include <map>
#include <set>

namespace sigscope::core {

namespace {

using Severity = Finding::Severity;

struct Reporter
{
    std::vector<Finding>& out;
    void add(Severity severity, const char* code, const std::string& path, std::string message, std::int64_t line = 0)
    {
        Finding f;
        f.severity = severity;
        f.code = code;
        f.path = path;
        f.line = line;
        f.message = std::move(message);
        out.push_back(std::move(f));
    }
};

bool isMd5Hash(const std::string& hash)
{
    return hash.size() == 8 && hash.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Checks one data file's content. upstream: the file was written by the Python implementation.
void checkTrace(const Trace& t, Kind folderKind, const std::string& rel, Reporter& r)
{
    const bool upstream = t.metadata.formatVersion == 0;
    if (t.kind() != folderKind)
        r.add(Severity::Error, "illegal-value", rel,
              "a " + std::string(kindName(t.kind())) + " trace in the " + std::string(kindFolder(folderKind)) + " folder");

    // Hash <-> identity, and the file name carries the hash.
    const std::string hash = t.identity.hashHex();
    if (upstream && (t.metadata.storedHash.empty() || isMd5Hash(t.metadata.storedHash))) {
        r.add(Severity::Info, "upstream-md5-hash", rel,
              "upstream file without an identity hash (the name carries an MD5-8 of the parameters)");
    } else {
        if (t.metadata.storedHash != hash)
            r.add(Severity::Error, "hash-mismatch", rel,
                  "file_hash " + t.metadata.storedHash + " is not the identity hash " + hash);
        const std::string name = std::filesystem::path(rel).filename().string();
        if (!name.ends_with("_" + hash.substr(0, 8) + ".json") && !name.ends_with("_" + hash + ".json"))
            r.add(Severity::Error, "hash-mismatch", rel, "file name does not end with the identity hash " + hash.substr(0, 8));
    }

    bool reportedOrder = false, reportedRepeat = false, reportedIllegal = false;
    auto illegal = [&](std::size_t i, const std::string& what) {
        if (!reportedIllegal)
            r.add(Severity::Error, "illegal-value", rel, "change " + std::to_string(i + 1) + ": " + what);
        reportedIllegal = true;
    };
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t.bar(i) < 0)
            illegal(i, "idx " + std::to_string(t.bar(i)) + " is negative");
        if (!std::isfinite(t.price(i)) || t.price(i) < 0.0)
            illegal(i, "px is negative or not finite");
        if (t.kind() == Kind::Classifier) {
            const double c = t.confidence(i);
            if (!(c >= 0.0 && c <= 1.0))
                illegal(i, "confidence " + std::to_string(c) + " outside [0, 1]");
            if (t.regimeName(i).empty())
                illegal(i, "empty regime");
        }
        if (i == 0)
            continue;
        if (t.bar(i) < t.bar(i - 1) && !reportedOrder) {
            r.add(Severity::Error, "non-monotonic", rel,
                  "change " + std::to_string(i + 1) + ": idx " + std::to_string(t.bar(i)) + " after "
                      + std::to_string(t.bar(i - 1)));
            reportedOrder = true;
        }
        if (t.value(i) == t.value(i - 1) && !reportedRepeat) {
            r.add(Severity::Warning, "repeated-value", rel,
                  "change " + std::to_string(i + 1) + " repeats the value " + t.valueText(i));
            reportedRepeat = true;
        }
    }
    if (upstream && t.metadata.totalBars < t.effectiveTotalBars())
        r.add(Severity::Info, "upstream-total-bars", rel,
              "total_bars " + std::to_string(t.metadata.totalBars) + " is below the last idx + 1 (upstream quirk)");
    else if (!upstream && t.metadata.totalBars < t.effectiveTotalBars())
        r.add(Severity::Warning, "illegal-value", rel,
              "total_bars " + std::to_string(t.metadata.totalBars) + " is below the last idx + 1");
}

} // namespace

bool VerifyResult::clean() const
{
    for (const auto& f : findings)
        if (f.severity != Severity::Info)
            return false;
    return true;
}

VerifyResult verifyStorage(const std::filesystem::path& root, const ProgressCallback& progress)
{
    VerifyResult result;
    Reporter r{result.findings};
    std::optional<Storage> storage;
    try {
        storage = Storage::open(root);
    } catch (const StorageError& e) {
        r.add(Severity::Error, "index-error", e.path().filename() == "storage.json" ? "storage.json" : std::string(),
              e.reason(), e.line());
        return result;
    }

    Progress p;
    const auto folders = detail::listDataFolders(*storage, &p.total);

    for (const auto& folder : folders) {
        const std::string rel = std::string(kindFolder(folder.kind)) + "/" + folder.type;
        const TypeIndex index = storage->readIndex(folder.kind, folder.type, &result.findings);
        std::map<std::string, const IndexEntry*> byPath;
        for (const auto& e : index.entries) {
            ++result.entriesChecked;
            byPath.emplace(e.filePath, &e);
            std::error_code ec;
            if (!std::filesystem::is_regular_file(storage->absolutePath(e), ec))
                r.add(Severity::Error, "missing-file", e.filePath,
                      "listed in " + rel + "/index.json but the file does not exist");
        }
        for (const auto& name : folder.files) {
            const std::string fileRel = rel + "/" + name;
            if (progress) {
                p.current = fileRel;
                if (!progress(p)) {
                    result.cancelled = true;
                    return result;
                }
            }
            ++p.done;
            ++result.filesChecked;
            const auto entryIt = byPath.find(fileRel);
            if (entryIt == byPath.end())
                r.add(Severity::Warning, "orphan-file", fileRel, "not listed in " + rel + "/index.json");
            Trace trace;
            try {
                trace = loadTrace(root / fileRel);
            } catch (const StorageError& e) {
                r.add(Severity::Error, "parse-error", fileRel, e.reason(), e.line());
                continue;
            }
            checkTrace(trace, folder.kind, fileRel, r);
            if (entryIt == byPath.end())
                continue;
            // The index is a cache of the file: say where they disagree.
            const IndexEntry& e = *entryIt->second;
            const bool upstreamFile = trace.metadata.formatVersion == 0;
            if (!e.fileHash.empty() && !trace.metadata.storedHash.empty() && e.fileHash != trace.metadata.storedHash)
                r.add(Severity::Error, "hash-mismatch", fileRel,
                      "index says file_hash " + e.fileHash + ", the file says " + trace.metadata.storedHash);
            if (e.name != trace.identity.name)
                r.add(Severity::Warning, "index-error", fileRel,
                      "index says name " + e.name + ", the file says " + trace.identity.name);
            if (e.totalItems != static_cast<std::int64_t>(trace.size()))
                r.add(Severity::Warning, "index-error", fileRel,
                      "index says " + std::to_string(e.totalItems) + " changes, the file holds "
                          + std::to_string(trace.size()));
            if (!upstreamFile && !(e.identity() == trace.identity) && e.name == trace.identity.name)
                r.add(Severity::Warning, "index-error", fileRel, "index entry identity differs from the file's");
        }
    }
    if (progress)
        progress(p);
    return result;
}

} // namespace sigscope::core
