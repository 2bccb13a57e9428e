#include "core/migration/legacysparse.h"

#include "core/storage/naming.h"
#include "core/util/canonical.h"

#include <algorithm>
#include <limits>

namespace sigscope::core::migration::detail {

namespace {

void makeClassifier(Group& g)
{
    if (g.classifier)
        return;
    Trace converted;
    converted.identity.kind = Kind::Classifier;
    converted.reserve(g.trace.size());
    for (std::size_t i = 0; i < g.trace.size(); ++i)
        converted.appendRegime(g.trace.bar(i), g.trace.timeText(i), g.trace.valueText(i), 1.0, g.trace.price(i));
    g.trace = std::move(converted);
    g.classifier = true;
}

} // namespace

Group& Groups::find(bool hasSym, const std::string& sym, const std::string& strat)
{
    if (m_last < m_groups.size()) {
        Group& g = m_groups[m_last];
        if (g.hasSym == hasSym && g.sym == sym && g.strat == strat)
            return g;
    }
    std::string key;
    key.reserve(sym.size() + strat.size() + 2);
    key += hasSym ? '1' : '0';
    key += sym;
    key += '\x1f';
    key += strat;
    auto [it, inserted] = m_index.try_emplace(std::move(key), m_groups.size());
    if (inserted) {
        Group g;
        g.hasSym = hasSym;
        g.sym = sym;
        g.strat = strat;
        // Most dumps hold one strategy: its columns are reserved for the count the metadata
        // announced (no growth, no copies); a second group gives the first its spare room back.
        if (m_groups.empty() && reserveHint > 0)
            g.trace.reserve(reserveHint);
        else if (m_groups.size() == 1 && reserveHint > 0)
            m_groups.front().trace.shrinkToFit();
        m_groups.push_back(std::move(g));
    }
    m_last = it->second;
    return m_groups[m_last];
}

Variant SparseDocument::variant() const
{
    if (storageName)
        return Variant::L3;
    return hasRanges || strategiesList ? Variant::L1 : Variant::L2;
}

Open SparseReader::topMember(const std::string& key, bool object, std::optional<Ctx>& next)
{
    if (object && key == "metadata") {
        next = Ctx::Metadata;
        return Open::Skip;
    }
    if (key == "changes") {
        if (object) {
            m_failure.fail("changes is an object, not a list");
            return Open::Stop;
        }
        document.hasChanges = true;
        next = Ctx::Changes;
        return Open::Skip;
    }
    if (key == "ranges")
        document.hasRanges = true;
    return Open::Skip;
}

Open SparseReader::open(const Frame& f, bool object, std::optional<Ctx>& next)
{
    switch (f.ctx) {
    case Ctx::Metadata:
        if (f.key == "strategy_parameters" && object) {
            next = Ctx::StratParams;
            return Open::Skip;
        }
        if (f.key == "parameters")
            return capture(CaptureTarget::StorageParams);
        if (f.key == "strategies") {
            document.strategiesList = !object;
            return Open::Skip;
        }
        if (f.key == "signal_statistics" || f.key == "source")
            return Open::Skip;
        return capture(CaptureTarget::MetaExtra, f.key);
    case Ctx::StratParams:
        if (object) {
            next = Ctx::StratParamEntry;
            m_strategyKey = f.key;
            document.strategyParameters[m_strategyKey];
        }
        return Open::Skip;
    case Ctx::StratParamEntry:
        if (f.key == "params" && object)
            return capture(CaptureTarget::StrategyParams, m_strategyKey);
        return Open::Skip;
    case Ctx::Changes:
        ++document.changeCount;
        if (!object) {
            failChange("is a list, not an object");
            return Open::Stop;
        }
        m_change.reset();
        next = Ctx::Change;
        return Open::Skip;
    case Ctx::Change:
        if (f.field != Field::Other) {
            failChange(fieldName(f.field) + (object ? " is an object" : " is a list"));
            return Open::Stop;
        }
        return Open::Skip;
    default: return Open::Skip;
    }
}

bool SparseReader::scalar(const Frame& f, const Scalar& v)
{
    switch (f.ctx) {
    case Ctx::Change: return changeField(f.field, v);
    case Ctx::Metadata: return metadataField(f.key, v);
    case Ctx::StratParamEntry:
        if (f.key == "type" && v.type == Scalar::Type::String)
            document.strategyParameters[m_strategyKey].type = *v.s;
        return true;
    case Ctx::Changes:
        ++document.changeCount;
        return failChange("is not an object");
    default: return true;
    }
}

Open SparseReader::capture(CaptureTarget target, std::string key)
{
    m_captureTarget = target;
    m_captureKey = std::move(key);
    return Open::Capture;
}

void SparseReader::captured(std::string text)
{
    switch (m_captureTarget) {
    case CaptureTarget::StorageParams: document.storageParams = std::move(text); break;
    case CaptureTarget::StrategyParams: document.strategyParameters[m_captureKey].paramsJson = std::move(text); break;
    case CaptureTarget::MetaExtra: document.metaExtras.emplace_back(m_captureKey, std::move(text)); break;
    case CaptureTarget::None: break;
    }
    m_captureTarget = CaptureTarget::None;
}

bool SparseReader::failChange(std::string_view what)
{
    return m_failure.fail("change " + std::to_string(document.changeCount) + ": " + std::string(what));
}

bool SparseReader::metadataField(const std::string& key, const Scalar& v)
{
    const bool text = v.type == Scalar::Type::String;
    if (key == "run_id") {
        if (text)
            document.runId = *v.s;
    } else if (key == "total_bars") {
        if (auto n = v.integer(); n && *n >= 0)
            document.totalBars = *n;
    } else if (key == "strategy_name" || key == "classifier_name") {
        if (text) {
            document.storageName = *v.s;
            document.storageKind = key == "classifier_name" ? Kind::Classifier : Kind::Signal;
        }
    } else if (key == "strategy_type" || key == "classifier_type") {
        if (text && !v.s->empty())
            document.storageType = *v.s;
    } else if (key == "symbol") {
        if (text)
            document.storageSymbol = *v.s;
    } else if (key == "timeframe") {
        if (text)
            document.storageTimeframe = *v.s;
    } else if (key == "run") {
        document.storageHasRun = true;
        if (text)
            document.storageRun = *v.s;
    } else if (key == "format_version") {
        document.formatVersion = v.integer().value_or(0);
    } else if (key == "container_id") {
        if (text)
            document.containerId = *v.s;
        captureScalar(key, v);
    } else if (key == "parameters") {
        if (v.type != Scalar::Type::Null)
            return m_failure.fail("metadata.parameters " + std::string(typeWords(v)) + ", not an object");
    } else if (key == "total_changes" && document.groups.all().empty()) {
        // A hint only, capped by what the text can hold (no legacy change is under 30 bytes).
        if (auto n = v.integer(); n && *n > 0)
            document.groups.reserveHint = static_cast<std::size_t>(std::min<std::int64_t>(*n, static_cast<std::int64_t>(m_inputSize / 30)));
    } else if (key == "total_changes" || key == "compression_ratio" || key == "signal_changes"
               || key == "regime_changes" || key == "file_hash" || key == "created_at" || key == "variant"
               || key == "strategies") {
        // Recomputed or replaced on writing.
    } else {
        captureScalar(key, v);
    }
    return true;
}

void SparseReader::captureScalar(const std::string& key, const Scalar& v)
{
    std::string text;
    switch (v.type) {
    case Scalar::Type::Null: text = "null"; break;
    case Scalar::Type::Bool: text = v.b ? "true" : "false"; break;
    case Scalar::Type::Int: text = std::to_string(v.i); break;
    case Scalar::Type::TooLarge:
    case Scalar::Type::Float: text = canonical::doubleText(v.d); break;
    case Scalar::Type::String: canonical::appendString(text, *v.s); break;
    }
    document.metaExtras.emplace_back(key, std::move(text));
}

// A text field of a change that may also be null (or absent).
bool SparseReader::optionalText(Field field, const Scalar& v, std::string& out, bool* present)
{
    if (v.type == Scalar::Type::String) {
        out.swap(*v.s); // the parser clears its string before the next token: no copy needed
        if (present)
            *present = true;
        return true;
    }
    if (v.type != Scalar::Type::Null)
        return failChange(fieldName(field) + " " + std::string(typeWords(v)));
    return true;
}

bool SparseReader::changeField(Field field, const Scalar& v)
{
    ChangeRecord& c = m_change;
    const bool text = v.type == Scalar::Type::String;
    switch (field) {
    case Field::Idx: {
        if (v.type == Scalar::Type::Int) {
            if (v.i < 0)
                return failChange("idx is negative");
            c.idx = v.i;
            c.hasIdx = true;
            return true;
        }
        return failChange("idx " + std::string(typeWords(v)));
    }
    case Field::Ts: return optionalText(field, v, c.ts, nullptr);
    case Field::Sym: return optionalText(field, v, c.sym, &c.hasSym);
    case Field::Strat: return optionalText(field, v, c.strat, &c.hasStrat);
    case Field::Val:
    case Field::Regime:
        if (text) {
            c.valText.swap(*v.s);
            c.val = ChangeRecord::Val::Text;
            return true;
        }
        if (field == Field::Val) {
            if (auto n = v.integer()) {
                if (*n < std::numeric_limits<std::int32_t>::min() || *n > std::numeric_limits<std::int32_t>::max())
                    return failChange("val is out of range");
                c.valInt = *n;
                c.val = ChangeRecord::Val::Int;
                return true;
            }
        }
        return failChange(fieldName(field) + " " + std::string(typeWords(v)));
    case Field::Px:
        if (v.isNumber())
            c.px = v.number();
        else if (v.type != Scalar::Type::Null)
            return failChange("px " + std::string(typeWords(v)));
        return true;
    case Field::Confidence:
        if (v.isNumber())
            c.confidence = v.number();
        else if (v.type != Scalar::Type::Null)
            return failChange("confidence " + std::string(typeWords(v)));
        return true;
    case Field::Tf:
        if (text) {
            c.tf.assign(*v.s);
            c.hasTf = true;
        }
        return true;
    default: return true;
    }
}

bool SparseReader::finishChange()
{
    ChangeRecord& c = m_change;
    if (!c.hasIdx)
        return failChange("idx is missing");
    if (c.val == ChangeRecord::Val::None)
        return failChange("val is missing");
    if (!c.hasStrat && document.firstChangeWithoutStrat == 0)
        document.firstChangeWithoutStrat = document.changeCount; // fine in a storage data file, an error in a dump
    Group& g = document.groups.find(c.hasSym, c.sym, c.strat);
    if (!g.tf && c.hasTf)
        g.tf = c.tf;
    if (c.val == ChangeRecord::Val::Text)
        makeClassifier(g);
    if (keepChange(g, c))
        appendChange(g, c);
    return true;
}

bool SparseReader::keepChange(Group& g, const ChangeRecord& c)
{
    const std::size_t n = g.trace.size();
    const bool text = c.val == ChangeRecord::Val::Text;
    const std::string number = text ? std::string() : std::to_string(c.valInt);
    const std::string_view value = text ? std::string_view(c.valText) : std::string_view(number);
    if (g.problem.empty()) {
        const std::string problem = changeProblem(c.idx, n ? std::optional(g.trace.bar(n - 1)) : std::nullopt, c.px,
                                                  g.classifier, value, c.confidence);
        if (!problem.empty())
            g.problem = "change " + std::to_string(document.changeCount) + ": " + problem;
    }
    const bool repeat = n > 0 && (g.classifier ? g.trace.regimeName(n - 1) == value : g.trace.value(n - 1) == c.valInt);
    if (repeat)
        ++g.repeats;
    return !repeat;
}

void SparseReader::appendChange(Group& g, const ChangeRecord& c)
{
    if (c.val == ChangeRecord::Val::Text) {
        g.trace.appendRegime(c.idx, c.ts, c.valText, c.confidence, c.px);
        g.digest.add(c.idx, c.valText, c.ts, c.px, c.confidence);
        return;
    }
    const std::string text = std::to_string(c.valInt);
    if (g.classifier)
        g.trace.appendRegime(c.idx, c.ts, text, c.confidence, c.px);
    else
        g.trace.appendSignal(c.idx, c.ts, static_cast<std::int32_t>(c.valInt), c.px);
    // A signal has no confidence; a later regime name turns the group into a classifier
    // whose earlier changes get the default.
    g.digest.add(c.idx, text, c.ts, c.px, g.classifier ? c.confidence : 1.0);
}

namespace {

ParsedSource mapDump(SparseDocument& doc, Variant variant, const SourceFile& source)
{
    ParsedSource out;
    out.variant = variant;
    out.changes = doc.changeCount;
    if (doc.firstChangeWithoutStrat)
        return failedResult(ParsedSource::Result::Failed, variant,
                            "change " + std::to_string(doc.firstChangeWithoutStrat) + ": strat is missing");
    const RunInfo info = runInfo(source.path);
    std::string container = containerFromFileName(source.path);
    if (container.empty() && doc.runId
        && (doc.runId->starts_with("strategy_") || doc.runId->starts_with("classifier_")))
        container = *doc.runId;
    const bool classifierContainer = container.starts_with("classifier_");
    const auto run = runFor(info, doc.runId, source);

    for (Group& g : doc.groups.all()) {
        if (classifierContainer)
            makeClassifier(g);
        Trace trace = std::move(g.trace);
        TraceIdentity& id = trace.identity;
        id.kind = g.classifier ? Kind::Classifier : Kind::Signal;
        id.name = naming::stripSymbolPrefix(g.strat, g.sym);
        if (g.hasSym)
            id.symbol = g.sym;
        id.timeframe = g.tf;
        id.run = run;
        const StrategyParameters* sp = nullptr;
        for (const std::string& key : {id.name, "classifier_" + id.name, g.strat}) {
            if (auto it = doc.strategyParameters.find(key); it != doc.strategyParameters.end()) {
                sp = &it->second;
                break;
            }
        }
        std::string error;
        auto params = parseParameters(sp ? sp->paramsJson : std::nullopt, error,
                                      "metadata.strategy_parameters." + id.name + ".params");
        if (!params)
            return failedResult(ParsedSource::Result::Failed, variant, error);
        id.parameters = std::move(*params);
        trace.type = naming::typeFor(id.kind, id.name, sp && sp->type ? *sp->type : std::string());
        std::vector<std::pair<std::string, std::string>> extras;
        if (info.workflow)
            extras.emplace_back("workflow_id", jsonString(*info.workflow));
        if (!container.empty())
            extras.emplace_back("container_id", jsonString(container));
        finishTrace(trace, doc.totalBars, source, std::move(extras));
        out.traces.push_back(std::move(trace));
        out.digests.push_back(g.digest.value());
        out.repeatsDropped.push_back(g.repeats);
        out.invalid.push_back(std::move(g.problem));
    }
    return out;
}

ParsedSource mapStorageFile(SparseDocument& doc, const SourceFile& source)
{
    ParsedSource out;
    out.variant = Variant::L3;
    out.changes = doc.changeCount;
    auto& groups = doc.groups.all();
    if (groups.size() > 1)
        return failedResult(ParsedSource::Result::Failed, Variant::L3,
                            "a storage data file with changes of " + std::to_string(groups.size())
                                + " strategies or symbols");
    Group& g = groups.front();
    if (doc.storageKind == Kind::Classifier)
        makeClassifier(g);
    else if (g.classifier)
        return failedResult(ParsedSource::Result::Failed, Variant::L3, "a signal file with regime names as values");
    Trace trace = std::move(g.trace);
    TraceIdentity& id = trace.identity;
    id.kind = doc.storageKind;
    id.name = *doc.storageName;
    std::string error;
    auto params = parseParameters(doc.storageParams, error, "metadata.parameters");
    if (!params)
        return failedResult(ParsedSource::Result::Failed, Variant::L3, error);
    id.parameters = std::move(*params);
    // Upstream wrote "UNKNOWN" when it lost the symbol; the changes or the container still know it.
    if (doc.storageSymbol && *doc.storageSymbol != "UNKNOWN")
        id.symbol = doc.storageSymbol;
    else if (g.hasSym)
        id.symbol = g.sym;
    else if (doc.containerId)
        id.symbol = symbolFromContainer(doc.storageKind, id.name, *doc.containerId);
    id.timeframe = doc.storageTimeframe ? doc.storageTimeframe : g.tf;
    if (doc.formatVersion >= 1 && doc.storageHasRun)
        id.run = doc.storageRun;
    else
        id.run = runFor(runInfo(source.path), doc.runId, source);
    trace.type = naming::typeFor(id.kind, id.name, doc.storageType.value_or(std::string()));
    finishTrace(trace, doc.totalBars, source, std::move(doc.metaExtras));
    out.traces.push_back(std::move(trace));
    out.digests.push_back(g.digest.value());
    out.repeatsDropped.push_back(g.repeats);
    out.invalid.push_back(std::move(g.problem));
    return out;
}

} // namespace

ParsedSource mapSparse(SparseDocument& doc, const SourceFile& source)
{
    const Variant variant = doc.variant();
    return variant == Variant::L3 ? mapStorageFile(doc, source) : mapDump(doc, variant, source);
}

} // namespace sigscope::core::migration::detail
