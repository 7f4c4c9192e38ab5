#pragma once
// A dock whose content is built when it is first shown or first asked for.
//
// The panes behind another pane's tab at the start (Bookmarks, Projections, Pending
// fixes, Audit) are not seen until raised; building their widgets before the window's
// first frame only delays it. A LazyDockWidget has its title (and so its tab) from the
// start, and builds its content when it first comes on screen (shown, or its tab made
// the current one), before its first paint, or when a caller needs a widget of it earlier
// (the subclass's accessors call ensureContent()). A dock behind another's tab stays
// "visible" for Qt, moved out of the window: it is not built until raised. What arrives meanwhile (a store, projections) is kept by the
// subclass and shown when the content is built.
//
// Thread: GUI.

#include <QDockWidget>

namespace chronoscope {

class LazyDockWidget : public QDockWidget {
    Q_OBJECT
public:
    explicit LazyDockWidget(const QString& title, QWidget* parent = nullptr);

    // True once buildContent() has run.
    bool isContentBuilt() const { return m_built; }
    // Builds the content now unless built already. Const: the accessors of a subclass
    // (const) call it; what the pane shows is the same before and after.
    void ensureContent() const;

protected:
    // Makes the content, sets it with setWidget() and shows what the pane has been given
    // so far. Runs once.
    virtual void buildContent() = 0;
    // A dock whose tab becomes the current one is moved into the window.
    void moveEvent(QMoveEvent* event) override;

private:
    // Visible and within the window (or floating).
    bool isOnScreen() const;
    void buildWhenOnScreen();

    bool m_built = false;
};

}  // namespace chronoscope
