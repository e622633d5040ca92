// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

namespace pgtls::lab {

// The lab's certificates, shaped like Amazon RDS's (every name says "Lab" so that nobody mistakes
// them for Amazon's):
//   Lab RDS Root CA (RSA 2048, self-signed; the client bundle holds only this, as the RDS bundles
//   do)
//     -> Lab RDS eu-west-1 Subordinate CA RSA2048 G1.A.1 (RSA 2048)
//          -> server certificate, CN and DNS SAN = endpointHostName (RSA 2048)
//          -> the same server key in an expired certificate (notAfter in the past), a not yet
//             valid one (notBefore in the future), one naming the host only in its CN (no SAN),
//             one whose only SAN is IP:127.0.0.1 (CN = the host name), and one that is revoked
//   crl.pem: the root's CRL (nothing revoked) and the intermediate's CRL (the revoked leaf)
//   Lab Rogue Root CA (EC P-256, not in the lab bundle)
//     -> Lab Rogue Subordinate CA -> server certificate for the same host name
// A plain class: generate() writes every PEM into the directory given to the constructor (which
// must exist), keys with mode 0600, certificates with 0644. It blocks for the key generation
// (typically 0.2 s to 0.8 s), so the lab runs it off the caller's thread. Reentrant: it holds
// only the two strings; generate() may run on any thread.
class LabPki
{
public:
    explicit LabPki(const QString &directory, const QString &hostName);

    // Generates and writes everything. Returns false with a reason in *error (when not null) if a
    // key, a certificate or a file could not be made.
    bool generate(QString *error = nullptr) const;

    QString directory() const { return m_directory; }
    QString hostName() const { return m_hostName; }

    // The client bundle: the lab root CA only (root.crt).
    QString rootCaPath() const;
    // The rogue root CA (rogue-root.crt), for tests that want to trust the "unknown" chain.
    QString rogueRootCaPath() const;
    // The intermediate alone (intermediate.crt).
    QString intermediatePath() const;
    // What the server sends: leaf then intermediate, and the leaf's key.
    QString serverChainPath() const; // server.crt
    QString serverKeyPath() const; // server.key
    // The expired leaf (same issuer, same key) then the intermediate.
    QString expiredChainPath() const; // expired.crt
    QString expiredKeyPath() const; // expired.key
    // The other leaves with the server key (serverKeyPath()), each followed by the intermediate.
    QString notYetValidChainPath() const; // not-yet-valid.crt
    QString cnOnlyChainPath() const; // cn-only.crt
    QString ipSanChainPath() const; // ip-san.crt
    QString revokedChainPath() const; // revoked.crt
    // The root's CRL then the intermediate's, PEM (crl.pem).
    QString crlPath() const;
    // The rogue leaf then the rogue intermediate.
    QString rogueChainPath() const; // rogue.crt
    QString rogueKeyPath() const; // rogue.key

    // Every file generate() writes.
    QStringList allFiles() const;

private:
    QString path(const char *name) const;

    QString m_directory;
    QString m_hostName;
};

} // namespace pgtls::lab
