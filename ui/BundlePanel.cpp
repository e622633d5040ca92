// SPDX-License-Identifier: MIT
#include "BundlePanel.h"

#include "FieldState.h"
#include "PlainText.h"
#include "ProblemCatalog.h"
#include "RdsBundleSnapshot.h"
#include "RdsTrustStore.h"
#include "RootCert.h"
#include "SafeFile.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QVBoxLayout>

namespace pgtls::ui {

namespace {

const QLatin1String kGlobal("global");
const QLatin1String kGovGlobal("us-gov-global");
const QLatin1String kChinaGlobal("cn-global");

// No translator is loaded for English, so plurals are chosen here rather than with %n.
QString certificates(int n)
{
    return n == 1 ? BundlePanel::tr("1 certificate") : BundlePanel::tr("%1 certificates").arg(n);
}

// "a, b, c … and 31 more" (the whole list goes into the tooltip).
QString compactList(const QStringList &items, int shown)
{
    if (items.size() <= shown + 1)
        return items.join(QStringLiteral(", "));
    return BundlePanel::tr("%1 … and %2 more")
        .arg(items.mid(0, shown).join(QStringLiteral(", ")))
        .arg(items.size() - shown);
}

QString certName(const CertificateInfo &c)
{
    return c.subjectCommonName.isEmpty() ? c.subject : c.subjectCommonName;
}

QString formatName(CaBundle::Format f)
{
    switch (f) {
    case CaBundle::Format::Pem:
        return QStringLiteral("PEM");
    case CaBundle::Format::Pkcs7:
        return QStringLiteral("PKCS#7");
    case CaBundle::Format::Der:
        return QStringLiteral("DER");
    }
    return {};
}

// showFieldState for a hint line without a field; the label's "state" property tells tests.
void showHint(QLabel *label, FieldState state, const QString &text)
{
    showFieldState(nullptr, label, state, text);
    label->setProperty("state",
        state == FieldState::Invalid     ? QStringLiteral("invalid")
            : state == FieldState::Valid ? QStringLiteral("valid")
                                         : QStringLiteral("neutral"));
}

} // namespace

BundlePanel::BundlePanel(QWidget *parent)
    : QWidget(parent)
    , m_home(RootCert::libpqHomeDirectory())
    , m_dataDir(
          QFileInfo(BundleDownloader::defaultDestination(QStringLiteral("global"))).absolutePath())
    , m_downloader(new BundleDownloader(this))
{
    m_confirm = [this](const QString &question, std::function<void(bool)> answer) {
        // Window-modal and asynchronous (open(), no exec()): no nested event loop.
        auto *box = new QMessageBox(QMessageBox::Question, tr("Install the CA bundle"), question,
            QMessageBox::Yes | QMessageBox::Cancel, this);
        box->setObjectName(QStringLiteral("bundleInstallConfirm"));
        box->setTextFormat(Qt::PlainText); // the question names files
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setDefaultButton(QMessageBox::Cancel);
        box->button(QMessageBox::Yes)->setText(tr("Install"));
        connect(box, &QMessageBox::finished, this,
            [box, answer] { answer(box->clickedButton() == box->button(QMessageBox::Yes)); });
        box->open();
    };
    buildUi();
    connect(m_downloader, &BundleDownloader::progress, this, &BundlePanel::onProgress);
    connect(m_downloader, &BundleDownloader::finished, this, &BundlePanel::onDownloadFinished);
    setDownloading(false);
    refresh();
}

void BundlePanel::buildUi()
{
    setObjectName(QStringLiteral("bundlePanel"));
    auto *v = new QVBoxLayout(this);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(3);

    m_summary = makeHintLabel(QStringLiteral("bundleSummary"), tr("What the CA bundle holds"));
    m_rdsIds = makeHintLabel(QStringLiteral("bundleRdsIds"), tr("Amazon RDS CAs in the bundle"));
    m_regions = makeHintLabel(QStringLiteral("bundleRegions"), tr("RDS regions in the bundle"));
    m_warnings = makeHintLabel(QStringLiteral("bundleWarnings"), tr("CA bundle warnings"));
    for (QLabel *l : { m_summary, m_rdsIds, m_regions, m_warnings })
        v->addWidget(l);

    m_region = new QComboBox;
    m_region->setObjectName(QStringLiteral("bundleRegion"));
    m_region->setAccessibleName(tr("Which RDS bundle to download"));
    m_region->setToolTip(tr("The global bundle covers every commercial region; GovCloud and China "
                            "have their own trust stores."));
    m_region->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_region->setMinimumContentsLength(6);
    fillRegions();
    m_region->view()->setObjectName(QStringLiteral("bundleRegionList"));
    m_region->view()->setAccessibleName(tr("RDS bundles"));
    m_download = new QPushButton(tr("Do&wnload RDS bundle"));
    m_download->setObjectName(QStringLiteral("bundleDownload"));
    m_download->setAccessibleName(tr("Download the selected RDS bundle"));
    m_download->setAutoDefault(false);
    auto *downloadRow = new QHBoxLayout;
    downloadRow->setContentsMargins(0, 4, 0, 0);
    downloadRow->addWidget(m_region, 1);
    downloadRow->addWidget(m_download);
    v->addLayout(downloadRow);

    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("bundleProgress"));
    m_progress->setAccessibleName(tr("Download progress"));
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(m_progress->fontMetrics().height());
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setObjectName(QStringLiteral("bundleCancel"));
    m_cancel->setAccessibleName(tr("Cancel the download"));
    m_cancel->setAutoDefault(false);
    auto *progressRow = new QHBoxLayout;
    progressRow->setContentsMargins(0, 0, 0, 0);
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_cancel);
    v->addLayout(progressRow);
    m_downloadStatus
        = makeHintLabel(QStringLiteral("bundleDownloadStatus"), tr("Download outcome"));
    v->addWidget(m_downloadStatus);

    m_useSnapshot = new QPushButton(tr("Use &built-in snapshot"));
    m_useSnapshot->setObjectName(QStringLiteral("bundleUseSnapshot"));
    m_useSnapshot->setAccessibleName(tr("Use the built-in snapshot of the RDS global bundle"));
    m_useSnapshot->setToolTip(tr("The RDS global bundle shipped with the app (%1); works offline.")
                                  .arg(RdsBundleSnapshot::ageText(QDate::currentDate())));
    m_useSnapshot->setAutoDefault(false);
    m_install = new QPushButton(tr("Install as root.crt…"));
    m_install->setObjectName(QStringLiteral("bundleInstall"));
    m_install->setAccessibleName(tr("Install the bundle as ~/.postgresql/root.crt"));
    m_install->setAutoDefault(false);
    auto *actionRow = new QHBoxLayout;
    actionRow->setContentsMargins(0, 0, 0, 0);
    actionRow->addWidget(m_useSnapshot);
    actionRow->addWidget(m_install);
    actionRow->addStretch(1);
    v->addLayout(actionRow);
    m_installStatus = makeHintLabel(QStringLiteral("bundleInstallStatus"), tr("Install outcome"));
    v->addWidget(m_installStatus);
    showHint(m_downloadStatus, FieldState::Neutral, QString());
    showHint(m_installStatus, FieldState::Neutral, QString());

    connect(m_region, &QComboBox::activated, this, [this] { m_regionPicked = true; });
    connect(m_download, &QPushButton::clicked, this, &BundlePanel::startDownload);
    connect(m_cancel, &QPushButton::clicked, this, &BundlePanel::cancelDownload);
    connect(m_useSnapshot, &QPushButton::clicked, this, &BundlePanel::useSnapshot);
    connect(m_install, &QPushButton::clicked, this, &BundlePanel::installAsRootCert);
}

void BundlePanel::fillRegions()
{
    m_region->addItem(tr("Global bundle (all commercial regions)"), QString(kGlobal));
    for (const QString &r : RdsTrustStore::commercialRegions())
        m_region->addItem(r, r);
    m_region->insertSeparator(m_region->count());
    m_region->addItem(tr("GovCloud (US): all regions"), QString(kGovGlobal));
    for (const QString &r : RdsTrustStore::govCloudRegions())
        m_region->addItem(tr("%1 (GovCloud)").arg(r), r);
    m_region->insertSeparator(m_region->count());
    m_region->addItem(tr("China: all regions"), QString(kChinaGlobal));
    for (const QString &r : RdsTrustStore::chinaRegions())
        m_region->addItem(tr("%1 (China)").arg(r), r);
}

QList<QWidget *> BundlePanel::focusChain() const
{
    return { m_region, m_download, m_cancel, m_useSnapshot, m_install };
}

void BundlePanel::setHomeDirectory(const QString &home)
{
    m_home = home;
    refresh();
}

QString BundlePanel::effectivePath() const
{
    if (!m_path.trimmed().isEmpty())
        return QFileInfo(m_path.trimmed()).absoluteFilePath();
    return RootCertInstaller(m_home).targetPath();
}

void BundlePanel::setBundlePath(const QString &path)
{
    m_path = path;
    refresh();
}

void BundlePanel::setEndpointHost(const QString &host)
{
    m_host = host.trimmed();
    if (!m_regionPicked && !isDownloading()) {
        const QString region = ProblemCatalog::rdsRegionOf(m_host);
        if (region.isEmpty() || !selectDownload(region))
            selectDownload(kGlobal);
    }
    refresh();
}

bool BundlePanel::selectDownload(const QString &key)
{
    const int i = m_region->findData(key);
    if (i < 0)
        return false;
    m_region->setCurrentIndex(i);
    return true;
}

QString BundlePanel::selectedDownload() const
{
    return m_region->currentData().toString();
}

void BundlePanel::setLastVerification(const QString &caFile, const QString &host, bool trusted)
{
    m_verifiedFile = caFile;
    m_verifiedHost = host.trimmed();
    m_verifiedTrusted = trusted;
    m_verifiedAnchor.clear();
    m_verifiedProblem.clear();
    m_verifiedMissing.clear();
    refresh();
}

void BundlePanel::setLastTrust(const QString &host, const TrustResult &trust)
{
    // An inspection that never got a chain (TLS refused, nothing listening) learned nothing about
    // the bundle: what an earlier one of the same host showed still holds.
    if (!trust.attempted && trust.chain.isEmpty() && host.trimmed() == m_verifiedHost
        && !m_verifiedFile.isEmpty())
        return;
    m_verifiedFile = trust.attempted ? trust.caFile : QString();
    m_verifiedHost = host.trimmed();
    m_verifiedTrusted = trust.attempted && trust.trusted;
    m_verifiedAnchor.clear();
    m_verifiedProblem.clear();
    m_verifiedMissing.clear();
    if (trust.attempted && !trust.trusted && !trust.chain.isEmpty()) {
        if (!trust.anchorSha256.isEmpty()) {
            m_verifiedAnchor = trust.anchorSubject;
            // The first problem, about the certificate that has it.
            const CertificateIssue *first = trust.issues.isEmpty() ? nullptr : &trust.issues.first();
            const int depth = first ? first->depth : trust.errorDepth;
            const CertificateInfo c = trust.certificateAt(depth, {});
            const QString what = depth == 0
                ? tr("the server certificate (%1)").arg(c.subjectCommonName.isEmpty() ? c.subject : c.subjectCommonName)
                : tr("the CA certificate %1").arg(c.subject);
            const QString code = first ? first->code : QString();
            const QString utcFormat = QStringLiteral("yyyy-MM-dd HH:mm 'UTC'");
            if (code == QLatin1String("expired"))
                m_verifiedProblem = tr("%1 expired on %2").arg(what, c.notAfter.toUTC().toString(utcFormat));
            else if (code == QLatin1String("not-yet-valid"))
                m_verifiedProblem = tr("%1 is valid only from %2").arg(what, c.notBefore.toUTC().toString(utcFormat));
            else if (code == QLatin1String("revoked"))
                m_verifiedProblem = tr("%1 has been revoked").arg(what);
            else if (code == QLatin1String("crl-missing"))
                m_verifiedProblem = tr("no revocation list was found for %1").arg(what);
            else
                m_verifiedProblem = tr("%1: %2").arg(what, first ? first->detail : trust.error);
        } else {
            m_verifiedMissing = trust.chain.last().selfSigned ? trust.chain.last().subject
                                                              : trust.chain.last().issuer;
        }
    }
    refresh();
}

void BundlePanel::refresh()
{
    const QString file = effectivePath();
    const bool isDefault = m_path.trimmed().isEmpty();
    m_rdsIds->hide();
    m_regions->hide();
    m_warnings->hide();
    m_install->setEnabled(false);
    const QString target = QDir::toNativeSeparators(RootCertInstaller(m_home).targetPath());
    m_install->setToolTip(plainToolTip(
        tr("Replace libpq's default CA file (%1) with this bundle, keeping a backup").arg(target)));
    if (file.isEmpty()) {
        m_bundle = CaBundle();
        showHint(m_summary, FieldState::Neutral,
            tr("No CA bundle chosen, and no home directory for libpq's default."));
        return;
    }
    if (isDefault && !QFileInfo::exists(file)) {
        m_bundle = CaBundle();
        showHint(m_summary, FieldState::Neutral,
            tr("No CA bundle chosen, and libpq's default %1 does not exist: download the RDS "
               "bundle or use the built-in snapshot.")
                .arg(QDir::toNativeSeparators(file)));
        return;
    }
    // Looked at first without blocking (a FIFO or a device is never opened for reading here).
    const SafeFileStatus status = SafeFile::check(file);
    if (!status.ok()) {
        m_bundle = CaBundle();
        showHint(m_summary, FieldState::Invalid, status.error);
        return;
    }
    m_bundle = CaBundle::load(file);
    if (!m_bundle.ok()) {
        showHint(m_summary, FieldState::Invalid, m_bundle.error);
        return;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QString summary = tr("%1, %2").arg(certificates(m_bundle.count()), formatName(m_bundle.format));
    const QDateTime earliest = m_bundle.earliestExpiryOfValid(now);
    if (earliest.isValid())
        summary += tr("; earliest expiry %1").arg(earliest.date().toString(Qt::ISODate));
    else
        summary += tr("; none is valid now");
    const int expired = int(m_bundle.expiredAt(now).size());
    if (expired > 0)
        summary += tr(" (%1 expired)").arg(expired);
    if (isDefault)
        summary = tr("libpq's default %1: %2").arg(QDir::toNativeSeparators(file), summary);
    if (file == snapshotPath() || m_bundle.path == snapshotPath())
        summary += QLatin1Char('\n')
            + tr("Built-in snapshot of the RDS global bundle, %1.")
                  .arg(RdsBundleSnapshot::ageText(QDate::currentDate()));
    showHint(m_summary, FieldState::Valid, summary);

    const QStringList ids = m_bundle.rdsCaIds();
    if (!ids.isEmpty())
        showHint(
            m_rdsIds, FieldState::Neutral, tr("RDS CAs: %1").arg(ids.join(QStringLiteral(", "))));
    const QStringList regions = m_bundle.rdsRegions();
    if (!regions.isEmpty()) {
        showHint(m_regions, FieldState::Neutral,
            tr("Regions (%1): %2").arg(regions.size()).arg(compactList(regions, 4)));
        m_regions->setToolTip(plainToolTip(regions.join(QStringLiteral(", "))));
    }
    QStringList warnings = m_bundle.warnings(m_host, now);
    const QString region = ProblemCatalog::rdsRegionOf(m_host);
    const bool verified = m_verifiedTrusted && m_verifiedHost == m_host && QFileInfo(m_verifiedFile) == QFileInfo(file);
    if (verified && !region.isEmpty())
        warnings.removeIf([&region](const QString &w) { return w.contains(region); });
    const bool sameInspection = m_verifiedHost == m_host && !m_verifiedFile.isEmpty()
        && QFileInfo(m_verifiedFile) == QFileInfo(file);
    // It held the anchor of a chain that failed for another reason: the bundle is right.
    const bool anchored = sameInspection && !m_verifiedAnchor.isEmpty();
    if (anchored && !region.isEmpty())
        warnings.removeIf([&region](const QString &w) { return w.contains(region); });
    if (sameInspection && !m_verifiedMissing.isEmpty())
        warnings.prepend(tr("It does not hold the CA that %1's chain needs: %2. This bundle is the "
                            "problem: use the bundle of the CA that issued the server's certificate.")
                             .arg(m_host, m_verifiedMissing));
    const QString anchoredText = anchored
        ? tr("✓ It holds the root of %1's chain (%2). The chain still fails, but not because of "
             "this bundle: %3.")
              .arg(m_host, m_verifiedAnchor, m_verifiedProblem)
        : QString();
    if (anchored && warnings.isEmpty()) {
        showHint(m_warnings, FieldState::Valid, anchoredText);
    } else if (verified && warnings.isEmpty()) {
        showHint(m_warnings, FieldState::Valid, tr("✓ It verified %1's chain in the last inspection.").arg(m_host));
    } else if (!warnings.isEmpty()) {
        QStringList lines;
        if (anchored)
            lines << anchoredText;
        for (const QString &w : warnings)
            lines << QStringLiteral("⚠ ") + w;
        showHint(m_warnings, FieldState::Invalid, lines.join(QLatin1Char('\n')));
    }
    const bool isTarget = QFileInfo(file) == QFileInfo(RootCertInstaller(m_home).targetPath());
    m_install->setEnabled(!isTarget && !m_home.isEmpty());
}

QString BundlePanel::destinationFor(const QString &key) const
{
    QString name;
    if (key == kGlobal)
        name = RdsTrustStore::globalBundleName(RdsTrustStore::Partition::Commercial);
    else if (key == kGovGlobal)
        name = RdsTrustStore::globalBundleName(RdsTrustStore::Partition::GovCloud);
    else if (key == kChinaGlobal)
        name = RdsTrustStore::globalBundleName(RdsTrustStore::Partition::China);
    else
        name = RdsTrustStore::bundleName(key);
    return QDir(m_dataDir).filePath(name + QStringLiteral("-bundle.pem"));
}

void BundlePanel::startDownload()
{
    const QString key = selectedDownload();
    QString error;
    QUrl url;
    if (key == kGovGlobal)
        url = RdsTrustStore::globalBundleUrl(RdsTrustStore::Partition::GovCloud, m_baseUrl, &error);
    else if (key == kChinaGlobal)
        url = RdsTrustStore::globalBundleUrl(RdsTrustStore::Partition::China, m_baseUrl, &error);
    else
        url = RdsTrustStore::bundleUrl(key == kGlobal ? QString() : key, m_baseUrl, &error);
    BundleDownloadOptions options;
    options.url = url; // an invalid URL is reported by the downloader, from the event loop
    options.destination = destinationFor(key);
    options.name = QFileInfo(options.destination).completeBaseName().chopped(7); // "-bundle"
    options.extraCaCertificates = m_extraCas;
    if (!url.isValid()) {
        showHint(m_downloadStatus, FieldState::Invalid, error);
        return;
    }
    showHint(
        m_downloadStatus, FieldState::Neutral, tr("Downloading %1…").arg(url.toDisplayString()));
    m_progress->setRange(0, 0);
    setDownloading(true);
    m_downloader->start(options);
}

void BundlePanel::cancelDownload()
{
    m_downloader->cancel(); // emits finished (cancelled) before it returns
}

bool BundlePanel::isDownloading() const
{
    return m_downloader->isRunning();
}

void BundlePanel::setDownloading(bool running)
{
    m_progress->setVisible(running);
    m_cancel->setVisible(running);
    m_download->setEnabled(!running);
    m_region->setEnabled(!running);
    m_useSnapshot->setEnabled(!running);
    if (running)
        m_cancel->setFocus(Qt::OtherFocusReason);
}

void BundlePanel::onProgress(qint64 received, qint64 total)
{
    if (total > 0) {
        // QProgressBar is int-based; bundles are bounded by BundleDownloadOptions::maxBytes.
        m_progress->setRange(0, int(qMin<qint64>(total, INT_MAX)));
        m_progress->setValue(int(qMin(received, total)));
    } else {
        m_progress->setRange(0, 0);
    }
}

void BundlePanel::onDownloadFinished(const BundleDownloadResult &result)
{
    setDownloading(false);
    if (result.cancelled()) {
        showHint(m_downloadStatus, FieldState::Neutral,
            result.hadPrevious ? tr("Download cancelled; %1 is unchanged.")
                                     .arg(QDir::toNativeSeparators(result.destination))
                               : tr("Download cancelled; nothing was written."));
    } else if (!result.ok) {
        QString text = result.error;
        if (QFileInfo::exists(result.destination) && !text.contains(result.destination))
            text += QLatin1Char(' ')
                + tr("The bundle already at %1 is unchanged.")
                      .arg(QDir::toNativeSeparators(result.destination));
        showHint(m_downloadStatus, FieldState::Invalid, text);
    } else {
        QString text;
        const QString where = QDir::toNativeSeparators(result.destination);
        if (!result.hadPrevious) {
            text = tr("Downloaded %1 to %2.").arg(certificates(result.bundle.count()), where);
        } else if (!result.changed) {
            text = tr("Up to date: %1 did not change.").arg(where);
        } else {
            text = tr("Updated %1: %2 added, %3 removed.")
                       .arg(where)
                       .arg(result.diff.added.size())
                       .arg(result.diff.removed.size());
            auto names = [](const QList<CertificateInfo> &certs) {
                QStringList n;
                for (const CertificateInfo &c : certs)
                    n << certName(c);
                return compactList(n, 3);
            };
            if (!result.diff.added.isEmpty())
                text += QLatin1Char('\n') + tr("Added: %1").arg(names(result.diff.added));
            if (!result.diff.removed.isEmpty())
                text += QLatin1Char('\n') + tr("Removed: %1").arg(names(result.diff.removed));
        }
        showHint(m_downloadStatus, FieldState::Valid, text);
        setBundlePath(result.destination);
        emit bundleChosen(result.destination);
    }
    emit downloadFinished(result);
}

QString BundlePanel::snapshotPath() const
{
    return QDir(m_dataDir).filePath(QStringLiteral("global-snapshot-bundle.pem"));
}

bool BundlePanel::useSnapshot()
{
    const QString path = snapshotPath();
    const QByteArray pem = RdsBundleSnapshot::pem();
    QFile existing(path);
    const bool same = existing.open(QIODevice::ReadOnly) && existing.readAll() == pem;
    existing.close();
    if (!same) {
        QSaveFile out(path);
        if (!QDir().mkpath(m_dataDir) || !out.open(QIODevice::WriteOnly)
            || out.write(pem) != pem.size() || !out.commit()) {
            showHint(m_downloadStatus, FieldState::Invalid,
                tr("Could not write the snapshot to %1: %2")
                    .arg(QDir::toNativeSeparators(path), out.errorString()));
            return false;
        }
    }
    showHint(m_downloadStatus, FieldState::Valid,
        tr("Using the built-in snapshot (%1), saved as %2. A download is fresher.")
            .arg(RdsBundleSnapshot::ageText(QDate::currentDate()), QDir::toNativeSeparators(path)));
    setBundlePath(path);
    emit bundleChosen(path);
    return true;
}

void BundlePanel::installAsRootCert()
{
    if (!m_bundle.ok() || m_bundle.entries.isEmpty()) {
        showHint(m_installStatus, FieldState::Invalid, tr("Choose a CA bundle that loads first."));
        return;
    }
    const RootCertInstaller installer(m_home);
    const InstalledRootCert current = installer.current();
    const QString target = QDir::toNativeSeparators(installer.targetPath());
    QString question
        = tr("Install %1 (%2) as %3?")
              .arg(QDir::toNativeSeparators(m_bundle.path), certificates(m_bundle.count()), target);
    question += QStringLiteral("\n\n");
    if (current.exists)
        question += tr("It replaces the current file (%1); a backup of it is kept next to it.")
                        .arg(current.bundle.ok() ? certificates(current.bundle.count())
                                                 : current.bundle.error);
    else
        question += tr("The file does not exist yet; it will be created.");
    question += QLatin1Char(' ')
        + tr("Every libpq client of this user that does not set sslrootcert will then trust "
             "exactly these CAs.");
    m_confirm(question, [this](bool yes) {
        if (yes)
            install();
        else
            showHint(m_installStatus, FieldState::Neutral, tr("Not installed."));
    });
}

void BundlePanel::install()
{
    const RootCertInstallResult r = RootCertInstaller(m_home).install(m_bundle.path);
    QString text = r.message;
    if (!r.backupPath.isEmpty())
        text += QLatin1Char('\n')
            + tr("Backup of the previous file: %1").arg(QDir::toNativeSeparators(r.backupPath));
    showHint(m_installStatus, r.ok() ? FieldState::Valid : FieldState::Invalid, text);
    refresh();
    emit installFinished(r);
}

} // namespace pgtls::ui
