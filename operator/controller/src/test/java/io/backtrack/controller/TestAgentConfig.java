package io.backtrack.controller;

import io.backtrack.controller.config.BacktrackConfig;

import java.util.Optional;

/** The agent settings unit tests build Jobs with. */
public final class TestAgentConfig implements BacktrackConfig.Agent {
    public static final TestAgentConfig INSTANCE = new TestAgentConfig();

    public String image() {
        return "ghcr.io/backtrack-io/backtrack-agent:test";
    }

    public String imagePullPolicy() {
        return "IfNotPresent";
    }

    public long runAsUser() {
        return 65532;
    }

    public long activeDeadlineSeconds() {
        return 3600;
    }

    public int backoffLimit() {
        return 2;
    }

    public Optional<String> serviceAccountName() {
        return Optional.empty();
    }

    public int maxRunningJobs() {
        return 10;
    }
}
