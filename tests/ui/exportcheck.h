#pragma once

// Checks of exported chart files shared by the export tests (header-only).
#include <QByteArray>
#include <QFile>
#include <QString>
#include <QStringList>
#include <QXmlStreamReader>

namespace sigscope::test {

inline QByteArray readBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Pages of a PDF: "/Type /Page" not followed by "s" (that one is the /Pages tree).
inline int pdfPageCount(const QByteArray& pdf)
{
    int pages = 0;
    const QByteArray key("/Type /Page");
    for (qsizetype at = pdf.indexOf(key); at >= 0; at = pdf.indexOf(key, at + 1)) {
        if (at + key.size() >= pdf.size() || pdf.at(at + key.size()) != 's')
            ++pages;
    }
    return pages;
}

// The /Title of a PDF's document information, as QPdfWriter writes it: a literal string of
// UTF-16BE bytes after a byte order mark, with '(', ')' and '\\' escaped by a backslash. Empty
// when there is none.
inline QString pdfTitle(const QByteArray& pdf)
{
    const QByteArray key("/Title (");
    qsizetype at = pdf.indexOf(key);
    if (at < 0)
        return {};
    QByteArray bytes;
    for (at += key.size(); at < pdf.size() && pdf.at(at) != ')'; ++at) {
        if (pdf.at(at) == '\\' && at + 1 < pdf.size())
            ++at;
        bytes.append(pdf.at(at));
    }
    if (!bytes.startsWith("\xfe\xff"))
        return QString::fromLatin1(bytes);
    QString title;
    for (qsizetype i = 2; i + 1 < bytes.size(); i += 2)
        title.append(QChar(static_cast<char16_t>((static_cast<unsigned char>(bytes.at(i)) << 8)
                                                 | static_cast<unsigned char>(bytes.at(i + 1)))));
    return title;
}

// An SVG file read with QXmlStreamReader: its <path> count and <text> contents, or the error.
struct SvgContent
{
    int paths = 0;
    QStringList texts;
    QString title; // the document's <title>
    QString error; // empty when well-formed
};

inline SvgContent readSvg(const QString& file)
{
    SvgContent content;
    QXmlStreamReader reader(readBytes(file));
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.isStartElement() && reader.name() == QLatin1String("path"))
            ++content.paths;
        if (reader.isStartElement() && reader.name() == QLatin1String("title") && content.title.isEmpty())
            content.title = reader.readElementText(QXmlStreamReader::IncludeChildElements);
        if (reader.isStartElement() && reader.name() == QLatin1String("text"))
            content.texts << reader.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
    }
    if (reader.hasError())
        content.error = reader.errorString();
    else if (content.paths == 0 && content.texts.isEmpty())
        content.error = QStringLiteral("no drawing in ") + file;
    return content;
}

} // namespace sigscope::test
