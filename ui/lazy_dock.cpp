#include "ui/lazy_dock.h"

#include "model/settings_writer.h"
#include "ui/after_first_paint.h"

#include <QLabel>
#include <QPointer>
#include <QSettings>

#include <utility>

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
    // Building and placing the content are not const steps, though the pane's state is
    // the same after them.
    auto* self = const_cast<LazyDockWidget*>(this);
    if (!m_built) self->makeContent(false);
    if (m_setAsideContent) self->placeContent();
}

void LazyDockWidget::ensureContentBuilt() const
{
    if (!m_built) const_cast<LazyDockWidget*>(this)->makeContent(false);
}

void LazyDockWidget::makeContent(bool setAside)
{
    m_built = true;
    buildContent();  // sets the content with setWidget()
    QWidget* content = widget();
    if (content == m_placeholder) content = nullptr;  // buildContent() set none
    // The content's minimum size and size hint, for the placeholder of the next start.
    if (content) {
        content->ensurePolished();
        const QSize minimum = content->minimumSizeHint().expandedTo(content->minimumSize());
        const QSize hint = content->sizeHint();
        if (setAside && m_placeholder) {
            givePlaceholderSizes(minimum, hint);
            m_setAsideContent = content;
            setWidget(m_placeholder);  // hides the content
        }
        const QVariantList sizes = {minimum, hint};
        if (!objectName().isEmpty() && sizes != QSettings().value(sizesKey()).toList())
            writeSettingInBackground(sizesKey(), sizes);
    }
    if (!m_setAsideContent) placeContent();
    emit contentBuilt();
}

void LazyDockWidget::placeContent()
{
    if (m_setAsideContent) setWidget(std::exchange(m_setAsideContent, nullptr));
    // setWidget() hid the placeholder and left it to its parent.
    if (m_placeholder && widget() != m_placeholder) {
        delete m_placeholder;
        m_placeholder = nullptr;
    }
    // A widget added to a shown dock is shown only by a queued call: show it now, so that
    // the pane's first paint has its content.
    if (isVisible() && widget()) widget()->show();
}

void LazyDockWidget::prepareForFirstFrame()
{
    if (m_built) return;
    const QVariantList sizes = QSettings().value(sizesKey()).toList();
    const QSize minimum = sizes.value(0).toSize();
    const QSize hint = sizes.value(1).toSize();
    if (minimum.isEmpty() || !hint.isValid()) {
        makeContent(true);
        return;
    }
    givePlaceholderSizes(minimum, hint);
}

void LazyDockWidget::givePlaceholderSizes(QSize minimum, QSize hint)
{
    m_placeholder->setMinimumSize(minimum);
    static_cast<PlaceholderLabel*>(m_placeholder)->setContentSizeHint(hint);
    // The panes' content grows both ways (their lists, trees and charts).
    m_placeholder->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

QString LazyDockWidget::sizesKey() const
{
    return QStringLiteral("panes/%1/contentSizes").arg(objectName());
}

void LazyDockWidget::moveEvent(QMoveEvent* event)
{
    QDockWidget::moveEvent(event);
    if (m_placeholder) buildWhenOnScreen();
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
    if (!m_placeholder || !isOnScreen()) return;
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
        if (self->m_placeholder && self->isOnScreen()) self->ensureContent();
    });
}

}  // namespace chronoscope
