#include "ui/steady_label.h"

#include <QLabel>
#include <QScrollArea>
#include <QString>

namespace chronoscope {

QScrollArea* makeSteadyLabelArea(QLabel* label, const QString& tallestText, QWidget* parent)
{
    auto* area = new QScrollArea(parent);
    area->setObjectName(label->objectName() + QStringLiteral("Area"));
    area->setFrameShape(QFrame::NoFrame);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    area->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    area->setWidgetResizable(true);
    label->setWordWrap(true);
    // The height of the tallest text, measured once with the label's own font and style.
    const QString kept = label->text();
    label->setText(tallestText);
    label->ensurePolished();
    const int height = label->sizeHint().height();
    label->setText(kept);
    area->setWidget(label);
    // QScrollArea fills the widget's background; the label should look as it did
    // outside (the pane's window colour).
    label->setAutoFillBackground(false);
    area->viewport()->setAutoFillBackground(false);
    area->setFixedHeight(height);
    area->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    return area;
}

}  // namespace chronoscope
