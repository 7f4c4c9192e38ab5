#pragma once
// EventDetails: everything the Event pane shows about one event, prepared on a worker
// thread: fields, the data and metadata as JSON trees and as indented raw text (cut
// at kMaximumRawCharacters so a 5 MB payload stays responsive), and the corrections
// concerning it. EventDetailsLoader serves the latest request only.
//
// Thread: EventDetailsLoader on the GUI thread; the loading on QtConcurrent's pool.

#include "model/json_tree_model.h"

#include <QList>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

namespace chronoscope {

inline constexpr qsizetype kMaximumRawCharacters = 512 * 1024;

struct CorrectionLine {
    qint64 position = 0;
    QString type;
    QString summary;  // "ignored", "restored", "inserted after 41", "inserted after this"
    QString reason;
    QString author;
    QString recordedAt;
};

struct EventDetails {
    QString error;  // non-empty: the event could not be read
    qint64 position = 0;
    QString id;
    QString stream;
    qint64 version = 0;
    QString type;
    QString time;
    QString recordedAt;
    QString orderKey;
    bool ignored = false;
    bool corrective = false;
    std::optional<qint64> after;
    QString correlationId;  // metadata.correlationId (or $correlationId), if any
    QString rawData;        // indented JSON, cut at kMaximumRawCharacters
    QString rawMetadata;
    bool rawCut = false;
    qint64 dataBytes = 0;
    std::shared_ptr<const JsonNode> dataTree;
    std::shared_ptr<const JsonNode> metadataTree;
    QList<CorrectionLine> corrections;
};

// Reads and prepares one event. Thread: any (opens its own Store).
EventDetails loadEventDetails(const QString& storePath, qint64 position);

class EventDetailsLoader : public QObject {
    Q_OBJECT
public:
    explicit EventDetailsLoader(QObject* parent = nullptr);

    void setStorePath(const QString& path);
    // Loads `position`; a newer request makes the result of this one be dropped.
    void load(qint64 position);
    void clear();

signals:
    void loaded(const chronoscope::EventDetails& details);
    void cleared();

private:
    QString m_storePath;
    quint64 m_generation = 0;
};

}  // namespace chronoscope
