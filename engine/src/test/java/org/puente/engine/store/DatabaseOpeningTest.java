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
 * keystore's reading fails while it is still opening; a shared database opens only after it.
 */
class DatabaseOpeningTest {
    @TempDir
    Path dir;

    @Test
    void the_database_opens_on_a_thread_of_its_own_and_is_handed_over() {
        AtomicReference<String> thread = new AtomicReference<>();
        DatabaseOpening opening = DatabaseOpening.start(true, () -> {
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
            DatabaseOpening opening = DatabaseOpening.start(true, () -> Database.embedded(dir, 2));

            assertThatThrownBy(opening::await).isExactlyInstanceOf(PuenteException.class)
                    .satisfies(e -> {
                        assertThat(((PuenteException) e).errorCode()).isEqualTo(ErrorCode.CONFIGURATION_INVALID);
                        assertThat(e.getMessage()).contains("puente.lock");
                    });
            assertThat(first.isReachable()).isTrue();
        }
    }

    @Test
    void a_keystore_that_fails_while_the_database_is_still_opening_waits_for_it_closes_it_and_unlocks_the_folder() {
        CountDownLatch keystoreFailed = new CountDownLatch(1);
        AtomicReference<Database> opened = new AtomicReference<>();
        DatabaseOpening opening = DatabaseOpening.start(true, () -> {
            try {
                // still opening when the keystore fails: the worst instant for a lock left behind
                assertThat(keystoreFailed.await(10, TimeUnit.SECONDS)).isTrue();
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            Database db = Database.embedded(dir, 2);
            opened.set(db);
            return db;
        });
        IllegalStateException keystore = new IllegalStateException("the keystore is unreadable");

        assertThatThrownBy(() -> opening.whileOpening(() -> {
            keystoreFailed.countDown();
            throw keystore;
        })).isSameAs(keystore);

        assertThat(opened.get()).as("it waited for the opening to end").isNotNull();
        assertThat(opened.get().isReachable()).as("and closed what it opened").isFalse();
        assertThat(keystore.getSuppressed()).isEmpty();
        try (Database next = Database.embedded(dir, 2)) {
            assertThat(next.isReachable()).as("the data folder's lock is released").isTrue();
        }
    }

    @Test
    void a_refused_opening_behind_a_failed_keystore_is_kept_beside_the_keystore_failure() {
        try (Database first = Database.embedded(dir, 2)) {
            DatabaseOpening opening = DatabaseOpening.start(true, () -> Database.embedded(dir, 2));
            IllegalStateException keystore = new IllegalStateException("the keystore is unreadable");

            assertThatThrownBy(() -> opening.whileOpening(() -> {
                throw keystore;
            })).isSameAs(keystore);

            assertThat(keystore.getSuppressed()).singleElement().isInstanceOfSatisfying(PuenteException.class,
                    e -> assertThat(e.getMessage()).contains("puente.lock"));
            assertThat(first.isReachable()).isTrue();
        }
    }

    @Test
    void a_shared_database_is_opened_only_after_the_keystore_was_read_and_never_when_it_failed() {
        AtomicReference<String> order = new AtomicReference<>("");
        DatabaseOpening opening = DatabaseOpening.start(false, () -> {
            order.updateAndGet(o -> o + "database;");
            return Database.embedded(dir, 2);
        });

        String keys = opening.whileOpening(() -> order.updateAndGet(o -> o + "keystore;"));
        try (Database db = opening.await()) {
            assertThat(db.isReachable()).isTrue();
        }
        assertThat(keys).isEqualTo("keystore;");
        assertThat(order.get()).isEqualTo("keystore;database;");

        AtomicReference<Boolean> touched = new AtomicReference<>(false);
        DatabaseOpening refused = DatabaseOpening.start(false, () -> {
            touched.set(true);
            return Database.embedded(dir, 2);
        });
        assertThatThrownBy(() -> refused.whileOpening(() -> {
            throw new IllegalStateException("the keystore is unreadable");
        })).hasMessage("the keystore is unreadable");
        assertThat(touched.get()).as("a start refused for its keys never opens (or migrates) a shared schema").isFalse();
    }
}
