#pragma once

// Internal to core/migration: the reader of the "changes" family, documents with a `metadata`
// object and a `changes` list: the sparse dumps L1 and L2 and the data files of a storage
// folder (L3). The detector (legacydetect.h) feeds it the events of those two members.

#include "core/migration/legacycommon.h"

#include <map>
#include <unordered_map>

namespace sigscope::core::migration::detail {

// One change as read, before it joins its trace.
struct ChangeRecord
{
    bool hasIdx = false;
    std::int64_t idx = 0;
    std::string ts;
    bool hasSym = false;
    std::string sym;
    bool hasStrat = false;
    std::string strat;
    enum class Val : std::uint8_t { None, Int, Text } val = Val::None;
    std::int64_t valInt = 0;
    std::string valText;
    double px = 0.0;
    bool hasTf = false;
    std::string tf;
    double confidence = 1.0;

    void reset()
    {
        hasIdx = hasSym = hasStrat = hasTf = false;
        idx = 0;
        ts.clear();
        val = Val::None;
        px = 0.0;
        confidence = 1.0;
    }
};

// The changes of one (symbol, strategy) pair.
struct Group
{
    bool hasSym = false;
    std::string sym;
    std::string strat;
    std::optional<std::string> tf;
    Trace trace;
    bool classifier = false;
    ChangeDigest digest;
    std::uint64_t repeats = 0; // changes dropped: same value as the one before
    std::string problem;       // the first change verify would reject: the trace fails
};

// The groups of a document in order of appearance.
class Groups
{
public:
    Group& find(bool hasSym, const std::string& sym, const std::string& strat);
    std::vector<Group>& all() { return m_groups; }
    std::size_t reserveHint = 0; // changes to reserve for the first group

private:
    std::vector<Group> m_groups;
    std::unordered_map<std::string, std::size_t> m_index;
    std::size_t m_last = static_cast<std::size_t>(-1);
};

struct StrategyParameters
{
    std::optional<std::string> type;
    std::optional<std::string> paramsJson;
};

// What the sparse reader keeps of a document: the changes grouped into traces and the few
// metadata fields the mapping needs.
struct SparseDocument
{
    bool hasChanges = false;
    bool hasRanges = false;
    bool strategiesList = false;

    std::optional<std::string> runId;
    std::int64_t totalBars = 0;
    std::optional<std::string> storageName; // strategy_name / classifier_name: a storage data file
    Kind storageKind = Kind::Signal;
    std::optional<std::string> storageType;
    std::optional<std::string> storageParams;
    std::optional<std::string> storageSymbol;
    std::optional<std::string> storageTimeframe;
    bool storageHasRun = false;
    std::optional<std::string> storageRun;
    std::int64_t formatVersion = 0;
    std::optional<std::string> containerId;
    std::vector<std::pair<std::string, std::string>> metaExtras;
    std::map<std::string, StrategyParameters> strategyParameters;

    Groups groups;
    std::uint64_t changeCount = 0;
    std::uint64_t firstChangeWithoutStrat = 0;

    // L3 when the metadata names the trace, L1 with ranges or a list of strategies, else L2.
    [[nodiscard]] Variant variant() const;
};

// Receives the events inside `metadata` and `changes`.
class SparseReader
{
public:
    SparseReader(Failure& failure, std::uint64_t inputSize)
        : m_failure(failure)
        , m_inputSize(inputSize)
    {
    }

    SparseDocument document;

    // A container opens as a member of the top-level object: `metadata` and `changes` are this
    // reader's (`next` is set), `ranges` is noted.
    Open topMember(const std::string& key, bool object, std::optional<Ctx>& next);
    // A container opens inside a frame of this reader; `next` is the frame to push.
    Open open(const Frame& frame, bool object, std::optional<Ctx>& next);
    bool scalar(const Frame& frame, const Scalar& v);
    bool close(Ctx ctx) { return ctx == Ctx::Change ? finishChange() : true; }
    // The text of the value open() asked to capture.
    void captured(std::string text);

private:
    enum class CaptureTarget : std::uint8_t { None, StorageParams, StrategyParams, MetaExtra };

    Open capture(CaptureTarget target, std::string key = {});
    bool failChange(std::string_view what);
    bool metadataField(const std::string& key, const Scalar& v);
    void captureScalar(const std::string& key, const Scalar& v);
    bool optionalText(Field field, const Scalar& v, std::string& out, bool* present);
    bool changeField(Field field, const Scalar& v);
    bool finishChange();
    bool keepChange(Group& g, const ChangeRecord& c);
    void appendChange(Group& g, const ChangeRecord& c);

    Failure& m_failure;
    std::uint64_t m_inputSize;
    CaptureTarget m_captureTarget = CaptureTarget::None;
    std::string m_captureKey;
    std::string m_strategyKey;
    ChangeRecord m_change;
};

// Maps an L1/L2 dump, or an L3 data file, to traces.
ParsedSource mapSparse(SparseDocument& doc, const SourceFile& source);

} // namespace sigscope::core::migration::detail
