#include "ui/clear_button.h"

#include <QLineEdit>

#include <memory>

namespace chronoscope {

void enableClearButtonWithFirstText(QLineEdit* edit)
{
    if (!edit->text().isEmpty()) {
        edit->setClearButtonEnabled(true);
        return;
    }
    // A single-shot connection: once the button exists, nothing is left to do.
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(edit, &QLineEdit::textChanged, edit, [edit, connection](const QString& text) {
        if (text.isEmpty()) return;
        edit->setClearButtonEnabled(true);
        QObject::disconnect(*connection);
    });
}

}  // namespace chronoscope
