// SPDX-License-Identifier: MIT
#pragma once

namespace pgtls {

// Both programs may hold a password in memory (typed, from the keychain, PGPASSWORD): such a
// process must never leave it in a core dump or let another process of the same user read its
// memory. Call protectSecrets() first thing in main(), before any password can arrive.
class ProcessHygiene
{
public:
    // prctl(PR_SET_DUMPABLE, 0) (no core dump, no ptrace or /proc/PID/mem by the same user) and
    // RLIMIT_CORE 0. Returns false when either call failed (the process goes on).
    static bool protectSecrets();
    static bool isProtected();
};

} // namespace pgtls
