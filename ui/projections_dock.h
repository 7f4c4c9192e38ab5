#pragma once
// The Projections pane (DESIGN §8): the bundled and user projections, an editor with
// JavaScript highlighting that compiles as you type (errors underlined at their line,
// the message with line and column), New / Save / Save As / Delete / Revert (bundled
// projections are read-only: Save As makes a user copy), Run / Rebuild / Cancel with a
// progress bar and events per second, the result as a JSON tree and as raw text, the
// script's warnings, and Check Snapshots (the divergence check) with its verdict.
//
// It owns the pane's models: a ProjectionCatalog (other panes read the projections from
// it), a ProjectionRunner (the main window feeds it storeChanged()) and a ScriptChecker.
// Run and Rebuild run the editor's text, saved or not. The models are made with the pane;
// its widgets when it is first shown or a widget of it is asked for (LazyDockWidget): at
// the start the pane is behind the Event pane's tab.

#include "model/projection_diagnostic.h"
#include "model/projection_runner.h"

#include "ui/lazy_dock.h"
#include <QStringList>

class QLabel;
class QListView;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTreeView;
class QToolButton;

namespace chronoscope {

class JavaScriptHighlighter;
class JsonTreeModel;
class ProjectionCatalog;
class ScriptChecker;

class ProjectionsDock : public LazyDockWidget {
    Q_OBJECT
public:
    explicit ProjectionsDock(QWidget* parent = nullptr);
    ~ProjectionsDock() override;

    // An empty path: no store open (bundled projections only, nothing to run).
    void setStorePath(const QString& path);

    ProjectionCatalog* catalog() const { return m_catalog; }
    ProjectionRunner* runner() const { return m_runner; }
    ScriptChecker* checker() const { return m_checker; }

    // Shows the projection called `name` in the editor (unsaved edits are dropped).
    void showProjection(const QString& name);
    // Shows `script` as a new, unsaved projection (shows and raises the pane).
    void showNewProjection(const QString& script);
    // The name shown ("" for a new, unsaved projection).
    QString shownName() const { return built(m_name); }
    bool isModified() const;

    // For tests and the main window.
    QListView* listView() const { return built(m_list); }
    QPlainTextEdit* editor() const { return built(m_editor); }
    QLabel* diagnosticLabel() const { return built(m_diagnostic); }
    QLabel* warningsLabel() const { return built(m_warnings); }
    QLabel* statusLabel() const { return built(m_status); }
    QLabel* verdictLabel() const { return built(m_verdict); }
    QProgressBar* progressBar() const { return built(m_progress); }
    QTreeView* resultTree() const { return built(m_resultTree); }
    QPlainTextEdit* rawResult() const { return built(m_raw); }
    QPushButton* runButton() const { return built(m_run); }
    QPushButton* rebuildButton() const { return built(m_rebuild); }
    QPushButton* cancelButton() const { return built(m_cancel); }
    QPushButton* checkButton() const { return built(m_check); }
    QPushButton* saveButton() const { return built(m_save); }
    QPushButton* saveAsButton() const { return built(m_saveAs); }
    QPushButton* deleteButton() const { return built(m_delete); }
    QPushButton* revertButton() const { return built(m_revert); }
    QPushButton* newButton() const { return built(m_new); }
    // The line underlined as an error (1-based; 0: none).
    int underlinedLine() const { return m_underlinedLine; }

protected:
    void changeEvent(QEvent* event) override;
    void buildContent() override;

signals:
    // The user asked to see the event a projection error names.
    void positionChosen(qint64 position);
    void statusMessage(const QString& message);

private:
    // The widgets' part of setStorePath(): results, progress and messages cleared.
    void showStore();
    QWidget* createListPart();
    QWidget* createEditorPart();
    QWidget* createResultPart();
    void chooseRow(const QModelIndex& index);
    void selectShownRow();
    void newProjection();
    void save();
    void saveAs();
    void deleteProjection();
    void revert();
    void startTask(ProjectionRunner::Task task);
    void onChecked(const QString& script, const ProjectionDiagnostic& diagnostic, const QStringList& warnings);
    void onStarted(ProjectionRunner::Task task);
    void onProgress(qint64 done, qint64 total, double eventsPerSecond);
    void onFinished(const ProjectionRunner::Outcome& outcome);
    void onSnapshotsChecked(const ProjectionRunner::DivergenceOutcome& outcome);
    void showDiagnostic(const ProjectionDiagnostic& diagnostic);
    void underline(int line, int column);
    void updateActions();
    void setScriptText(const QString& script);

    ProjectionCatalog* m_catalog;
    ProjectionRunner* m_runner;
    ScriptChecker* m_checker;
    JsonTreeModel* m_resultModel;
    JavaScriptHighlighter* m_highlighter = nullptr;
    QListView* m_list = nullptr;
    QPlainTextEdit* m_editor = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_diagnostic = nullptr;
    QToolButton* m_goToEvent = nullptr;
    QLabel* m_warnings = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_verdict = nullptr;
    QProgressBar* m_progress = nullptr;
    QTabWidget* m_resultTabs = nullptr;
    QTreeView* m_resultTree = nullptr;
    QPlainTextEdit* m_raw = nullptr;
    QPushButton* m_new = nullptr;
    QPushButton* m_save = nullptr;
    QPushButton* m_saveAs = nullptr;
    QPushButton* m_delete = nullptr;
    QPushButton* m_revert = nullptr;
    QPushButton* m_run = nullptr;
    QPushButton* m_rebuild = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_check = nullptr;

    QString m_storePath;
    QString m_name;         // shown projection; empty: a new one
    QString m_savedScript;  // its script as saved (what Revert restores)
    bool m_bundled = false;
    bool m_settingText = false;
    QString m_pendingSelection;  // select this name once the catalog lists it
    ProjectionDiagnostic m_compileDiagnostic;
    ProjectionDiagnostic m_runDiagnostic;
    int m_underlinedLine = 0;
    qint64 m_errorPosition = 0;
};

}  // namespace chronoscope
