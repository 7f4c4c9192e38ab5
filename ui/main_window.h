#pragma once
// The main window: the Events list in the middle, dockable Streams and Event panes,
// menus and shortcuts, the status bar, drag and drop, and the remembered layout.
// It wires panes to models; the work itself happens in model/.

#include <QMainWindow>

#include <functional>

class QLabel;
class QProgressBar;
class QPushButton;

namespace chronoscope {

class AuditDock;
class AuditModel;
class BookmarksDock;
class CorrectionActions;
class PendingFixesDock;
class PendingFixesModel;
class BookmarksModel;
class EventDock;
class EventExporter;
class EventsTableModel;
class EventsView;
class PullWorker;
class ProjectionsDock;
class RecentFiles;
class StateDock;
class StoreSession;
class StreamsDock;
class StreamsModel;
class TimelineDock;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // With `storeToOpen` (a store, not an NDJSON file) the window opens it as openPath
    // does, and its Events list starts reading it before the rest of the window is built.
    explicit MainWindow(const QString& storeToOpen = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a store, or imports an NDJSON file (asking where to create its store).
    void openPath(const QString& path);
    // Shows the window. While the Events list reads a store opened before the window was
    // shown (openPath), it is shown when the list's first rows or its error are in, at the
    // latest `boundMilliseconds` after this call: its first frame then has the rows, and
    // the window's whole image goes to the X server once. The event loop runs meanwhile
    // (this returns at once); `shown` runs right after show().
    void showWithFirstRows(std::function<void()> shown = {}, int boundMilliseconds = kFirstRowsWaitMilliseconds);
    // Selects the event at `position` once the store being opened is shown.
    void selectPositionWhenOpen(qint64 position) { m_pendingPosition = position; }

    StoreSession* session() const { return m_session; }
    EventsTableModel* eventsModel() const { return m_eventsModel; }
    StreamsModel* streamsModel() const { return m_streamsModel; }
    EventsView* eventsView() const { return m_eventsView; }
    StreamsDock* streamsDock() const { return m_streamsDock; }
    EventDock* eventDock() const { return m_eventDock; }
    TimelineDock* timelineDock() const { return m_timelineDock; }
    BookmarksModel* bookmarksModel() const { return m_bookmarksModel; }
    BookmarksDock* bookmarksDock() const { return m_bookmarksDock; }
    // The Projections pane, with its catalog() and runner() for other panes.
    ProjectionsDock* projectionsDock() const { return m_projectionsDock; }
    // Corrections (DESIGN §8): staging, preview, apply, audit.
    PendingFixesModel* pendingFixesModel() const { return m_pendingFixesModel; }
    PendingFixesDock* pendingFixesDock() const { return m_pendingFixesDock; }
    CorrectionActions* correctionActions() const { return m_correctionActions; }
    AuditModel* auditModel() const { return m_auditModel; }
    AuditDock* auditDock() const { return m_auditDock; }
    StateDock* stateDock() const { return m_stateDock; }
    // The status bar's "Read-only" mark, shown while the open store cannot be written.
    QLabel* readOnlyLabel() const { return m_readOnlyLabel; }

signals:
    // Corrections were written from this window: projections should re-fold (from the
    // last valid snapshot before the earliest fix).
    void correctionsApplied();
    // Every pane now works on the store at `path` (the Events list gets it first, the
    // others once its first rows are in: onStoreOpened).
    void panesOpened(const QString& path);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createStatusBar();
    void hideImportProgress();  // after an import or a pull ends, either way
    void restoreLayout();
    void saveLayout();
    void chooseAndOpen();
    // Starts the Events list on `path` while the window is not shown and nothing is open
    // (see openPath); does nothing otherwise.
    void startEarlyList(const QString& path);
    void importNdjson(const QString& ndjsonPath);
    void pullFromPostgres();
    void goToPosition();
    void exportEvents();
    void onStoreOpened(const QString& path);
    // The panes other than the events list take the opened store (after its first rows).
    void openStoreInPanes(const QString& path);
    void onStoreOpenFailed(const QString& path, const QString& message);
    void updateRowsLabel();
    void toggleBookmark();
    void commentOnEvent();
    void editColouringRules();
    void createProjectionsDock();
    void createCorrections();
    void connectProjectionPanes();
    void createStateDock();

    StoreSession* m_session;
    StreamsModel* m_streamsModel;
    EventsTableModel* m_eventsModel;
    EventsView* m_eventsView;
    StreamsDock* m_streamsDock;
    EventDock* m_eventDock;
    TimelineDock* m_timelineDock;
    BookmarksModel* m_bookmarksModel;
    BookmarksDock* m_bookmarksDock;
    ProjectionsDock* m_projectionsDock = nullptr;
    StateDock* m_stateDock = nullptr;
    RecentFiles* m_recentFiles = nullptr;
    EventExporter* m_exporter;
    PullWorker* m_pullWorker = nullptr;
    QLabel* m_rowsLabel = nullptr;
    QLabel* m_readOnlyLabel = nullptr;  // shown while the store cannot be written; its tip says why
    QList<QAction*> m_annotationActions;  // bookmark and comment: off on a read-only store
    QLabel* m_indexLabel = nullptr;
    QProgressBar* m_importProgress = nullptr;
    QPushButton* m_importCancel = nullptr;
    qint64 m_pendingPosition = 0;
    // The store whose rows the Events list started to load while the session still checks
    // it (the first store opened: openPath with nothing open), and whether the list has
    // answered (rows or an error) since; onStoreOpened then keeps that list.
    QString m_earlyListPath;
    bool m_earlyListAnswered = false;
    bool m_awaitingFirstRows = false;  // the early list has not answered yet (showWithFirstRows waits)
    quint64 m_panesGeneration = 0;  // bumped per opening; a stale openStoreInPanes() does nothing
    static constexpr int kPanesDelayMilliseconds = 400;
    static constexpr int kFirstRowsWaitMilliseconds = 100;  // showWithFirstRows waits for the rows at most this long
    PendingFixesModel* m_pendingFixesModel = nullptr;
    PendingFixesDock* m_pendingFixesDock = nullptr;
    CorrectionActions* m_correctionActions = nullptr;
    AuditModel* m_auditModel = nullptr;
    AuditDock* m_auditDock = nullptr;
};

}  // namespace chronoscope
