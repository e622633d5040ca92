// SPDX-License-Identifier: MIT
#pragma once

#include "Endpoint.h"

#include <QList>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

namespace pgtls::lab {

// What the lab server presents; switchable while it runs (config reload, no new initdb).
enum class Scenario {
    Correct, // RDS-like chain for the endpoint name, TLS required (rds.force_ssl=1), sslinfo
    Alias, // server unchanged; endpoint() uses aliasHostName(): host name mismatch
    UnknownCa, // the server sends a chain from a root the lab bundle does not hold
    Expired, // the server certificate's notAfter is in the past
    NotYetValid, // the server certificate's notBefore is in the future
    CnOnly, // the server certificate names the endpoint only in its subject CN (no subjectAltName)
    IpSan, // the server certificate's only subjectAltName is IP:127.0.0.1 (CN: the endpoint name)
    Revoked, // the server certificate is revoked in crlPath() (valid otherwise)
    PlaintextAccepted, // TLS offered but plaintext accepted too (rds.force_ssl=0)
    NoSslinfo, // as Correct, without the sslinfo extension
    SslOff, // ssl=off: plaintext only (rds.force_ssl=0)
};

// "correct", "alias", "unknown-ca", "expired", "not-yet-valid", "cn-only", "ip-san", "revoked",
// "plaintext-accepted", "no-sslinfo", "ssl-off".
QString scenarioName(Scenario scenario);
// Exact inverse of scenarioName(); nullopt for anything else.
std::optional<Scenario> parseScenario(const QString &name);
// One translatable sentence for a trainer.
QString scenarioDescription(Scenario scenario);
// Every scenario, in the order above (for menus and tests).
QList<Scenario> allScenarios();

class LabPrivate;

// A private, throwaway PostgreSQL 15 (Debian's /usr/lib/postgresql/15/bin) on 127.0.0.1 and a free
// port, with an RDS-shaped certificate chain generated at start (see LabPki.h).
//
// Layout: a directory /tmp/pgtls-lab-XXXXXX, always owned by us (mode 0700; as root, where the
// server runs as the `postgres` OS user, group `postgres` and mode 01770, so that the server can
// create its socket and data/ there but cannot rename or replace our files) holding owner.pid
// (the pid of the process that owns the lab), server.log and passfile (0600), all ours, and
// pki/ (certificates and keys), data/ (the cluster) and the Unix socket, the server user's. Every
// file is created exclusively, never through a link (LabFiles.h). Plaintext refusal is done like
// RDS with rds.force_ssl=1: pg_hba has only hostssl lines for TCP, so libpq reports "no pg_hba.conf
// entry ..., no encryption".
// The server dies with us: PR_SET_PDEATHSIG=SIGINT; the directory is removed (by descriptor, never
// following a link: SafeRemove.h) by stop(), by the destructor, by the termination handlers, or
// (when we were killed) by the next lab's start() of the same user (StaleLabs.h).
//
// Threading: use from one thread (with an event loop). Nothing blocks that thread except stop()
// (and the destructor), bounded to about 2 s; the key generation runs on a short-lived thread.
// Phase timings are logged to the category "pgtls.lab" (debug level, off by default).
class Lab : public QObject
{
    Q_OBJECT
public:
    explicit Lab(QObject *parent = nullptr);
    // Stops the server and removes the directory (bounded wait, as stop()).
    ~Lab() override;

    // Starts asynchronously: removes stale labs of dead owners, then initdb, certificates, server,
    // role `labuser` (random scram-sha-256 password) and database `labdb`. Emits exactly one of
    // started() or failed(message), never from within start(). On failure nothing is left behind.
    // Calling start() while starting or running does nothing (a warning is logged); after stop()
    // (or a failure) it may be called again, giving a new directory, port and password.
    void start(Scenario initial = Scenario::Correct);

    // Switches scenario while running: rewrites lab_scenario.conf and pg_hba.conf, SIGHUPs the
    // postmaster, adds or drops sslinfo, and checks that the server took the new settings. Emits
    // exactly one of scenarioChanged(scenario) or failed(message) per call, never from within the
    // call; calls made while a switch is under way are queued and applied in order. Not running:
    // failed("...not running").
    void setScenario(Scenario scenario);

    // Synchronous and idempotent: fast shutdown (SIGINT), bounded wait (about 2 s, then SIGKILL),
    // directory removed. Emits nothing; a start or switch under way is abandoned silently.
    void stop();

    // True between started() and stop() (or the server's unexpected exit).
    bool isRunning() const;
    quint16 port() const; // 0 when not running
    Scenario scenario() const; // the scenario in effect (the last scenarioChanged())
    QString directory() const; // empty when neither starting nor running
    QString caBundlePath() const; // the lab root CA only, as a client bundle (root.crt)
    QString rogueCaBundlePath() const; // the rogue root CA (not trusted by caBundlePath())
    // Next to caBundlePath(): the lab root CA's CRL (for the intermediate, nothing revoked) and the
    // intermediate's CRL (revoking the Revoked scenario's certificate), PEM, for libpq's sslcrl;
    // enough for X509_V_FLAG_CRL_CHECK_ALL on the lab chain.
    QString crlPath() const;
    QString logPath() const; // the server's stderr
    QString userName() const; // "labuser"
    QString databaseName() const; // "labdb"
    QString password() const; // random per start; for tests; never log it
    QString passfilePath() const; // a libpq passfile (0600) with "*:PORT:labdb:labuser:PASSWORD"

    static QString endpointHostName(); // mydb.c9akciq32.eu-west-1.rds.amazonaws.com
    static QString aliasHostName(); // db.example.internal
    static QString serverBinDirectory(); // /usr/lib/postgresql/15/bin

    // For the current scenario: host = endpointHostName() (aliasHostName() for Alias),
    // hostaddr=127.0.0.1, port, dbname, user, sslmode verify-full, sslrootcert = caBundlePath(),
    // passfile = passfilePath().
    pgtls::Endpoint endpoint() const;

    // Wall-clock duration of the last successful start, start() to started(); -1 before.
    qint64 startMilliseconds() const;

    // For main(): on SIGINT/SIGTERM (self-pipe + QSocketNotifier), stop every live Lab (removing
    // their directories), then QCoreApplication::exit(128 + signal). Call once, after the
    // QCoreApplication exists; further calls do nothing.
    static void installTerminationHandlers();

signals:
    void started();
    void scenarioChanged(pgtls::lab::Scenario scenario);
    // Start or switch failed; also emitted once if the server exits unexpectedly while running
    // (then isRunning() is false and the directory has been removed).
    void failed(const QString &message);

private:
    friend class LabPrivate;
    std::unique_ptr<LabPrivate> d;
};

} // namespace pgtls::lab

Q_DECLARE_METATYPE(pgtls::lab::Scenario)
