package io.backtrack.agent.storage;

/**
 * Part size and parallelism of archive uploads. The defaults were chosen with {@code bench/run.sh} (see
 * docs/performance.md); {@code BACKTRACK_PART_SIZE_MIB} and {@code BACKTRACK_PARTS_IN_FLIGHT} override them for
 * benchmarking and for stores with other limits. Memory: (partsInFlight + 1) × partSize of heap, allocated once.
 */
public record UploadTuning(int partSize, int partsInFlight) {
    public static final int DEFAULT_PART_SIZE_MIB = 8;
    public static final int DEFAULT_PARTS_IN_FLIGHT = 2;

    public static UploadTuning fromEnvironment() {
        int mib = intEnv("BACKTRACK_PART_SIZE_MIB", DEFAULT_PART_SIZE_MIB, 5, 512);
        int inFlight = intEnv("BACKTRACK_PARTS_IN_FLIGHT", DEFAULT_PARTS_IN_FLIGHT, 1, 16);
        return new UploadTuning(mib * 1024 * 1024, inFlight);
    }

    static int intEnv(String name, int defaultValue, int min, int max) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(v.strip())));
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }
}
