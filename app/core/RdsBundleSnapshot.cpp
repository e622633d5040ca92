// SPDX-License-Identifier: MIT
#include "RdsBundleSnapshot.h"

#include "OpenSslUtil.h"

#include <QCoreApplication>
#include <QFile>

// Q_INIT_RESOURCE must be used outside any namespace. pgtls_core is a static library, so the linker
// would otherwise drop the resource's static initializer; registering it on first use makes the
// resource available to every program that links the library and calls us.
static void initSnapshotResource()
{
    Q_INIT_RESOURCE(snapshot);
}

namespace pgtls {

namespace {

void ensureResource()
{
    // A function-local static: thread-safe, once.
    static const bool registered = (initSnapshotResource(), true);
    Q_UNUSED(registered);
}

QByteArray readResource(const QString &path)
{
    ensureResource();
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll();
}

} // namespace

QByteArray RdsBundleSnapshot::pem()
{
    return readResource(QStringLiteral(":/pgtls/rds/global-bundle.pem"));
}

QDate RdsBundleSnapshot::takenOn()
{
    return QDate(2026, 11, 22);
}

QString RdsBundleSnapshot::sha256()
{
    return ossl::sha256Hex(pem());
}

QString RdsBundleSnapshot::sourceUrl()
{
    return QStringLiteral("https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem");
}

QString RdsBundleSnapshot::provenance()
{
    return QCoreApplication::translate("pgtls::RdsBundleSnapshot",
        "Built-in snapshot of the Amazon RDS global CA bundle (%1), taken on %2: %3 certificates, "
        "SHA-256 %4. It was copied from a public repository, not downloaded from AWS; its SHA-256 "
        "is the one many independent projects pin for the official URL. Prefer a fresh download "
        "when you can.")
        .arg(sourceUrl(), takenOn().toString(Qt::ISODate))
        .arg(bundle().count())
        .arg(sha256());
}

QString RdsBundleSnapshot::provenanceDocument()
{
    return QString::fromUtf8(readResource(QStringLiteral(":/pgtls/rds/PROVENANCE.md")));
}

CaBundle RdsBundleSnapshot::bundle()
{
    return CaBundle::fromData(pem(),
        QCoreApplication::translate(
            "pgtls::RdsBundleSnapshot", "global-bundle.pem (built-in snapshot)"));
}

QString RdsBundleSnapshot::ageText(const QDate &today)
{
    const QString taken = takenOn().toString(Qt::ISODate);
    const qint64 days = takenOn().daysTo(today);
    if (!today.isValid())
        return QCoreApplication::translate("pgtls::RdsBundleSnapshot", "taken %1").arg(taken);
    if (days < 0)
        return QCoreApplication::translate("pgtls::RdsBundleSnapshot",
            "taken %1 (after today's date on this computer: check the clock)")
            .arg(taken);
    if (days == 0)
        return QCoreApplication::translate("pgtls::RdsBundleSnapshot", "taken %1, today")
            .arg(taken);
    if (days == 1)
        return QCoreApplication::translate("pgtls::RdsBundleSnapshot", "taken %1, 1 day ago")
            .arg(taken);
    return QCoreApplication::translate(
        "pgtls::RdsBundleSnapshot", "taken %1, %n days ago", nullptr, int(days))
        .arg(taken);
}

} // namespace pgtls
