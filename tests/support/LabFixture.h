// SPDX-License-Identifier: MIT
#pragma once

// Test helpers shared by the suites that run against the lab.

#include "Lab.h"

#include <QSignalSpy>

namespace pgtls::test {

// Starts `lab` in `scenario` and waits for it; returns an empty string, or why it did not start.
inline QString startLab(lab::Lab &lab, lab::Scenario scenario = lab::Scenario::Correct, int timeoutMs = 20000)
{
    QSignalSpy started(&lab, &lab::Lab::started);
    QSignalSpy failed(&lab, &lab::Lab::failed);
    lab.start(scenario);
    if (!started.wait(timeoutMs) && failed.isEmpty())
        return QStringLiteral("the lab did not start within %1 ms").arg(timeoutMs);
    return failed.isEmpty() ? QString() : failed.first().first().toString();
}

// Switches a running lab to `scenario` (nothing to do when it is in effect); empty string or why not.
inline QString switchScenario(lab::Lab &lab, lab::Scenario scenario, int timeoutMs = 15000)
{
    if (lab.scenario() == scenario)
        return {};
    QSignalSpy changed(&lab, &lab::Lab::scenarioChanged);
    QSignalSpy failed(&lab, &lab::Lab::failed);
    lab.setScenario(scenario);
    if (!changed.wait(timeoutMs) && failed.isEmpty())
        return QStringLiteral("the lab did not switch to %1 within %2 ms").arg(lab::scenarioName(scenario)).arg(timeoutMs);
    return failed.isEmpty() ? QString() : failed.first().first().toString();
}

} // namespace pgtls::test
