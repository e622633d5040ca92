// SPDX-License-Identifier: MIT
#include "PasswordStore.h"

#include "SecretMemory.h"

#include <qt6keychain/keychain.h>

#include <QMetaObject>

namespace pgtls::ui {

namespace {

// Process-wide: once the keychain is known to be missing, no request touches it again.
bool s_unavailable = false;
QString s_unavailableReason;

QString serviceName()
{
    return QString::fromLatin1(PasswordStore::kService);
}

} // namespace

PasswordStore::PasswordStore(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Result>();
}

PasswordStore::~PasswordStore() = default;

bool PasswordStore::isAvailable()
{
    return !s_unavailable;
}

QString PasswordStore::unavailableReason()
{
    return s_unavailableReason;
}

template <typename Done> void PasswordStore::startJob(QKeychain::Job *job, Done done)
{
    // Jobs have no parent: QtKeychain deletes them after finished (autoDelete), so a store deleted
    // while a job runs never frees a job the keychain library still calls back into; the context
    // object drops the answer then.
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, done);
    job->start();
}

void PasswordStore::finishLater(Result result)
{
    QMetaObject::invokeMethod(
        this, [this, result] { finishNow(result); }, Qt::QueuedConnection);
}

void PasswordStore::finishNow(const Result &result)
{
    emit finished(result);
}

PasswordStore::Status PasswordStore::failureStatus(QKeychain::Job *job)
{
    switch (job->error()) {
    case QKeychain::NoError:
        return Status::Ok;
    case QKeychain::EntryNotFound:
        return Status::NotFound;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::CouldNotDeleteEntry:
        return Status::Failed;
    case QKeychain::AccessDenied:
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
    case QKeychain::OtherError:
        break;
    }
    if (!s_unavailable) {
        s_unavailable = true;
        s_unavailableReason = job->errorString();
        emit keychainUnavailable(s_unavailableReason);
    }
    return Status::Unavailable;
}

bool PasswordStore::begin(Result &r, Operation operation, const QString &key)
{
    r.id = nextId();
    r.operation = operation;
    r.key = key;
    if (!s_unavailable)
        return true;
    r.status = Status::Unavailable;
    r.errorString = s_unavailableReason;
    finishLater(r);
    return false;
}

bool PasswordStore::settle(Result &r, QKeychain::Job *job)
{
    r.status = failureStatus(job);
    if (r.status != Status::Ok)
        r.errorString = job->errorString();
    return r.status == Status::Ok;
}

quint64 PasswordStore::read(const QString &key)
{
    Result r;
    if (!begin(r, Operation::Read, key))
        return r.id;
    auto *job = new QKeychain::ReadPasswordJob(serviceName());
    job->setKey(key);
    startJob(job, [this, r](QKeychain::Job *j) mutable {
        // binaryData() shares the job's own buffer: overwritten in place once the answer is
        // handed over (the job is deleted later, its data would otherwise stay in the heap).
        QByteArray raw;
        if (settle(r, j)) {
            raw = static_cast<QKeychain::ReadPasswordJob *>(j)->binaryData();
            r.password = QString::fromUtf8(raw); // what textData() returns
        }
        finishNow(r);
        wipe(r.password); // receivers that kept the password hold their own reference
        wipeShared(raw);
    });
    return r.id;
}

quint64 PasswordStore::write(const QString &key, const QString &password)
{
    Result r;
    if (!begin(r, Operation::Write, key))
        return r.id;
    auto *job = new QKeychain::WritePasswordJob(serviceName());
    job->setKey(key);
    job->setTextData(password);
    startJob(job, [this, r](QKeychain::Job *j) mutable {
        settle(r, j);
        finishNow(r);
    });
    // The UTF-8 copy inside the job is QtKeychain's own (no accessor reaches it).
    return r.id;
}

quint64 PasswordStore::remove(const QString &key)
{
    Result r;
    if (!begin(r, Operation::Remove, key))
        return r.id;
    auto *job = new QKeychain::DeletePasswordJob(serviceName());
    job->setKey(key);
    startJob(job, [this, r](QKeychain::Job *j) mutable {
        settle(r, j);
        finishNow(r);
    });
    return r.id;
}

quint64 PasswordStore::copy(const QString &from, const QString &to)
{
    return transfer(Operation::Copy, from, to);
}

quint64 PasswordStore::move(const QString &from, const QString &to)
{
    return transfer(Operation::Move, from, to);
}

// Read, write under the new key, and for a move delete the old one (only once the copy is safe):
// several keychain jobs, one answer.
quint64 PasswordStore::transfer(Operation operation, const QString &from, const QString &to)
{
    Result r;
    if (!begin(r, operation, from))
        return r.id;
    auto *readJob = new QKeychain::ReadPasswordJob(serviceName());
    readJob->setKey(from);
    startJob(readJob, [this, r, from, to](QKeychain::Job *j) mutable {
        if (!settle(r, j)) {
            finishNow(r);
            return;
        }
        auto *writeJob = new QKeychain::WritePasswordJob(serviceName());
        writeJob->setKey(to);
        QByteArray raw = static_cast<QKeychain::ReadPasswordJob *>(j)->binaryData();
        QString text = QString::fromUtf8(raw);
        writeJob->setTextData(text); // the write job keeps its own UTF-8 copy
        wipe(text);
        wipeShared(raw); // the read job's buffer
        startJob(writeJob, [this, r, from](QKeychain::Job *w) mutable {
            if (!settle(r, w) || r.operation != Operation::Move) {
                finishNow(r);
                return;
            }
            auto *deleteJob = new QKeychain::DeletePasswordJob(serviceName());
            deleteJob->setKey(from);
            startJob(deleteJob, [this, r](QKeychain::Job *d) mutable {
                settle(r, d);
                finishNow(r);
            });
        });
    });
    return r.id;
}

} // namespace pgtls::ui
