#include "ui/lazy_dock.h"

#include "model/settings_writer.h"
#include "ui/after_first_paint.h"

#include <QLabel>
#include <QPointer>
#include <QSettings>

namespace chronoscope {

namespace {

// The placeholder's label, with the size hint of the content it stands for once known.
class PlaceholderLabel : public QLabel {
public:
    using QLabel::QLabel;
    void setContentSizeHint(QSize size) { m_contentSizeHint = size; }
    QSize sizeHint() const override { return m_contentSizeHint.isValid() ? m_contentSizeHint : QLabel::sizeHint(); }

private:
    QSize m_contentSizeHint;
};

}  // namespace

LazyDockWidget::LazyDockWidget(const QString& title, QWidget* parent) : QDockWidget(title, parent)
{
    auto* placeholder = new PlaceholderLabel(tr("Loading %1 …").arg(title), this);
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
    // The content's minimum size and size hint, for the placeholder of the next start.
    if (QWidget* content = widget(); content && !objectName().isEmpty()) {
        content->ensurePolished();
        const QVariantList sizes = {content->minimumSizeHint().expandedTo(content->minimumSize()), content->sizeHint()};
        if (sizes != QSettings().value(sizesKey()).toList()) writeSettingInBackground(sizesKey(), sizes);
    }
    emit const_cast<LazyDockWidget*>(this)->contentBuilt();
}

bool LazyDockWidget::buildUnlessContentSizesKnown()
{
    if (m_built) return true;
    const QVariantList sizes = QSettings().value(sizesKey()).toList();
    const QSize minimum = sizes.value(0).toSize();
    const QSize hint = sizes.value(1).toSize();
    if (minimum.isEmpty() || !hint.isValid()) {
        ensureContent();
        return true;
    }
    m_placeholder->setMinimumSize(minimum);
    static_cast<PlaceholderLabel*>(m_placeholder)->setContentSizeHint(hint);
    // The panes' content grows both ways (their lists, trees and charts).
    m_placeholder->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    return false;
}

QString LazyDockWidget::sizesKey() const
{
    return QStringLiteral("panes/%1/contentSizes").arg(objectName());
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
    // still in the window then is built, after the window's first frame (which shows the
    // placeholder at the pane's place), in an event-loop turn of its own.
    if (m_buildQueued) return;
    m_buildQueued = true;
    runAfterFirstPaint(window(), [self = QPointer<LazyDockWidget>(this)] {
        if (!self) return;
        self->m_buildQueued = false;
        if (!self->m_built && self->isOnScreen()) self->ensureContent();
    });
}

}  // namespace chronoscope
