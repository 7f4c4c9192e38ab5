#pragma once
// A dock whose content is built when it is first shown or first asked for.
//
// The panes behind another pane's tab at the start (Bookmarks, Projections, Pending
// fixes, Audit) are not seen until raised; building their widgets before the window's
// first frame only delays it. A LazyDockWidget has its title (and so its tab) from the
// start, and builds its content when it first comes on screen (shown, or its tab made
// the current one), before its first paint, or when a caller needs a widget of it earlier
// (the subclass's accessors call ensureContent()). A dock on screen when its window is
// first shown is built (or, built before to learn its size, put in the dock) after the
// window's first frame, one dock per event-loop turn: the first frame has the pane's
// place, title and placeholder, not its widgets (the Streams, Event, State and Timeline
// panes at the start). A dock behind another's tab stays
// "visible" for Qt, moved out of the window: it is not built until raised. What arrives
// meanwhile (a store, projections) is kept by the subclass and shown when the content is
// built. Until then the dock shows a placeholder ("Loading Bookmarks …"), never an empty
// pane, should it be painted before it is built.
//
// Thread: GUI.

#include <QDockWidget>

namespace chronoscope {

class LazyDockWidget : public QDockWidget {
    Q_OBJECT
public:
    explicit LazyDockWidget(const QString& title, QWidget* parent = nullptr);

    // True once buildContent() has run: the pane's widgets exist (in the dock, or set
    // aside until the window's first frame, see prepareForFirstFrame()).
    bool isContentBuilt() const { return m_built; }
    // Builds the content now unless built already, puts it in the dock unless there
    // already, and drops the placeholder. Const: the accessors of a subclass (const) call
    // it; what the pane holds is the same before and after, only made.
    void ensureContent() const;
    // Builds the content now unless built already; content set aside until the window's
    // first frame (prepareForFirstFrame()) stays aside, its widgets hidden.
    void ensureContentBuilt() const;
    // For the subclasses' accessors: `member` once the content is built (read after it).
    template <typename T>
    const T& built(const T& member) const
    {
        ensureContentBuilt();
        return member;
    }
    // The widget shown until the content is in the dock; nullptr once it is.
    QWidget* placeholder() const { return m_placeholder; }
    // For a pane on screen from the start, called after its object name is set and before
    // the window's layout is set: the placeholder takes the minimum size and size hint of
    // the content, so that the content, put in after the first frame, moves nothing. They
    // are those the content had at the last start (QSettings "panes/NAME/contentSizes",
    // written when the content is built); without them (the first start, or settings
    // removed) the content is built now, measured, and set aside until the first frame:
    // its widgets cost little to make, the first frame's polish, layout and paint of them
    // more.
    void prepareForFirstFrame();
signals:
    // The content has just been built (once, at the end of ensureContent()).
    void contentBuilt();

protected:
    // Makes the content, sets it with setWidget() and shows what the pane has been given
    // so far. Runs once, from ensureContent().
    virtual void buildContent() = 0;
    // A dock whose tab becomes the current one is moved into the window.
    void moveEvent(QMoveEvent* event) override;

private:
    // Visible and within the window (or floating).
    bool isOnScreen() const;
    QString sizesKey() const;
    void buildWhenOnScreen();
    // Runs buildContent() and remembers the content's sizes for the next start; the
    // placeholder stays in the dock when `setAside`.
    void makeContent(bool setAside);
    // Puts the content in the dock in the placeholder's stead, and deletes the placeholder.
    void placeContent();
    void givePlaceholderSizes(QSize minimum, QSize hint);

    // Built in a const call (ensureContent): what changes is the widget tree, not what
    // the pane holds.
    mutable bool m_built = false;
    bool m_buildQueued = false;  // to be built (or placed) after the window's first frame
    mutable QWidget* m_placeholder = nullptr;
    QWidget* m_setAsideContent = nullptr;  // built, not yet in the dock
};

}  // namespace chronoscope
