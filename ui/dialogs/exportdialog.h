#pragma once

#include "ui/charts/chartexport.h"
#include "ui/charts/chartscene.h"

#include <QDialog>
#include <QSize>
#include <QString>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLineEdit;
class QSettings;
class QSpinBox;

namespace sigscope::ui {

// What File > Export Chart asks for, remembered between runs (QSettings group "export").
struct ChartExportSettings
{
    ExportFormat format = ExportFormat::Png;
    QSize size{1600, 900};
    int dpi = 96;
    QString title;
    QString xAxisTitle;    // empty: "Bar index" or "Time (<zone>)"
    QString yAxisTitle;
    QString timeZoneLabel; // time axis: empty shows the zone's ID
    AxisMode axis = AxisMode::Bars;
    bool legend = true;
    bool dark = false;     // "Use dark theme"; exports are light unless asked
    QString folder;        // where the last export went

    static ChartExportSettings load(const QSettings& settings);
    void save(QSettings& settings) const;
    // The render options an export uses: no cursor or readout.
    [[nodiscard]] ExportOptions exportOptions() const;
};

QString exportFormatSuffix(ExportFormat format); // "png", "svg", "pdf"
// path with its suffix replaced by (or extended with) the format's.
QString withExportSuffix(const QString& path, ExportFormat format);

// File > Export Chart: format (PNG with size and DPI, SVG, PDF), titles, legend, X axis, file.
class ExportDialog : public QDialog
{
    Q_OBJECT
public:
    ExportDialog(const ChartExportSettings& initial, const QString& path, QWidget* parent = nullptr);

    [[nodiscard]] ChartExportSettings settings() const;
    [[nodiscard]] QString path() const; // with the suffix of the chosen format

private:
    void browse();
    void updateState();

    QComboBox* m_format = nullptr;
    QSpinBox* m_width = nullptr;
    QSpinBox* m_height = nullptr;
    QSpinBox* m_dpi = nullptr;
    QLineEdit* m_title = nullptr;
    QLineEdit* m_xTitle = nullptr;
    QLineEdit* m_yTitle = nullptr;
    QComboBox* m_axis = nullptr;
    QLineEdit* m_zone = nullptr;
    QCheckBox* m_legend = nullptr;
    QCheckBox* m_dark = nullptr;
    QLineEdit* m_path = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};

} // namespace sigscope::ui
