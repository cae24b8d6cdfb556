package io.backtrack.contract.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireValuesTest {

    @Test
    void compressionLevelsAreCheckedPerAlgorithmWithOneDefault() {
        assertThat(ArchiveCompression.DEFAULT).isSameAs(ArchiveCompression.parse(ArchiveCompression.DEFAULT_VALUE));
        assertThat(ArchiveCompression.ZSTD.effectiveLevel(null)).isEqualTo(1).isEqualTo(ArchiveCompression.ZSTD_DEFAULT_LEVEL);
        assertThat(ArchiveCompression.ZSTD.effectiveLevel(22)).isEqualTo(22);
        assertThat(ArchiveCompression.GZIP.effectiveLevel(null)).isEqualTo(6);
        assertThat(ArchiveCompression.NONE.effectiveLevel(null)).isNull();
        assertThat(ArchiveCompression.ZSTD.levelProblem(0)).contains("level 0 is out of range for zstd (1-22)");
        assertThat(ArchiveCompression.ZSTD.levelProblem(23)).contains("level 23 is out of range for zstd (1-22)");
        assertThat(ArchiveCompression.GZIP.levelProblem(10)).contains("level 10 is out of range for gzip (1-9)");
        assertThat(ArchiveCompression.NONE.levelProblem(1)).contains("level must be left out when algorithm is none");
        assertThat(ArchiveCompression.GZIP.levelProblem(null)).isEmpty();
        assertThatThrownBy(() -> ArchiveCompression.ZSTD.effectiveLevel(23)).hasMessage("level 23 is out of range for zstd (1-22)");
        assertThatThrownBy(() -> ArchiveCompression.parse("lz4")).hasMessage("unknown compression 'lz4': use zstd, gzip or none");
        assertThat(ArchiveCompression.parse("ZSTD")).isEqualTo(ArchiveCompression.ZSTD);
    }

    @Test
    void theArchivesSuffixNamesItsCompression() {
        assertThat(ArchiveCompression.ZSTD.extension()).isEqualTo(".pgdump.zst");
        assertThat(ArchiveCompression.GZIP.extension()).isEqualTo(".pgdump.gz");
        assertThat(ArchiveCompression.NONE.extension()).isEqualTo(".pgdump");
        assertThat(ArchiveCompression.ofArchive("a/archive.pgdump.zst")).isEqualTo(ArchiveCompression.ZSTD);
        assertThat(ArchiveCompression.ofArchive("a/archive.pgdump.gz")).isEqualTo(ArchiveCompression.GZIP);
        assertThat(ArchiveCompression.ofArchive("a/archive.pgdump")).isEqualTo(ArchiveCompression.NONE);
        assertThat(ArchiveCompression.ofArchive("a/archive-20261122T020007Z-1a2b3c4d.pgdump.zst"))
                .isEqualTo(ArchiveCompression.ZSTD);
    }

    @Test
    void eachValueIsSpelledAsTheFlagSpellsItAndTheDefaultsAreValues() {
        assertThat(RestoreStep.parse("compare")).isEqualTo(RestoreStep.COMPARE);
        assertThat(RestoreStep.parse(RestoreStep.DEFAULT_VALUE)).isEqualTo(RestoreStep.ALL);
        assertThat(RestoreStrategy.parse("inPlace")).isEqualTo(RestoreStrategy.IN_PLACE);
        assertThat(RestoreStrategy.parse(RestoreStrategy.DEFAULT_VALUE)).isEqualTo(RestoreStrategy.NEW_DATABASE);
        assertThat(VerifyMode.parse(VerifyMode.DEFAULT_VALUE)).isEqualTo(VerifyMode.ROW_COUNTS);
        assertThat(RestoreStrategy.SWAP).hasToString("swap");
    }

    @Test
    void anUnknownValueIsRefusedNamingEveryAllowedOne() {
        assertThatThrownBy(() -> RestoreStep.parse("verify"))
                .hasMessage("unknown step 'verify': use check, restore, compare or all");
        assertThatThrownBy(() -> RestoreStrategy.parse("Swap"))
                .hasMessage("unknown strategy 'Swap': use newDatabase, swap or inPlace");
        assertThatThrownBy(() -> VerifyMode.parse(null)).hasMessage("unknown verify mode 'null': use rowCounts or none");
    }

    @Test
    void onlyAnInPlaceRestoreHasNoCompareStep() {
        assertThat(RestoreStrategy.IN_PLACE.hasCompareStep()).isFalse();
        assertThat(RestoreStrategy.SWAP.hasCompareStep()).isTrue();
        assertThat(RestoreStrategy.NEW_DATABASE.hasCompareStep()).isTrue();
    }
}
