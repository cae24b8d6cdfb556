package io.backtrack.agent.storage;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * Part size, parallelism and memory of archive uploads. The defaults were chosen with {@code bench/run.sh} (see
 * docs/performance.md); {@code BACKTRACK_PART_SIZE_MIB} (the first parts' size, default 8),
 * {@code BACKTRACK_PARTS_IN_FLIGHT} (default 2) and {@code BACKTRACK_UPLOAD_BUFFER_MIB} (the heap the part buffers
 * may take) override them for benchmarking and for stores with other limits. Parts larger than half that budget
 * are spooled to {@code java.io.tmpdir} instead.
 *
 * <p>The budget is 3/8 of the JVM's heap: 48 MiB of the agent image's 128 MiB (-XX:MaxRAM=512m). Half of it is for
 * the part arrays, half for the S3 client, which copies every part it sends into buffers of its own while the
 * request runs; so 8 MiB parts upload two at a time (3 arrays + 2 copies = 40 MiB) and larger ones are spooled. In
 * AgentHugeArchiveTest (60 GiB, the image's options) the heap after a full collection stays under 50 MiB of the
 * serial collector's 82 MiB old generation; with half the heap as budget (16 MiB parts on the heap) it reached
 * 71 MiB, and counting the arrays alone (32 MiB parts on the heap) it ran out of memory.
 */
public record UploadTuning(int partSize, int partsInFlight, long heapBudget, Path spoolDir) {
    public static final int DEFAULT_PART_SIZE_MIB = 8;
    public static final int DEFAULT_PARTS_IN_FLIGHT = 2;
    private static final long MIB = 1024 * 1024;

    public static UploadTuning fromEnvironment() {
        int mib = intEnv("BACKTRACK_PART_SIZE_MIB", DEFAULT_PART_SIZE_MIB, 5, 512);
        int inFlight = intEnv("BACKTRACK_PARTS_IN_FLIGHT", DEFAULT_PARTS_IN_FLIGHT, 1, 16);
        int budgetMib = intEnv("BACKTRACK_UPLOAD_BUFFER_MIB", (int) (maxHeap() * 3 / 8 / MIB), 10, 1 << 20);
        return new UploadTuning(mib * (int) MIB, inFlight, budgetMib * MIB,
                Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** The heap the JVM was given (-Xmx, or what -XX:MaxRAM makes of it), not the little less maxMemory() says. */
    static long maxHeap() {
        try {
            return Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("MaxHeapSize").getValue());
        } catch (RuntimeException | LinkageError e) {
            return Runtime.getRuntime().maxMemory();
        }
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
