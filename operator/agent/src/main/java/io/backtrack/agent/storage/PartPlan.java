package io.backtrack.agent.storage;

/**
 * The part sizes of one multipart upload of unknown length: S3 allows 10,000 parts of 5 MiB to 5 GiB (the last
 * may be smaller) and objects up to 5 TiB. A part's size is chosen when the part starts, from what has been
 * written so far and, when there is one, an estimate of the whole:
 *
 * <ul>
 *   <li>the parts still to come, at the chosen size, must hold twice what has been written, and as much as the
 *       estimate says is still to come;
 *   <li>sizes only grow, and grow by doubling the base size (8, 16, 32 MiB …, at most 5 GiB), so a pool of buffers
 *       is reallocated a handful of times per upload, not for every part.
 * </ul>
 *
 * <p>With no estimate at all, every part full but the last, the parts hold more than 8 TiB, so any object S3
 * accepts fits; small archives keep the base size (8 MiB parts up to 23 GiB), and an estimate only makes parts
 * larger sooner, so a good one spreads a big archive evenly over the parts instead of growing them late.
 */
final class PartPlan {
    static final int MAX_PARTS = 10_000;
    static final long MIB = 1024 * 1024;
    static final long MIN_PART = 5 * MIB;
    static final long MAX_PART = 5 * 1024 * MIB;
    static final long MAX_OBJECT = 5L * 1024 * 1024 * MIB;

    private final long estimate;
    private long current;

    /** {@code estimate}: the expected size of the whole object in bytes, 0 when unknown. */
    PartPlan(long basePartSize, long estimate) {
        if (basePartSize < MIN_PART || basePartSize > MAX_PART) {
            throw new IllegalArgumentException("S3 parts are 5 MiB to 5 GiB, got " + basePartSize + " bytes");
        }
        this.current = basePartSize;
        this.estimate = Math.max(0, estimate);
    }

    /** The size of part {@code number} (1-based) when {@code written} bytes went into the parts before it. */
    long sizeOf(int number, long written) {
        long partsLeft = Math.max(1, MAX_PARTS - number + 1L);
        long toHold = Math.max(2 * written, estimate - written);
        long needed = (toHold + partsLeft - 1) / partsLeft;
        while (current < needed && current < MAX_PART) {
            current = Math.min(current * 2, MAX_PART);
        }
        return current;
    }
}
