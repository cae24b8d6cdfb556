package io.backtrack.agent;

/** The agent's version, from the jar manifest's Implementation-Version (set by the shade plugin). */
public final class AgentVersion {
    private AgentVersion() {
    }

    public static String current() {
        String v = AgentVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
