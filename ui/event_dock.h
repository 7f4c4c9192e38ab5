#pragma once
// The Event pane: the current event's fields, its data and metadata as collapsible
// JSON trees and as raw JSON, and its correction history.
//
// Its widgets are built after the window's first frame, or when first asked for
// (LazyDockWidget); the loader works from the start, and the event it loaded meanwhile
// is shown when the pane is built.

#include "model/event_details.h"
#include "ui/event_dock_fields.h"
#include "ui/lazy_dock.h"

#include <optional>

class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTreeView;
class QTreeWidget;

namespace chronoscope {

class JsonTreeModel;
class PiecewiseText;

class EventDock : public LazyDockWidget {
    Q_OBJECT
public:
    explicit EventDock(QWidget* parent = nullptr);

    EventDetailsLoader* loader() const { return m_loader; }
    QTreeView* dataTree() const { return built(m_dataTree); }
    // The fields above the tabs (type, position, stream, times, ids).
    EventFieldsLabel* fieldsLabel() const { return built(m_fields); }
    QTreeView* metadataTree() const { return built(m_metadataTree); }
    QTabWidget* tabs() const { return built(m_tabs); }
    QPlainTextEdit* rawText() const { return built(m_raw); }
    // Sets the raw JSON in pieces; completed() once all of it is shown.
    PiecewiseText* rawTextSetter() const { return built(m_rawText); }
    qint64 shownPosition() const { return built(m_shownPosition); }
    const QString& correlationId() const { return built(m_correlationId); }

signals:
    // The user asked to list every event with this correlation id.
    void followCorrelationRequested(const QString& correlationId);
    void eventShown(qint64 position);
    // The user asked to show a payload field ("data.amount") as a column of the list.
    void promoteFieldRequested(const QString& path);

protected:
    void buildContent() override;

private:
    void show(const EventDetails& details);
    void showEmpty();
    void showFieldMenu(QTreeView* tree, const QPoint& point);
    void setCorrectionsTabText(const QString& text);

    EventDetailsLoader* m_loader;
    JsonTreeModel* m_dataModel;
    JsonTreeModel* m_metadataModel;
    EventFieldsLabel* m_fields = nullptr;
    QPushButton* m_followCorrelation = nullptr;
    QTabWidget* m_tabs = nullptr;
    QTreeView* m_dataTree = nullptr;
    QTreeView* m_metadataTree = nullptr;
    QPlainTextEdit* m_raw = nullptr;
    PiecewiseText* m_rawText = nullptr;
    QTreeWidget* m_corrections = nullptr;
    qint64 m_shownPosition = 0;
    QString m_correlationId;
    std::optional<EventDetails> m_givenDetails;  // loaded before the pane was built
};

}  // namespace chronoscope
