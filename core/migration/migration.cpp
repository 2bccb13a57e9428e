#include "core/migration/migration.h"

#include "core/migration/discovery.h"
#include "core/migration/gridnames.h"
#include "core/model/timestamp.h"
#include "core/storage/naming.h"
#include "core/storage/storage.h"
#include "core/storage/traceio.h"
#include "core/storage/writer.h"
#include "core/util/canonical.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace sigscope::core::migration {

namespace fs = std::filesystem;

std::string_view statusName(Status status)
{
    switch (status) {
    case Status::Migrated: return "migrated";
    case Status::Unchanged: return "unchanged";
    case Status::Duplicate: return "duplicate";
    case Status::Conflict: return "conflict";
    case Status::Unrecognised: return "unrecognised";
    case Status::Skipped: return "skipped";
    case Status::Failed: return "failed";
    case Status::Cancelled: return "cancelled";
    }
    return "failed";
}

int MigrationReport::exitCode() const
{
    if (cancelled)
        return 1;
    return totals.unrecognised + totals.failed > 0 ? 3 : 0;
}

std::optional<std::string> firstDifference(const Trace& expected, const Trace& actual)
{
    if (!(expected.identity == actual.identity))
        return "identity differs: " + actual.identity.canonicalJson();
    if (expected.size() != actual.size())
        return std::to_string(expected.size()) + " changes expected, " + std::to_string(actual.size()) + " read back";
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const std::string where = "change " + std::to_string(i + 1) + ": ";
        if (expected.bar(i) != actual.bar(i))
            return where + "idx " + std::to_string(expected.bar(i)) + " read back as " + std::to_string(actual.bar(i));
        if (expected.valueText(i) != actual.valueText(i))
            return where + "value " + expected.valueText(i) + " read back as " + actual.valueText(i);
        if (expected.timeText(i) != actual.timeText(i))
            return where + "time \"" + expected.timeText(i) + "\" read back as \"" + actual.timeText(i) + "\"";
        if (expected.price(i) != actual.price(i))
            return where + "price " + canonical::doubleText(expected.price(i)) + " read back as "
                + canonical::doubleText(actual.price(i));
        if (expected.confidence(i) != actual.confidence(i))
            return where + "confidence " + canonical::doubleText(expected.confidence(i)) + " read back as "
                + canonical::doubleText(actual.confidence(i));
    }
    return std::nullopt;
}

namespace {

// Written files above this size are read back streaming (see write()).
constexpr std::uintmax_t kStreamingReadBack = std::uintmax_t{4} << 20;

std::size_t approximateBytes(const ParsedSource& ps)
{
    std::size_t bytes = sizeof(ParsedSource);
    for (const Trace& t : ps.traces)
        bytes += sizeof(Trace) + t.memoryBytes();
    return bytes;
}

Status fileStatus(const FileOutcome& f)
{
    bool anyConflict = false, anyMigrated = false, anyUnchanged = false;
    for (const auto& t : f.traces) {
        if (t.status == Status::Failed)
            return Status::Failed;
        anyConflict |= t.status == Status::Conflict;
        anyMigrated |= t.status == Status::Migrated;
        anyUnchanged |= t.status == Status::Unchanged;
    }
    if (anyConflict)
        return Status::Conflict;
    if (anyMigrated)
        return Status::Migrated;
    return anyUnchanged ? Status::Unchanged : Status::Duplicate;
}

// What the storage holds at the files an identity may live in.
struct Existing
{
    enum class State : std::uint8_t { Absent, Same, Different } state = State::Absent;
    std::string filePath; // where the trace is or would go
    TraceMetadata stored; // for Same: the metadata on disk (created_at, source, ...)
};

Existing lookUp(const fs::path& root, const Trace& trace, std::uint64_t digest, const TraceIdentity& id, bool rootExists)
{
    Existing out;
    for (const bool longHash : {false, true}) {
        out.filePath = naming::relativePath(id, trace.type, longHash);
        if (!rootExists)
            return out;
        const fs::path file = root / out.filePath;
        std::error_code ec;
        if (!fs::exists(file, ec))
            return out;
        try {
            Trace stored = loadTrace(file);
            if (stored.identity == id) {
                out.state = traceDigest(stored) == digest ? Existing::State::Same : Existing::State::Different;
                out.stored = std::move(stored.metadata);
                return out;
            }
        } catch (const std::exception&) {
            // An unreadable file is never overwritten: the 16-digit name is tried instead.
        }
    }
    out.state = Existing::State::Different;
    return out;
}

struct Slot
{
    std::uint64_t fingerprint;
    std::int64_t variant;
    std::size_t file;
};

struct Pending
{
    std::size_t file;
    std::size_t traceIndex;
    Trace trace;
    bool unchanged; // already stored: passed to the writer only so that its index entry exists
    std::uint64_t digest;
};

struct Parked
{
    ParsedSource parsed;
    std::size_t bytes;
};

class Engine
{
public:
    Engine(const Discovery& discovery, fs::path root, const MigrationOptions& options, const GridParameters& grid,
           const ProgressCallback& progress)
        : m_files(discovery.files)
        , m_root(std::move(root))
        , m_options(options)
        , m_grid(grid)
        , m_progress(progress)
        , m_outcomes(m_files.size())
        , m_bytesTotal(discovery.bytes)
    {
        std::error_code ec;
        m_rootExists = fs::is_directory(m_root, ec);
        for (std::size_t i = 0; i < m_files.size(); ++i) {
            m_outcomes[i].path = m_files[i].displayPath;
            m_outcomes[i].bytes = m_files[i].size;
            m_outcomes[i].reason = "migration cancelled before this file";
        }
        if (!options.dryRun) {
            WriteOptions wo;
            wo.createdBy = options.createdBy;
            m_writer = std::make_unique<StorageWriter>(m_root, wo);
        }
    }

    void run()
    {
        unsigned jobs = m_options.jobs ? m_options.jobs : std::max(1u, std::thread::hardware_concurrency());
        jobs = static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(1, m_files.size())));
        std::vector<std::thread> threads;
        for (unsigned j = 1; j < jobs; ++j)
            threads.emplace_back([this] { work(); });
        work();
        for (auto& t : threads)
            t.join();
    }

    std::vector<FileOutcome> takeOutcomes() { return std::move(m_outcomes); }
    [[nodiscard]] bool cancelled() const { return m_cancel.load(); }

private:
    // Parses files in parallel; resolves them strictly in source order; writes in batches (one
    // index update per type folder and batch) and reports files once their traces are on disk.
    void work()
    {
        Batch batch;
        for (;;) {
            const std::size_t i = m_cancel.load() ? m_files.size() : m_next.fetch_add(1);
            if (i >= m_files.size())
                break;
            ParsedSource parsed;
            try {
                parsed = readLegacyFile(m_files[i]);
            } catch (const std::exception& e) {
                parsed = ParsedSource{};
                parsed.result = ParsedSource::Result::Failed;
                parsed.reason = e.what();
            }
            if (parsed.variant == Variant::L6)
                for (Trace& trace : parsed.traces)
                    m_grid.apply(m_files[i].path, trace.identity);
            reportRead(i, parsed.traces.size());
            {
                std::unique_lock lock(m_mutex);
                if (m_nextResolve != i) {
                    const std::size_t bytes = approximateBytes(parsed);
                    if (m_parked.empty() || m_parkedBytes + bytes <= m_options.parkingBytes) {
                        m_parkedBytes += bytes;
                        m_parked.emplace(i, Parked{std::move(parsed), bytes});
                        continue;
                    }
                    m_cv.wait(lock, [&] { return m_nextResolve == i; });
                }
                resolve(i, parsed, batch);
                ++m_nextResolve;
                for (auto it = m_parked.find(m_nextResolve); it != m_parked.end(); it = m_parked.find(m_nextResolve)) {
                    Parked p = std::move(it->second);
                    m_parked.erase(it);
                    m_parkedBytes -= p.bytes;
                    resolve(m_nextResolve, p.parsed, batch);
                    ++m_nextResolve;
                }
            }
            m_cv.notify_all();
            if (batch.full())
                flush(batch);
        }
        flush(batch);
    }

    struct Batch
    {
        std::vector<Pending> pending;
        std::vector<std::size_t> files;
        std::size_t changes = 0;
        std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

        [[nodiscard]] bool full() const
        {
            return pending.size() >= 1024 || changes >= (std::size_t{1} << 19)
                || std::chrono::steady_clock::now() - started > std::chrono::milliseconds(1000);
        }
    };

    void flush(Batch& batch)
    {
        write(batch.pending);
        for (std::size_t f : batch.files)
            finishFile(f);
        batch = Batch{};
    }

    // Decides each trace's outcome in source order (the caller holds m_mutex), so duplicates and
    // conflict variants come out the same however the threads ran, and a re-run after a kill
    // finds the same slots.
    void resolve(std::size_t fileIndex, ParsedSource& parsed, Batch& batch)
    {
        batch.files.push_back(fileIndex);
        std::vector<Pending>& pending = batch.pending;
        FileOutcome& out = m_outcomes[fileIndex];
        out.variant = parsed.variant;
        out.reason.clear();
        if (parsed.result != ParsedSource::Result::Ok) {
            out.status = parsed.result == ParsedSource::Result::Unrecognised ? Status::Unrecognised
                : parsed.result == ParsedSource::Result::Skipped                ? Status::Skipped
                                                                                : Status::Failed;
            out.reason = parsed.reason;
            return;
        }
        for (std::size_t k = 0; k < parsed.traces.size(); ++k) {
            Trace& trace = parsed.traces[k];
            TraceOutcome t;
            t.kind = trace.kind();
            t.name = trace.identity.name;
            t.symbol = trace.identity.symbol;
            t.timeframe = trace.identity.timeframe;
            t.run = trace.identity.run;
            t.type = trace.type;
            t.changes = trace.size();
            if (k < parsed.repeatsDropped.size())
                t.repeatsDropped = parsed.repeatsDropped[k];
            if (k < parsed.invalid.size() && !parsed.invalid[k].empty()) {
                // verify would reject it: never written, so that a clean run leaves a clean storage.
                t.status = Status::Failed;
                t.reason = std::move(parsed.invalid[k]);
                out.traces.push_back(std::move(t));
                continue;
            }
            trace.identity.variant.reset();
            const std::uint64_t fingerprint = parsed.digests[k];
            auto& slots = m_claims[trace.identity.canonicalJson()];
            for (std::int64_t v = 1;; ++v) {
                TraceIdentity id = trace.identity;
                if (v > 1)
                    id.variant = v;
                auto claimed = std::find_if(slots.begin(), slots.end(), [&](const Slot& s) { return s.variant == v; });
                if (claimed != slots.end()) {
                    if (claimed->fingerprint != fingerprint)
                        continue;
                    t.status = Status::Duplicate;
                    t.duplicateOf = m_outcomes[claimed->file].path;
                    t.filePath = naming::relativePath(id, trace.type);
                    if (v > 1)
                        t.variant = v;
                    break;
                }
                const Existing existing = lookUp(m_root, trace, fingerprint, id, m_rootExists);
                if (existing.state == Existing::State::Different)
                    continue;
                slots.push_back({fingerprint, v, fileIndex});
                t.filePath = existing.filePath;
                if (v > 1)
                    t.variant = v;
                trace.identity = id;
                if (existing.state == Existing::State::Same) {
                    // Written before (maybe by a killed run): the writer finds it identical and
                    // only makes sure its index entry exists.
                    t.status = Status::Unchanged;
                    trace.metadata = existing.stored;
                } else {
                    t.status = v > 1 ? Status::Conflict : Status::Migrated;
                    // Set here, not by the writer, which would copy the changes to add it.
                    trace.metadata.createdAt = m_createdAt;
                }
                break;
            }
            const bool unchanged = t.status == Status::Unchanged;
            const bool write = unchanged || t.status == Status::Migrated || t.status == Status::Conflict;
            out.traces.push_back(std::move(t));
            if (write) {
                batch.changes += trace.size();
                pending.push_back({fileIndex, k, std::move(trace), unchanged, fingerprint});
            }
        }
        out.status = fileStatus(out);
    }

    void failTrace(const Pending& p, std::string reason)
    {
        std::lock_guard lock(m_mutex);
        TraceOutcome& t = m_outcomes[p.file].traces[p.traceIndex];
        t.status = Status::Failed;
        t.reason = std::move(reason);
    }

    // Writes the traces, then reads every one back and compares it with what the source said.
    void write(std::vector<Pending>& pending)
    {
        if (pending.empty() || !m_writer)
            return;
        std::vector<Trace> traces;
        traces.reserve(pending.size());
        for (auto& p : pending)
            traces.push_back(std::move(p.trace));
        std::vector<std::optional<WriteResult>> results(traces.size());
        bool retried = false;
        try {
            auto batch = m_writer->writeBatch(traces);
            for (std::size_t i = 0; i < batch.size() && i < results.size(); ++i)
                results[i] = std::move(batch[i]);
        } catch (const std::exception&) {
            retried = true;
            // Find the trace that failed: one by one, each with its own reason.
            for (std::size_t i = 0; i < traces.size(); ++i) {
                try {
                    results[i] = m_writer->write(traces[i]);
                } catch (const StorageError& e) {
                    failTrace(pending[i], "write failed: " + e.reason());
                } catch (const std::exception& e) {
                    failTrace(pending[i], std::string("write failed: ") + e.what());
                }
            }
        }
        for (std::size_t i = 0; i < traces.size(); ++i) {
            if (!results[i])
                continue;
            {
                std::lock_guard lock(m_mutex);
                TraceOutcome& t = m_outcomes[pending[i].file].traces[pending[i].traceIndex];
                t.filePath = results[i]->filePath;
                // After a failed batch the writer finds the traces that batch committed (type folders
                // before the failing one) identical: they were written by this run all the same.
                if (results[i]->unchanged && t.status == Status::Migrated && !retried)
                    t.status = Status::Unchanged;
            }
            if (pending[i].unchanged && results[i]->unchanged)
                continue; // compared with the source when it was looked up
            try {
                // Large files are read back in chunks: memory stays at the trace, not its text.
                const fs::path file = m_root / results[i]->filePath;
                std::error_code ec;
                const auto size = fs::file_size(file, ec);
                const Trace back = !ec && size > kStreamingReadBack ? loadTraceStreaming(file) : loadTrace(file);
                // The digest compares with the source's own text; the trace comparison only words it.
                if (!(back.identity == traces[i].identity) || traceDigest(back) != pending[i].digest) {
                    if (auto diff = firstDifference(traces[i], back))
                        failTrace(pending[i], "read back differs: " + *diff);
                    else
                        failTrace(pending[i], "read back differs from the source in idx, value, time text, price or confidence");
                }
            } catch (const StorageError& e) {
                failTrace(pending[i], "read back failed: " + e.reason());
            } catch (const std::exception& e) {
                failTrace(pending[i], std::string("read back failed: ") + e.what());
            }
        }
    }

    void finishFile(std::size_t fileIndex)
    {
        std::lock_guard outcomeLock(m_mutex);
        FileOutcome& out = m_outcomes[fileIndex];
        if (!out.traces.empty())
            out.status = fileStatus(out);
        for (const auto& t : out.traces)
            if (t.status == Status::Failed && out.reason.empty())
                out.reason = t.name + ": " + t.reason;
    }

    // Called once a file is read: cancelling stops taking new files at once, while what was
    // already read is still written completely.
    void reportRead(std::size_t fileIndex, std::size_t traces)
    {
        std::lock_guard lock(m_progressMutex);
        ++m_filesDone;
        m_bytesDone += m_files[fileIndex].size;
        m_tracesDone += traces;
        if (!m_progress)
            return;
        Progress p;
        p.done = m_filesDone;
        p.total = m_files.size();
        p.bytesDone = m_bytesDone;
        p.bytesTotal = m_bytesTotal;
        p.itemsDone = m_tracesDone;
        p.current = m_files[fileIndex].displayPath;
        if (!m_progress(p))
            m_cancel = true;
    }

    const std::vector<SourceFile>& m_files;
    fs::path m_root;
    const MigrationOptions& m_options;
    const GridParameters& m_grid; // parameters of grid-named L6 traces (identity), from --config
    const ProgressCallback& m_progress;
    std::unique_ptr<StorageWriter> m_writer;
    std::vector<FileOutcome> m_outcomes;
    bool m_rootExists = false;
    std::string m_createdAt = formatUtcMicrosZ(nowUtcMicros()); // one time for the whole migration

    std::atomic<std::size_t> m_next{0};
    std::atomic<bool> m_cancel{false};

    std::mutex m_mutex; // resolution state and outcomes
    std::condition_variable m_cv;
    std::size_t m_nextResolve = 0;
    std::map<std::size_t, Parked> m_parked;
    std::size_t m_parkedBytes = 0;
    std::unordered_map<std::string, std::vector<Slot>> m_claims;

    std::mutex m_progressMutex;
    std::uint64_t m_filesDone = 0;
    std::uint64_t m_bytesDone = 0;
    std::uint64_t m_bytesTotal = 0;
    std::uint64_t m_tracesDone = 0;
};

void prepareDestination(const fs::path& root)
{
    std::error_code ec;
    if (fs::exists(root, ec) && !fs::is_directory(root, ec))
        throw MigrationError(root.string() + ": exists and is not a folder");
    fs::create_directories(root, ec);
    if (ec)
        throw MigrationError(root.string() + ": cannot create the folder: " + ec.message());
    if (::access(root.c_str(), W_OK | X_OK) != 0)
        throw MigrationError(root.string() + ": not writable: " + std::strerror(errno));
}

MigrationTotals computeTotals(const std::vector<FileOutcome>& files)
{
    MigrationTotals t;
    t.filesSeen = files.size();
    for (const auto& f : files) {
        t.bytes += f.bytes;
        switch (f.status) {
        case Status::Migrated: ++t.migrated; break;
        case Status::Unchanged: ++t.unchanged; break;
        case Status::Duplicate: ++t.duplicates; break;
        case Status::Conflict: ++t.conflicts; break;
        case Status::Unrecognised: ++t.unrecognised; break;
        case Status::Skipped: ++t.skipped; break;
        case Status::Failed: ++t.failed; break;
        case Status::Cancelled: ++t.cancelled; break;
        }
        for (const auto& tr : f.traces) {
            ++t.traces;
            t.changesRead += tr.changes + tr.repeatsDropped;
            t.changesNormalised += tr.repeatsDropped;
            switch (tr.status) {
            case Status::Migrated:
            case Status::Conflict:
                ++t.tracesWritten;
                t.changesWritten += tr.changes;
                break;
            case Status::Unchanged: t.changesUnchanged += tr.changes; break;
            case Status::Duplicate: t.changesDuplicate += tr.changes; break;
            default: t.changesFailed += tr.changes; break;
            }
        }
    }
    return t;
}

std::vector<GridConfig> readGridConfigs(const std::vector<fs::path>& files)
{
    std::vector<GridConfig> configs;
    for (const fs::path& file : files) {
        try {
            configs.push_back(readGridConfig(file));
        } catch (const GridConfigError& e) {
            throw MigrationError(e.what());
        }
    }
    return configs;
}

GridParameters gridParametersFor(std::vector<GridConfig> configs, const Discovery& discovery)
{
    std::vector<fs::path> files;
    files.reserve(discovery.files.size());
    for (const SourceFile& f : discovery.files)
        files.push_back(f.path);
    return {std::move(configs), files};
}

} // namespace

MigrationReport migrate(const std::vector<fs::path>& sources, const fs::path& destination,
                        const MigrationOptions& options, const ProgressCallback& progress)
{
    const auto started = std::chrono::steady_clock::now();
    MigrationReport report;
    report.destination = destination.generic_string();
    report.dryRun = options.dryRun;
    std::vector<GridConfig> configs = readGridConfigs(options.gridConfigs); // before anything is written
    std::vector<fs::path> staleTemporaries;
    if (!options.dryRun) {
        prepareDestination(destination);
        staleTemporaries = removeStaleTemporaries(destination); // left by a killed earlier run
    }
    Discovery discovery = discoverSources(sources, destination);
    report.notes = std::move(discovery.notes);
    const GridParameters grid = gridParametersFor(std::move(configs), discovery);
    report.notes.insert(report.notes.end(), grid.findings().begin(), grid.findings().end());
    for (const fs::path& path : staleTemporaries) {
        Finding n;
        n.severity = Finding::Severity::Info;
        n.code = "stale-temporary-removed";
        n.path = path.lexically_relative(destination).generic_string();
        n.message = "temporary file of an interrupted write, removed";
        report.notes.push_back(std::move(n));
    }
    std::vector<FileOutcome> outcomes;
    bool cancelled = false;
    try {
        Engine engine(discovery, destination, options, grid, progress);
        engine.run();
        cancelled = engine.cancelled();
        outcomes = engine.takeOutcomes();
    } catch (const StorageError& e) {
        throw MigrationError(e.what());
    }
    // Indexes of storage folders are caches of their data files (which are migrated): noted, not outcomes.
    for (auto& f : outcomes) {
        if (f.variant == Variant::Index) {
            Finding n;
            n.severity = Finding::Severity::Info;
            n.code = "index-skipped";
            n.path = f.path;
            n.message = "index of a storage folder; its data files are migrated and the index is rebuilt";
            report.notes.push_back(std::move(n));
        } else {
            report.files.push_back(std::move(f));
        }
    }
    report.cancelled = cancelled;
    report.totals = computeTotals(report.files);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return report;
}

std::string reportToJson(const MigrationReport& report)
{
    using Json = nlohmann::ordered_json;
    auto optional = [](const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); };
    Json root;
    root["destination"] = report.destination;
    root["dry_run"] = report.dryRun;
    root["cancelled"] = report.cancelled;
    const MigrationTotals& t = report.totals;
    root["totals"] = Json{{"files_seen", t.filesSeen},       {"migrated", t.migrated},
                          {"unchanged", t.unchanged},        {"duplicates", t.duplicates},
                          {"conflicts", t.conflicts},        {"unrecognised", t.unrecognised},
                          {"skipped", t.skipped},
                          {"failed", t.failed},              {"cancelled", t.cancelled},
                          {"traces", t.traces},              {"traces_written", t.tracesWritten},
                          {"changes_read", t.changesRead},   {"changes_written", t.changesWritten},
                          {"changes_duplicate", t.changesDuplicate}, {"changes_unchanged", t.changesUnchanged},
                          {"changes_failed", t.changesFailed}, {"changes_normalised", t.changesNormalised},
                          {"bytes", t.bytes},
                          {"seconds", report.seconds}};
    Json files = Json::array();
    for (const auto& f : report.files) {
        Json file;
        file["path"] = f.path;
        file["variant"] = std::string(variantName(f.variant));
        file["status"] = std::string(statusName(f.status));
        file["reason"] = f.reason;
        file["bytes"] = f.bytes;
        Json traces = Json::array();
        for (const auto& tr : f.traces) {
            Json j;
            j["kind"] = std::string(kindName(tr.kind));
            j["name"] = tr.name;
            j["symbol"] = optional(tr.symbol);
            j["run"] = optional(tr.run);
            j["file_path"] = tr.filePath;
            j["changes"] = tr.changes;
            j["status"] = std::string(statusName(tr.status));
            j["type"] = tr.type;
            j["timeframe"] = optional(tr.timeframe);
            j["variant"] = tr.variant ? Json(*tr.variant) : Json(nullptr);
            if (tr.repeatsDropped > 0)
                j["repeats_dropped"] = tr.repeatsDropped;
            if (!tr.reason.empty())
                j["reason"] = tr.reason;
            if (!tr.duplicateOf.empty())
                j["duplicate_of"] = tr.duplicateOf;
            traces.push_back(std::move(j));
        }
        file["traces"] = std::move(traces);
        files.push_back(std::move(file));
    }
    root["files"] = std::move(files);
    Json notes = Json::array();
    for (const auto& n : report.notes)
        notes.push_back(Json{{"severity", std::string(severityName(n.severity))}, {"code", n.code}, {"path", n.path},
                             {"message", n.message}});
    root["notes"] = std::move(notes);
    return root.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// ---- verify --against -----------------------------------------------------------------------

SourceCheck verifyAgainstSources(const fs::path& storageRoot, const std::vector<fs::path>& sources,
                                 const ProgressCallback& progress, const std::vector<fs::path>& gridConfigs)
{
    SourceCheck out;
    std::vector<GridConfig> configs = readGridConfigs(gridConfigs);
    Discovery discovery = discoverSources(sources, storageRoot);
    const GridParameters grid = gridParametersFor(std::move(configs), discovery);
    std::uint64_t bytesDone = 0;
    auto finding = [&](std::string code, const std::string& path, std::string message) {
        Finding f;
        f.severity = Finding::Severity::Error;
        f.code = std::move(code);
        f.path = path;
        f.message = std::move(message);
        out.findings.push_back(std::move(f));
    };
    for (const SourceFile& source : discovery.files) {
        ++out.sources;
        ParsedSource parsed = readLegacyFile(source);
        if (parsed.variant == Variant::L6)
            for (Trace& trace : parsed.traces)
                grid.apply(source.path, trace.identity);
        // An unrecognised file holds no legacy changes; a failed one may, and they cannot be checked.
        if (parsed.result == ParsedSource::Result::Failed)
            finding("source-unreadable", source.displayPath, parsed.reason);
        for (std::size_t k = 0; k < parsed.traces.size(); ++k) {
            Trace& trace = parsed.traces[k];
            ++out.traces;
            out.changes += trace.size();
            bool found = false;
            std::optional<Trace> closest;
            for (std::int64_t v = 1;; ++v) {
                TraceIdentity id = trace.identity;
                if (v > 1)
                    id.variant = v;
                const Existing e = lookUp(storageRoot, trace, parsed.digests[k], id, true);
                if (e.state == Existing::State::Same) {
                    found = true;
                    break;
                }
                if (e.state == Existing::State::Absent)
                    break;
                if (!closest) {
                    try {
                        closest = loadTrace(storageRoot / e.filePath);
                    } catch (const std::exception&) {
                    }
                }
            }
            if (found)
                continue;
            const std::string label = trace.identity.name + (trace.identity.symbol ? " " + *trace.identity.symbol : "")
                + (trace.identity.run ? " run " + *trace.identity.run : "");
            if (!closest) {
                finding("missing-trace", source.displayPath,
                        label + ": not in the storage (" + std::to_string(trace.size()) + " changes)");
                continue;
            }
            // Which of the source's changes the stored trace lacks.
            std::vector<std::string> stored;
            for (std::size_t i = 0; i < closest->size(); ++i)
                stored.push_back(std::to_string(closest->bar(i)) + '\t' + closest->valueText(i) + '\t'
                                 + closest->timeText(i) + '\t' + canonical::doubleText(closest->price(i)));
            std::sort(stored.begin(), stored.end());
            std::size_t missing = 0;
            std::size_t first = 0;
            for (std::size_t i = 0; i < trace.size(); ++i) {
                const std::string key = std::to_string(trace.bar(i)) + '\t' + trace.valueText(i) + '\t'
                    + trace.timeText(i) + '\t' + canonical::doubleText(trace.price(i));
                if (!std::binary_search(stored.begin(), stored.end(), key)) {
                    if (missing++ == 0)
                        first = i;
                }
            }
            if (missing == 0)
                missing = trace.size(), first = 0; // same changes but a different order or count
            finding("missing-change", source.displayPath,
                    label + ": " + std::to_string(missing) + " of " + std::to_string(trace.size())
                        + " changes not in the storage (first: change " + std::to_string(first + 1) + ", idx "
                        + std::to_string(trace.bar(first)) + ")");
        }
        bytesDone += source.size;
        if (progress) {
            Progress p;
            p.done = out.sources;
            p.total = discovery.files.size();
            p.bytesDone = bytesDone;
            p.bytesTotal = discovery.bytes;
            p.itemsDone = out.traces;
            p.current = source.displayPath;
            if (!progress(p)) {
                out.cancelled = true;
                break;
            }
        }
    }
    return out;
}

} // namespace sigscope::core::migration
