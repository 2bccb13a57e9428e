#include "core/storage/storageconvert.h"

#include "core/storage/indexio.h"
#include "core/storage/jsonsax.h"
#include "core/storage/parquetstorage.h"
#include "core/storage/parquetwriter.h"
#include "core/storage/traceio.h"
#include "core/storage/writer.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <map>
#include <string>

#include <unistd.h>

namespace sigscope::core {

namespace fs = std::filesystem;

namespace {

// market/*.csv of from, written atomically into to/market/.
std::size_t copyMarket(const fs::path& from, const fs::path& to)
{
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::directory_iterator it(from / "market", ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code fileEc;
        const std::string name = it->path().filename().string();
        if (!name.empty() && name.front() != '.' && it->path().extension() == ".csv" && it->is_regular_file(fileEc))
            files.push_back(it->path());
    }
    if (files.empty())
        return 0;
    std::sort(files.begin(), files.end());
    detail::checkFolderForWrite(to / "market", true);
    for (const auto& file : files) {
        const std::string content = detail::readWholeFile(file);
        std::error_code same;
        if (fs::exists(to / "market" / file.filename(), same) && detail::readWholeFile(to / "market" / file.filename()) == content)
            continue; // already there (a second copy of the same source)
        detail::replaceFile(to / "market" / file.filename(), content, false);
    }
    detail::syncFolder(to / "market");
    return files.size();
}

constexpr std::string_view kStagingPrefix = ".v1-staging.";

// The pid of a staging folder's name, or 0 for any other name.
pid_t stagingOwner(const std::string& name)
{
    if (!name.starts_with(kStagingPrefix))
        return 0;
    try {
        std::size_t used = 0;
        const long pid = std::stol(name.substr(kStagingPrefix.size()), &used);
        return used + kStagingPrefix.size() == name.size() && pid > 0 ? static_cast<pid_t>(pid) : 0;
    } catch (const std::exception&) {
        return 0;
    }
}

} // namespace

CopyResult copyStorage(const Storage& source, const fs::path& dest, StorageFormat format,
                       const ProgressCallback& progress, std::size_t batchChanges)
{
    CopyResult result;
    std::optional<StorageWriter> json;
    std::optional<ParquetStorageWriter> parquet;
    if (format == StorageFormat::Json)
        json.emplace(dest);
    else
        parquet.emplace(dest);
    const auto indexes = source.readAllIndexes(&result.findings);
    // A Parquet destination keeps what it holds already: a trace of the same identity and changes
    // is not written again (a second migration adds no part).
    std::map<std::string, std::string> present; // identity hash -> changes hash
    if (parquet && isParquetStorage(dest))
        for (const auto& index : listParquetStorage(dest).indexes)
            for (const auto& entry : index.entries)
                present[entry.fileHash] = entry.changesHash;
    Progress p;
    for (const auto& index : indexes)
        p.total += index.entries.size();
    std::vector<Trace> batch;
    std::size_t batchSize = 0;
    const auto flush = [&] {
        if (batch.empty())
            return;
        if (json) {
            json->writeBatch(batch);
            result.filesWritten += batch.size();
        } else {
            result.filesWritten += parquet->write(batch).files.size();
        }
        batch.clear();
        batchSize = 0;
    };
    for (const auto& index : indexes) {
        for (const auto& entry : index.entries) {
            if (progress) {
                p.current = entry.filePath;
                if (!progress(p)) {
                    flush();
                    result.cancelled = true;
                    return result;
                }
            }
            ++p.done;
            if (const auto it = present.find(entry.fileHash);
                it != present.end() && !entry.changesHash.empty() && it->second == entry.changesHash) {
                ++result.alreadyPresent;
                continue;
            }
            try {
                batch.push_back(loadTrace(source.absolutePath(entry)));
            } catch (const StorageError& e) {
                Finding f;
                f.code = "parse-error";
                f.path = entry.filePath;
                f.line = e.line();
                f.message = e.reason() + " (left out)";
                result.findings.push_back(std::move(f));
                continue;
            }
            if (const auto it = present.find(batch.back().identity.hashHex());
                it != present.end() && it->second == hex16(changesHash(batch.back()))) {
                batch.pop_back();
                ++result.alreadyPresent;
                continue;
            }
            if (batch.back().type.empty())
                batch.back().type = index.type;
            ++result.traces;
            result.changes += batch.back().size();
            batchSize += batch.back().size() + 1;
            if (batchSize >= batchChanges)
                flush();
        }
    }
    flush();
    result.marketFiles = copyMarket(source.root(), dest);
    if (progress)
        progress(p);
    return result;
}

fs::path makeStagingFolder(const fs::path& dest)
{
    ParquetStorageWriter check(dest); // refuses a destination that is not (or cannot become) version 2
    std::error_code ec;
    for (fs::directory_iterator it(dest, ec), end; !ec && it != end; it.increment(ec)) {
        const pid_t owner = stagingOwner(it->path().filename().string());
        std::error_code dirEc;
        if (owner != 0 && owner != ::getpid() && ::kill(owner, 0) != 0 && errno != EPERM && it->is_directory(dirEc)
            && !it->is_symlink(dirEc))
            fs::remove_all(it->path(), dirEc);
    }
    fs::path staging = dest / (std::string(kStagingPrefix) + std::to_string(::getpid()));
    fs::remove_all(staging, ec);
    return staging;
}

CopyResult moveStagingIntoParquet(const fs::path& staging, const fs::path& dest, const ProgressCallback& progress)
{
    CopyResult result;
    std::error_code ec;
    if (fs::exists(staging / "storage.json", ec))
        result = copyStorage(Storage::open(staging), dest, StorageFormat::Parquet, progress);
    fs::remove_all(staging, ec);
    return result;
}

} // namespace sigscope::core
