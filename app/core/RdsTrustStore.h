// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace pgtls {

// Where Amazon RDS publishes its CA bundles (the official trust stores; see
// resources/rds/PROVENANCE.md) and the URL of each bundle:
//   {base}/global/global-bundle.pem        all roots of the partition
//   {base}/{region}/{region}-bundle.pem    the roots of one region
// with {base} one of
//   https://truststore.pki.rds.amazonaws.com                 commercial regions
//   https://truststore.pki.us-gov-west-1.rds.amazonaws.com   AWS GovCloud (US)
//   https://rds-truststore.s3.cn-north-1.amazonaws.com.cn    China
// Pure functions, no network.
class RdsTrustStore
{
    Q_DECLARE_TR_FUNCTIONS(RdsTrustStore)
public:
    enum class Partition { Commercial, GovCloud, China };

    // Region lists, sorted. Commercial: the 34 regions of the 2025 global bundle (not the Beta and
    // Preview CAs, which have no public trust-store file).
    static QStringList commercialRegions();
    static QStringList govCloudRegions(); // us-gov-east-1, us-gov-west-1
    static QStringList chinaRegions(); // cn-north-1, cn-northwest-1
    static QStringList allRegions(); // the three lists, in that order
    static bool isKnownRegion(const QString &region);
    // The partition a region belongs to; Commercial for unknown names.
    static Partition partitionOf(const QString &region);
    static QString partitionName(Partition partition); // "commercial", "govcloud", "china"

    // The official base URL of a partition's trust store (scheme and host, no trailing slash).
    static QString officialBaseUrl(Partition partition);

    // The URL of a region's bundle, or of the commercial global bundle when `region` is empty or
    // "global". `baseUrlOverride` (for mirrors and tests), when not empty, replaces the official
    // scheme, host and port (and may add a path prefix); the path layout is kept. Returns an
    // invalid QUrl for an unknown region or an unusable override, and then sets *error (in the
    // user's words; an unknown region's message says how to list the regions).
    static QUrl bundleUrl(
        const QString &region, const QString &baseUrlOverride = {}, QString *error = nullptr);
    // The global bundle of a partition (GovCloud's and China's hold only their own regions' roots).
    static QUrl globalBundleUrl(
        Partition partition, const QString &baseUrlOverride = {}, QString *error = nullptr);

    // The short name a downloaded bundle is stored under: "global", "eu-west-1", and for the
    // GovCloud / China global bundles "us-gov-global" / "cn-global" (so they do not overwrite the
    // commercial one).
    static QString bundleName(const QString &region);
    static QString globalBundleName(Partition partition);
};

} // namespace pgtls
