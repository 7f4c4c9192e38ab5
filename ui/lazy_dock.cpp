#include "ui/lazy_dock.h"

#include <QLabel>
#include <QTimer>

namespace chronoscope {

LazyDockWidget::LazyDockWidget(const QString& title, QWidget* parent) : QDockWidget(title, parent)
{
    auto* placeholder = new QLabel(tr("Loading %1 …").arg(title), this);
    placeholder->setObjectName(QStringLiteral("lazyDockPlaceholder"));
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    placeholder->setEnabled(false);  // greyed: a passing state, not content
    m_placeholder = placeholder;
    setWidget(placeholder);
    // Emitted when the dock is shown and when its tab becomes the current one (a dock
    // behind another's tab stays visible, moved out of the window).
    connect(this, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (visible) buildWhenOnScreen();
    });
}

void LazyDockWidget::ensureContent() const
{
    if (m_built) return;
    m_built = true;
    // buildContent() sets the widgets of the pane: not a const step, though the pane's
    // state is the same after it.
    const_cast<LazyDockWidget*>(this)->buildContent();
    // setWidget() hid the placeholder and left it to its parent.
    if (widget() != m_placeholder) {
        delete m_placeholder;
        m_placeholder = nullptr;
    }
    // A widget added to a shown dock is shown only by a queued call: show it now, so that
    // the pane's first paint has its content.
    if (isVisible() && widget()) widget()->show();
}

void LazyDockWidget::moveEvent(QMoveEvent* event)
{
    QDockWidget::moveEvent(event);
    if (!m_built) buildWhenOnScreen();
}

bool LazyDockWidget::isOnScreen() const
{
    if (!isVisible()) return false;
    if (isWindow()) return true;  // floating
    // QMainWindow moves the docks behind another's tab out of the window (negative
    // coordinates) rather than hiding them.
    const QRect area = geometry();
    return area.right() >= 0 && area.bottom() >= 0;
}

void LazyDockWidget::buildWhenOnScreen()
{
    if (m_built || !isOnScreen()) return;
    // Raised in a window on screen: built now, before its first paint.
    if (window()->testAttribute(Qt::WA_Mapped)) {
        ensureContent();
        return;
    }
    // The window being shown shows every dock and lays them out afterwards: only a dock
    // still in the window then is built.
    QTimer::singleShot(0, this, [this] {
        if (!m_built && isOnScreen()) ensureContent();
    });
}

}  // namespace chronoscope
