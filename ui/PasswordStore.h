// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

namespace QKeychain {
class Job;
}

namespace pgtls::ui {

// Passwords in the system keychain (the Secret Service on Linux, through QtKeychain), service
// "pgtls-inspector", one entry per key (the profile's name). Nothing else: a password is never
// written anywhere but the keychain, and never logged.
//
// Every call starts one request and returns its id at once; the request ends with exactly one
// finished(result) carrying that id, always later from the event loop (never from inside the call),
// never blocking and without nested event loops. Requests run in the order they were made.
//
// When the keychain turns out to be missing (no Secret Service, or it refuses access), that is
// remembered for the rest of the process: keychainUnavailable() is emitted once (by the store that
// found out), isAvailable() is false from then on, and every later request finishes with
// Status::Unavailable without touching the keychain. The caller then asks for the password each
// time.
class PasswordStore : public QObject
{
    Q_OBJECT
public:
    enum class Operation { Read, Write, Remove, Copy, Move };
    enum class Status {
        Ok, // done (Read: password holds the secret)
        NotFound, // no entry for the key (Read, Remove; Copy/Move: nothing to copy)
        Unavailable, // no usable keychain in this session
        Failed, // the keychain answered with an error (e.g. the user refused the unlock prompt)
    };
    Q_ENUM(Status)

    struct Result
    {
        quint64 id = 0;
        Operation operation = Operation::Read;
        QString key; // Copy/Move: the source key
        Status status = Status::Failed;
        QString password; // Read with Status::Ok only
        QString errorString; // the keychain's words when not Ok
    };

    static constexpr const char *kService = "pgtls-inspector";

    explicit PasswordStore(QObject *parent = nullptr);
    ~PasswordStore() override;

    quint64 read(const QString &key);
    quint64 write(const QString &key, const QString &password);
    quint64 remove(const QString &key);
    // Copies the secret of `from` to `to` (Move then removes `from`). NotFound when `from` has
    // none.
    quint64 copy(const QString &from, const QString &to);
    quint64 move(const QString &from, const QString &to);

    // False once any request found no usable keychain in this process.
    static bool isAvailable();
    // Why the keychain is unavailable (the first failure's words), empty while it is available.
    static QString unavailableReason();

signals:
    // Exactly once per request, after the call returned.
    void finished(const pgtls::ui::PasswordStore::Result &result);
    // Once per process, when a request first finds no usable keychain (before that request's
    // finished()).
    void keychainUnavailable(const QString &reason);

private:
    quint64 nextId() { return ++m_lastId; }
    // Starts `job` (owned and deleted by QtKeychain after finished) and calls `done` with it.
    template <typename Done> void startJob(QKeychain::Job *job, Done done);
    void finishLater(Result result);
    void finishNow(const Result &result);
    // Maps a failed job's error to a status, noting an unavailable keychain for the session.
    Status failureStatus(QKeychain::Job *job);
    // Fills a request's id, operation and key; when the keychain is known to be unavailable,
    // answers it (later, from the event loop) and returns false.
    bool begin(Result &r, Operation operation, const QString &key);
    // Records a finished job's outcome in `r`; true when it succeeded.
    bool settle(Result &r, QKeychain::Job *job);
    quint64 transfer(Operation operation, const QString &from, const QString &to);

    quint64 m_lastId = 0;
};

} // namespace pgtls::ui

Q_DECLARE_METATYPE(pgtls::ui::PasswordStore::Result)
