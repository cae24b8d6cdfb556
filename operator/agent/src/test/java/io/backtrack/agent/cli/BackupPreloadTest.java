package io.backtrack.agent.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The preload swallows its failures, so a class renamed by a dependency upgrade would go unnoticed but for this. */
class BackupPreloadTest {
    @Test
    void everyClassItNamesIsOnTheClassPath() {
        ClassLoader loader = BackupPreload.class.getClassLoader();
        for (String name : BackupPreload.CLASSES) {
            assertThatCode(() -> Class.forName(name, false, loader)).as(name).doesNotThrowAnyException();
        }
        assertThat(BackupPreload.CLASSES).isNotEmpty();
    }

    @Test
    void loadingCompletesWithoutThrowing() {
        assertThatCode(BackupPreload::load).doesNotThrowAnyException();
    }

    @Test
    void awaitingReturnsOnceTheStartedPreloadHasEnded() {
        BackupPreload.start();
        assertThatCode(BackupPreload::await).doesNotThrowAnyException();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("preload") && t.isAlive());
    }
}
