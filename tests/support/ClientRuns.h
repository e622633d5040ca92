// SPDX-License-Identifier: MIT
#pragma once

// Test helpers: run many short client processes (psql, pgtls-check) against the lab, a few at a
// time, through the event loop (no waitFor*, no sleeps), each bounded in time.

#include <QEventLoop>
#include <QList>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>

namespace pgtls::test {

struct ClientRun
{
    ClientRun(const QString &program_, const QStringList &arguments_,
        const QProcessEnvironment &environment_)
        : program(program_)
        , arguments(arguments_)
        , environment(environment_)
    { }

    QString program;
    QStringList arguments;
    QProcessEnvironment environment;

    // Results: exitCode is -1 when the process did not finish in time (killed), -2 when it
    // crashed, -3 when it did not start.
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    bool done = false;

    // The command as a reader would type it (for failure messages).
    QString commandLine() const
    {
        QStringList parts { program };
        for (const QString &a : arguments)
            parts << (a.contains(QLatin1Char(' ')) ? QLatin1Char('"') + a + QLatin1Char('"') : a);
        return parts.join(QLatin1Char(' '));
    }
};

// The environment for a libpq client of the lab: the caller's PG* variables stripped, the lab's
// passfile, `home` as HOME (so that libpq's ~/.postgresql defaults are absent when it is empty),
// C messages, a bounded connect timeout.
inline QProcessEnvironment labClientEnvironment(const QString &passfile, const QString &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(QLatin1String("PG")) || key == QLatin1String("LANGUAGE"))
            env.remove(key);
    }
    env.insert(QStringLiteral("PGPASSFILE"), passfile);
    env.insert(QStringLiteral("PGCONNECT_TIMEOUT"), QStringLiteral("10"));
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("LC_ALL"), QStringLiteral("C"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("C"));
    return env;
}

// Runs every entry of `runs` to completion, at most `parallel` at once, each killed after
// `timeoutMs`; stdin is /dev/null.
inline void runConcurrently(QList<ClientRun> &runs, int parallel = 4, int timeoutMs = 30000)
{
    if (runs.isEmpty())
        return;
    QEventLoop loop;
    qsizetype next = 0;
    qsizetype finished = 0;
    int running = 0;
    auto launchMore = std::make_shared<std::function<void()>>();
    *launchMore = [&, launchMore] {
        while (running < parallel && next < runs.size()) {
            const qsizetype index = next++;
            auto *p = new QProcess(&loop);
            auto *timer = new QTimer(p);
            timer->setSingleShot(true);
            QObject::connect(timer, &QTimer::timeout, p, [p] { p->kill(); });
            auto finish = [&, p, index, launchMore, timedOut = timer](int code) {
                ClientRun &r = runs[index];
                if (r.done)
                    return;
                r.done = true;
                r.exitCode = code;
                if (!timedOut->isActive() && code == -2)
                    r.exitCode = -1; // killed by our timer
                timedOut->stop();
                r.out = p->readAllStandardOutput();
                r.err = p->readAllStandardError();
                p->deleteLater();
                --running;
                ++finished;
                if (finished == runs.size())
                    loop.quit();
                else
                    (*launchMore)();
            };
            QObject::connect(
                p, &QProcess::finished, &loop, [finish](int code, QProcess::ExitStatus status) {
                    finish(status == QProcess::NormalExit ? code : -2);
                });
            QObject::connect(
                p, &QProcess::errorOccurred, &loop, [finish](QProcess::ProcessError e) {
                    if (e == QProcess::FailedToStart)
                        finish(-3);
                });
            const ClientRun &r = runs.at(index);
            p->setProgram(r.program);
            p->setArguments(r.arguments);
            p->setProcessEnvironment(r.environment);
            p->setStandardInputFile(QProcess::nullDevice());
            ++running;
            timer->start(timeoutMs);
            p->start();
        }
    };
    (*launchMore)();
    if (finished < runs.size())
        loop.exec();
    *launchMore = nullptr; // breaks the self-reference
}

} // namespace pgtls::test
