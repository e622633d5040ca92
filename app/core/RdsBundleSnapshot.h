// SPDX-License-Identifier: MIT
#pragma once

#include "CaBundle.h"

#include <QByteArray>
#include <QDate>
#include <QString>

namespace pgtls {

// The offline snapshot of the Amazon RDS global CA bundle compiled into the binary
// (resources/rds/global-bundle.pem, provenance in resources/rds/PROVENANCE.md). It lets the app
// verify RDS endpoints and install a bundle without a download; a live download is always
// preferred. Thread-safe and usable without a QCoreApplication; the resource is registered on first
// use.
class RdsBundleSnapshot
{
public:
    // The bundle's bytes exactly as shipped (PEM, 108 certificates in the 2026-11-22 snapshot).
    static QByteArray pem();
    // When the snapshot was taken (UTC date).
    static QDate takenOn();
    // Where it comes from, in the user's words: the official URL, the date, the SHA-256 and how it
    // was checked.
    static QString provenance();
    // The full provenance record (PROVENANCE.md), for an "about this bundle" view.
    static QString provenanceDocument();
    // SHA-256 of pem(), 64 lower-case hex characters.
    static QString sha256();
    // The official URL the snapshot stands for.
    static QString sourceUrl();
    // pem() loaded as a CaBundle (name "global-bundle.pem (built-in snapshot)").
    static CaBundle bundle();
    // "taken 2026-11-22, 2 days ago" (also "today", "1 day ago", and a note when `today` is
    // earlier).
    static QString ageText(const QDate &today);
};

} // namespace pgtls
