package io.backtrack.controller.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The Java Operator SDK's metrics per controller, not per resource. The Quarkus extension's default collects them per
 * resource too: a set of meters for every Backup that ever existed, in the heap and in every scrape, which with
 * thousands of Backups is most of both (docs/performance.md, operator at scale). Backtrack's own metrics carry the
 * per-Backup facts that matter (BacktrackMetrics).
 */
@Singleton
public class OperatorSdkMetrics {

    @Produces
    @Singleton
    Metrics perController(MeterRegistry registry) {
        return MicrometerMetrics.withoutPerResourceMetrics(registry);
    }
}
