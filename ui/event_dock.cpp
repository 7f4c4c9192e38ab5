#include "ui/event_dock.h"

#include "model/event_format.h"
#include "model/json_tree_model.h"
#include "ui/event_dock_tree.h"
#include "ui/steady_text.h"

#include <QFontDatabase>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QMenu>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace chronoscope {

EventDock::EventDock(QWidget* parent)
    : LazyDockWidget(tr("Event"), parent),
      m_loader(new EventDetailsLoader(this)),
      m_dataModel(new JsonTreeModel(this)),
      m_metadataModel(new JsonTreeModel(this))
{
    setObjectName(QStringLiteral("eventDock"));
    // Before the pane is built, the last answer is kept and shown when it is.
    connect(m_loader, &EventDetailsLoader::loaded, this, [this](const EventDetails& details) {
        if (isContentBuilt())
            show(details);
        else
            m_givenDetails = details;
    });
    connect(m_loader, &EventDetailsLoader::cleared, this, [this] {
        if (isContentBuilt())
            showEmpty();
        else
            m_givenDetails.reset();
    });
}

void EventDock::buildContent()
{
    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(4, 4, 4, 4);
    m_fields = new EventFieldsLabel(content);
    // Every event's fields fit in the room of the tallest: showing an event repaints the
    // fields, it does not lay out the window again.
    layout->addWidget(makeEventFieldsArea(m_fields, content));
    m_followCorrelation = new QPushButton(tr("Follow &Correlation"), content);
    m_followCorrelation->setObjectName(QStringLiteral("followCorrelation"));
    m_followCorrelation->setToolTip(tr("List every event of this business flow, across streams, in order"));
    layout->addWidget(m_followCorrelation, 0, Qt::AlignLeft);

    m_tabs = new QTabWidget(content);
    m_dataTree = makeJsonTree(m_dataModel, 160, m_tabs);
    m_dataTree->setObjectName(QStringLiteral("eventDataTree"));
    m_metadataTree = makeJsonTree(m_metadataModel, 160, m_tabs);
    m_metadataTree->setObjectName(QStringLiteral("eventMetadataTree"));
    m_raw = new QPlainTextEdit(m_tabs);
    m_raw->setObjectName(QStringLiteral("eventRawJson"));
    m_raw->setReadOnly(true);
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_rawText = new PiecewiseText(m_raw);
    m_corrections = new QTreeWidget(m_tabs);
    m_corrections->setObjectName(QStringLiteral("eventCorrections"));
    m_corrections->setRootIsDecorated(false);
    m_corrections->setHeaderLabels({tr("Position"), tr("What"), tr("Reason"), tr("Author"), tr("Recorded")});
    // Data above metadata in one tab: both are wanted at a glance for most events.
    auto* trees = new QSplitter(Qt::Vertical, m_tabs);
    trees->addWidget(m_dataTree);
    trees->addWidget(m_metadataTree);
    trees->setStretchFactor(0, 3);
    trees->setStretchFactor(1, 2);
    m_tabs->addTab(trees, tr("&Data && Metadata"));
    m_tabs->addTab(m_raw, tr("&Raw JSON"));
    m_tabs->addTab(m_corrections, tr("Co&rrections"));
    layout->addWidget(m_tabs, 1);
    setWidget(content);

    for (QTreeView* tree : {m_dataTree, m_metadataTree}) {
        tree->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(tree, &QWidget::customContextMenuRequested, this,
                [this, tree](const QPoint& point) { showFieldMenu(tree, point); });
    }
    connect(m_followCorrelation, &QPushButton::clicked, this,
            [this] { emit followCorrelationRequested(m_correlationId); });
    showEmpty();
    if (m_givenDetails) show(*std::exchange(m_givenDetails, std::nullopt));
}

void EventDock::showFieldMenu(QTreeView* tree, const QPoint& point)
{
    const QModelIndex index = tree->indexAt(point);
    if (!index.isValid()) return;
    const QString path = index.data(JsonTreeModel::PathRole).toString();
    QMenu menu(this);
    menu.addAction(tr("Show “%1” as a Column").arg(path), this, [this, path] { emit promoteFieldRequested(path); });
    menu.addAction(tr("Copy Value"), this, [index] {
        QGuiApplication::clipboard()->setText(index.siblingAtColumn(JsonTreeModel::ValueColumn).data().toString());
    });
    menu.addAction(tr("Copy Path"), this, [path] { QGuiApplication::clipboard()->setText(path); });
    menu.exec(tree->viewport()->mapToGlobal(point));
}

void EventDock::showEmpty()
{
    m_shownPosition = 0;
    m_correlationId.clear();
    m_fields->setMessage(tr("Select an event in the list to see its data, metadata and corrections."), true);
    m_followCorrelation->setEnabled(false);
    m_dataModel->setRoot(nullptr);
    m_metadataModel->setRoot(nullptr);
    m_rawText->setText({});
    m_corrections->clear();
    setCorrectionsTabText(tr("Co&rrections"));
}

void EventDock::show(const EventDetails& details)
{
    if (!details.error.isEmpty()) {
        showEmpty();
        m_fields->setMessage(tr("Cannot show event %1: %2").arg(details.position).arg(details.error));
        return;
    }
    m_shownPosition = details.position;
    m_correlationId = details.correlationId;
    m_fields->setEvent(details);
    m_followCorrelation->setEnabled(!details.correlationId.isEmpty());

    m_dataModel->setRoot(details.dataTree);
    m_metadataModel->setRoot(details.metadataTree);
    // Large payloads open collapsed: expanding thousands of nodes costs the GUI thread.
    if (details.dataBytes < 64 * 1024) m_dataTree->expandToDepth(1);
    m_metadataTree->expandToDepth(0);
    QString raw = QStringLiteral("// data (%1 bytes)\n").arg(QLocale().toString(details.dataBytes)) + details.rawData +
                  QStringLiteral("\n\n// metadata\n") + details.rawMetadata;
    if (details.rawCut) raw += tr("\n\n// … cut: the payload is larger than %1 characters").arg(kMaximumRawCharacters);
    // In pieces: up to kMaximumRawCharacters of a big payload at once would hold the GUI thread.
    m_rawText->setText(raw);

    m_corrections->clear();
    for (const CorrectionLine& line : details.corrections) {
        auto* item = new QTreeWidgetItem(m_corrections, {QString::number(line.position), line.summary, line.reason,
                                                          line.author, displayTime(line.recordedAt.toStdString())});
        item->setToolTip(1, line.type);
    }
    setCorrectionsTabText(details.corrections.isEmpty() ? tr("Co&rrections")
                                                        : tr("Co&rrections (%1)").arg(details.corrections.size()));
    emit eventShown(details.position);
}

void EventDock::setCorrectionsTabText(const QString& text)
{
    // QTabBar lays the window out again on every setTabText, even to the same text.
    if (m_tabs->tabText(2) != text) m_tabs->setTabText(2, text);
}

}  // namespace chronoscope
