// SPDX-License-Identifier: MIT
#pragma once

#include "BundleDownloader.h"
#include "CaBundle.h"
#include "ChainVerifier.h"
#include "RootCertInstaller.h"

#include <QList>
#include <QSslCertificate>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace pgtls::ui {

// The CA bundle part of the endpoint form, beneath the CA bundle field: what the chosen bundle
// holds (count, RDS CA ids, regions, earliest expiry, warnings for the endpoint's host, or the load
// error), and three actions:
//  - "Download RDS bundle": the global bundle or one region's (suggested from the endpoint's host;
//    GovCloud and China listed), through a BundleDownloader (never blocking), with a progress bar
//    and Cancel; the downloaded file becomes the chosen bundle (bundleChosen) and what changed
//    against the previous download is shown (added/removed CAs). A failed or cancelled download
//    leaves the previous file untouched.
//  - "Use built-in snapshot": writes RdsBundleSnapshot's PEM into the data directory (QSaveFile)
//    and chooses it; the summary says how old the snapshot is.
//  - "Install as ~/.postgresql/root.crt…": after a confirmation (a replaced file is destructive),
//    RootCertInstaller writes the chosen bundle there, keeping a backup of a different old file.
//
// objectNames: bundlePanel, bundleSummary, bundleRdsIds, bundleRegions, bundleWarnings,
// bundleRegion (QComboBox, item data = download key), bundleDownload, bundleProgress,
// bundleCancel, bundleDownloadStatus, bundleUseSnapshot, bundleInstall, bundleInstallStatus.
class BundlePanel : public QWidget
{
    Q_OBJECT
public:
    // Asks `question`; calls `answer` exactly once (possibly later, from the event loop).
    using Confirmation
        = std::function<void(const QString &question, std::function<void(bool)> answer)>;

    explicit BundlePanel(QWidget *parent = nullptr);

    // The bundle file to describe, as the form's field says it (empty: libpq's default
    // <home>/.postgresql/root.crt). Loads it at once (a small file, read synchronously).
    void setBundlePath(const QString &path);
    QString bundlePath() const { return m_path; }
    QString effectivePath() const; // the file described (the default resolved)
    const CaBundle &bundle() const { return m_bundle; }
    // The endpoint's host: warnings are given for it, and the download region is suggested from
    // it (unless the user picked one).
    void setEndpointHost(const QString &host);
    // What the last inspection found with `caFile` for `host`: evidence beats the region heuristic,
    // so when this bundle verified that host's chain, no "no root for the region" warning is shown.
    // (Only trusted or not; setLastTrust() says more.)
    void setLastVerification(const QString &caFile, const QString &host, bool trusted);
    // The same from the inspection's whole TrustResult (trust.caFile is the file): the bundle is
    // blamed only when it lacks the chain's anchor (the issuer at the top is unknown to it, or the
    // chain ends in a root it does not hold): "✗ It does not hold the CA …". When it holds the
    // anchor but the chain fails for another reason (an expired or revoked server certificate…),
    // the panel says the bundle is right and names the certificate at fault, without the region
    // heuristic's warnings.
    void setLastTrust(const QString &host, const TrustResult &trust);

    // --- injection (tests, mirrors) ---
    // Replaces the official trust-store base URL (see RdsTrustStore::bundleUrl).
    void setBaseUrl(const QString &baseUrl) { m_baseUrl = baseUrl; }
    // Trusted for the download's TLS connection besides the system CAs.
    void setExtraCaCertificates(const QList<QSslCertificate> &certs) { m_extraCas = certs; }
    // Where downloads and the snapshot are written; default: BundleDownloader's data directory.
    void setDataDirectory(const QString &dir) { m_dataDir = dir; }
    QString dataDirectory() const { return m_dataDir; }
    // The home directory of ~/.postgresql/root.crt; default: RootCert::libpqHomeDirectory().
    void setHomeDirectory(const QString &home);
    // Replaces the confirmation before installing (default: a window-modal question box).
    void setConfirmation(Confirmation confirmation) { m_confirm = std::move(confirmation); }

    // --- actions (the buttons call them) ---
    // Selects a download key: "global", "us-gov-global", "cn-global" or a region; false if unknown.
    bool selectDownload(const QString &key);
    QString selectedDownload() const;
    QString destinationFor(const QString &key) const; // the file a download of `key` writes
    void startDownload(); // the selected bundle; reports through downloadFinished()
    void cancelDownload();
    bool isDownloading() const;
    // Writes the built-in snapshot to the data directory and chooses it; false (and the reason
    // shown) when it could not be written.
    bool useSnapshot();
    QString snapshotPath() const;
    // Asks for confirmation, then installs the described bundle; reports through
    // installFinished() (not emitted when the user says no).
    void installAsRootCert();

    // The panel's focusable controls in tab order (for the form's tab chain).
    QList<QWidget *> focusChain() const;

private:
    QString m_verifiedFile;
    QString m_verifiedHost;
    bool m_verifiedTrusted = false;
    QString m_verifiedAnchor;  // subject of the anchor the bundle held, when the chain failed anyway
    QString m_verifiedProblem; // then: what failed instead, in words
    QString m_verifiedMissing; // the issuer the bundle lacks, when it lacks the anchor

signals:
    // A download or the snapshot gave a new bundle file: the form should take it as sslrootcert.
    void bundleChosen(const QString &path);
    void downloadFinished(const pgtls::BundleDownloadResult &result);
    void installFinished(const pgtls::RootCertInstallResult &result);

private:
    void buildUi();
    void refresh();
    void fillRegions();
    void onProgress(qint64 received, qint64 total);
    void onDownloadFinished(const BundleDownloadResult &result);
    void setDownloading(bool running);
    void install();

    QString m_path;
    QString m_host;
    QString m_home;
    QString m_dataDir;
    QString m_baseUrl;
    QList<QSslCertificate> m_extraCas;
    Confirmation m_confirm;
    CaBundle m_bundle;
    bool m_regionPicked = false; // the user chose a region: no more suggestions
    BundleDownloader *m_downloader;

    QLabel *m_summary = nullptr;
    QLabel *m_rdsIds = nullptr;
    QLabel *m_regions = nullptr;
    QLabel *m_warnings = nullptr;
    QComboBox *m_region = nullptr;
    QPushButton *m_download = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_downloadStatus = nullptr;
    QPushButton *m_useSnapshot = nullptr;
    QPushButton *m_install = nullptr;
    QLabel *m_installStatus = nullptr;
};

} // namespace pgtls::ui
