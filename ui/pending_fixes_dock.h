#pragma once
// The Pending fixes pane (DESIGN §8 "Corrections"): the staged fixes, each revertible
// on its own; the preview of every projection before | after, side by side, with the
// changed values highlighted and the list of changes (computed in the background,
// newest request wins, with progress and cancel); Apply asks for a reason and writes
// every fix at once. Its widgets are made when the pane is first shown or first has a
// preview or a message to show (LazyDockWidget): at the start it is behind the Timeline's tab.

#include "model/correction_preview_runner.h"

#include "ui/lazy_dock.h"

class QComboBox;
class QLabel;
class QListView;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTimer;

namespace chronoscope {

class CorrectionApplier;
class PendingFixesModel;

class PendingFixesDock : public LazyDockWidget {
    Q_OBJECT
public:
    PendingFixesDock(PendingFixesModel* model, QWidget* parent = nullptr);

    void setStorePath(const QString& path);
    // The projections the preview shows, as (name, script); the bundled ones by default.
    void setProjections(const QList<QPair<QString, QString>>& nameAndScript);

    // Computes the preview of the staged fixes now (it also follows every change of the
    // staged list, shortly after).
    void preview();
    // Asks for a reason, then applies.
    void askReasonAndApply();
    // Applies every staged fix with `reason` (non-empty); the author is the OS user.
    void apply(const QString& reason);

    CorrectionPreviewRunner* runner() const { return m_runner; }
    QListView* fixesView() const { return built(m_fixes); }
    QPushButton* revertButton() const { return built(m_revert); }
    QPushButton* previewButton() const { return built(m_preview); }
    QPushButton* applyButton() const { return built(m_apply); }
    QPushButton* cancelButton() const { return built(m_cancel); }
    QProgressBar* progressBar() const { return built(m_progress); }
    QComboBox* projectionChooser() const { return built(m_projection); }
    QPlainTextEdit* beforeView() const { return built(m_before); }
    QPlainTextEdit* afterView() const { return built(m_after); }
    QListWidget* changesList() const { return built(m_changes); }
    QLabel* messageLabel() const { return built(m_message); }

signals:
    // Every staged fix was written; the staged list is empty again.
    void correctionsApplied();
    void statusMessage(const QString& message);

protected:
    void buildContent() override;

private:
    void revertSelected();
    void updateButtons();
    void showResult(const QList<ProjectionPreviewView>& projections);
    void showProjection(int index);
    void showMessage(const QString& text, bool error);

    PendingFixesModel* m_model;
    CorrectionPreviewRunner* m_runner;
    CorrectionApplier* m_applier;
    QString m_storePath;
    QTimer* m_previewTimer;
    // The staged fixes changed since the last apply: projections that arrive later are
    // previewed too. After an apply, its outcome stays on screen until the fixes change.
    bool m_previewWanted = false;
    QListView* m_fixes = nullptr;
    QPushButton* m_revert = nullptr;
    QPushButton* m_preview = nullptr;
    QPushButton* m_apply = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_message = nullptr;
    QComboBox* m_projection = nullptr;
    QPlainTextEdit* m_before = nullptr;
    QPlainTextEdit* m_after = nullptr;
    QListWidget* m_changes = nullptr;
    QList<ProjectionPreviewView> m_shown;
};

}  // namespace chronoscope
