#pragma once
// The Event pane: the current event's fields, its data and metadata as collapsible
// JSON trees and as raw JSON, and its correction history.

#include "model/event_details.h"
#include "ui/event_dock_fields.h"

#include <QDockWidget>

class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTreeView;
class QTreeWidget;

namespace chronoscope {

class JsonTreeModel;
class PiecewiseText;

class EventDock : public QDockWidget {
    Q_OBJECT
public:
    explicit EventDock(QWidget* parent = nullptr);

    EventDetailsLoader* loader() const { return m_loader; }
    QTreeView* dataTree() const { return m_dataTree; }
    // The fields above the tabs (type, position, stream, times, ids).
    EventFieldsLabel* fieldsLabel() const { return m_fields; }
    QTreeView* metadataTree() const { return m_metadataTree; }
    QTabWidget* tabs() const { return m_tabs; }
    QPlainTextEdit* rawText() const { return m_raw; }
    // Sets the raw JSON in pieces; completed() once all of it is shown.
    PiecewiseText* rawTextSetter() const { return m_rawText; }
    qint64 shownPosition() const { return m_shownPosition; }
    const QString& correlationId() const { return m_correlationId; }

signals:
    // The user asked to list every event with this correlation id.
    void followCorrelationRequested(const QString& correlationId);
    void eventShown(qint64 position);
    // The user asked to show a payload field ("data.amount") as a column of the list.
    void promoteFieldRequested(const QString& path);

private:
    void show(const EventDetails& details);
    void showEmpty();
    void showFieldMenu(QTreeView* tree, const QPoint& point);
    void setCorrectionsTabText(const QString& text);

    EventDetailsLoader* m_loader;
    JsonTreeModel* m_dataModel;
    JsonTreeModel* m_metadataModel;
    EventFieldsLabel* m_fields;
    QPushButton* m_followCorrelation;
    QTabWidget* m_tabs;
    QTreeView* m_dataTree;
    QTreeView* m_metadataTree;
    QPlainTextEdit* m_raw;
    PiecewiseText* m_rawText;
    QTreeWidget* m_corrections;
    qint64 m_shownPosition = 0;
    QString m_correlationId;
};

}  // namespace chronoscope
