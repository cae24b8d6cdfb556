package io.backtrack.agent.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.backtrack.agent.storage.PartPlan.MIB;
import static org.assertj.core.api.Assertions.assertThat;

class PartBuffersTest {
    private static final long BUDGET = 64 * MIB;

    /**
     * For every part size the plan can choose: the parts on the heap, plus the S3 client's copy of each part in
     * flight, fit the budget: ((parts in flight + 1) + parts in flight) × part size.
     */
    @Test
    void partsOnTheHeapAndTheirCopiesNeverAddUpToMoreThanTheBudget(@TempDir Path spool) {
        PartBuffers buffers = new PartBuffers(BUDGET, 2, spool);
        for (long size = 5 * MIB; size <= PartPlan.MAX_PART; size *= 2) {
            int parts = buffers.capacity(size);
            assertThat(parts).as("%d MiB parts", size / MIB).isBetween(2, 3);
            if (buffers.onHeap(size)) {
                assertThat((2L * parts - 1) * size).as("%d MiB parts", size / MIB).isLessThanOrEqualTo(BUDGET);
            }
        }
        assertThat(buffers.capacity(8 * MIB)).isEqualTo(3);
        assertThat(buffers.capacity(16 * MIB)).isEqualTo(2);
        assertThat(buffers.onHeap(16 * MIB)).isTrue();
        assertThat(buffers.onHeap(32 * MIB)).isFalse();
    }

    @Test
    void aLargerPartWaitsUntilSmallerOnesAreBack(@TempDir Path spool) throws Exception {
        PartBuffers buffers = new PartBuffers(BUDGET, 2, spool);
        List<PartBuffer> inFlight = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            inFlight.add(buffers.take(8 * MIB, () -> { }));
        }
        CompletableFuture<PartBuffer> larger = CompletableFuture.supplyAsync(() -> {
            try {
                return buffers.take(16 * MIB, () -> { });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        assertThat(larger).as("three parts out: 16 MiB parts may be two").isNotDone();
        buffers.giveBack(inFlight.remove(0));
        Thread.sleep(300);
        assertThat(larger).as("still two parts out").isNotDone();
        buffers.giveBack(inFlight.remove(0));
        PartBuffer b = larger.get(5, TimeUnit.SECONDS);
        assertThat(b.capacity()).isEqualTo(16 * MIB);
        assertThat(b).isInstanceOf(PartBuffer.Heap.class);
        buffers.close();
    }

    @Test
    void buffersOfTheSameSizeAreReused(@TempDir Path spool) throws Exception {
        PartBuffers buffers = new PartBuffers(BUDGET, 2, spool);
        PartBuffer first = buffers.take(8 * MIB, () -> { });
        first.write(new byte[10], 0, 10);
        buffers.giveBack(first);
        PartBuffer again = buffers.take(8 * MIB, () -> { });
        assertThat(again).isSameAs(first);
        assertThat(again.length()).isZero();
    }

    @Test
    void partsBeyondAQuarterOfTheBudgetGoToUnlinkedFiles(@TempDir Path spool) throws Exception {
        PartBuffers buffers = new PartBuffers(BUDGET, 2, spool);
        PartBuffer part = buffers.take(32 * MIB, () -> { });
        assertThat(part).isInstanceOf(PartBuffer.Spooled.class);
        byte[] chunk = new byte[1024 * 1024];
        long total = 0;
        while (!part.full()) {
            total += part.write(chunk, 0, chunk.length);
        }
        assertThat(total).isEqualTo(32 * MIB);
        assertThat(part.write(chunk, 0, 1)).isZero();
        try (var files = Files.list(spool)) {
            assertThat(files).as("no file name left in the spool directory").isEmpty();
        }
        buffers.giveBack(part);
        buffers.close();
    }
}
