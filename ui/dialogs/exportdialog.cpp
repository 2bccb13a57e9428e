#include "ui/dialogs/exportdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <iterator>

namespace sigscope::ui {

namespace {

namespace Key {
const QString format = QStringLiteral("export/format");
const QString size = QStringLiteral("export/size");
const QString dpi = QStringLiteral("export/dpi");
const QString title = QStringLiteral("export/title");
const QString xTitle = QStringLiteral("export/xAxisTitle");
const QString yTitle = QStringLiteral("export/yAxisTitle");
const QString zone = QStringLiteral("export/timeZoneLabel");
const QString axis = QStringLiteral("export/axis");
const QString legend = QStringLiteral("export/legend");
const QString folder = QStringLiteral("export/folder");
} // namespace Key

constexpr ExportFormat kFormats[] = {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf};

} // namespace

QString exportFormatSuffix(ExportFormat format)
{
    switch (format) {
    case ExportFormat::Png:
        return QStringLiteral("png");
    case ExportFormat::Svg:
        return QStringLiteral("svg");
    case ExportFormat::Pdf:
        return QStringLiteral("pdf");
    }
    return {};
}

QString withExportSuffix(const QString& path, ExportFormat format)
{
    if (path.isEmpty())
        return path;
    const QFileInfo info(path);
    QString base = path;
    if (exportFormatForPath(path))
        base.chop(info.suffix().size() + 1);
    return base + QLatin1Char('.') + exportFormatSuffix(format);
}

ChartExportSettings ChartExportSettings::load(const QSettings& settings)
{
    ChartExportSettings s;
    s.format = exportFormatForPath(QStringLiteral("x.") + settings.value(Key::format).toString()).value_or(s.format);
    const QSize size = settings.value(Key::size, s.size).toSize();
    if (size.width() >= 100 && size.height() >= 100)
        s.size = size;
    s.dpi = std::clamp(settings.value(Key::dpi, s.dpi).toInt(), 24, 2400);
    s.title = settings.value(Key::title).toString();
    s.xAxisTitle = settings.value(Key::xTitle).toString();
    s.yAxisTitle = settings.value(Key::yTitle).toString();
    s.timeZoneLabel = settings.value(Key::zone).toString();
    s.axis = settings.value(Key::axis).toString() == QLatin1String("time") ? AxisMode::Time : AxisMode::Bars;
    s.legend = settings.value(Key::legend, true).toBool();
    s.folder = settings.value(Key::folder).toString();
    return s;
}

void ChartExportSettings::save(QSettings& settings) const
{
    settings.setValue(Key::format, exportFormatSuffix(format));
    settings.setValue(Key::size, size);
    settings.setValue(Key::dpi, dpi);
    settings.setValue(Key::title, title);
    settings.setValue(Key::xTitle, xAxisTitle);
    settings.setValue(Key::yTitle, yAxisTitle);
    settings.setValue(Key::zone, timeZoneLabel);
    settings.setValue(Key::axis, axis == AxisMode::Time ? QStringLiteral("time") : QStringLiteral("bars"));
    settings.setValue(Key::legend, legend);
    settings.setValue(Key::folder, folder);
}

ExportOptions ChartExportSettings::exportOptions() const
{
    ExportOptions options;
    options.size = size;
    options.dpi = format == ExportFormat::Png ? dpi : 96;
    options.render.title = title;
    options.render.xAxisTitle = xAxisTitle;
    options.render.yAxisTitle = yAxisTitle;
    options.render.timeZoneLabel = timeZoneLabel;
    options.render.legend = legend;
    options.render.dark = dark;
    return options;
}

ExportDialog::ExportDialog(const ChartExportSettings& initial, const QString& path, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Export Chart"));
    setObjectName(QStringLiteral("exportDialog"));

    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("format"));
    m_format->addItem(tr("PNG image"));
    m_format->addItem(tr("SVG (vector)"));
    m_format->addItem(tr("PDF (vector)"));
    const auto spin = [this](const char* name, int min, int max, int value, const QString& suffix) {
        auto* box = new QSpinBox(this);
        box->setObjectName(QString::fromLatin1(name));
        box->setRange(min, max);
        box->setValue(value);
        box->setSuffix(suffix);
        return box;
    };
    m_width = spin("width", 100, 20000, initial.size.width(), tr(" px"));
    m_height = spin("height", 100, 20000, initial.size.height(), tr(" px"));
    m_dpi = spin("dpi", 24, 2400, initial.dpi, tr(" dpi"));
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_width);
    sizeRow->addWidget(new QLabel(QStringLiteral("\u00d7"), this));
    sizeRow->addWidget(m_height);
    sizeRow->addWidget(m_dpi);

    const auto line = [this](const char* name, const QString& text, const QString& placeholder) {
        auto* edit = new QLineEdit(text, this);
        edit->setObjectName(QString::fromLatin1(name));
        edit->setPlaceholderText(placeholder);
        edit->setClearButtonEnabled(true);
        return edit;
    };
    m_title = line("title", initial.title, tr("none"));
    m_xTitle = line("xAxisTitle", initial.xAxisTitle, tr("automatic: bar index or time with its zone"));
    m_yTitle = line("yAxisTitle", initial.yAxisTitle, tr("none"));
    m_axis = new QComboBox(this);
    m_axis->setObjectName(QStringLiteral("axis"));
    m_axis->addItem(tr("Bar index"));
    m_axis->addItem(tr("Time"));
    m_axis->setCurrentIndex(initial.axis == AxisMode::Time ? 1 : 0);
    m_zone = line("timeZoneLabel", initial.timeZoneLabel, tr("the zone's ID, e.g. UTC"));
    m_legend = new QCheckBox(tr("Legend of traces and regimes"), this);
    m_legend->setObjectName(QStringLiteral("legend"));
    m_legend->setChecked(initial.legend);

    m_path = line("path", path, QString());
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);

    // A label whose row is a layout gets no buddy from QFormLayout and shows its '&': give it one.
    const auto buddyLabel = [this](const QString& text, QWidget* buddy) {
        auto* label = new QLabel(text, this);
        label->setBuddy(buddy);
        return label;
    };
    auto* form = new QFormLayout;
    form->addRow(tr("&Format:"), m_format);
    form->addRow(buddyLabel(tr("&Size:"), m_width), sizeRow);
    form->addRow(tr("&Title:"), m_title);
    form->addRow(tr("&X axis:"), m_axis);
    form->addRow(tr("X axis t&itle:"), m_xTitle);
    form->addRow(tr("Time &zone label:"), m_zone);
    form->addRow(tr("&Y axis title:"), m_yTitle);
    form->addRow(QString(), m_legend);
    m_dark = new QCheckBox(tr("Use dark theme"), this);
    m_dark->setObjectName(QStringLiteral("darkTheme"));
    m_dark->setChecked(initial.dark);
    form->addRow(QString(), m_dark);
    form->addRow(buddyLabel(tr("&File:"), m_path), pathRow);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_buttons);

    m_format->setCurrentIndex(static_cast<int>(std::find(std::begin(kFormats), std::end(kFormats), initial.format)
                                               - std::begin(kFormats)));
    connect(m_format, &QComboBox::currentIndexChanged, this, [this]() {
        m_path->setText(withExportSuffix(m_path->text(), settings().format));
        updateState();
    });
    connect(m_axis, &QComboBox::currentIndexChanged, this, &ExportDialog::updateState);
    connect(m_path, &QLineEdit::textChanged, this, &ExportDialog::updateState);
    updateState();
}

ChartExportSettings ExportDialog::settings() const
{
    ChartExportSettings s;
    s.format = kFormats[std::clamp(m_format->currentIndex(), 0, 2)];
    s.size = QSize(m_width->value(), m_height->value());
    s.dpi = m_dpi->value();
    s.title = m_title->text().trimmed();
    s.xAxisTitle = m_xTitle->text().trimmed();
    s.yAxisTitle = m_yTitle->text().trimmed();
    s.timeZoneLabel = m_zone->text().trimmed();
    s.axis = m_axis->currentIndex() == 1 ? AxisMode::Time : AxisMode::Bars;
    s.legend = m_legend->isChecked();
    s.dark = m_dark->isChecked();
    s.folder = QFileInfo(path()).absolutePath();
    return s;
}

QString ExportDialog::path() const
{
    return withExportSuffix(m_path->text().trimmed(), kFormats[std::clamp(m_format->currentIndex(), 0, 2)]);
}

void ExportDialog::browse()
{
    const ExportFormat format = settings().format;
    const QString filter = format == ExportFormat::Png ? tr("PNG images (*.png)")
                           : format == ExportFormat::Svg ? tr("SVG drawings (*.svg)")
                                                         : tr("PDF documents (*.pdf)");
    const QString chosen = QFileDialog::getSaveFileName(this, tr("Export Chart To"), m_path->text(), filter);
    if (!chosen.isEmpty())
        m_path->setText(withExportSuffix(chosen, format));
}

void ExportDialog::updateState()
{
    // DPI only changes raster output; the zone label only shows on a time axis.
    m_dpi->setEnabled(m_format->currentIndex() == 0);
    m_zone->setEnabled(m_axis->currentIndex() == 1);
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(!m_path->text().trimmed().isEmpty());
}

} // namespace sigscope::ui
