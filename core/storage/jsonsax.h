#pragma once

// Internal helpers of core/storage: pieces shared by the streaming (SAX) readers of data files
// and indexes. No nlohmann include here; the handlers are duck-typed for nlohmann::json::sax_parse.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace sigscope::core::detail {

// Rebuilds one JSON value from SAX events as compact text (numbers as written), for metadata
// keys we keep unread and for parameters.
class RawCapture
{
public:
    void begin()
    {
        m_text.clear();
        m_stack.clear();
        m_active = true;
    }
    [[nodiscard]] bool active() const { return m_active; }
    // Text of the finished value; valid once active() turned false again.
    [[nodiscard]] const std::string& text() const { return m_text; }
    std::string take() { return std::move(m_text); }

    void null() { scalar("null"); }
    void boolean(bool v) { scalar(v ? "true" : "false"); }
    void number(std::string_view text) { scalar(text); }
    void string(std::string_view s);
    void startObject() { open('{', true); }
    void startArray() { open('[', false); }
    // false when the object already has that key (strict JSON: the caller fails the parse).
    bool key(std::string_view k);
    void endContainer(char closer);
    // Levels open inside the captured value.
    [[nodiscard]] std::size_t depth() const { return m_stack.size(); }

private:
    struct Level
    {
        bool object;
        std::size_t count;
        std::unordered_set<std::string> keys; // an object's keys so far, to refuse a repeated one
    };
    void beforeValue();
    void scalar(std::string_view text)
    {
        beforeValue();
        m_text += text;
        finishIfTop();
    }
    void open(char opener, bool object)
    {
        beforeValue();
        m_text.push_back(opener);
        m_stack.push_back({object, 0, {}});
    }
    void finishIfTop()
    {
        if (m_stack.empty())
            m_active = false;
    }

    std::string m_text;
    std::vector<Level> m_stack;
    bool m_active = false;
};

// "line L, column C" of a byte offset as nlohmann reports it (chars read, 1-based).
struct TextPosition
{
    std::int64_t line = 1;
    std::int64_t column = 1;
};
TextPosition textPosition(std::string_view text, std::size_t charsRead);
// nlohmann's exception text without its "[json.exception...] parse error at line.., column..: " prefix.
std::string parseErrorReason(std::string_view what);

// The reason a parse fails on a repeated key: duplicate key "x" (the key escaped as JSON).
std::string duplicateKeyReason(std::string_view key);

// The metadata keys a Trace reads into its own fields (the rest are kept as extras); the
// reader checks their types, the writer writes them first and never repeats them as extras.
bool isKnownMetadataKey(std::string_view key);

// Small writers shared by the data file and index serializers.
void appendInt(std::string& out, std::int64_t value);
void appendOptionalString(std::string& out, const std::optional<std::string>& value); // null when empty

// Reads a whole file; throws StorageError naming it on failure.
std::string readWholeFile(const std::filesystem::path& path);

} // namespace sigscope::core::detail
