package io.backtrack.controller;

import io.backtrack.controller.config.BacktrackConfig;

import java.time.Duration;
import java.util.Optional;

/** The operator's settings in unit tests: the test agent, hourly schedule requeues, no leader election. */
public final class TestConfig implements BacktrackConfig {
    public static final TestConfig INSTANCE = new TestConfig();
    public static final String OPERATOR_NAMESPACE = "backtrack-system";

    @Override
    public Agent agent() {
        return TestAgentConfig.INSTANCE;
    }

    @Override
    public Schedule schedule() {
        return () -> Duration.ofHours(1);
    }

    @Override
    public TestClock clock() {
        return Optional::empty;
    }

    @Override
    public LeaderElectionSettings leaderElection() {
        return new LeaderElectionSettings() {
            public boolean enabled() {
                return false;
            }

            public String leaseName() {
                return "backtrack-operator-lock";
            }

            public Optional<String> leaseNamespace() {
                return Optional.empty();
            }

            public Optional<String> identity() {
                return Optional.empty();
            }
        };
    }

    @Override
    public String operatorNamespace() {
        return OPERATOR_NAMESPACE;
    }
}
