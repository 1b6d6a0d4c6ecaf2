package org.puente.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.puente.model.error.ErrorCode;
import org.puente.model.error.PuenteException;

/**
 * The database a gateway opens beside its keystore (Gateway's constructor): handed over when
 * opened, its refusal thrown as it was thrown, and closed, its data folder unlocked, when the
 * start fails elsewhere while it is still opening.
 */
class DatabaseOpeningTest {
    @TempDir
    Path dir;

    @Test
    void the_database_opens_on_a_thread_of_its_own_and_is_handed_over() {
        AtomicReference<String> thread = new AtomicReference<>();
        DatabaseOpening opening = DatabaseOpening.start(() -> {
            thread.set(Thread.currentThread().getName());
            return Database.embedded(dir, 2);
        });

        try (Database db = opening.await()) {
            assertThat(db.isReachable()).isTrue();
        }
        assertThat(thread.get()).isEqualTo("puente-database-open");
    }

    @Test
    void a_refused_opening_is_thrown_as_it_was_thrown_not_wrapped() {
        try (Database first = Database.embedded(dir, 2)) {
            DatabaseOpening opening = DatabaseOpening.start(() -> Database.embedded(dir, 2));

            assertThatThrownBy(opening::await).isExactlyInstanceOf(PuenteException.class)
                    .satisfies(e -> {
                        assertThat(((PuenteException) e).errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                        assertThat(e.getMessage()).contains("puente.lock");
                    });
            assertThat(first.isReachable()).isTrue();
        }
    }

    @Test
    void a_start_that_fails_while_the_database_is_still_opening_waits_for_it_closes_it_and_unlocks_the_folder()
            throws InterruptedException {
        CountDownLatch abandoning = new CountDownLatch(1);
        AtomicReference<Database> opened = new AtomicReference<>();
        DatabaseOpening opening = DatabaseOpening.start(() -> {
            try {
                // still opening when the start gives up: the worst instant for a lock left behind
                assertThat(abandoning.await(10, TimeUnit.SECONDS)).isTrue();
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            Database db = Database.embedded(dir, 2);
            opened.set(db);
            return db;
        });
        IllegalStateException keystore = new IllegalStateException("the keystore is unreadable");

        abandoning.countDown();
        opening.abandon(keystore);

        assertThat(opened.get()).as("abandon waited for the opening to end").isNotNull();
        assertThat(opened.get().isReachable()).as("and closed what it opened").isFalse();
        assertThat(keystore.getSuppressed()).isEmpty();
        try (Database next = Database.embedded(dir, 2)) {
            assertThat(next.isReachable()).as("the data folder's lock is released").isTrue();
        }
    }

    @Test
    void a_refused_opening_behind_a_failed_start_is_kept_beside_the_start_failure() {
        try (Database first = Database.embedded(dir, 2)) {
            DatabaseOpening opening = DatabaseOpening.start(() -> Database.embedded(dir, 2));
            IllegalStateException keystore = new IllegalStateException("the keystore is unreadable");

            opening.abandon(keystore);

            assertThat(keystore.getSuppressed()).singleElement().isInstanceOfSatisfying(PuenteException.class,
                    e -> assertThat(e.getMessage()).contains("puente.lock"));
            assertThat(first.isReachable()).isTrue();
        }
    }
}
