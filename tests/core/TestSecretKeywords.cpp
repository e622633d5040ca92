// SPDX-License-Identifier: MIT
#include "SecretKeywords.h"

#include <QTest>

using namespace pgtls;

class TestSecretKeywords : public QObject
{
    Q_OBJECT
private slots:
    void libpqMarksThePasswordAndTheKeyPassphraseAsSecret()
    {
        QVERIFY(SecretKeywords::isSecret(QStringLiteral("password")));
        QVERIFY(SecretKeywords::isSecret(QStringLiteral("sslpassword")));
    }
    void pathsAndNamesAreNotSecret()
    {
        for (const char *k : { "passfile", "sslkey", "sslrootcert", "user", "host", "" })
            QVERIFY2(!SecretKeywords::isSecret(QString::fromLatin1(k)), k);
    }
};

QTEST_GUILESS_MAIN(TestSecretKeywords)
#include "TestSecretKeywords.moc"
