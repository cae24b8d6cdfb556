package io.backtrack.api;

/** Names shared by the CRDs, the controller, the agent and the tests. */
public final class BacktrackApi {
    public static final String GROUP = "backtrack.io";
    public static final String VERSION = "v1alpha1";
    public static final String CATEGORY = "backtrack";

    /** Label on everything the operator creates. */
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "backtrack";
    public static final String BACKUP_LABEL = GROUP + "/backup";
    public static final String RESTORE_LABEL = GROUP + "/restore";
    public static final String ROLE_LABEL = GROUP + "/role";

    private BacktrackApi() {
    }
}
