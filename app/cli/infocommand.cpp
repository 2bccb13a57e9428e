// `sigscope info DIR`: format version, kinds, types, trace counts and totals, from the indexes,
// and the identical variants (core::variants).
#include "app/cli/command.h"

#include "core/analysis/variants.h"
#include "core/query/lanes.h"
#include "core/storage/storage.h"
#include "core/storage/traceio.h"

#include <QCommandLineParser>

#include <algorithm>
#include <memory>
#include <set>
#include <string>

namespace sigscope::cli {

namespace {

struct Totals
{
    std::int64_t traces = 0;
    std::int64_t changes = 0;
    std::int64_t bars = 0;
    void add(const Totals& other)
    {
        traces += other.traces;
        changes += other.changes;
        bars += other.bars;
    }
};

Totals totalsOf(const core::TypeIndex& index)
{
    Totals t;
    for (const auto& e : index.entries) {
        ++t.traces;
        t.changes += e.totalItems;
        // Upstream wrote the last change's index as total_bars (or 0): spec §5 takes the larger.
        t.bars += std::max(e.totalBars, e.lastIdx ? *e.lastIdx + 1 : 0);
    }
    return t;
}

QString totalsText(const Totals& t)
{
    return QStringLiteral("%1 traces, %2 changes, %3 bars").arg(t.traces).arg(t.changes).arg(t.bars);
}

// How many other members a group line names before "and N others".
constexpr std::size_t kNamedOthers = 3;

// "alpha = delta, epsilon and 33 others": the tree's names, with the symbol when the group spans several.
QString membersText(const core::variants::Group& group)
{
    const auto& members = group.members;
    const bool symbols = std::any_of(members.begin(), members.end(), [&](const core::IndexEntry* e) {
        return e->symbol != members.front()->symbol;
    });
    const auto name = [symbols](const core::IndexEntry* e) {
        QString text = QString::fromStdString(core::query::traceName(*e));
        if (symbols)
            text += QLatin1Char(' ') + QString::fromStdString(e->symbol.value_or(std::string()));
        return text;
    };
    QString text = name(members.front()) + QStringLiteral(" = ");
    const std::size_t named = std::min(members.size() - 1, kNamedOthers);
    for (std::size_t i = 1; i <= named; ++i)
        text += (i > 1 ? QStringLiteral(", ") : QString()) + name(members[i]);
    if (const std::size_t rest = members.size() - 1 - named)
        text += QStringLiteral(" and %1 other%2").arg(rest).arg(rest == 1 ? QString() : QStringLiteral("s"));
    return text;
}

// "identical variants: 2 groups, 5 traces" and one line per group, "  trend: 3 variants, one
// signal: alpha = delta, epsilon"; entries the index gives no changes hash are hashed from their files.
QString identicalText(const core::Storage& storage, const std::vector<core::TypeIndex>& indexes,
                      std::vector<core::Finding>& findings)
{
    std::vector<const core::IndexEntry*> entries;
    for (const auto& index : indexes)
        for (const auto& e : index.entries)
            entries.push_back(&e);
    auto result = core::variants::findGroups(entries, [&storage](const core::IndexEntry& e) {
        return std::make_shared<const core::Trace>(core::loadTrace(storage.absolutePath(e)));
    });
    findings.insert(findings.end(), result.findings.begin(), result.findings.end());
    std::size_t traces = 0;
    QString lines;
    for (const auto& g : result.groups) {
        traces += g.members.size();
        lines += QStringLiteral("  %1: %2: %3\n")
                     .arg(QString::fromStdString(g.members.front()->type),
                          QString::fromStdString(core::variants::groupTitle(g)), membersText(g));
    }
    QString head = QStringLiteral("identical variants: ");
    head += result.groups.empty() ? QStringLiteral("none")
                                  : QStringLiteral("%1 group%2, %3 traces")
                                        .arg(result.groups.size())
                                        .arg(result.groups.size() == 1 ? QString() : QStringLiteral("s"))
                                        .arg(traces);
    if (result.hashed)
        head += QStringLiteral(" (%1 hashed from their files: no changes hash in the index)").arg(result.hashed);
    return head + QLatin1Char('\n') + lines;
}

} // namespace

int runInfo(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Summarises a storage folder (version 1, an upstream version-0 folder, or a Parquet workspace of the "
        "Python system, L6) from its indexes: format version, kinds, type folders, trace counts, changes and bars; "
        "then the identical variants, traces of one type whose change lists are equal (found by the changes hash of "
        "the index, confirmed by comparing the changes; a trace whose index entry has no hash is hashed from its file)."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("The storage folder."));
    if (const auto code = parseCommandLine(parser, arguments, 1, 1))
        return *code;
    const QString dir = parser.positionalArguments().constFirst();

    try {
        const core::Storage storage = core::Storage::open(toPath(dir));
        std::vector<core::Finding> findings;
        const auto indexes = storage.readAllIndexes(&findings);

        QString out = QStringLiteral("storage: %1\n").arg(dir);
        if (storage.isWorkspace()) {
            std::set<std::string> runs;
            for (const auto& index : indexes)
                for (const auto& e : index.entries)
                    runs.insert(e.run.value_or(std::string()));
            out += QStringLiteral("format: L6, Parquet workspace of the Python system (read-only)\nruns: %1\n")
                       .arg(runs.size());
        } else {
            out += QStringLiteral("format version: %1\n").arg(storage.formatVersion());
        }
        Totals all;
        for (const core::Kind kind : {core::Kind::Signal, core::Kind::Classifier}) {
            Totals kindTotals;
            QString lines;
            for (const auto& index : indexes) {
                if (index.kind != kind)
                    continue;
                const Totals t = totalsOf(index);
                kindTotals.add(t);
                lines += QStringLiteral("  %1 %2\n").arg(QString::fromStdString(index.type), -24).arg(totalsText(t));
            }
            const auto folder = core::kindFolder(kind);
            out += QStringLiteral("%1: %2 types, %3\n")
                       .arg(QString::fromUtf8(folder.data(), qsizetype(folder.size())))
                       .arg(storage.types(kind).size())
                       .arg(totalsText(kindTotals))
                + lines;
            all.add(kindTotals);
        }
        out += QStringLiteral("total: %1\n").arg(totalsText(all));
        out += identicalText(storage, indexes, findings);
        return printWithNotes(out, findings);
    } catch (const std::exception& e) {
        printError(QString::fromUtf8(e.what()));
        return kExitFailure;
    }
}

} // namespace sigscope::cli
