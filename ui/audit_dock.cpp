#include "ui/audit_dock.h"

#include "model/audit_model.h"

#include <QHeaderView>
#include <QTableView>

namespace chronoscope {

AuditDock::AuditDock(AuditModel* model, QWidget* parent) : LazyDockWidget(tr("Audit"), parent), m_model(model)
{
    setObjectName(QStringLiteral("auditDock"));
}

void AuditDock::buildContent()
{
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("auditTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setShowGrid(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_table->setColumnWidth(AuditModel::WhenColumn, digit * 24);
    m_table->setColumnWidth(AuditModel::WhoColumn, digit * 12);
    m_table->setColumnWidth(AuditModel::WhatColumn, digit * 9);
    m_table->setColumnWidth(AuditModel::WhyColumn, digit * 34);
    setWidget(m_table);
    connect(m_table, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
        emit positionChosen(index.data(AuditModel::TargetPositionRole).toLongLong());
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, m_table, [this] { m_table->scrollToBottom(); });
    m_table->scrollToBottom();
}

}  // namespace chronoscope
