// The data file reader (simdjson On-Demand, core/storage/tracereader.cpp and tracewalker.cpp) on generated traces of
// every shape, reformatted copies, the real upstream files and broken inputs: it builds the
// trace that writes back to the same text, takes only strict JSON, and refuses with the file's
// name. (Until the reader replaced them it was checked here input by input against the
// nlohmann SAX reader, errors included; the accepted/refused columns below are that reader's.)
#include "core/storage/storage.h"
#include "core/storage/traceio.h"
#include "tests/support/testsupport.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <random>

using namespace sigscope::core;
namespace fs = std::filesystem;

namespace {

const fs::path kPath = "signals/t/t.json"; // only used for messages and the type of a file naming none

template<class T>
std::string show(const T& v)
{
    if constexpr (std::is_same_v<T, std::optional<std::string>>)
        return v ? '"' + *v + '"' : std::string("null");
    else if constexpr (std::is_same_v<T, std::optional<std::int64_t>>)
        return v ? std::to_string(*v) : std::string("null");
    else if constexpr (std::is_same_v<T, std::string>)
        return '"' + v + '"';
    else
        return std::to_string(v);
}

// First difference between two traces in any field (empty when identical).
std::string traceDiff(const Trace& a, const Trace& b)
{
    auto field = [](const char* name, const auto& x, const auto& y) -> std::string {
        return x == y ? std::string() : std::string(name) + ": " + show(x) + " vs " + show(y);
    };
    const auto& ia = a.identity;
    const auto& ib = b.identity;
    std::string d;
    for (std::string part : {field("kind", int(ia.kind), int(ib.kind)), field("name", ia.name, ib.name),
                             field("parameters", ia.parameters.canonicalJson(), ib.parameters.canonicalJson()),
                             field("symbol", ia.symbol, ib.symbol), field("timeframe", ia.timeframe, ib.timeframe),
                             field("run", ia.run, ib.run), field("variant", ia.variant, ib.variant),
                             field("type", a.type, b.type), field("totalBars", a.metadata.totalBars, b.metadata.totalBars),
                             field("createdAt", a.metadata.createdAt, b.metadata.createdAt),
                             field("storedHash", a.metadata.storedHash, b.metadata.storedHash),
                             field("formatVersion", a.metadata.formatVersion, b.metadata.formatVersion),
                             field("extras", a.metadata.extras.size(), b.metadata.extras.size()),
                             field("size", a.size(), b.size()), field("regimes", a.regimes().size(), b.regimes().size())})
        if (!part.empty())
            return part;
    if (!(ia.parameters == ib.parameters))
        return "parameters differ in value types";
    for (std::size_t i = 0; i < a.metadata.extras.size(); ++i) {
        d = field("extra key", a.metadata.extras[i].first, b.metadata.extras[i].first)
            + field("extra text", a.metadata.extras[i].second, b.metadata.extras[i].second);
        if (!d.empty())
            return d + " (extra " + std::to_string(i) + ")";
    }
    for (std::size_t i = 0; i < a.regimes().size(); ++i)
        if (a.regimes()[i] != b.regimes()[i])
            return "regime " + std::to_string(i);
    for (std::size_t i = 0; i < a.size(); ++i) {
        for (std::string part :
             {field("bar", a.bar(i), b.bar(i)), field("time", a.time(i), b.time(i)),
              field("value", a.value(i), b.value(i)), field("timeText", a.timeText(i), b.timeText(i)),
              field("valueText", a.valueText(i), b.valueText(i)),
              field("price bits", std::bit_cast<std::uint64_t>(a.price(i)), std::bit_cast<std::uint64_t>(b.price(i))),
              field("confidence bits", std::bit_cast<std::uint64_t>(a.confidence(i)),
                    std::bit_cast<std::uint64_t>(b.confidence(i)))})
            if (!part.empty())
                return part + " (change " + std::to_string(i) + ")";
    }
    if (!(a.metadata == b.metadata) || !(ia == ib))
        return "metadata or identity differ";
    if (a.memoryBytes() != b.memoryBytes())
        return "memory " + std::to_string(a.memoryBytes()) + " vs " + std::to_string(b.memoryBytes());
    if (serializeTrace(a) != serializeTrace(b))
        return "serialized text differs";
    return {};
}

struct Outcome
{
    bool ok = false;
    Trace trace;
    std::string error;
};

// parseTrace on text, caught.
Outcome run(std::string_view text)
{
    Outcome o;
    try {
        o.trace = parseTrace(text, kPath);
        o.ok = true;
    } catch (const StorageError& e) {
        o.error = e.what();
    }
    return o;
}

// What any outcome must be: a trace only from strict JSON, one that writes and reads back to the
// same text; an error naming the file.
struct Agreement
{
    bool took = false;
    std::string problem; // empty when the outcome is sound
};

Agreement agreement(std::string_view text)
{
    const Outcome o = run(text);
    if (!o.ok)
        return {false, o.error.starts_with(kPath.string() + ": ") ? std::string() : "error without the file: " + o.error};
    if (text.find('\0') != std::string_view::npos || !nlohmann::json::accept(text))
        return {true, "took what is not JSON"};
    const std::string written = serializeTrace(o.trace);
    const Outcome back = run(written);
    if (!back.ok)
        return {true, "its written text does not read: " + back.error};
    if (serializeTrace(back.trace) != written) // writing recomputes counts and the hash: a fixed point after one write
        return {true, "its written text does not read back to itself"};
    return {true, {}};
}

// Fails the test function when the outcome is unsound; otherwise whether the reader took it.
#define AGREES(text, label, took)                                                                                    \
    do {                                                                                                               \
        const Agreement agreed = agreement(text);                                                                     \
        QVERIFY2(agreed.problem.empty(), (agreed.problem + ": " + (label)).c_str());                                   \
        took = agreed.took;                                                                                            \
    } while (false)

// ---- generated traces ---------------------------------------------------------------------

class Generator
{
public:
    explicit Generator(std::uint64_t seed)
        : m_rng(seed)
    {
    }

    Trace trace()
    {
        const Kind kind = chance(0.5) ? Kind::Signal : Kind::Classifier;
        TraceIdentity id;
        id.kind = kind;
        id.name = pick({"ma_crossover_5_20", "rsi_14", "δ-strat_ü", "quote\"back\\slash", "tab\tnew\nline",
                        "ctl\x01\x1f", "emoji_😀", "slash/name", "x"});
        const int params = uniform(0, 4);
        for (int i = 0; i < params; ++i) {
            const std::string key = pick({"fast_period", "slow", "ß", "k\"q", "window", "alpha"});
            switch (uniform(0, 6)) {
            case 0: id.parameters.set(key, std::int64_t(uniform(-1000, 1000))); break;
            case 1: id.parameters.set(key, double(uniform(-1000, 1000)) / 8.0); break;
            case 2: id.parameters.set(key, pick({"sma", "é\\x", ""})); break;
            case 3: id.parameters.set(key, chance(0.5)); break;
            case 4: id.parameters.set(key, nullptr); break;
            case 5: id.parameters.set(key, RawJson{R"([1,2.5,"a"])"}); break;
            default: id.parameters.set(key, RawJson{R"({"n":{"m":[]}})"}); break;
            }
        }
        id.symbol = optionalPick({"SPY", "QQQ", "Ünicode", "a\"b"});
        id.timeframe = optionalPick({"1m", "5m", "1d"});
        id.run = optionalPick({"20250611_171158", "run\\1"});
        if (chance(0.2))
            id.variant = uniform(2, 5);
        Trace t(std::move(id), pick({"ma_crossover", "rsi", "regime", "tÿpe"}));
        t.metadata.totalBars = chance(0.3) ? 0 : uniform(0, 100000);
        if (chance(0.8))
            t.metadata.createdAt = pick({"2026-01-05T14:03:11.120000Z", "2025-06-13T11:28:27.830093", "whenever"});
        const int extras = uniform(0, 4);
        std::vector<std::string> extraKeys = {"workflow_id", "container_id", "source", "ünknown", "k\"ey"};
        for (int i = 0; i < extras; ++i) {
            // Keys are unique (strict JSON: a file repeating one does not load).
            const auto at = static_cast<std::size_t>(uniform(0, static_cast<int>(extraKeys.size()) - 1));
            const std::string key = extraKeys[at];
            extraKeys.erase(extraKeys.begin() + static_cast<std::ptrdiff_t>(at));
            t.metadata.extras.emplace_back(
                key,
                pick({R"("grid_v1")", R"({"path": "workspaces/tmp/x.json", "run_id": "20250611_171158"})", "null",
                      "true", "-0", "1E5", "2.50", "12345678901234567890123", "-9223372036854775809",
                      R"([1, [2, [3, {"a": []}]], {}])", R"("\u00e9\ud83d\ude00\/\b")", "18446744073709551615",
                      "-9223372036854775808", R"({"a":1,"b":2})"}));
        }

        const int n = uniform(0, 60);
        std::int64_t bar = uniform(0, 5);
        std::int64_t micros = 1'711'461'000'000'000 + std::int64_t(uniform(-100000, 100000)) * 60'000'000;
        TimeFormat usual = timeFormat();
        for (int i = 0; i < n; ++i) {
            bar += uniform(0, 3) == 0 ? 0 : uniform(1, 1000);
            micros += std::int64_t(uniform(0, 3000)) * 1'000'000 + uniform(0, 999'999);
            const std::string ts = timeText(micros, chance(0.9) ? usual : timeFormat());
            const double px = chance(0.7) ? 0.0 : pickD({522.0, 517.9, -0.0, 1e-7, 1.5e300, 0.1, 3.0});
            if (kind == Kind::Signal) {
                const std::int32_t v = chance(0.95) ? std::int32_t(uniform(-1, 1))
                                                    : std::int32_t(pickD({100000, -2147483648.0, 2147483647.0}));
                t.appendSignal(bar, ts, v, px);
            } else {
                const double conf = chance(0.6) ? 1.0 : pickD({0.5, 0.0, 0.123456789, 1.0});
                t.appendRegime(bar, ts, pick({"trending", "ranging", "high_vol", "ré\"gime", ""}), conf, px);
            }
        }
        return t;
    }

private:
    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_rng); }
    bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(m_rng) < p; }
    std::string pick(std::initializer_list<const char*> options)
    {
        return *(options.begin() + uniform(0, int(options.size()) - 1));
    }
    double pickD(std::initializer_list<double> options) { return *(options.begin() + uniform(0, int(options.size()) - 1)); }
    std::optional<std::string> optionalPick(std::initializer_list<const char*> options)
    {
        if (chance(0.25))
            return std::nullopt;
        return pick(options);
    }
    TimeFormat timeFormat()
    {
        TimeFormat f;
        f.separator = chance(0.8) ? 'T' : ' ';
        f.fractionDigits = std::uint8_t(chance(0.5) ? 0 : uniform(1, 6));
        f.zone = TimeFormat::Zone(uniform(0, 2));
        f.offsetMinutes = f.zone == TimeFormat::Zone::Offset ? std::int16_t(uniform(-12, 14) * 60 + uniform(0, 1) * 30) : 0;
        return f;
    }
    // Mostly well-formed times, sometimes what real files hold besides.
    std::string timeText(std::int64_t micros, const TimeFormat& f)
    {
        switch (uniform(0, 40)) {
        case 0: return {}; // null
        case 1: return "2024-01-32T10:00:00";
        case 2: return "2024-02-29T23:59:59.1234560"; // 7 digits, parseable, not reproducible
        case 3: return "2024-03-26T13:50:00-00:00";
        case 4: return "2023-02-29T00:00:00Z";
        case 5: return "not a time \"quoted\" é";
        case 6: return "2024-03-26 13:50";
        case 7: return "2024-03-26T13:50:00+0000";
        default: return formatIsoTime(micros, f);
        }
    }

    std::mt19937_64 m_rng;
};

std::string reformat(const std::string& text, int style)
{
    const auto doc = nlohmann::ordered_json::parse(text);
    switch (style) {
    case 0: return doc.dump();                  // compact
    case 1: return doc.dump(1, '\t');            // tabs
    case 2: return doc.dump(-1, ' ', true);      // non-ASCII as \u escapes
    default: return nlohmann::json::parse(text).dump(2); // sorted keys: changes before metadata
    }
}

std::string smallFile()
{
    Trace t(TraceIdentity{Kind::Signal, "ma_é", Parameters{{"fast", std::int64_t(5)}}, "SPY", "1m", std::nullopt,
                          std::nullopt},
            "ma");
    t.metadata.totalBars = 50;
    t.metadata.extras = {{"workflow_id", R"("grid")"}, {"source", R"({"path":"a\nb","n":[1,2.5]})"}};
    t.appendSignal(20, "2024-03-26T13:50:00+00:00", 1, 522.0);
    t.appendSignal(31, "2024-03-26T14:01:00.5+00:00", -1, 0.0);
    return serializeTrace(t);
}

} // namespace

class TestFastParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void generatedTraces()
    {
        for (std::uint64_t seed = 1; seed <= 120; ++seed) {
            Generator g(seed);
            const Trace original = g.trace();
            const std::string text = serializeTrace(original);
            const std::string label = "seed " + std::to_string(seed);
            bool took = false;
            AGREES(text, label, took);
            QVERIFY2(took, label.c_str());
            const Trace read = parseTrace(text, kPath);
            QCOMPARE(read.size(), original.size());
            for (std::size_t i = 0; i < read.size(); ++i) {
                QCOMPARE(read.timeText(i), original.timeText(i));
                QCOMPARE(read.valueText(i), original.valueText(i));
            }
            // Reformatted (compact, tabs, \u escapes, sorted keys: changes before metadata): the same trace.
            for (int style = 0; style < 4; ++style) {
                const std::string other = reformat(text, style);
                AGREES(other, label + " style " + std::to_string(style), took);
                QVERIFY2(took, (label + " style " + std::to_string(style)).c_str());
                Trace again = parseTrace(other, kPath);
                again.metadata.extras = read.metadata.extras; // nlohmann's dump rewrites numbers ("2.50" as 2.5)
                const std::string diff = traceDiff(again, read);
                QVERIFY2(diff.empty(), (label + " style " + std::to_string(style) + ": " + diff).c_str());
            }
        }
    }

    void knownValues()
    {
        const std::string text = R"({"metadata": {"strategy_name": "a\u00e9", "strategy_type": "t", "parameters": {"p": 1.50},
            "symbol": null, "total_bars": 7, "z": [1, {"k": -0}], "format_version": 1},
            "changes": [{"idx": 3, "ts": "2024-03-26T13:50:00.25-05:00", "val": -1, "px": 2},
                        {"idx": 4, "ts": null, "val": 1, "px": -0.0, "unknown": [{"x": null}]}]})";
        const Trace t = parseTrace(text, kPath);
        QCOMPARE(t.identity.name, std::string("aé"));
        QCOMPARE(t.type, std::string("t"));
        QCOMPARE(t.identity.parameters.canonicalJson(), std::string(R"({"p":1.5})"));
        QVERIFY(!t.identity.symbol);
        QCOMPARE(t.metadata.totalBars, std::int64_t(7));
        QCOMPARE(t.metadata.formatVersion, 1);
        QCOMPARE(t.metadata.extras, (std::vector<std::pair<std::string, std::string>>{{"z", R"([1,{"k":0}])"}}));
        QCOMPARE(t.size(), std::size_t(2));
        QCOMPARE(t.time(0), parseIsoTime("2024-03-26T18:50:00.25Z")->utcMicros);
        QCOMPARE(t.timeText(0), std::string("2024-03-26T13:50:00.25-05:00"));
        QCOMPARE(t.time(1), kNoTime);
        QCOMPARE(t.timeText(1), std::string());
        QCOMPARE(t.price(0), 2.0);
        QVERIFY(std::signbit(t.price(1)));
        QCOMPARE(t.value(0), -1);
        bool took = false;
        AGREES(text, std::string("knownValues"), took);
        QVERIFY(took);
    }

    void upstreamFixtures()
    {
        SIGSCOPE_REQUIRE_FIXTURES(fixtures);
        int files = 0;
        for (const auto& e : fs::recursive_directory_iterator(fixtures / "upstream/analytics_storage")) {
            if (!e.is_regular_file() || e.path().extension() != ".json" || e.path().filename() == "index.json")
                continue;
            const std::string text = sigscope::test::readFile(e.path());
            const Trace read = parseTrace(text, e.path());
            const Trace loaded = loadTrace(e.path());
            QCOMPARE(read.metadata.formatVersion, 0);
            QVERIFY(!read.type.empty()); // strategy_type null: taken from the folder
            // Upstream's "UNKNOWN" symbol settled to the one its container id names.
            QCOMPARE(read.identity.symbol.value_or(""), std::string("SPY"));
            QCOMPARE(traceDiff(loaded, read), std::string());
            QCOMPARE(traceDiff(loadTraceStreaming(e.path()), read), std::string());
            ++files;
        }
        QCOMPARE(files, 3);
    }

    void truncatedEverywhere()
    {
        const std::string text = smallFile();
        for (std::size_t n = 0; n < text.size(); ++n) {
            bool took = false;
            AGREES(std::string_view(text).substr(0, n), "cut at " + std::to_string(n), took);
            QVERIFY(!took || n + 1 == text.size()); // only the final newline may go
        }
    }

    void garbageBytes()
    {
        const std::string text = smallFile();
        for (std::size_t i = 0; i < text.size(); ++i) {
            for (const char c : {'\0', '"', '\\', '{', ']', '9', '-', '\x01', '\xff', '\xc3'}) {
                std::string bad = text;
                bad[i] = c;
                [[maybe_unused]] bool took = false; // only whether both readers agree matters here
                AGREES(bad, "byte " + std::to_string(i) + " = " + std::to_string(int(c)), took);
            }
        }
    }

    void oddInputs_data()
    {
        QTest::addColumn<QByteArray>("change"); // replaces CHANGE in the template
        QTest::addColumn<QByteArray>("meta");   // replaces META
        QTest::addColumn<bool>("accepted");

        auto row = [](const char* name, const char* change, const char* meta, bool takes) {
            QTest::newRow(name) << QByteArray(change) << QByteArray(meta) << takes;
        };
        const char* ok = R"({"idx": 1, "ts": "2024-03-26T13:50:00", "val": 1, "px": 0.0})";
        const char* okMeta = R"("strategy_name": "s", "format_version": 1)";
        row("plain", ok, okMeta, true);
        row("idx string", R"({"idx": "1", "val": 1})", okMeta, false);
        row("idx float", R"({"idx": 1.0, "val": 1})", okMeta, false);
        row("idx huge", R"({"idx": 9223372036854775808, "val": 1})", okMeta, false);
        row("idx negative", R"({"idx": -3, "val": 1})", okMeta, true);
        row("idx missing", R"({"val": 1})", okMeta, false);
        row("empty change", "{}", okMeta, false);
        row("val float", R"({"idx": 1, "val": 1.0})", okMeta, false);
        row("val out of int32", R"({"idx": 1, "val": 2147483648})", okMeta, false);
        row("val string for signal", R"({"idx": 1, "val": "up"})", okMeta, false);
        row("val null", R"({"idx": 1, "val": null})", okMeta, false);
        row("ts number", R"({"idx": 1, "ts": 5, "val": 1})", okMeta, false);
        row("ts escaped", R"({"idx": 1, "ts": "2024-03-26T13:50:00\u002B01:00", "val": 1})", okMeta, true);
        // Strict JSON: a repeated key fails the file (the SAX reader words it), at any depth.
        row("ts twice", R"({"idx": 1, "ts": "2024-03-26T13:50:00", "ts": null, "val": 1})", okMeta, false);
        row("unknown key twice", R"({"idx": 1, "val": 1, "note": 1, "note": 2})", okMeta, false);
        row("px string", R"({"idx": 1, "val": 1, "px": "1"})", okMeta, false);
        row("px null", R"({"idx": 1, "val": 1, "px": null})", okMeta, true);
        row("px -0 integer", R"({"idx": 1, "val": 1, "px": -0})", okMeta, true);
        row("px huge", R"({"idx": 1, "val": 1, "px": 1e400})", okMeta, false);
        row("px tiny", R"({"idx": 1, "val": 1, "px": 1e-400})", okMeta, true);
        row("px leading zero", R"({"idx": 1, "val": 1, "px": 01})", okMeta, false);
        row("px bare dot", R"({"idx": 1, "val": 1, "px": 1.})", okMeta, false);
        row("px plus", R"({"idx": 1, "val": 1, "px": +1})", okMeta, false);
        row("px NaN", R"({"idx": 1, "val": 1, "px": NaN})", okMeta, false);
        row("confidence bool", R"({"idx": 1, "val": 1, "confidence": true})", okMeta, false);
        row("unknown container", R"({"idx": 1, "val": 1, "extra": {"a": [1, "\ud83d\ude00"]}})", okMeta, true);
        row("idx object", R"({"idx": {}, "val": 1})", okMeta, false);
        row("change array", "[1]", okMeta, false);
        row("change scalar", "5", okMeta, false);
        row("lone surrogate", R"({"idx": 1, "val": 1, "sym": "\ud800"})", okMeta, false);
        row("low surrogate", R"({"idx": 1, "val": 1, "sym": "\udc00x"})", okMeta, false);
        row("bad escape", R"({"idx": 1, "val": 1, "sym": "\x"})", okMeta, false);
        row("short unicode escape", R"({"idx": 1, "val": 1, "sym": "\u12"})", okMeta, false);
        row("invalid utf-8", "{\"idx\": 1, \"val\": 1, \"sym\": \"\xc3\x28\"}", okMeta, false);
        row("overlong utf-8", "{\"idx\": 1, \"val\": 1, \"sym\": \"\xc0\xaf\"}", okMeta, false);
        row("utf-16 surrogate in utf-8", "{\"idx\": 1, \"val\": 1, \"sym\": \"\xed\xa0\x80\"}", okMeta, false);
        row("raw control", "{\"idx\": 1, \"val\": 1, \"sym\": \"a\tb\"}", okMeta, false);
        row("nul escape", R"({"idx": 1, "val": 1, "sym": "\u0000"})", okMeta, true);
        row("classifier val", R"({"idx": 1, "val": "calm", "confidence": 0.25})",
            R"("classifier_name": "c", "format_version": 1)", true);
        row("classifier without regime", R"({"idx": 1, "confidence": 0.25})", R"("classifier_name": "c")", false);
        row("both names", ok, R"("strategy_name": "s", "classifier_name": "c")", false);
        row("name twice", ok, R"("strategy_name": "s", "strategy_name": "t")", false);
        row("no name", ok, R"("symbol": "SPY")", false);
        row("name null", ok, R"("strategy_name": null)", false);
        row("symbol number", ok, R"("strategy_name": "s", "symbol": 5)", false);
        row("symbol object", ok, R"("strategy_name": "s", "symbol": {})", false);
        row("parameters array", ok, R"("strategy_name": "s", "parameters": [1])", false);
        row("parameters number", ok, R"("strategy_name": "s", "parameters": 5)", false);
        row("parameters null", ok, R"("strategy_name": "s", "parameters": null)", true);
        row("parameters twice", ok, R"("strategy_name": "s", "parameters": {"a": 1}, "parameters": {"b": 2.0})", false);
        row("parameters duplicate key", ok, R"("strategy_name": "s", "parameters": {"a": 1, "a": 2})", false);
        row("format_version big", ok, R"("strategy_name": "s", "format_version": 1001)", false);
        row("format_version float", ok, R"("strategy_name": "s", "format_version": 1.0)", false);
        row("variant float", ok, R"("strategy_name": "s", "variant": 1.5)", false);
        row("variant null", ok, R"("strategy_name": "s", "variant": null)", true);
        row("total_bars fractional form", ok, R"("strategy_name": "s", "total_bars": 7.0)", true);
        row("total_bars null", ok, R"("strategy_name": "s", "total_bars": null)", true);
        row("total_bars string", ok, R"("strategy_name": "s", "total_bars": "7")", false);
        row("counts as anything", ok, R"("strategy_name": "s", "signal_changes": "x", "compression_ratio": null)", true);
        row("counts as object", ok, R"("strategy_name": "s", "signal_changes": {})", false);
        row("created_at number", ok, R"("strategy_name": "s", "created_at": 5)", false);
        row("extras of every kind", ok,
            "\"strategy_name\": \"s\", \"a\": 1e5, \"b\": -0, \"c\": 1.50E-3, \"d\": \"\\/\\u00E9\", \"e\": [ ], "
            "\"f\": { }, \"g\": 2",
            true);
        row("extra repeated", ok, R"("strategy_name": "s", "a": 1, "a": 2)", false);
        row("nested key repeated", ok, R"("strategy_name": "s", "a": {"x": [{"k": 1, "k": 1}]})", false);
        row("escaped key", ok, "\"strategy_\\u006eame\": \"s\", \"k\\\"ey\": 1", true);
    }

    void oddInputs()
    {
        QFETCH(QByteArray, change);
        QFETCH(QByteArray, meta);
        QFETCH(bool, accepted);
        const std::string text = "{\"metadata\": {" + meta.toStdString() + "}, \"changes\": [" + change.toStdString()
            + "]}";
        bool took = false;
        AGREES(text, text, took);
        QCOMPARE(took, accepted);
    }

    // The exact messages where the reader takes a short cut (keys and strings without escapes
    // read in place, val and idx by simdjson's integer parser, labels made only when thrown).
    void shortCutMessages_data()
    {
        QTest::addColumn<QByteArray>("change");
        QTest::addColumn<QString>("message");
        auto row = [](const char* change, const char* message) {
            QTest::newRow(change) << QByteArray(change) << QString::fromUtf8(message);
        };
        row(R"({"idx": 1, "val": 2147483648})", "change 2: val is out of range");
        row(R"({"idx": 1, "val": -2147483649})", "change 2: val is out of range");
        row(R"({"idx": 1, "val": 1.5})", "change 2: val is not an integer");
        row(R"({"idx": 1, "val": null})", "change 2: val is null");
        row(R"({"idx": "1", "val": 1})", "change 2: idx is a string");
        row(R"({"val": 1})", "change 2: idx is missing");
        row(R"({"idx": 1, "val": 1, "val": 2})", "change 2: duplicate key \"val\"");
        row(R"({"idx": 1, "val": 1, "sym": "a", "s\u0079m": "b"})", "change 2: duplicate key \"sym\"");
        row(R"({"idx": 1, "val": 1, "note": 1, "note": 2})", "change 2: duplicate key \"note\"");
        row(R"({"idx": 1, "val": 1, "extra": [{"k": 1, "\u006b": 2}]})", "change 2: duplicate key \"k\"");
        row(R"({"idx": 1, "val": 1, "ts": 5})", "change 2: ts is an integer");
        row(R"({"idx": 1, "val": 1, "px": "1"})", "change 2: px is a string");
        row(R"({"idx": 1, "val": 1, "sym": "\x"})",
            "line 1, column 156: syntax error while parsing value - invalid string: forbidden character after "
            "backslash; last read: '\"\\x'");
    }

    void shortCutMessages()
    {
        QFETCH(QByteArray, change);
        QFETCH(QString, message);
        const std::string text = R"({"metadata": {"strategy_name": "s"}, "changes": [{"idx": 0, "ts": "2024-03-26T13:50:00", "val": 1, "sym": "SPY", "px": 1.5}, )"
            + change.toStdString() + "]}";
        const Outcome o = run(text);
        QVERIFY(!o.ok);
        QCOMPARE(QString::fromStdString(o.error), QString::fromStdString(kPath.string() + ": ") + message);
    }

    void oddDocuments_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("accepted");
        const QByteArray body = R"("metadata": {"strategy_name": "s"}, "changes": [{"idx": 1, "val": 1}])";
        QTest::newRow("plain") << "{" + body + "}" << true;
        QTest::newRow("trailing whitespace") << "{" + body + "} \r\n\t" << true;
        QTest::newRow("trailing garbage") << "{" + body + "} x" << false;
        QTest::newRow("two objects") << "{" + body + "}{}" << false;
        QTest::newRow("bom") << "\xef\xbb\xbf{" + body + "}" << true;
        QTest::newRow("array") << QByteArray("[]") << false;
        QTest::newRow("empty") << QByteArray("") << false;
        QTest::newRow("blank") << QByteArray("  \n") << false;
        QTest::newRow("empty object") << QByteArray("{}") << false;
        QTest::newRow("no changes") << QByteArray(R"({"metadata": {"strategy_name": "s"}})") << false;
        QTest::newRow("no metadata") << QByteArray(R"({"changes": []})") << false;
        QTest::newRow("changes first") << QByteArray(R"({"changes": [{"idx": 1, "val": 1}], "metadata": {"strategy_name": "s"}})")
                                       << true;
        QTest::newRow("changes first, empty") << QByteArray(R"({"changes": [], "metadata": {"strategy_name": "s"}})")
                                              << true;
        QTest::newRow("metadata twice") << "{" + body + R"(, "metadata": {"strategy_name": "s"}})" << false;
        QTest::newRow("changes object") << QByteArray(R"({"metadata": {"strategy_name": "s"}, "changes": {}})") << false;
        QTest::newRow("metadata array") << QByteArray(R"({"metadata": [], "changes": []})") << false;
        QTest::newRow("metadata null") << QByteArray(R"({"metadata": null, "changes": []})") << false;
        QTest::newRow("other root keys") << "{\"x\": [1, {\"y\": null}], " + body + ", \"z\": 5}" << true;
        QTest::newRow("missing comma") << QByteArray(R"({"metadata": {"strategy_name": "s"} "changes": []})") << false;
        QTest::newRow("trailing comma") << QByteArray(R"({"metadata": {"strategy_name": "s",}, "changes": []})")
                                        << false;
        QTest::newRow("trailing comma in changes") << "{" + body.chopped(1) + ",]}" << false;
        QTest::newRow("single quotes") << QByteArray(R"({'metadata': {}})") << false;
        auto nestedArrays = [](int depth) {
            QByteArray text(R"({"metadata": {"strategy_name": "s", "deep": )");
            text.append(QByteArray(depth, '[')).append(QByteArray(depth, ']'));
            return text.append(R"(}, "changes": []})");
        };
        QTest::newRow("deep nesting") << nestedArrays(300) << false; // left to SAX
        QTest::newRow("nesting") << nestedArrays(100) << true;
    }

    void oddDocuments()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, accepted);
        bool took = false;
        AGREES(std::string_view(text.constData(), std::size_t(text.size())), text.toStdString(), took);
        QCOMPARE(took, accepted);
    }
};

QTEST_GUILESS_MAIN(TestFastParser)
#include "tst_fast_parser.moc"
