package io.backtrack.controller.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;


/**
 * Leader election, so that several operator replicas can run and only one reconciles: a coordination.k8s.io Lease
 * in the operator's namespace. The Quarkus Operator SDK asks for a {@link LeaderElectionConfiguration} bean at start
 * (prod profile only); this one exists only when {@code backtrack.leader-election.enabled} is true, which the Helm
 * chart sets (and so the end-to-end harness, which runs the operator with the chart's environment). Off by default.
 */
@Dependent
public class LeaderElection {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    private final BacktrackConfig.LeaderElectionSettings settings;

    public LeaderElection(BacktrackConfig config) {
        this.settings = config.leaderElection();
    }

    /** @return the configuration, or null (no leader election) when disabled */
    @Produces
    @Dependent
    @Unremovable
    LeaderElectionConfiguration leaderElection() {
        if (!settings.enabled()) {
            return null;
        }
        String leaseName = settings.leaseName();
        String namespace = settings.leaseNamespace().filter(s -> !s.isBlank()).orElse(null);
        String id = settings.identity().filter(s -> !s.isBlank()).orElse(null);
        LOG.infof("leader election on: lease=%s namespace=%s identity=%s", leaseName,
                namespace == null ? "(client namespace)" : namespace, id == null ? "(HOSTNAME)" : id);
        return new LeaderElectionConfiguration(leaseName, namespace,
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                id, null, true);
    }
}
