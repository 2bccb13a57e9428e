// SQL over a storage (issue 13 part 4): the time to build the tables (traces, changes, market)
// for the default demo storage and for the real 963-dump sweep migrated from the shared
// fixtures, and a count(*) over `changes` against the same count in plain DuckDB over the same
// rows already in a table of its own (CREATE TABLE AS, in the same database and run).
// SIGSCOPE_FIXTURES: the shared fixtures (default ../shared/fixtures); the sweep is left out
// when they are absent.
#include "bench/support/bench.h"
#include "core/migration/migration.h"
#include "core/sql/storageviews.h"

#include <cstdlib>

using namespace sigscope;
namespace fs = std::filesystem;

namespace {

void measure(const std::string& name, const fs::path& root)
{
    const core::Storage storage = core::Storage::open(root);
    core::sql::StorageViewsReport report;
    const double buildMs = bench::bestMs(3, [&] {
        core::sql::Database db;
        report = core::sql::createStorageViews(db, storage);
    });
    bench::note(name + ": " + std::to_string(report.traces) + " traces, " + std::to_string(report.changes)
                + " changes, " + std::to_string(report.marketRows) + " market rows");
    bench::figure("sql_views_" + name, buildMs, "ms");
    bench::figure("sql_views_" + name + "_per_change", buildMs * 1e6 / double(std::max<std::size_t>(1, report.changes)),
                  "ns");

    core::sql::Database db;
    core::sql::createStorageViews(db, storage);
    db.execute("CREATE TABLE plain AS SELECT * FROM changes");
    std::string ours;
    std::string plain;
    const double oursMs = bench::bestMs(20, [&] { ours = db.query("SELECT count(*) FROM changes").text(0, 0); });
    const double plainMs = bench::bestMs(20, [&] { plain = db.query("SELECT count(*) FROM plain").text(0, 0); });
    if (ours != plain || ours != std::to_string(report.changes))
        throw std::runtime_error("counts differ: " + ours + " / " + plain);
    bench::figure("sql_count_changes_" + name, oursMs, "ms");
    bench::figure("sql_count_plain_" + name, plainMs, "ms");
    bench::ratio("sql_count_changes_vs_plain_" + name, oursMs / plainMs);
    // The same over the view that joins every change with its trace.
    const double signalsMs = bench::bestMs(5, [&] { db.query("SELECT count(*) FROM signals"); });
    bench::figure("sql_count_signals_view_" + name, signalsMs, "ms");
}

} // namespace

int main(int argc, char** argv)
{
    const fs::path data = bench::dataDir(argc, argv);
    measure("demo", bench::demoStorage(data, "sql-demo", core::DemoOptions{}));
    const char* env = std::getenv("SIGSCOPE_FIXTURES");
    const fs::path fixtures = env ? fs::path(env) : fs::path(SIGSCOPE_SOURCE_DIR) / ".." / "shared" / "fixtures";
    const fs::path sweep = fixtures / "legacy-tmp" / "workspaces";
    if (!fs::exists(sweep)) {
        bench::note("shared fixtures absent (" + sweep.string() + "): the migrated sweep is left out");
        return 0;
    }
    const fs::path migrated = data / "sql-sweep";
    if (!fs::exists(migrated / "storage.json"))
        core::migration::migrate({sweep}, migrated);
    measure("sweep", migrated);
    return 0;
}
