// SPDX-License-Identifier: MIT
#pragma once

#include "Endpoint.h"
#include "InspectionReport.h"

#include <QDateTime>
#include <QObject>

namespace pgtls {

class TlsProbe;

struct InspectionOptions
{
    bool probeOnly = true;
    int timeoutMs = 10000;          // bound for the whole inspection
    QString homeDirectory;          // libpq's home directory (for ~/.postgresql/root.crt); see RootCert
    QDateTime now;                  // validity is judged at this time; invalid = the current time
};

// Runs an inspection of one endpoint and produces an InspectionReport with its verdict.
// Asynchronous: start() reports nothing synchronously; finished() exactly once per start(),
// also after cancel(). The report is complete (verdict included) when finished() fires.
class Inspector : public QObject
{
    Q_OBJECT
public:
    explicit Inspector(QObject *parent = nullptr);
    ~Inspector() override;

    void start(const Endpoint &endpoint, const InspectionOptions &options);
    void cancel();
    bool isRunning() const;
    const InspectionReport &report() const { return m_report; }

    // Fills ok / summary / problems of a report whose probe has run. Exposed for tests and front ends.
    static void judge(InspectionReport &report);

signals:
    void stepFinished(const QString &step);
    void finished();

private:
    void probeFinished();

    InspectionReport m_report;
    TlsProbe *m_probe = nullptr;
    qint64 m_startMs = 0;
};

} // namespace pgtls
