// SPDX-License-Identifier: MIT
#include "BundleDownloader.h"

#include "SafeFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSslConfiguration>
#include <QStandardPaths>
#include <QTimer>

namespace pgtls {

namespace {

QString seconds(int ms)
{
    return QString::number(ms / 1000.0, 'g', 3);
}

QString sizeText(qint64 bytes)
{
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return BundleDownloader::tr("%1 MiB").arg(bytes / (1024 * 1024));
    if (bytes >= 1024 * 1024)
        return BundleDownloader::tr("%1 MiB").arg(
            QString::number(bytes / (1024.0 * 1024.0), 'f', 1));
    if (bytes >= 1024)
        return BundleDownloader::tr("%1 KiB").arg(QString::number(bytes / 1024.0, 'f', 1));
    return BundleDownloader::tr("%1 bytes").arg(bytes);
}

QString nameFromUrl(const QUrl &url)
{
    QString file = url.fileName();
    static const QRegularExpression bundleFile(QStringLiteral("^(.+)-bundle\\.pem$"));
    const QRegularExpressionMatch m = bundleFile.match(file);
    if (m.hasMatch())
        return m.captured(1);
    file = QFileInfo(file).completeBaseName();
    return file.isEmpty() ? QStringLiteral("downloaded") : file;
}

QString display(const QUrl &url)
{
    return url.toDisplayString(QUrl::RemoveUserInfo);
}

} // namespace

BundleDownloader::BundleDownloader(QObject *parent)
    : QObject(parent)
    , m_deadline(new QTimer(this))
{
    qRegisterMetaType<pgtls::BundleDownloadResult>();
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, [this]() { abortWith(AbortReason::Deadline); });
}

BundleDownloader::~BundleDownloader()
{
    if (m_reply) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
        delete m_reply;
    }
}

QString BundleDownloader::defaultDestination(const QString &name)
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/pgtls-inspector")
        + QStringLiteral("/rds/") + name + QStringLiteral("-bundle.pem");
}

void BundleDownloader::start(const BundleDownloadOptions &options)
{
    // A superseded run emits nothing (see the header).
    dropReply();
    m_deadline->stop();
    ++m_generation;

    m_options = options;
    if (m_options.name.isEmpty())
        m_options.name = nameFromUrl(options.url);
    m_result = BundleDownloadResult();
    m_result.url = options.url;
    m_result.finalUrl = options.url;
    m_result.destination
        = options.destination.isEmpty() ? defaultDestination(m_options.name) : options.destination;
    m_data.clear();
    m_visited.clear();
    m_running = true;

    if (!options.url.isValid() || options.url.scheme() != QLatin1String("https")
        || options.url.host().isEmpty()) {
        const quint64 generation = m_generation;
        const QString message = options.url.isEmpty()
            ? tr("no URL to download the bundle from")
            : tr("%1 is not an https:// URL: a CA bundle is only downloaded over HTTPS, as "
                 "anything else could be replaced on the way")
                  .arg(display(options.url));
        // start() reports nothing synchronously.
        QTimer::singleShot(0, this, [this, generation, message]() {
            if (m_running && generation == m_generation)
                fail(QStringLiteral("not-https"), message);
        });
        return;
    }

    if (!m_options.network && !m_ownNetwork)
        m_ownNetwork = new QNetworkAccessManager(this);
    m_deadline->start(qMax(1, m_options.deadlineMs));
    sendRequest(options.url);
}

void BundleDownloader::cancel()
{
    if (!m_running)
        return;
    abortWith(AbortReason::Cancelled);
}

void BundleDownloader::sendRequest(const QUrl &url)
{
    QNetworkRequest request(url);
    // Redirects are followed here, not by Qt: only https -> https, counted, loops detected.
    request.setAttribute(
        QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(
        QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setTransferTimeout(qMax(1, m_options.transferTimeoutMs));
    request.setHeader(QNetworkRequest::UserAgentHeader,
        QStringLiteral("pgtls-inspector/%1").arg(QStringLiteral(PGTLS_VERSION)));
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    if (!m_options.extraCaCertificates.isEmpty())
        ssl.addCaCertificates(m_options.extraCaCertificates); // the system CAs stay
    request.setSslConfiguration(ssl);

    m_visited.insert(url.adjusted(QUrl::NormalizePathSegments));
    m_result.finalUrl = url;
    m_result.httpStatus = 0;
    m_result.bytes = 0;
    m_data.clear();
    m_sslErrors.clear();

    QNetworkAccessManager *network = m_options.network ? m_options.network : m_ownNetwork;
    m_reply = network->get(request);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &BundleDownloader::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &BundleDownloader::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &BundleDownloader::onReplyFinished);
    connect(m_reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
        for (const QSslError &e : errors)
            m_sslErrors.append(e.errorString());
    });
}

// The status line and headers are in: follow a redirect, refuse an error status or an announced
// oversize body before reading it.
void BundleDownloader::onMetaData()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return;
    m_result.httpStatus = status.toInt();
    const int code = m_result.httpStatus;
    const QUrl current = reply->url();

    if (code >= 300 && code < 400 && reply->hasRawHeader("Location")) {
        const QUrl target = current.resolved(QUrl::fromEncoded(reply->rawHeader("Location")));
        if (target.scheme() == QLatin1String("http")) {
            fail(QStringLiteral("redirect-to-http"),
                tr("%1 redirected (HTTP %2) to %3, an unencrypted http:// address; refused, as a "
                   "CA bundle fetched without TLS could be replaced on the way")
                    .arg(display(current))
                    .arg(code)
                    .arg(display(target)));
            return;
        }
        if (!target.isValid() || target.scheme() != QLatin1String("https")
            || target.host().isEmpty()) {
            fail(QStringLiteral("not-https"),
                tr("%1 redirected (HTTP %2) to \"%3\", which is not an https:// URL; refused")
                    .arg(display(current))
                    .arg(code)
                    .arg(QString::fromLatin1(reply->rawHeader("Location"))));
            return;
        }
        if (m_visited.contains(target.adjusted(QUrl::NormalizePathSegments))) {
            fail(QStringLiteral("redirect-loop"),
                tr("the redirects go round in a loop: %1 redirected back to %2, which was already "
                   "visited; the server is misconfigured")
                    .arg(display(current), display(target)));
            return;
        }
        if (m_result.redirects >= m_options.maxRedirects) {
            fail(QStringLiteral("redirect-loop"),
                tr("too many redirects (more than %1), the last from %2 to %3; the server is "
                   "misconfigured or redirects in a loop")
                    .arg(m_options.maxRedirects)
                    .arg(display(current), display(target)));
            return;
        }
        ++m_result.redirects;
        dropReply();
        sendRequest(target);
        return;
    }
    if (code != 200)
        return; // reported when the (small) error page is in: Qt has then finished with the reply
    const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
    if (length.isValid() && length.toLongLong() > m_options.maxBytes) {
        m_result.bytes = length.toLongLong();
        fail(QStringLiteral("too-large"),
            tr("%1 announces %2 (Content-Length), more than the limit of %3; a CA bundle is far "
               "smaller (the RDS global bundle is about 160 KiB), so this is not one")
                .arg(
                    display(current), sizeText(length.toLongLong()), sizeText(m_options.maxBytes)));
    }
}

void BundleDownloader::onReadyRead()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    if (m_result.httpStatus == 0)
        onMetaData();
    if (reply != m_reply)
        return; // refused, redirected or finished from the headers
    if (m_result.httpStatus != 200) {
        // An error page: not kept, but bounded like a bundle.
        m_result.bytes += reply->readAll().size();
        if (m_result.bytes > m_options.maxBytes)
            failHttpStatus();
        return;
    }
    m_data += reply->readAll();
    m_result.bytes = m_data.size();
    if (m_data.size() > m_options.maxBytes) {
        m_data.clear();
        abortWith(AbortReason::TooLarge);
        return;
    }
    const QVariant length = reply->header(QNetworkRequest::ContentLengthHeader);
    emit progress(m_result.bytes, length.isValid() ? length.toLongLong() : -1);
}

void BundleDownloader::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    if (m_result.httpStatus == 0
        && reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid()) {
        // Headers not handled yet (a short reply can finish in one go).
        onMetaData();
        if (reply != m_reply)
            return;
    }
    const bool timedOut = reply->error() == QNetworkReply::OperationCanceledError
        || reply->error() == QNetworkReply::TimeoutError;
    if (m_result.httpStatus != 0 && m_result.httpStatus != 200 && !timedOut) {
        failHttpStatus();
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        const QString qtError = reply->errorString();
        const QString host = reply->url().host();
        switch (reply->error()) {
        case QNetworkReply::OperationCanceledError: // Qt aborts the reply when the transfer timeout
                                                    // fires
        case QNetworkReply::TimeoutError:
            fail(QStringLiteral("timeout"),
                tr("%1 sent nothing for %2 s (%3 received); gave up")
                    .arg(display(reply->url()), seconds(m_options.transferTimeoutMs),
                        sizeText(m_data.size())));
            return;
        case QNetworkReply::SslHandshakeFailedError:
            fail(QStringLiteral("tls-error"),
                tr("the TLS connection to %1 could not be verified, so nothing was downloaded: %2. "
                   "A mirror with a private CA needs that CA's certificate to be trusted "
                   "explicitly")
                    .arg(host,
                        m_sslErrors.isEmpty() ? qtError : m_sslErrors.join(QStringLiteral("; "))));
            return;
        default:
            break;
        }
        fail(QStringLiteral("network"),
            tr("the download from %1 failed: %2").arg(display(reply->url()), qtError));
        return;
    }
    m_data += reply->readAll();
    m_result.bytes = m_data.size();
    if (m_data.size() > m_options.maxBytes) {
        m_data.clear();
        abortWith(AbortReason::TooLarge);
        return;
    }
    emit progress(m_result.bytes, m_result.bytes);
    if (reply != m_reply || !m_running)
        return; // a progress handler cancelled
    dropReply();
    complete();
}

void BundleDownloader::failHttpStatus()
{
    QString reason;
    QUrl url = m_result.finalUrl;
    if (m_reply) {
        reason = m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
        url = m_reply->url();
    }
    fail(QStringLiteral("http-error"),
        tr("the server answered HTTP %1%2 for %3")
            .arg(m_result.httpStatus)
            .arg(reason.isEmpty() ? QString() : QStringLiteral(" ") + reason)
            .arg(display(url)));
}

void BundleDownloader::abortWith(AbortReason reason)
{
    switch (reason) {
    case AbortReason::Cancelled:
        fail(QStringLiteral("cancelled"),
            tr("the download was cancelled; the bundle file was not touched"));
        return;
    case AbortReason::TooLarge:
        fail(QStringLiteral("too-large"),
            tr("%1 sent more than the limit of %2 without ending; a CA bundle is far smaller (the "
               "RDS global bundle is about 160 KiB), so this is not one")
                .arg(display(m_result.finalUrl), sizeText(m_options.maxBytes)));
        return;
    case AbortReason::Deadline:
        fail(QStringLiteral("timeout"),
            tr("the download from %1 did not finish within %2 s (%3 received); gave up")
                .arg(display(m_result.finalUrl), seconds(m_options.deadlineMs),
                    sizeText(m_data.size())));
        return;
    case AbortReason::None:
        break;
    }
}

void BundleDownloader::complete()
{
    const QString &dest = m_result.destination;
    // Named after the file as published ("global-bundle.pem"), which is what the messages should
    // say.
    const QString fileName = m_result.finalUrl.fileName();
    CaBundle bundle
        = CaBundle::fromData(m_data, fileName.isEmpty() ? display(m_result.finalUrl) : fileName);
    if (!bundle.ok()) {
        fail(QStringLiteral("invalid-bundle"),
            tr("what %1 sent is not a CA bundle, so %2 was left as it was: %3")
                .arg(display(m_result.finalUrl), dest, bundle.error));
        return;
    }
    for (const BundleEntry &e : std::as_const(bundle.entries)) {
        if (!e.cert.isCa) {
            fail(QStringLiteral("invalid-bundle"),
                tr("what %1 sent is not a CA bundle, so %2 was left as it was: it holds a "
                   "certificate that is not a CA (%3)")
                    .arg(display(m_result.finalUrl), dest, e.cert.subject));
            return;
        }
    }
    m_result.bundle = bundle;

    // What was there before: a good bundle to compare with, and its bytes to see whether anything
    // changed.
    const QFileInfo destInfo(dest);
    CaBundle previous;
    QByteArray previousBytes;
    bool previousReadable = false;
    if (destInfo.exists() && destInfo.isFile()) {
        // Read once, through the checked descriptor (the path may have been swapped for a FIFO).
        const SafeFileStatus file = SafeFile::read(dest, CaBundle::maxBytes);
        previous = CaBundle::fromFile(file, dest);
        m_result.hadPrevious = previous.ok();
        if (file.ok()) {
            previousBytes = file.data;
            previousReadable = true;
        }
    }
    m_result.diff = BundleDiff::between(m_result.hadPrevious ? previous : CaBundle(), bundle);

    if (previousReadable && previousBytes == m_data) {
        m_result.bundle.path = dest;
        m_result.ok = true;
        m_result.changed = false;
        finish();
        return;
    }

    if (destInfo.isDir()) {
        fail(QStringLiteral("write-failed"),
            tr("cannot write the bundle to %1: it is a directory").arg(dest));
        return;
    }
    const QString dir = destInfo.absolutePath();
    if (!QDir().mkpath(dir)) {
        fail(QStringLiteral("write-failed"),
            tr("cannot create the directory %1 for the bundle").arg(dir));
        return;
    }
    QSaveFile file(dest);
    if (!file.open(QIODevice::WriteOnly) || file.write(m_data) != m_data.size() || !file.commit()) {
        fail(QStringLiteral("write-failed"),
            tr("cannot write the bundle to %1: %2").arg(dest, file.errorString()));
        return;
    }
    m_result.bundle.path = dest;
    m_result.ok = true;
    m_result.changed = true;
    finish();
}

void BundleDownloader::fail(const QString &code, const QString &message)
{
    m_result.ok = false;
    m_result.errorCode = code;
    m_result.error = message;
    dropReply();
    finish();
}

void BundleDownloader::finish()
{
    if (!m_running)
        return;
    m_running = false;
    m_deadline->stop();
    m_data.clear();
    emit finished(m_result);
}

void BundleDownloader::dropReply()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    disconnect(reply, nullptr, this, nullptr);
    // abort() on a reply that already reported an error (an HTTP error status) makes Qt warn;
    // deleting it ends the transfer as well.
    if (reply->isRunning() && reply->error() == QNetworkReply::NoError)
        reply->abort();
    reply->deleteLater();
}

} // namespace pgtls
