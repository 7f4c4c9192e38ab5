#pragma once
// The State pane (DESIGN §8 "State (time travel)"): the chosen projection's state as of
// the current event of the events list (or the range of selected events), as a JSON tree
// with what the event changed highlighted and a list of the changes; switches for the
// corrected, original and as-known-at views; a partition box for partitioned projections;
// the timeline scrubber; Blame (context menu of a field) and Find in history. The work
// happens in model/StateTravel and model/StateHistorySearch.
//
// Its widgets are built after the window's first frame, or when first asked for
// (LazyDockWidget): the store, the projections and the current event given before are
// kept and shown when built.

#include "model/state_history_search.h"
#include "model/state_travel.h"
#include "ui/lazy_dock.h"

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

class StateDock : public LazyDockWidget {
    Q_OBJECT
public:
    explicit StateDock(QWidget* parent = nullptr);

    // Follows the current event and the selected rows of `view`, and moves its selection
    // when the scrubber steps or plays. Call once.
    void attachEventsView(EventsView* view);
    void setStorePath(const QString& path);

    StateTravel* travel() const { return built(m_travel); }
    StateHistorySearch* search() const { return built(m_search); }
    StateScrubber* scrubber() const { return built(m_scrubber); }
    QTreeView* stateTree() const { return built(m_tree); }
    JsonTreeModel* stateModel() const { return built(m_model); }
    QListWidget* changeList() const { return built(m_changes); }
    QTreeWidget* blameList() const { return built(m_blame); }
    QComboBox* projectionChooser() const { return built(m_projection); }
    QComboBox* viewChooser() const { return built(m_viewChooser); }
    QDateTimeEdit* knownAtEdit() const { return built(m_knownAt); }
    QLineEdit* partitionEdit() const { return built(m_partition); }
    QLineEdit* conditionEdit() const { return built(m_condition); }
    QLabel* statusLabel() const { return built(m_status); }
    QLabel* searchLabel() const { return built(m_searchStatus); }
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

protected:
    void buildContent() override;

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
    QComboBox* m_projection = nullptr;
    QComboBox* m_viewChooser = nullptr;
    QDateTimeEdit* m_knownAt = nullptr;
    QLineEdit* m_partition = nullptr;
    QLabel* m_status = nullptr;
    QTreeView* m_tree = nullptr;
    QTabWidget* m_tabs = nullptr;
    QListWidget* m_changes = nullptr;
    QTreeWidget* m_blame = nullptr;
    QLineEdit* m_condition = nullptr;
    QPushButton* m_findButton = nullptr;
    QLabel* m_searchStatus = nullptr;
    QProgressBar* m_searchProgress = nullptr;
    QPushButton* m_searchCancel = nullptr;
    StateScrubber* m_scrubber = nullptr;
    QTimer* m_computingDelay = nullptr;
    EventsView* m_events = nullptr;
    qint64 m_position = 0;                 // the current event, 0: none
    std::optional<qint64> m_firstPosition; // the first event of a selected range
    StateView m_shown;
    // Given before the pane was built: applied by buildContent().
    QString m_storePath;
    std::optional<QList<QPair<QString, QString>>> m_givenProjections;
    QString m_givenProjectionName;
};

}  // namespace chronoscope
