#pragma once
// The main window: the Events list in the middle, dockable Streams and Event panes,
// menus and shortcuts, the status bar, drag and drop, and the remembered layout.
// It wires panes to models; the work itself happens in model/.

#include <QMainWindow>

class QLabel;
class QProgressBar;
class QPushButton;

namespace chronoscope {

class BookmarksDock;
class BookmarksModel;
class EventDock;
class EventExporter;
class EventsTableModel;
class EventsView;
class RecentFiles;
class StateDock;
class StoreSession;
class StreamsDock;
class StreamsModel;
class TimelineDock;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a store, or imports an NDJSON file (asking where to create its store).
    void openPath(const QString& path);
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
    StateDock* stateDock() const { return m_stateDock; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createStatusBar();
    void restoreLayout();
    void saveLayout();
    void chooseAndOpen();
    void importNdjson(const QString& ndjsonPath);
    void goToPosition();
    void exportEvents();
    void onStoreOpened(const QString& path);
    void onStoreOpenFailed(const QString& path, const QString& message);
    void updateRowsLabel();
    void toggleBookmark();
    void commentOnEvent();
    void editColouringRules();
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
    StateDock* m_stateDock = nullptr;
    RecentFiles* m_recentFiles = nullptr;
    EventExporter* m_exporter;
    QLabel* m_rowsLabel = nullptr;
    QLabel* m_indexLabel = nullptr;
    QProgressBar* m_importProgress = nullptr;
    QPushButton* m_importCancel = nullptr;
    qint64 m_pendingPosition = 0;
};

}  // namespace chronoscope
