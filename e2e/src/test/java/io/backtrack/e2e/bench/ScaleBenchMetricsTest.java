package io.backtrack.e2e.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How the scale benchmark reads the operator's requests and reconciles from Prometheus text. */
class ScaleBenchMetricsTest {

    @Test
    void sumsTheSamplesOfOneSeriesWhateverTheirOtherLabelsAndNumberFormat() {
        String apiServer = """
                # HELP apiserver_flowcontrol_dispatched_requests_total [BETA] Number of requests executed by API Priority and Fairness subsystem
                # TYPE apiserver_flowcontrol_dispatched_requests_total counter
                apiserver_flowcontrol_dispatched_requests_total{flow_schema="exempt",priority_level="exempt"} 916
                apiserver_flowcontrol_dispatched_requests_total{flow_schema="kube-system-service-accounts",priority_level="workload-high"} 95
                apiserver_flowcontrol_dispatched_requests_total{flow_schema="service-accounts",priority_level="workload-low"} 208
                apiserver_flowcontrol_dispatched_requests_total{flow_schema="service-accounts",priority_level="global-default"} 1.5e3
                """;
        assertThat(ScaleBench.sum(apiServer,
                "apiserver_flowcontrol_dispatched_requests_total{flow_schema=\"service-accounts\"")).isEqualTo(1708);

        String operator = """
                operator_sdk_controllers_execution_reconcile_seconds_count{controller="backup",resource_kind="Backup"} 6.0
                operator_sdk_controllers_execution_reconcile_seconds_count{controller="restore",resource_kind="Restore"} 7.0
                operator_sdk_controllers_execution_reconcile_seconds_sum{controller="backup",resource_kind="Backup"} 0.5
                """;
        assertThat(ScaleBench.sum(operator, "operator_sdk_controllers_execution_reconcile_seconds_count{")).isEqualTo(13);
    }
}
