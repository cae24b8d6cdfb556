package io.backtrack.controller.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Operator settings (application.properties, or BACKTRACK_* environment variables from the Helm chart). */
@ConfigMapping(prefix = "backtrack")
public interface BacktrackConfig {

    Agent agent();

    interface Agent {
        /** The agent image that every backup, restore and cleanup Job runs. */
        @WithDefault("ghcr.io/backtrack-io/backtrack-agent:0.1.0")
        String image();

        @WithDefault("IfNotPresent")
        String imagePullPolicy();

        /** Non-root UID the agent runs as. */
        @WithDefault("65532")
        long runAsUser();

        /** Default Job settings, overridable per resource with spec.job. */
        @WithDefault("3600")
        long activeDeadlineSeconds();

        @WithDefault("2")
        int backoffLimit();

        /** Service account of agent Pods; its token is never mounted. */
        Optional<String> serviceAccountName();
    }
}
