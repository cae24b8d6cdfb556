package io.backtrack.controller.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Operator settings (application.properties, or BACKTRACK_* environment variables from the Helm chart). */
@ConfigMapping(prefix = "backtrack")
public interface BacktrackConfig {

    Agent agent();

    Schedule schedule();

    /** Tests only: see {@link ClockProducer}. */
    TestClock clock();

    LeaderElectionSettings leaderElection();

    /**
     * The operator's own namespace (the Helm chart's Deployment sets POD_NAMESPACE, application.properties maps it
     * here; default: "default"). Events about a namespace being deleted are written here.
     */
    @WithDefault("default")
    String operatorNamespace();

    interface Schedule {
        /** Every schedule is reconciled at least this often (periodic retention and ttl expiry). */
        @WithDefault("PT1H")
        Duration maxRequeueInterval();
    }

    interface TestClock {
        /** When set, the operator's time is the system clock plus the ISO-8601 duration in this file. Off by default. */
        Optional<String> offsetFile();
    }

    interface LeaderElectionSettings {
        /** On in the Helm chart, so that several replicas are safe; off for a single operator. */
        @WithDefault("false")
        boolean enabled();

        @WithDefault("backtrack-operator-lock")
        String leaseName();

        /** Namespace of the Lease; default: the client's namespace. */
        Optional<String> leaseNamespace();

        /** This replica's identity in the Lease; default: HOSTNAME. */
        Optional<String> identity();
    }

    interface Agent {
        /** The agent image that every backup, restore and cleanup Job runs (set in application.properties from the pom). */
        String image();

        @WithDefault("IfNotPresent")
        String imagePullPolicy();

        /** Non-root UID the agent runs as. */
        @WithDefault("65532")
        long runAsUser();

        /**
         * Operator-wide defaults of every agent Job, as JSON of the shape of a resource's spec.job (the Helm chart's
         * jobDefaults); a resource's spec.job is laid over them (see EffectiveJobSettings). Without it: a deadline of
         * 3600 s, 2 retries, nothing else.
         */
        Optional<String> jobDefaults();

        /**
         * Operator-wide cap on agent Job slots: running backup and cleanup Jobs, and Restores in progress (one slot
         * each for all their steps). Work beyond it waits, phase Pending with reason Queued, and starts in creation
         * order (Restores first). Independently, one agent Job per database at a time.
         */
        @WithDefault("10")
        int maxRunningJobs();
    }
}
