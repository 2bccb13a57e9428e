#include "ui/session/storagesession.h"

#include "core/storage/storage.h"
#include "core/storage/traceio.h"
#include "core/storage/verify.h"
#include "ui/charts/pricedata.h"
#include "ui/jobs/jobmonitor.h"
#include "ui/jobs/jobrunner.h"
#include "ui/models/storagesnapshot.h"
#include "ui/models/storagetreemodel.h"
#include "ui/session/varianthashes.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QStandardPaths>


namespace sigscope::ui {

namespace {

// The index facts a loaded trace depends on: when they change, the cached copy is stale.
QString stampOf(const core::IndexEntry& entry)
{
    return QString::fromStdString(entry.fileHash + '|' + entry.createdAt + '|' + std::to_string(entry.totalItems) + '|'
                                  + std::to_string(entry.totalBars));
}

core::Finding failure(const char* code, const QString& path, const QString& message)
{
    return {core::Finding::Severity::Error, code, path.toStdString(), 0, message.toStdString()};
}

// What the last verification on open found, per storage folder (core::verifyChanged): in the
// user's cache folder, named by a hash of the folder's path.
std::filesystem::path verifyCacheFile(const QString& root)
{
    const QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    if (cache.isEmpty())
        return {};
    const std::string name = core::hex16(core::xxh3(root.toStdString())) + ".json";
    return std::filesystem::path(cache.toStdString()) / "verify" / name;
}

// How long a verification after a read waits for the tree's paint at most.
constexpr int kPaintWaitMs = 1000;

// Keeps memory bounded: past this many changes, traces not in the current request are dropped.
constexpr std::size_t kCacheChangeBudget = 40'000'000;

} // namespace

StorageSession::StorageSession(QObject* parent)
    : QObject(parent)
    , m_model(new StorageTreeModel(this))
    , m_jobs(new JobMonitor(this))
    , m_indexJob(new JobRunner(tr("Reading indexes"), this))
    , m_verifyJob(new JobRunner(tr("Verifying"), this))
    , m_traceJob(new JobRunner(tr("Loading traces"), this))
    , m_statsJob(new JobRunner(tr("Statistics"), this))
    , m_priceJob(new JobRunner(tr("Market data"), this))
    , m_hashJob(new JobRunner(tr("Hashing changes"), this))
    , m_watcher(new QFileSystemWatcher(this))
{
    for (JobRunner* runner : {m_indexJob, m_verifyJob, m_traceJob, m_statsJob, m_priceJob, m_hashJob})
        m_jobs->addRunner(runner);
    connect(m_model, &StorageTreeModel::groupVariantsChanged, this, &StorageSession::hashUnhashedEntries);
    // A sweep writes many files in a burst: re-read once it pauses.
    m_reloadDelay.setSingleShot(true);
    m_reloadDelay.setInterval(300);
    connect(&m_reloadDelay, &QTimer::timeout, this, [this]() {
        if (isOpen())
            reload();
    });
    m_paintWait.setSingleShot(true);
    m_paintWait.setInterval(kPaintWaitMs);
    connect(&m_paintWait, &QTimer::timeout, this, &StorageSession::verifySnapshot);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, [this]() { m_reloadDelay.start(); });
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, [this]() { m_reloadDelay.start(); });
}

StorageSession::~StorageSession() = default;

std::shared_ptr<const StorageSnapshot> StorageSession::snapshot() const
{
    return m_model->snapshot();
}

void StorageSession::setWatching(bool enabled)
{
    m_watching = enabled;
    rewatch();
}

void StorageSession::open(const QString& dir)
{
    m_root = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
    m_cache.clear();
    m_verifyFindings.clear();
    m_paintWait.stop();
    m_verifyJob->cancel();
    m_traceJob->cancel();
    readSnapshot(true);
}

void StorageSession::reload()
{
    if (isOpen())
        readSnapshot(false);
}

void StorageSession::close()
{
    m_jobs->cancelAll();
    m_paintWait.stop();
    m_root.clear();
    m_cache.clear();
    m_verifyFindings.clear();
    m_model->clear();
    rewatch();
    Q_EMIT closed();
}

void StorageSession::readSnapshot(bool fresh)
{
    const std::filesystem::path root = m_root.toStdString();
    const QString rootText = m_root;
    m_indexJob->run(
        fresh ? tr("Opening %1").arg(QDir::toNativeSeparators(rootText)) : tr("Re-reading indexes"),
        [root](const core::ProgressCallback& progress) {
            StorageSnapshot snapshot = readStorageSnapshot(root, progress);
            return snapshot;
        },
        this,
        [this, fresh, rootText](const std::shared_ptr<const StorageSnapshot>& snapshot) {
            if (rootText != m_root)
                return;
            applySnapshot(snapshot, fresh);
        },
        [this, fresh, rootText](const QString& error) {
            if (fresh) {
                m_root.clear();
                m_model->clear();
                rewatch();
            }
            Q_EMIT openFailed(rootText, error);
        });
}

void StorageSession::applySnapshot(std::shared_ptr<const StorageSnapshot> snapshot, bool fresh)
{
    // Drop cached traces whose index facts changed (a sweep rewrote them); an index of 100,000
    // traces is not turned into stamps for an empty cache (a fresh open).
    if (!m_cache.isEmpty()) {
        QHash<QString, QString> stamps;
        for (const auto& index : snapshot->indexes) {
            for (const auto& entry : index.entries)
                stamps.insert(QString::fromStdString(entry.filePath), stampOf(entry));
        }
        for (auto it = m_cache.begin(); it != m_cache.end();) {
            if (stamps.value(it.key()) != it->stamp)
                it = m_cache.erase(it);
            else
                ++it;
        }
    }
    m_model->setSnapshot(std::move(snapshot));
    updateFindings();
    rewatch();
    hashUnhashedEntries();
    if (fresh)
        Q_EMIT opened(m_root);
    else
        Q_EMIT reloaded();
    if (!m_verifyAfterRead)
        return;
    if (m_verifyWaitsForPaint)
        m_paintWait.start(); // treePainted() starts it sooner
    else
        verifySnapshot();
}

void StorageSession::treePainted()
{
    if (m_paintWait.isActive()) {
        m_paintWait.stop();
        verifySnapshot();
    }
}

void StorageSession::verify()
{
    if (!isOpen())
        return;
    m_paintWait.stop();
    const std::filesystem::path root = m_root.toStdString();
    runVerification([root](const core::ProgressCallback& progress) { return core::verifyStorage(root, progress); });
}

void StorageSession::verifySnapshot()
{
    const auto snapshot = m_model->snapshot();
    if (!isOpen() || !snapshot)
        return;
    const std::filesystem::path root = m_root.toStdString();
    runVerification([root, snapshot, cache = verifyCacheFile(m_root)](const core::ProgressCallback& progress) {
        return core::verifyChanged(root, snapshot->indexes, cache, progress);
    });
}

void StorageSession::runVerification(std::function<core::VerifyResult(const core::ProgressCallback&)> work)
{
    m_verifyJob->run(
        tr("Verifying"), std::move(work), this,
        [this, rootText = m_root](const std::shared_ptr<const core::VerifyResult>& result) {
            if (rootText == m_root)
                finishVerification(result);
        },
        [this](const QString& error) {
            Q_EMIT loadFailed({failure("verify-failed", QString(), tr("Verification failed: %1").arg(error))});
        });
}

void StorageSession::finishVerification(const std::shared_ptr<const core::VerifyResult>& result)
{
    if (result->cancelled)
        return;
    if (!result->cacheError.empty()) // the findings stand; the next open reads every file again
        qWarning("%s", result->cacheError.c_str());
    m_verifyFindings = result->findings;
    updateFindings();
    int problems = 0;
    for (const auto& finding : result->findings) {
        if (finding.severity != core::Finding::Severity::Info)
            ++problems;
    }
    Q_EMIT verified(problems);
}

void StorageSession::hashUnhashedEntries()
{
    const auto snapshot = m_model->snapshot();
    if (!m_model->groupsVariants() || !snapshot || !ui::hasUnhashedEntries(*snapshot, m_model->computedHashes()))
        return;
    const QString rootText = m_root;
    m_hashJob->run(
        tr("Hashing changes"),
        [snapshot, known = m_model->computedHashes()](const core::ProgressCallback& progress) {
            return ui::hashUnhashedEntries(*snapshot, known, progress);
        },
        this, [this, rootText](const std::shared_ptr<const ComputedHashes>& hashes) {
            if (rootText == m_root)
                m_model->setComputedHashes(*hashes);
        });
}

void StorageSession::updateFindings()
{
    std::vector<core::Finding> findings = m_verifyFindings;
    if (const auto current = m_model->snapshot())
        findings.insert(findings.end(), current->findings.begin(), current->findings.end());
    m_model->setFindings(std::move(findings));
}

void StorageSession::rewatch()
{
    const QStringList watched = m_watcher->files() + m_watcher->directories();
    if (!watched.isEmpty())
        m_watcher->removePaths(watched);
    const auto current = m_model->snapshot();
    if (!m_watching || !isOpen() || !current)
        return;
    QStringList paths;
    for (const auto& path : current->watchedPaths()) {
        const QString text = QString::fromStdString(path.string());
        if (QFileInfo::exists(text))
            paths << text;
    }
    if (!paths.isEmpty())
        m_watcher->addPaths(paths);
}

std::shared_ptr<const core::Trace> StorageSession::cachedTrace(const QString& path) const
{
    const auto it = m_cache.constFind(path);
    return it == m_cache.cend() ? nullptr : it->trace;
}

void StorageSession::cancelTraceLoading()
{
    m_traceJob->cancel();
}

void StorageSession::loadTraces(const QStringList& paths, LoadedTraces::Purpose purpose)
{
    if (!isOpen())
        return;
    // The job gets what is cached already, so it only reads the missing files.
    std::vector<std::shared_ptr<const core::Trace>> known;
    known.reserve(static_cast<std::size_t>(paths.size()));
    QStringList stamps;
    const auto current = m_model->snapshot();
    for (const QString& path : paths) {
        known.push_back(cachedTrace(path));
        const QModelIndex index = m_model->indexForPath(path);
        const core::IndexEntry* entry = m_model->entry(index);
        stamps << (entry ? stampOf(*entry) : QString());
    }
    const std::filesystem::path root = m_root.toStdString();
    const QString rootText = m_root;
    const QString label = paths.size() == 1 ? tr("Loading %1").arg(paths.front()) : tr("Loading %n trace(s)", nullptr, int(paths.size()));
    m_traceJob->run(
        label,
        [root, paths, known = std::move(known), purpose](const core::ProgressCallback& progress) {
            LoadedTraces result;
            result.purpose = purpose;
            const auto total = static_cast<std::uint64_t>(paths.size());
            for (qsizetype i = 0; i < paths.size(); ++i) {
                core::Progress p;
                p.done = static_cast<std::uint64_t>(i);
                p.total = total;
                p.current = paths[i].toStdString();
                if (!progress(p)) {
                    result.cancelled = true;
                    break;
                }
                auto trace = known[static_cast<std::size_t>(i)];
                if (!trace) {
                    try {
                        trace = std::make_shared<const core::Trace>(core::loadTrace(root / paths[i].toStdString()));
                    } catch (const core::StorageError& e) {
                        result.failures.push_back(
                            {core::Finding::Severity::Error, "load-failed", paths[i].toStdString(), e.line(), e.reason()});
                        continue;
                    } catch (const std::exception& e) {
                        result.failures.push_back(failure("load-failed", paths[i], QString::fromUtf8(e.what())));
                        continue;
                    }
                }
                result.paths << paths[i];
                result.traces.push_back(std::move(trace));
            }
            return result;
        },
        this,
        [this, rootText, stamps, paths](const std::shared_ptr<const LoadedTraces>& result) {
            if (rootText != m_root || result->cancelled)
                return;
            std::size_t changes = 0;
            for (const auto& cached : std::as_const(m_cache))
                changes += cached.trace->size();
            if (changes > kCacheChangeBudget)
                m_cache.clear();
            for (qsizetype i = 0; i < result->paths.size(); ++i) {
                const qsizetype asked = paths.indexOf(result->paths[i]);
                m_cache.insert(result->paths[i], Cached{result->traces[static_cast<std::size_t>(i)], stamps.value(asked)});
            }
            Q_EMIT tracesLoaded(*result);
            if (!result->failures.empty())
                Q_EMIT loadFailed(result->failures);
        },
        [this](const QString& error) { Q_EMIT loadFailed({failure("load-failed", QString(), error)}); });
}

void StorageSession::computeStats(const QString& path, std::shared_ptr<const core::Trace> trace,
                                  std::vector<std::pair<QString, std::shared_ptr<const core::Trace>>> others)
{
    struct Facts
    {
        core::stats::TraceStats stats;
        AgreementRows agreements;
    };
    m_statsJob->run(
        tr("Statistics of %1").arg(path),
        [trace = std::move(trace), others = std::move(others)](const core::ProgressCallback& progress) {
            Facts facts{core::stats::compute(*trace), {}};
            if (trace->kind() != core::Kind::Signal)
                return facts;
            for (std::size_t i = 0; i < others.size(); ++i) {
                const auto& [label, other] = others[i];
                core::Progress p;
                p.done = i;
                p.total = others.size();
                if (!progress(p))
                    break;
                if (other && other != trace && other->kind() == core::Kind::Signal)
                    facts.agreements.emplace_back(label, core::stats::agreement(*trace, *other));
            }
            return facts;
        },
        this,
        [this, path](const std::shared_ptr<const Facts>& facts) {
            // Views into the one result: nothing is copied.
            Q_EMIT statsReady(path, std::shared_ptr<const core::stats::TraceStats>(facts, &facts->stats));
            Q_EMIT agreementsReady(path, std::shared_ptr<const AgreementRows>(facts, &facts->agreements));
        });
}

void StorageSession::loadPrice(const QString& csvPath)
{
    m_priceJob->run(
        tr("Reading %1").arg(QFileInfo(csvPath).fileName()),
        [csvPath](const core::ProgressCallback&) { return loadPriceSeries(csvPath); },
        this,
        [this, csvPath](const std::shared_ptr<const PriceLoadResult>& result) {
            if (result->series)
                Q_EMIT priceLoaded(csvPath, result->series);
            else
                Q_EMIT priceFailed(csvPath, result->error);
        },
        [this, csvPath](const QString& error) { Q_EMIT priceFailed(csvPath, error); });
}

void StorageSession::loadPrices(const QStringList& csvPaths)
{
    using Results = std::vector<PriceLoadResult>;
    m_priceJob->run(
        tr("Reading %n market file(s)", nullptr, int(csvPaths.size())),
        [csvPaths](const core::ProgressCallback&) {
            Results results;
            for (const QString& path : csvPaths)
                results.push_back(loadPriceSeries(path));
            return results;
        },
        this,
        [this, csvPaths](const std::shared_ptr<const Results>& results) {
            std::vector<std::shared_ptr<const core::PriceSeries>> prices;
            for (std::size_t i = 0; i < results->size(); ++i) {
                const PriceLoadResult& result = (*results)[i];
                prices.push_back(result.series);
                if (!result.series)
                    Q_EMIT priceFailed(csvPaths[qsizetype(i)], result.error);
            }
            Q_EMIT pricesLoaded(csvPaths, prices);
        },
        [this, csvPaths](const QString& error) { Q_EMIT priceFailed(csvPaths.join(QStringLiteral(", ")), error); });
}

} // namespace sigscope::ui
