// SPDX-License-Identifier: MIT
#pragma once

#include "Endpoint.h"
#include "InspectionReport.h"

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QSet>

namespace pgtls {

class PgSession;
class TlsProbe;

struct InspectionOptions
{
    bool probeOnly = true;
    bool matrix = false;            // also try all six sslmodes (not in probe-only mode)
    int timeoutMs = 10000;          // bound for the whole inspection (every attempt runs in parallel)
    QString homeDirectory;          // libpq's home directory (for ~/.postgresql/root.crt); see RootCert
    QDateTime now;                  // validity is judged at this time; invalid = the current time
    QString password;               // optional; used for the session and the TLS matrix rows only; never reported
};

// Runs an inspection of one endpoint and produces an InspectionReport with its verdict: the TLS
// probe, and unless probe-only, the libpq session in the requested sslmode, the plaintext test
// (sslmode=disable and a TLS reference, neither sending a password) and, on request, the sslmode
// matrix; all of them concurrently.
// Asynchronous: start() reports nothing synchronously; finished() exactly once per start(),
// also after cancel(). The report is complete (verdict included) when finished() fires.
// When the session ends with report().session.needsPassword, a front end may ask for the password
// and start() again with it.
class Inspector : public QObject
{
    Q_OBJECT
public:
    explicit Inspector(QObject *parent = nullptr);
    ~Inspector() override;

    void start(const Endpoint &endpoint, const InspectionOptions &options);
    void cancel();
    bool isRunning() const { return !m_parts.isEmpty(); }
    const InspectionReport &report() const { return m_report; }

signals:
    // A step completed, for progress display: "resolve", "tcp", "ssl-request", "tls" (probe),
    // "session", "plaintext", "matrix:<sslmode>".
    void stepFinished(const QString &step);
    void finished();

private:
    void partFinished();
    PgSession *newSession();
    static void explainUnverifiedChain(InspectionReport &report);

    InspectionReport m_report;
    TlsProbe *m_probe = nullptr;
    PgSession *m_session = nullptr;
    PgSession *m_plaintext = nullptr;
    PgSession *m_tlsReference = nullptr;
    QList<QPair<SslMode, PgSession *>> m_matrix;
    QList<RootCertResolution> m_matrixRootCerts;
    QStringList m_matrixWithheld; // per row: why the password is withheld, empty when it may be sent
    QSet<QObject *> m_parts; // the probe and sessions still running for the current start()
};

} // namespace pgtls
