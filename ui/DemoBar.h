// SPDX-License-Identifier: MIT
#pragma once

#include "Endpoint.h"
#include "Lab.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace pgtls::ui {

// The trainer's scenario switcher for `--demo`: owns a pgtls::lab::Lab, starts it on request, and
// offers every lab scenario (with its description). Choosing one switches the running lab; when the
// lab has started or taken the new scenario, endpointReady() hands over the endpoint to inspect
// (the Alias scenario changes the host name). The lab stops when this bar is destroyed.
// Child objectNames: scenario (QComboBox), scenarioDescription, labStatus.
class DemoBar : public QWidget
{
    Q_OBJECT
public:
    explicit DemoBar(QWidget *parent = nullptr);
    ~DemoBar() override;

    // Starts the lab asynchronously (see Lab::start); reports through busy(), then endpointReady()
    // or failed(). Does nothing while the lab starts or runs.
    void startLab(lab::Scenario initial = lab::Scenario::Correct);
    // Switches the running lab (as choosing it in the combo box does).
    void setScenario(lab::Scenario scenario);
    lab::Scenario scenario() const;
    lab::Lab *lab() const { return m_lab; }

signals:
    // The lab started, or took a new scenario: inspect this (it names the lab's passfile, so no
    // password is needed).
    void endpointReady(const pgtls::Endpoint &endpoint);
    // Something is under way ("Starting the demo lab…", "Switching to …").
    void busy(const QString &what);
    // The lab could not start or switch, or its server exited.
    void failed(const QString &message);

private:
    void updateDescription();

    lab::Lab *m_lab;
    QComboBox *m_scenario;
    QLabel *m_description;
    QLabel *m_status;
    bool m_starting = false;
};

} // namespace pgtls::ui
