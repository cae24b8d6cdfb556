package io.backtrack.controller;

import io.backtrack.controller.config.BacktrackConfig;

import java.util.Optional;

/** The agent settings unit tests build Jobs with. */
public final class TestAgentConfig implements BacktrackConfig.Agent {
    public static final TestAgentConfig INSTANCE = new TestAgentConfig(null);

    private final String jobDefaults;

    private TestAgentConfig(String jobDefaults) {
        this.jobDefaults = jobDefaults;
    }

    /** @param json the chart's jobDefaults as the operator receives them */
    public static TestAgentConfig withJobDefaults(String json) {
        return new TestAgentConfig(json);
    }

    public String image() {
        return "ghcr.io/backtrack-io/backtrack-agent:test";
    }

    public String imagePullPolicy() {
        return "IfNotPresent";
    }

    public long runAsUser() {
        return 65532;
    }

    public Optional<String> jobDefaults() {
        return Optional.ofNullable(jobDefaults);
    }

    public int maxRunningJobs() {
        return 10;
    }
}
