// SPDX-License-Identifier: MIT
#pragma once

#include "CaBundle.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QSslCertificate>
#include <QString>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

namespace pgtls {

struct BundleDownloadOptions
{
    static constexpr qint64 kDefaultMaxBytes = 4 * 1024 * 1024;

    QUrl url; // https only (see RdsTrustStore::bundleUrl)
    QString name; // "global", "eu-west-1": messages and the default destination;
                  // empty = taken from the URL's file name ("x-bundle.pem" -> "x")
    QString destination; // empty = defaultDestination(name)
    // Trusted for the TLS connection besides the system CAs (a mirror's private CA, tests).
    QList<QSslCertificate> extraCaCertificates;
    qint64 maxBytes
        = kDefaultMaxBytes; // more (announced or received) ends the download ("too-large")
    int transferTimeoutMs = 30000; // no data for this long ends the download ("timeout")
    int deadlineMs = 120000; // the whole download, redirects included
    int maxRedirects = 5; // https -> https only
    QNetworkAccessManager *network = nullptr; // optional, not owned; a private one otherwise
};

// What a download did. A plain value.
struct BundleDownloadResult
{
    bool ok = false;
    // Empty when ok; else one of "not-https", "redirect-to-http", "redirect-loop", "http-error",
    // "too-large", "timeout", "cancelled", "invalid-bundle", "write-failed", "tls-error",
    // "network".
    QString errorCode;
    QString error; // in the user's words, with the HTTP status or Qt's error string
    QUrl url; // as requested
    QUrl finalUrl; // after redirects
    int redirects = 0;
    int httpStatus = 0; // of the last response; 0 when none came
    qint64 bytes = 0; // body bytes received (of the last response)
    QString destination;
    CaBundle bundle; // the downloaded bundle (when it was received and validated)
    bool hadPrevious = false; // a usable bundle was at the destination before
    BundleDiff diff; // against the previous file (everything "added" when there was none)
    bool changed = false; // the destination file was written (its bytes differ from before)

    bool cancelled() const { return errorCode == QLatin1String("cancelled"); }
};

// Downloads a CA bundle over HTTPS, validates it as a bundle of CA certificates and only then
// replaces the destination file atomically (QSaveFile): a failed, invalid or cancelled download
// never touches the bundle already there.
// Asynchronous: start() reports nothing synchronously (even a refused URL is reported from the
// event loop); finished() fires exactly once per start(), also after cancel() (errorCode
// "cancelled": the user's choice, not a failure) and on timeout; cancel() emits it before it
// returns. A run superseded by another start() emits nothing. Handlers of progress() and
// finished() may call cancel() or start().
class BundleDownloader : public QObject
{
    Q_OBJECT
public:
    explicit BundleDownloader(QObject *parent = nullptr);
    ~BundleDownloader() override;

    void start(const BundleDownloadOptions &options);
    void cancel();
    bool isRunning() const { return m_running; }
    const BundleDownloadResult &result() const { return m_result; }

    // ~/.local/share/pgtls-inspector/rds/<name>-bundle.pem (GenericDataLocation, shared by the CLI and the GUI).
    static QString defaultDestination(const QString &name);

signals:
    // Body bytes received so far and the expected total (-1 when the server did not say).
    void progress(qint64 received, qint64 total);
    void finished(const pgtls::BundleDownloadResult &result);

private:
    enum class AbortReason { None, Cancelled, TooLarge, Deadline };

    void sendRequest(const QUrl &url);
    void onMetaData();
    void onReadyRead();
    void onReplyFinished();
    void abortWith(AbortReason reason);
    void fail(const QString &code, const QString &message);
    void failHttpStatus();
    void complete(); // validate and write
    void finish();
    void dropReply();

    BundleDownloadOptions m_options;
    BundleDownloadResult m_result;
    QNetworkAccessManager *m_ownNetwork = nullptr;
    QPointer<QNetworkReply> m_reply;
    QTimer *m_deadline = nullptr;
    QByteArray m_data;
    QSet<QUrl> m_visited;
    QStringList m_sslErrors;
    bool m_running = false;
    quint64 m_generation = 0;
};

} // namespace pgtls

Q_DECLARE_METATYPE(pgtls::BundleDownloadResult)
