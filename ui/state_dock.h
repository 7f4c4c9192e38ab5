#pragma once
// The State pane (DESIGN §8 "State (time travel)"): the chosen projection's state as of
// the current event of the events list (or the range of selected events), as a JSON tree
// with what the event changed highlighted and a list of the changes; switches for the
// corrected, original and as-known-at views; a partition box for partitioned projections;
// the timeline scrubber; Blame (context menu of a field) and Find in history. The work
// happens in model/StateTravel and model/StateHistorySearch.

#include "model/state_history_search.h"
#include "model/state_travel.h"

#include <QDockWidget>
#include <QList>
#include <QPair>

#include <optional>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTimer;
class QTreeView;
class QTreeWidget;

namespace chronoscope {

class EventsView;
class JsonTreeModel;
class StateScrubber;

class StateDock : public QDockWidget {
    Q_OBJECT
public:
    explicit StateDock(QWidget* parent = nullptr);

    // Follows the current event and the selected rows of `view`, and moves its selection
    // when the scrubber steps or plays. Call once.
    void attachEventsView(EventsView* view);
    void setStorePath(const QString& path);

    StateTravel* travel() const { return m_travel; }
    StateHistorySearch* search() const { return m_search; }
    StateScrubber* scrubber() const { return m_scrubber; }
    QTreeView* stateTree() const { return m_tree; }
    JsonTreeModel* stateModel() const { return m_model; }
    QListWidget* changeList() const { return m_changes; }
    QTreeWidget* blameList() const { return m_blame; }
    QComboBox* projectionChooser() const { return m_projection; }
    QComboBox* viewChooser() const { return m_viewChooser; }
    QDateTimeEdit* knownAtEdit() const { return m_knownAt; }
    QLineEdit* partitionEdit() const { return m_partition; }
    QLineEdit* conditionEdit() const { return m_condition; }
    QLabel* statusLabel() const { return m_status; }
    QLabel* searchLabel() const { return m_searchStatus; }
    const StateView& shownState() const { return m_shown; }

    enum ViewIndex { CorrectedView, OriginalView, AsKnownAtView };

public slots:
    // The projections to choose from (name, script); the bundled ones until called.
    void setProjections(const QList<QPair<QString, QString>>& nameAndScript);
    void setCurrentProjection(const QString& name);
    // Blame the field at a JSON Pointer of the shown state.
    void blameField(const QString& pointer);
    void findInHistory();
    void step(int delta);

signals:
    // The user asked to go to an event (blame list, find result, timeline bar).
    void positionChosen(qint64 position);

private:
    void onCurrentEvent(qint64 position);
    void onRowsSelected();
    void requestState();
    void showState(const StateView& view);
    void readSelectedRange();
    void showComputing();
    void showComputingNow();
    void showMessage(const QString& text, bool error);
    void showSearchResult(const HistorySearchResult& result);
    void showTreeMenu(const QPoint& point);
    void listSnapshots();
    CorrectionView currentView() const;
    std::optional<QString> chosenPartition() const;
    QString currentScript() const;
    HistorySearch currentSearch() const;

    StateTravel* m_travel;
    StateHistorySearch* m_search;
    JsonTreeModel* m_model;
    QComboBox* m_projection;
    QComboBox* m_viewChooser;
    QDateTimeEdit* m_knownAt;
    QLineEdit* m_partition;
    QLabel* m_status;
    QTreeView* m_tree;
    QTabWidget* m_tabs;
    QListWidget* m_changes;
    QTreeWidget* m_blame;
    QLineEdit* m_condition;
    QPushButton* m_findButton;
    QLabel* m_searchStatus;
    QProgressBar* m_searchProgress;
    QPushButton* m_searchCancel;
    StateScrubber* m_scrubber;
    QTimer* m_computingDelay;
    EventsView* m_events = nullptr;
    qint64 m_position = 0;                 // the current event, 0: none
    std::optional<qint64> m_firstPosition; // the first event of a selected range
    StateView m_shown;
};

}  // namespace chronoscope
