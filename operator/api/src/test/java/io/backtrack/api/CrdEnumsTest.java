package io.backtrack.api;

import io.backtrack.api.backup.CompressionAlgorithm;
import io.backtrack.api.restore.RestoreStrategy;
import io.backtrack.api.restore.RolesPolicy;
import io.backtrack.api.restore.VerifyMode;
import io.backtrack.contract.wire.ArchiveCompression;
import io.backtrack.contract.wire.WireValue;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CRDs' enums are the resource's spelling of values the operator passes to the agent as they are: each holds
 * exactly the values of its contract counterpart (the agent's --compression, --strategy, --verify and --roles), so neither
 * side can gain a value the other refuses.
 */
class CrdEnumsTest {

    @Test
    void theCrdsEnumsHoldExactlyTheValuesTheAgentTakes() {
        assertSameValues(CompressionAlgorithm.values(), ArchiveCompression.values());
        assertSameValues(RestoreStrategy.values(), io.backtrack.contract.wire.RestoreStrategy.values());
        assertSameValues(VerifyMode.values(), io.backtrack.contract.wire.VerifyMode.values());
        assertSameValues(RolesPolicy.values(), io.backtrack.contract.wire.RolesPolicy.values());
    }

    private static void assertSameValues(Enum<?>[] crd, WireValue[] wire) {
        assertThat(Arrays.stream(crd).map(Enum::name))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(wire).map(WireValue::wireName).toList());
    }
}
