// SPDX-License-Identifier: MIT
#include "ProcessHygiene.h"

#include <QTest>

#include <sys/prctl.h>
#include <sys/resource.h>

using namespace pgtls;

class TestProcessHygiene : public QObject
{
    Q_OBJECT
private slots:
    void aProcessThatMayHoldAPasswordNeverDumpsCore()
    {
        QVERIFY(!ProcessHygiene::isProtected()); // a test process starts dumpable
        QVERIFY(ProcessHygiene::protectSecrets());
        QCOMPARE(::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
        struct rlimit core = {};
        QCOMPARE(::getrlimit(RLIMIT_CORE, &core), 0);
        QCOMPARE(core.rlim_cur, rlim_t(0));
        QCOMPARE(core.rlim_max, rlim_t(0));
        QVERIFY(ProcessHygiene::isProtected());
    }
};

QTEST_GUILESS_MAIN(TestProcessHygiene)
#include "TestProcessHygiene.moc"
