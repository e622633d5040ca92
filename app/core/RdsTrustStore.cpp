// SPDX-License-Identifier: MIT
#include "RdsTrustStore.h"

namespace pgtls {

namespace {

QString regionPath(const QString &region)
{
    return region.isEmpty() ? QStringLiteral("/global/global-bundle.pem")
                            : QStringLiteral("/%1/%1-bundle.pem").arg(region);
}

// {base}{path}, with the base either the official one or a validated override.
QUrl makeUrl(const QString &officialBase, const QString &baseUrlOverride, const QString &path,
    QString *error)
{
    QString base = officialBase;
    if (!baseUrlOverride.trimmed().isEmpty()) {
        const QUrl url(baseUrlOverride.trimmed(), QUrl::StrictMode);
        if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty()) {
            if (error) {
                *error = RdsTrustStore::tr("\"%1\" is not a base URL: give scheme and host, e.g. "
                                           "https://mirror.example.com:8443")
                             .arg(baseUrlOverride);
            }
            return {};
        }
        if (url.hasQuery() || url.hasFragment() || !url.userInfo().isEmpty()) {
            if (error) {
                *error = RdsTrustStore::tr("the base URL \"%1\" may hold scheme, host, port and a "
                                           "path, but no user name, query or fragment")
                             .arg(baseUrlOverride);
            }
            return {};
        }
        base = url.toString(QUrl::FullyEncoded);
        while (base.endsWith(QLatin1Char('/')))
            base.chop(1);
    }
    return QUrl(base + path, QUrl::StrictMode);
}

QString unknownRegionError(const QString &region)
{
    return RdsTrustStore::tr("\"%1\" is not an AWS region with an RDS trust store; `pgtls-check "
                             "bundle download --help` lists the regions (e.g. eu-west-1, "
                             "us-gov-west-1), or leave the region out for the global bundle")
        .arg(region);
}

} // namespace

QStringList RdsTrustStore::commercialRegions()
{
    // The regions of the 2025 global bundle (resources/rds/PROVENANCE.md), sorted.
    return { QStringLiteral("af-south-1"), QStringLiteral("ap-east-1"), QStringLiteral("ap-east-2"),
        QStringLiteral("ap-northeast-1"), QStringLiteral("ap-northeast-2"),
        QStringLiteral("ap-northeast-3"), QStringLiteral("ap-south-1"),
        QStringLiteral("ap-south-2"), QStringLiteral("ap-southeast-1"),
        QStringLiteral("ap-southeast-2"), QStringLiteral("ap-southeast-3"),
        QStringLiteral("ap-southeast-4"), QStringLiteral("ap-southeast-5"),
        QStringLiteral("ap-southeast-6"), QStringLiteral("ap-southeast-7"),
        QStringLiteral("ca-central-1"), QStringLiteral("ca-west-1"), QStringLiteral("eu-central-1"),
        QStringLiteral("eu-central-2"), QStringLiteral("eu-north-1"), QStringLiteral("eu-south-1"),
        QStringLiteral("eu-south-2"), QStringLiteral("eu-west-1"), QStringLiteral("eu-west-2"),
        QStringLiteral("eu-west-3"), QStringLiteral("il-central-1"), QStringLiteral("me-central-1"),
        QStringLiteral("me-south-1"), QStringLiteral("mx-central-1"), QStringLiteral("sa-east-1"),
        QStringLiteral("us-east-1"), QStringLiteral("us-east-2"), QStringLiteral("us-west-1"),
        QStringLiteral("us-west-2") };
}

QStringList RdsTrustStore::govCloudRegions()
{
    return { QStringLiteral("us-gov-east-1"), QStringLiteral("us-gov-west-1") };
}

QStringList RdsTrustStore::chinaRegions()
{
    return { QStringLiteral("cn-north-1"), QStringLiteral("cn-northwest-1") };
}

QStringList RdsTrustStore::allRegions()
{
    return commercialRegions() + govCloudRegions() + chinaRegions();
}

bool RdsTrustStore::isKnownRegion(const QString &region)
{
    return allRegions().contains(region);
}

RdsTrustStore::Partition RdsTrustStore::partitionOf(const QString &region)
{
    if (govCloudRegions().contains(region))
        return Partition::GovCloud;
    if (chinaRegions().contains(region))
        return Partition::China;
    return Partition::Commercial;
}

QString RdsTrustStore::partitionName(Partition partition)
{
    switch (partition) {
    case Partition::GovCloud:
        return QStringLiteral("govcloud");
    case Partition::China:
        return QStringLiteral("china");
    case Partition::Commercial:
        break;
    }
    return QStringLiteral("commercial");
}

QString RdsTrustStore::officialBaseUrl(Partition partition)
{
    switch (partition) {
    case Partition::GovCloud:
        return QStringLiteral("https://truststore.pki.us-gov-west-1.rds.amazonaws.com");
    case Partition::China:
        return QStringLiteral("https://rds-truststore.s3.cn-north-1.amazonaws.com.cn");
    case Partition::Commercial:
        break;
    }
    return QStringLiteral("https://truststore.pki.rds.amazonaws.com");
}

QUrl RdsTrustStore::bundleUrl(const QString &region, const QString &baseUrlOverride, QString *error)
{
    const QString r = region.trimmed();
    if (r.isEmpty() || r == QLatin1String("global"))
        return globalBundleUrl(Partition::Commercial, baseUrlOverride, error);
    if (!isKnownRegion(r)) {
        if (error)
            *error = unknownRegionError(r);
        return {};
    }
    return makeUrl(officialBaseUrl(partitionOf(r)), baseUrlOverride, regionPath(r), error);
}

QUrl RdsTrustStore::globalBundleUrl(
    Partition partition, const QString &baseUrlOverride, QString *error)
{
    return makeUrl(officialBaseUrl(partition), baseUrlOverride, regionPath({}), error);
}

QString RdsTrustStore::bundleName(const QString &region)
{
    const QString r = region.trimmed();
    return r.isEmpty() ? QStringLiteral("global") : r;
}

QString RdsTrustStore::globalBundleName(Partition partition)
{
    switch (partition) {
    case Partition::GovCloud:
        return QStringLiteral("us-gov-global");
    case Partition::China:
        return QStringLiteral("cn-global");
    case Partition::Commercial:
        break;
    }
    return QStringLiteral("global");
}

} // namespace pgtls
